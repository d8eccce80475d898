"""Background work for co-design. Tasks run in `coproduce worker` (immediately in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


def site_url(path: str) -> str:
    """An absolute link to a page of this site, for emails (`SITE_URL` + the path)."""
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


@task()
def recompute_analysis(*, conversation_id: int) -> dict:
    """Recompute and store a conversation's opinion analysis.

    The pending flag is cleared first, so votes that arrive while we compute ask for another run."""
    from django.db.models import Max

    from .models import Conversation, VoteEvent
    from .services import compute_analysis, request_analysis

    Conversation.objects.filter(pk=conversation_id).update(analysis_pending=False)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return {"conversation": conversation_id, "missing": True}
    seen = VoteEvent.objects.filter(conversation=conversation).aggregate(last=Max("pk"))["last"] or 0
    analysis = compute_analysis(conversation)
    # a vote from a request that saw the flag still set, committed while we computed: run again
    if VoteEvent.objects.filter(conversation=conversation, pk__gt=seen).exists():
        conversation.refresh_from_db(fields=["analysis_pending"])
        request_analysis(conversation)
    return {"conversation": conversation_id, "votes": analysis.vote_count, "groups": analysis.group_count}


@task()
def import_polis_upload(*, upload_id: int) -> dict:
    """Import a large uploaded Polis export, reporting progress on its status page."""
    from .models import PolisUpload
    from .services import run_polis_upload

    upload = PolisUpload.objects.select_related("lab__organisation", "uploaded_by").filter(pk=upload_id).first()
    if upload is None:
        return {"upload": upload_id, "missing": True}
    upload = run_polis_upload(upload)
    return {"upload": upload_id, "status": upload.status, "conversation": upload.conversation_id}


@task()
def compute_themes(*, lab_id: int) -> dict:
    """Group a lab's free-text feedback into themes (TF-IDF and k-means, see `analysis.themes`)."""
    from .models import Lab
    from .services import store_themes

    lab = Lab.objects.filter(pk=lab_id).first()
    if lab is None:
        return {"lab": lab_id, "missing": True}
    return {"lab": lab_id, "themes": len(store_themes(lab))}


@task()
def send_decision_notice(*, to: str, context: dict, language: str = "en") -> int:
    """ "You said, we did": tell someone whose views a published decision rests on. Links are absolute,
    on `settings.SITE_URL` (the context carries site paths, so a changed address applies to queued mail)."""
    context = {**context, "decision_url": site_url(context.get("path", "")),
               "trail_url": site_url(context.get("trail_path", ""))}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("You said, we did: %(decision)s") % context
        body = render_to_string("design/email/decision_published.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
