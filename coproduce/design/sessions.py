"""Anonymous participation and the browser session.

Where a conversation allows it, people take part without logging in: their participant is tied to the
browser session's key. Every key that an anonymous visitor has taken part under is remembered inside
the session's own data, because logging in (or signing up, which logs in) gives the session a new key.
When they log in, `on_login` hands those keys to `services.merge_anonymous_participation`, which moves
what they did into their account."""

from . import services

SESSION_KEYS = "design_anonymous_sessions"
REMEMBERED = 20  # keys kept per session: far more than one visit uses


def session_key(request, create: bool = False) -> str | None:
    """The anonymous caller's session key (created when `create`, i.e. before they take part, and then
    remembered for the merge on login); None for a logged-in caller."""
    if request.user.is_authenticated:
        return None
    if create:
        if not request.session.session_key:
            request.session.save()
        remembered = list(request.session.get(SESSION_KEYS, []))
        if request.session.session_key not in remembered:
            request.session[SESSION_KEYS] = [*remembered, request.session.session_key][-REMEMBERED:]
    return request.session.session_key


def on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: merge what the visitor did anonymously in this browser into their account."""
    session = getattr(request, "session", None)
    keys = session.pop(SESSION_KEYS, None) if session is not None else None
    if keys:
        services.merge_anonymous_participation(user, keys)
