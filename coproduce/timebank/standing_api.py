"""Standing donations in the API: a member (or a broker of their bank for them) lists, sets up and
stops the credits they give every month. Thin, calling `timebank.standing`.

    GET    /timebanks/{slug}/members/{id}/standing-donations
    POST   /timebanks/{slug}/members/{id}/standing-donations   {"minutes", "to"?, "reason"?, "channel"?} -> 201
    DELETE /timebanks/{slug}/members/{id}/standing-donations/{donation_id}   -> the donation, stopped
"""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from pydantic import StrictInt

from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import services, standing
from .api import _bank, _member
from .models import StandingDonation

router = Router(tags=["timebank"])


class StandingDonationIn(Schema):
    minutes: StrictInt  # a month
    to: StrictInt | None = None  # a member of the same bank; omitted: the community pot
    reason: str = Field("", max_length=200)
    channel: str = Channel.API


class StandingDonationOut(Schema):
    id: int
    member: int = Field(..., alias="member_id")
    to: int | None = Field(None, alias="to_id")  # null: the community pot
    minutes: int
    reason: str
    active: bool
    starts_on: date
    created_at: datetime


PATH = "/timebanks/{slug}/members/{member_id}/standing-donations"


@router.get(PATH, response=list[StandingDonationOut])
def list_standing_donations(request, slug: str, member_id: int):
    member = _member(_bank(slug), member_id)
    require(request.user, "timebank.pay_from", member)
    return list(StandingDonation.objects.filter(member=member).order_by("id"))


@router.post(PATH, response={201: StandingDonationOut})
def set_up_standing_donation(request, slug: str, member_id: int, payload: StandingDonationIn):
    bank = _bank(slug)
    member = _member(bank, member_id)
    require(request.user, "timebank.pay_from", member)
    to = services.member_of(payload.to, "to", bank) if payload.to is not None else None
    return 201, standing.set_up(request.user, member, payload.minutes, to=to, reason=payload.reason,
                                channel=payload.channel)


@router.delete(PATH + "/{donation_id}", response=StandingDonationOut)
def stop_standing_donation(request, slug: str, member_id: int, donation_id: int):
    member = _member(_bank(slug), member_id)
    require(request.user, "timebank.pay_from", member)
    donation = get_object_or_404(StandingDonation.objects.select_related("member__timebank__organisation"),
                                 pk=donation_id, member=member)
    return standing.stop(request.user, donation, channel=Channel.API)
