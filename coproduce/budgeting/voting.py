"""Who is voting, may they vote in this budget, and is their ballot valid?

Secrecy: a ballot is stored under `voter_key(process, identity)`, an HMAC keyed with SECRET_KEY of
the voter's identity ("person:12", "code:<digest>", "census:<digest>"). The same voter finds and
replaces their own ballot; without SECRET_KEY nobody can go from a ballot to a person. Voting codes
and census lines are stored only as salted SHA-256 digests (salt per process).

Everything here raises `ValidationError({field: [message]})` with a message a voter can act on.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Budget, Process

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
AGE_BANDS = ((11, 17, "11-17"), (18, 34, "18-34"), (35, 64, "35-64"), (65, 200, "65+"))


def voter_key(process_id: int, identity: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"ballot:{process_id}:{identity}".encode(), hashlib.sha256).hexdigest()


def anonymous_key() -> str:
    """For a ballot with no identity at all (a paper ballot from a box, an imported file)."""
    return secrets.token_hex(32)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_digest(process: Process, code: str) -> str:
    return hashlib.sha256(f"{process.hash_salt}:code:{normalise_code(code)}".encode()).hexdigest()


def census_digest(process: Process, id_number: str, birth_date: date) -> str:
    ident = "".join(ch for ch in (id_number or "").upper() if ch.isalnum())
    return hashlib.sha256(f"{process.hash_salt}:census:{ident}:{birth_date.isoformat()}".encode()).hexdigest()


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return ""


def reference_day(process: Process) -> date:
    """Ages count on the day the vote closes (or today when it has no closing date)."""
    if process.vote_ends is not None:
        return timezone.localtime(process.vote_ends).date()
    return timezone.localdate()


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass
class Voter:
    identity: str
    area: object = None  # core Area or None
    age: int | None = None
    code: object = None  # VotingCode when voting with a code

    @property
    def key_for(self):
        return lambda process_id: voter_key(process_id, self.identity)


def resolve_voter(process: Process, *, person=None, code: str = "", census_id: str = "", census_birth=None) -> Voter:
    """Identify the voter by the process's verification method."""
    from .models import CensusEntry, VotingCode

    method = process.verification
    if method == Process.Verification.CODES:
        if not normalise_code(code):
            raise ValidationError({"code": [_("Enter the voting code from your letter.")]})
        row = (VotingCode.objects.select_related("area")
               .filter(process=process, digest=code_digest(process, code)).first())
        if row is None:
            raise ValidationError({"code": [_("This voting code is not known. Check it against your letter.")]})
        # Codes are mailed to residents: a code without a district stands for the whole process area.
        return Voter(identity=f"code:{row.digest}", area=row.area or process.area, code=row)
    if method == Process.Verification.CENSUS:
        if not (census_id or "").strip() or census_birth is None:
            raise ValidationError({"census": [_("Enter your identity number and your date of birth.")]})
        row = (CensusEntry.objects.select_related("area")
               .filter(process=process, digest=census_digest(process, census_id, census_birth)).first())
        if row is None:
            raise ValidationError({"census": [_("We could not find you on the list of residents. "
                                                "Check the number and the date of birth.")]})
        return Voter(identity=f"census:{row.digest}", area=row.area, age=age_on(census_birth, reference_day(process)))
    if person is None:
        raise ValidationError({"voter": [_("Log in to vote.")]})
    return Voter(identity=f"person:{person.pk}", area=person.home_area,
                 age=age_on(person.birth_date, reference_day(process)))


def check_eligibility(process: Process, budget: Budget, voter: Voter, voted_budgets=None) -> None:
    """Raise when this voter may not vote in this budget. `voted_budgets` (Budget ids the voter
    already voted in) is needed only for the "own district and one other" rule."""
    if process.min_age is not None:
        if voter.code is None:
            if voter.age is None:
                raise ValidationError({"voter": [_("Add your date of birth to your profile: this vote is for people "
                                                   "aged %(age)s or over.") % {"age": process.min_age}]})
            if voter.age < process.min_age:
                raise ValidationError({"voter": [_("You must be at least %(age)s years old to vote.") % {"age": process.min_age}]})
    area = voter.area
    needs_area = (process.residents_only and process.area_id is not None) or budget.area_id is not None
    if needs_area and area is None:
        raise ValidationError({"voter": [_("Add your home area to your profile so we know where you may vote.")]})
    if process.residents_only and process.area is not None and not process.area.contains(area):
        raise ValidationError({"voter": [_("This vote is for people living in %(area)s.") % {"area": process.area.name}]})
    if budget.area_id is None or budget.area.contains(area):
        return
    rule = process.district_rule
    if rule == Process.DistrictRule.ALL:
        return
    if rule == Process.DistrictRule.OWN:
        raise ValidationError({"voter": [_("You may vote only in the budget of your own district.")]})
    # own district plus one other
    others = set(voted_budgets or ()) - {budget.pk}
    if others:
        own_or_city = {b.pk for b in process.budgets.all() if b.area_id is None or b.area.contains(area)}
        if others - own_or_city:
            raise ValidationError({"voter": [_("You have already voted in another district: you may vote in "
                                               "your own district and one other.")]})


def clean_ballot(process: Process, budget: Budget, costs: dict[int, int], choices=None, points=None):
    """Validate a ballot's content against the method. Returns (choices, points) normalised:
    choices a list of proposal ids (ranked: in order), points a list (cumulative) or None.
    `costs` maps the ids of the proposals on this budget's ballot to the cost the rule uses."""
    method = process.method
    if method == Process.Method.CUMULATIVE:
        if not isinstance(points, dict):
            raise ValidationError({"points": [_("Give points to the projects you support.")]})
        items = []
        for key, value in points.items():
            try:
                pid = int(key)
            except (TypeError, ValueError):
                raise ValidationError({"points": [_("Unknown project: %(id)s.") % {"id": key}]}) from None
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError({"points": [_("Points must be whole numbers, zero or more.")]})
            if value:
                items.append((pid, value))
        items.sort()
        ids = [pid for pid, _v in items]
        unknown = [pid for pid in ids if pid not in costs]
        if unknown:
            raise ValidationError({"points": [_("Unknown project: %(id)s.") % {"id": unknown[0]}]})
        total = sum(v for _p, v in items)
        if total > (process.points_total or 0):
            raise ValidationError({"points": [_("You gave %(n)s points; you have %(max)s to spread.")
                                              % {"n": total, "max": process.points_total}]})
        _check_count(process, len(ids), "points")
        return ids, [v for _p, v in items]
    if not isinstance(choices, (list, tuple)):
        raise ValidationError({"choices": [_("Choose the projects you support.")]})
    ids = []
    for value in choices:
        try:
            pid = int(value)
        except (TypeError, ValueError):
            raise ValidationError({"choices": [_("Unknown project: %(id)s.") % {"id": value}]}) from None
        if pid not in costs:
            raise ValidationError({"choices": [_("Unknown project: %(id)s.") % {"id": value}]})
        if pid in ids:
            raise ValidationError({"choices": [_("Each project may be chosen only once.")]})
        ids.append(pid)
    _check_count(process, len(ids), "choices")
    if method == Process.Method.COST_APPROVAL:
        total = sum(costs[pid] for pid in ids)
        if total > budget.amount:
            raise ValidationError({"choices": [_("Your choices cost more than the budget. Remove a project.")]})
        minimum = budget.amount * process.min_spend_percent // 100
        if total < minimum:
            raise ValidationError({"choices": [_("Your choices must use at least %(pct)s%% of the budget.")
                                               % {"pct": process.min_spend_percent}]})
    return ids, None


def _check_count(process: Process, n: int, field: str) -> None:
    if n < process.min_choices:
        raise ValidationError({field: [ngettext("Choose at least %(n)s project.", "Choose at least %(n)s projects.",
                                                process.min_choices) % {"n": process.min_choices}]})
    if process.max_choices is not None and n > process.max_choices:
        raise ValidationError({field: [ngettext("Choose at most %(n)s project.", "Choose at most %(n)s projects.",
                                                process.max_choices) % {"n": process.max_choices}]})
