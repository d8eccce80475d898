"""Weekly windows as the matching engine counts them: `[start, end]` minutes of the week, 0 = Monday
00:00, 10080 = the next Monday, end exclusive. Helpers to build them from a form (days + times),
check them, and say them in words."""

from datetime import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WEEK = 7 * 24 * 60
DAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


def from_days(days, start: time, end: time) -> list[list[int]]:
    """The same times on each of `days` (0 = Monday). An end at or before the start runs past
    midnight into the next day."""
    a = start.hour * 60 + start.minute
    b = end.hour * 60 + end.minute
    length = b - a if b > a else b + 1440 - a
    windows = []
    for day in sorted({int(d) for d in days}):
        s = day * 1440 + a
        windows.append([s, s + length])
    return windows


def invalid(windows) -> str | None:
    """Why `windows` is not a list of weekly windows, or None when it is."""
    if not isinstance(windows, list | tuple):
        return _("Weekly times must be a list of [start, end] minutes of the week.")
    if len(windows) > 50:
        return _("Give at most 50 weekly times.")
    for w in windows:
        if (not isinstance(w, list | tuple) or len(w) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in w)):
            return _("Each weekly time is a pair of whole minutes of the week: [start, end].")
        start, end = w
        if not (0 <= start < WEEK) or not (start < end <= start + WEEK):
            return _("Each weekly time starts within the week (0 to 10079) and ends after it starts.")
    return None


def _clock(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe(windows) -> list[str]:
    """["Monday 09:00–12:00", ...] in the current language."""
    names = dict(DAYS)
    out = []
    for start, end in windows or ():
        day = (start // 1440) % 7
        out.append(f"{names[day]} {_clock(start)}–{_clock(end)}")
    return out
