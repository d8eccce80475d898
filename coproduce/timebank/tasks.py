"""Background work for timebanks (django-tasks; `coproduce worker`, immediate in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_email(*, to: str, key: str, context: dict, language: str = "en") -> int:
    """Render and send one timebank email in the recipient's language."""
    from . import notifications

    with translation.override(language or settings.LANGUAGE_CODE):
        subject = notifications.subject(key, context)
        body = render_to_string(f"timebank/email/{key}.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def send_digests() -> int:
    """The daily digest of unmatched requests to every broker (at most once per broker per day)."""
    from . import notifications

    return notifications.send_digests()
