"""Images on proposals (part of the services layer; the checks are shared with delivery photos in
`images.py`).

The proposer adds images to their own proposal before the vote; staff of the organisation add them
on the proposer's behalf (an image received on paper, by post or at a stall: `channel` paper, phone
or in person, recorded as on behalf of the proposer) or as themselves while reviewing. Every image
needs alt text (a description for people who cannot see it). At most `MAX_IMAGES` per proposal,
counted under a lock on the proposal so two uploads at once cannot pass the limit together.

Removing: the proposer removes images of their own proposal before the vote; staff remove any
image at any time (moderation). Images are public once the proposal is: they are served after the
same check as the proposal's page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.images import store_photo
from coproduce.core.permissions import person_of

from .images import read_image
from .models import Phase, Proposal, ProposalImage
from .services import ON_BEHALF_CHANNELS, _phase, _require

MAX_IMAGES = 6
CLOSED = (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN)


def _is_proposer(actor, proposal: Proposal) -> bool:
    me = person_of(actor)
    return me is not None and proposal.proposer_id == me.pk


def may_add_image(user, proposal: Proposal) -> bool:
    process = proposal.process
    if user is None or proposal.status in CLOSED or process.phase not in (Phase.COLLECT, Phase.REVIEW):
        return False
    return user.has_perm("budgeting.act_on_behalf", process) or (
        _is_proposer(user, proposal) and user.has_perm("budgeting.propose", process))


def may_remove_image(user, image: ProposalImage) -> bool:
    proposal = image.proposal
    process = proposal.process
    if user is None:
        return False
    if user.has_perm("budgeting.moderate", process):
        return True
    return (_is_proposer(user, proposal) and user.has_perm("budgeting.propose", process)
            and process.phase in (Phase.COLLECT, Phase.REVIEW))


@transaction.atomic
def add_proposal_image(actor, proposal: Proposal, upload, *, alt_text: str, caption: str = "",
                       channel=Channel.WEB) -> ProposalImage:
    """An image on a proposal, with its alt text (required) and an optional caption."""
    process = proposal.process
    own = _is_proposer(actor, proposal)
    on_behalf = channel in ON_BEHALF_CHANNELS or (not own and actor is None)
    if own and not on_behalf:
        _require(actor, "budgeting.propose", process, channel)
    else:
        _require(actor, "budgeting.act_on_behalf", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    # under a lock: two uploads at once cannot both pass the limit
    status = Proposal.objects.select_for_update().values_list("status", flat=True).get(pk=proposal.pk)
    errors = {}
    if status in CLOSED:
        errors["proposal"] = [_("This proposal was merged or withdrawn.")]
    elif ProposalImage.objects.filter(proposal=proposal).count() >= MAX_IMAGES:
        errors["image"] = [_("A proposal can have at most %(n)s images.") % {"n": MAX_IMAGES}]
    alt_text, caption = (alt_text or "").strip(), (caption or "").strip()
    if not alt_text:
        errors["alt_text"] = [_("Describe the image for people who cannot see it.")]
    elif len(alt_text) > 300:
        errors["alt_text"] = [_("Keep the description under 300 characters.")]
    if len(caption) > 200:
        errors["caption"] = [_("Keep the caption under 200 characters.")]
    try:
        data, kind = read_image(upload, "image")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stored, content_type = store_photo(data, kind, f"budgeting/{process.pk}/{proposal.pk}")
    whose = proposal.proposer if on_behalf else person_of(actor)
    image = ProposalImage.objects.create(
        proposal=proposal, file=stored, content_type=content_type, size=len(data), alt_text=alt_text,
        caption=caption, person=whose, added_by=actor if actor is not None and actor.pk else None,
        channel=channel, on_behalf=on_behalf)
    audit.record(actor, "proposal.image_add", proposal, organisation=process.organisation,
                 on_behalf_of=proposal.proposer if on_behalf else None, channel=channel,
                 details={"image": image.pk, "bytes": len(data)})
    return image


@transaction.atomic
def remove_proposal_image(actor, image: ProposalImage, *, channel=Channel.WEB) -> None:
    """Remove an image and its stored file (the proposer before the vote, staff at any time)."""
    proposal = image.proposal
    process = proposal.process
    if not (actor is None and channel in (Channel.CLI, Channel.SYSTEM)) and not may_remove_image(actor, image):
        if actor is not None and _is_proposer(actor, proposal):
            _phase(process, Phase.COLLECT, Phase.REVIEW)
        raise PermissionDenied("budgeting.remove_proposal_image")
    name, pk = image.file.name, image.pk
    image.delete()
    transaction.on_commit(lambda: image.file.storage.delete(name))
    audit.record(actor, "proposal.image_remove", proposal, organisation=process.organisation, channel=channel,
                 details={"image": pk})
