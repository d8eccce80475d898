"""Timebank API: banks, members, transfers. Thin and typed, calling `timebank.services`.

Mounted at /api/v1/ (paths start with /timebanks). Errors are formatted by `coproduce.api`.
Who may do what is described in `timebank.permissions`; in short: a platform administrator or an
administrator of the organisation creates a bank; brokers and coordinators of a bank manage it;
members see and pay from their own account only; anonymous callers get nothing but a bank's name.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import StrictBool, StrictInt

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.models import Area, Organisation, Person
from coproduce.core.permissions import person_of, require

from . import ledger, services
from .models import Account, Network, Timebank, TimebankMember, Transfer

router = Router(tags=["timebank"])


class TimebankIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    slug: str = Field(..., min_length=1, max_length=160)
    overdraft_limit_minutes: StrictInt | None = None
    max_balance_minutes: StrictInt | None = None  # omitted: the default; null: no maximum
    allow_cross_bank: StrictBool = False
    network: str | None = None
    organisation: str | None = None  # link an existing organisation instead of creating one
    agreement_text: str = ""


class TimebankPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=160)
    overdraft_limit_minutes: StrictInt | None = None
    max_balance_minutes: StrictInt | None = None
    allow_cross_bank: StrictBool | None = None
    hourly_value_low: Decimal | None = None
    hourly_value_high: Decimal | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    network: str | None = None


class TimebankOut(Schema):
    id: int
    name: str
    slug: str
    organisation: str = Field(..., alias="organisation.slug")
    network: str | None = Field(None, alias="network.slug")
    allow_cross_bank: bool
    overdraft_limit_minutes: int
    max_balance_minutes: int | None
    currency: str
    hourly_value_low: Decimal
    hourly_value_high: Decimal


class GuardianIn(Schema):
    """A child member joins with a guardian's consent (`services.GUARDIAN_FIELDS`)."""

    is_child: StrictBool = False
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_consent_on: date | None = None
    guardian_consent_channel: str = ""  # in_person, paper, phone, web

    def guardian(self) -> dict:
        return {f: getattr(self, f) for f in services.GUARDIAN_FIELDS}


class MemberIn(GuardianIn):
    name: str | None = Field(None, min_length=1, max_length=160)
    email: str = ""
    phone: str = ""
    person: StrictInt | None = None  # an existing person instead of a new assisted member
    home_area: StrictInt | None = None  # the new person's home area (an area id), for suggestions nearby
    kind: str = TimebankMember.Kind.INDIVIDUAL
    consent: StrictBool = True  # the broker confirms the person agreed to be registered
    agreement_accepted: StrictBool = True  # ... and accepted the bank's current member agreement
    channel: str = Channel.IN_PERSON
    birth_date: date | None = None  # a new person's; under 18 needs the guardian's consent


class JoinIn(GuardianIn):
    accept_agreement: StrictBool
    kind: str = TimebankMember.Kind.INDIVIDUAL


class MemberPatch(Schema):
    status: str | None = None
    overdraft_limit_minutes: StrictInt | None = None
    max_balance_minutes: StrictInt | None = None
    no_max_balance: StrictBool | None = None


class MemberOut(Schema):
    id: int
    person_id: int
    name: str = Field(..., alias="person.name")
    timebank: str = Field(..., alias="timebank.slug")
    kind: str
    status: str
    balance_minutes: int = Field(..., alias="account.balance_minutes")
    overdraft_limit_minutes: int
    max_balance_minutes: int | None
    joined_at: datetime | None
    agreement_version: str | None = Field(None, alias="agreement_version.version")
    agreement_accepted_at: datetime | None
    home_area: int | None = Field(None, alias="person.home_area_id")

    @staticmethod
    def resolve_overdraft_limit_minutes(obj) -> int:
        return obj.effective_overdraft()

    @staticmethod
    def resolve_max_balance_minutes(obj) -> int | None:
        return obj.effective_max_balance()


class TransferIn(Schema):
    payer: StrictInt  # the member who received help
    payee: StrictInt  # the member who gave it and earns the credit
    minutes: StrictInt
    reason: str = Field(..., max_length=200)
    payee_timebank: str | None = None
    occurred_on: date | None = None
    channel: str = Channel.API


class DonationIn(Schema):
    donor: StrictInt
    minutes: StrictInt
    reason: str = Field("", max_length=200)
    to: StrictInt | None = None  # a member of the same bank; omitted: the community pot


class ReverseIn(Schema):
    reason: str = Field(..., max_length=200)


class TransferOut(Schema):
    id: int
    timebank: str = Field(..., alias="timebank.slug")
    kind: str
    minutes: int
    reason: str
    occurred_on: date
    created_at: datetime
    channel: str
    from_account: int = Field(..., alias="from_account_id")
    to_account: int = Field(..., alias="to_account_id")
    payer: int | None = Field(None, alias="from_account.member_id")
    payee: int | None = Field(None, alias="to_account.member_id")
    reverses: int | None = Field(None, alias="reverses_id")
    counterpart: int | None = None  # the other bank's leg of a cross-bank exchange

    @staticmethod
    def resolve_counterpart(obj) -> int | None:
        if hasattr(obj, "counterpart_id"):
            return obj.counterpart_id
        return obj.linked_id or Transfer.objects.filter(linked=obj).values_list("pk", flat=True).first()


class BooksOut(Schema):
    timebank: str
    community_pot_minutes: int
    clearing_minutes: int
    members_total_minutes: int
    network: str | None
    network_clearing: dict[str, int]


def _bank(slug: str) -> Timebank:
    return get_object_or_404(Timebank.objects.select_related("organisation", "network"), slug=slug)


def _member(bank: Timebank, member_id: int) -> TimebankMember:
    return get_object_or_404(
        TimebankMember.objects.select_related("person", "timebank__organisation", "account", "agreement_version"),
        pk=member_id, timebank=bank,
    )


def _transfers():
    counterpart = Transfer.objects.filter(linked=OuterRef("pk")).values("pk")[:1]
    return Transfer.objects.select_related("timebank", "from_account", "to_account").annotate(
        counterpart_id=Coalesce(F("linked_id"), Subquery(counterpart))
    )


def _channel(value: str) -> str:
    if value not in Channel.ALL:
        raise ValidationError({"channel": ["Unknown channel."]})
    return value


@router.post("/timebanks", response={201: TimebankOut})
def create_timebank(request, payload: TimebankIn):
    data = payload.dict(exclude_unset=True)
    network = organisation = None
    if payload.network:
        network = Network.objects.filter(slug=payload.network).first()
        if network is None:
            raise ValidationError({"network": [f"Unknown network {payload.network!r}."]})
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise ValidationError({"organisation": [f"Unknown organisation {payload.organisation!r}."]})
    options = {key: data[key] for key in ("max_balance_minutes", "allow_cross_bank", "agreement_text") if key in data}
    if payload.overdraft_limit_minutes is not None:
        options["overdraft_limit_minutes"] = payload.overdraft_limit_minutes
    bank = services.create_timebank(
        request.user, name=payload.name, slug=payload.slug, organisation=organisation, network=network,
        channel=Channel.API, **options,
    )
    return 201, bank


@router.get("/timebanks/{slug}", response=TimebankOut, auth=PUBLIC)
def get_timebank(request, slug: str):
    bank = _bank(slug)
    require(request.user, "core.view_organisation", bank.organisation)
    return bank


NOT_NULL = ("name", "overdraft_limit_minutes", "allow_cross_bank", "hourly_value_low", "hourly_value_high",
            "currency")


@router.patch("/timebanks/{slug}", response=TimebankOut)
def patch_timebank(request, slug: str, payload: TimebankPatch):
    """Change a bank's settings (its administrators): omitted fields stay; `max_balance_minutes` null
    means no maximum; hourly values in minor units, as answered; `network` a slug, null to leave it."""
    bank = _bank(slug)
    require(request.user, "timebank.change_timebank", bank)
    changes = payload.dict(exclude_unset=True)
    nulls = [field for field in NOT_NULL if field in changes and changes[field] is None]
    if nulls:
        raise ValidationError({field: ["This field cannot be null."] for field in nulls})
    network = services.UNSET
    if "network" in changes:
        slug_wanted = changes.pop("network")
        network = None
        if slug_wanted is not None:
            network = Network.objects.filter(slug=slug_wanted).first()
            if network is None:
                raise ValidationError({"network": [f"Unknown network {slug_wanted!r}."]})
    services.change_settings(request.user, bank, network=network, channel=Channel.API, **changes)
    return _bank(slug)


@router.get("/timebanks/{slug}/books", response=BooksOut)
def get_books(request, slug: str):
    bank = _bank(slug)
    require(request.user, "timebank.view_ledger", bank)
    balances = {kind: balance for kind, balance in
                Account.objects.filter(timebank=bank).exclude(kind=Account.Kind.MEMBER)
                .values_list("kind", "balance_minutes")}
    from django.db.models import Sum

    members_total = Account.objects.filter(timebank=bank, kind=Account.Kind.MEMBER).aggregate(
        s=Sum("balance_minutes"))["s"] or 0
    return {
        "timebank": bank.slug,
        "community_pot_minutes": balances.get(Account.Kind.COMMUNITY_POT, 0),
        "clearing_minutes": balances.get(Account.Kind.CLEARING, 0),
        "members_total_minutes": members_total,
        "network": bank.network.slug if bank.network else None,
        "network_clearing": ledger.clearing_positions(bank.network) if bank.network else {},
    }


@router.get("/timebanks/{slug}/members", response=list[MemberOut])
@paginate(LimitOffsetPagination)
def list_members(request, slug: str, status: str | None = None):
    bank = _bank(slug)
    require(request.user, "timebank.manage_timebank", bank)
    qs = bank.members.select_related("person", "timebank", "account", "agreement_version").order_by("id")
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/timebanks/{slug}/members", response={201: MemberOut})
def register_member(request, slug: str, payload: MemberIn):
    """A broker registers a member, active at once. Without `person`, a new assisted person (no
    login) is created for them; posting confirms their consent and agreement acceptance."""
    bank = _bank(slug)
    require(request.user, "timebank.manage_timebank", bank)
    channel = _channel(payload.channel)
    if payload.person is not None:
        if payload.home_area is not None:
            raise ValidationError({"home_area": ["Give a home area only for a new person."]})
        person = Person.objects.filter(pk=payload.person, erased_at__isnull=True).first()
        if person is None:
            raise ValidationError({"person": ["Unknown person."]})
        member = services.register_member(
            request.user, bank, person=person, kind=payload.kind, consent=payload.consent,
            agreement_accepted=payload.agreement_accepted, channel=channel,
            is_child=payload.is_child, guardian=payload.guardian(),
        )
    else:
        if not payload.name:
            raise ValidationError({"name": ["Please give a name."]})
        home_area = None
        if payload.home_area is not None:
            home_area = Area.objects.filter(pk=payload.home_area).first()
            if home_area is None:
                raise ValidationError({"home_area": [f"Unknown area {payload.home_area}."]})
        member = services.register_member(
            request.user, bank, kind=payload.kind, consent=payload.consent,
            agreement_accepted=payload.agreement_accepted, channel=channel,
            is_child=payload.is_child, guardian=payload.guardian(),
            name=payload.name, email=payload.email, phone=payload.phone, home_area=home_area,
            **({"birth_date": payload.birth_date} if payload.birth_date else {}),
        )
    return 201, _member(bank, member.pk)


@router.post("/timebanks/{slug}/join", response={201: MemberOut})
def join(request, slug: str, payload: JoinIn):
    bank = _bank(slug)
    member = services.request_to_join(request.user, bank, accept_agreement=payload.accept_agreement,
                                      kind=payload.kind, is_child=payload.is_child, guardian=payload.guardian(),
                                      channel=Channel.API)
    return 201, _member(bank, member.pk)


@router.get("/timebanks/{slug}/members/{member_id}", response=MemberOut)
def get_member(request, slug: str, member_id: int):
    member = _member(_bank(slug), member_id)
    require(request.user, "timebank.view_member", member)
    return member


@router.post("/timebanks/{slug}/members/{member_id}/approve", response=MemberOut)
def approve_member(request, slug: str, member_id: int):
    bank = _bank(slug)
    services.approve_member(request.user, _member(bank, member_id), channel=Channel.API)
    return _member(bank, member_id)


@router.patch("/timebanks/{slug}/members/{member_id}", response=MemberOut)
def patch_member(request, slug: str, member_id: int, payload: MemberPatch):
    bank = _bank(slug)
    member = _member(bank, member_id)
    require(request.user, "timebank.change_member", member)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    if changes:
        services.set_member_limits(request.user, member, channel=Channel.API, **changes)
    if status is not None and status != member.status:
        services.set_member_status(request.user, member, status, channel=Channel.API)
    return _member(bank, member_id)


@router.get("/timebanks/{slug}/transfers", response=list[TransferOut])
@paginate(LimitOffsetPagination)
def list_transfers(request, slug: str, member: int | None = None):
    """A member's transfers (`member`), or, for brokers of the bank, all the bank's transfers.
    Without `member`, a member sees their own."""
    bank = _bank(slug)
    qs = _transfers().filter(timebank=bank)
    if member is not None:
        subject = _member(bank, member)
        require(request.user, "timebank.view_member", subject)
    elif request.user.has_perm("timebank.view_ledger", bank):
        return qs
    else:
        me = person_of(request.user)
        subject = TimebankMember.objects.filter(timebank=bank, person=me).select_related("account").first()
        if me is None or subject is None:
            raise PermissionDenied("timebank.view_ledger")
    account = subject.account.pk
    return qs.filter(Q(from_account=account) | Q(to_account=account))


@router.post("/timebanks/{slug}/transfers", response={201: TransferOut})
def create_transfer(request, slug: str, payload: TransferIn):
    """Record an exchange: `minutes` move from the payer (who received help) to the payee (who gave
    it). With `payee_timebank`, the payee belongs to another bank of the same network."""
    bank = _bank(slug)
    payee_bank = bank
    if payload.payee_timebank and payload.payee_timebank != slug:
        payee_bank = Timebank.objects.select_related("organisation", "network").filter(
            slug=payload.payee_timebank).first()
        if payee_bank is None:
            raise ValidationError({"payee_timebank": [f"Unknown timebank {payload.payee_timebank!r}."]})
    posted = services.transfer(
        request.user, payload.payer, payload.payee, payload.minutes, payload.reason, timebank=bank,
        payee_timebank=payee_bank, occurred_on=payload.occurred_on, channel=_channel(payload.channel),
    )
    return 201, _transfers().get(pk=posted.pk)


@router.get("/timebanks/{slug}/transfers/{transfer_id}", response=TransferOut)
def get_transfer(request, slug: str, transfer_id: int):
    transfer = get_object_or_404(_transfers(), pk=transfer_id, timebank__slug=slug)
    require(request.user, "timebank.view_transfer", transfer)
    return transfer


@router.post("/timebanks/{slug}/transfers/{transfer_id}/reverse", response={201: TransferOut})
def reverse_transfer(request, slug: str, transfer_id: int, payload: ReverseIn):
    transfer = get_object_or_404(Transfer.objects.select_related("timebank__organisation"),
                                 pk=transfer_id, timebank__slug=slug)
    correction = services.reverse_transfer(request.user, transfer, payload.reason, channel=Channel.API)
    return 201, _transfers().get(pk=correction.pk)


@router.post("/timebanks/{slug}/donations", response={201: TransferOut})
def donate(request, slug: str, payload: DonationIn):
    bank = _bank(slug)
    donor = services.member_of(payload.donor, "donor", bank)
    posted = services.donate(request.user, donor, payload.minutes, payload.reason, to=payload.to,
                             channel=Channel.API)
    return 201, _transfers().get(pk=posted.pk)


from .codelivery_api import router as codelivery_router  # noqa: E402  (offers, requests, exchanges)

router.add_router("", codelivery_router)

from .reports_api import router as reports_router  # noqa: E402  (reports, imports, exports)

router.add_router("", reports_router)

from .settings_api import router as settings_router  # noqa: E402  (networks, agreements, categories)

router.add_router("", settings_router)

from .standing_api import router as standing_router  # noqa: E402  (standing donations)

router.add_router("", standing_router)
