"""Acting in someone's name: the one rule every app applies when staff record something for a person
who told them in person, by phone or on paper.

`acting_for` says whether the actor acts for someone else (not themself). `check_on_behalf` adds the
conditions of a record made in someone's name: it says how it reached the staff member (not "web"),
and that the person agreed to it being recorded (`consent`). Whether the actor may act for that person
at all is the permission `core.act_for_person` (or an app's own permission built on it), which callers
check. The record then keeps that it was made on their behalf, with its channel, and the audit log
names the person (`audit.record(..., on_behalf_of=person, channel=channel)`).
"""

from django.utils.translation import gettext as _

from .audit import Channel
from .models import Person
from .permissions import person_of


def acting_for(actor, person: Person | None) -> Person | None:
    """`person` when the actor does something in another person's name; None when it is their own."""
    if person is None:
        return None
    me = person_of(actor)
    return None if me is not None and me.pk == person.pk else person


def check_on_behalf(actor, person: Person | None, errors: dict, *, channel: str, consent) -> Person | None:
    """The person acted for (or None), adding to `errors` what a record in their name lacks: a channel
    other than the website, and their consent."""
    on_behalf = acting_for(actor, person)
    if on_behalf is not None and channel == Channel.WEB:
        errors["channel"] = [_("Say how you heard it from them: in person, by phone or on paper.")]
    if on_behalf is not None and consent is not True:
        errors["consent"] = [_("Ask them, and record that they agreed, before recording it.")]
    return on_behalf
