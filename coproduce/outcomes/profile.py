"""The badges section of a person's page (core's person page is already permission-checked)."""

from .models import BadgeAward


def badges_section(request, person) -> dict | None:
    awards = list(
        BadgeAward.objects.filter(person=person, revoked_at__isnull=True).select_related("badge__organisation")
    )
    if not awards:
        return None
    return {"person": person, "awards": awards, "is_me": person.user_id == request.user.pk}
