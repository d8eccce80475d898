"""Background work for the core. Tasks run in `coproduce worker` (immediately in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email(*, to: str, subject_key: str, context: dict, language: str = "en") -> int:
    """Render and send one notification email in the recipient's language."""
    from . import emails

    with translation.override(language or settings.LANGUAGE_CODE):
        subject = emails.subject(subject_key, context)
        body = render_to_string(f"core/email/{subject_key}.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
