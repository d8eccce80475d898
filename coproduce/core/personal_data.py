"""Each app says what personal data it holds about a person, and how to erase it.

An app registers an exporter (person -> JSON-able dict) and an eraser (person -> None) in its
AppConfig.ready(). `collect` and `erase` call them all, so "download my data" and "erase me" stay
complete as apps are added.
"""

from collections.abc import Callable

from django.forms.models import model_to_dict

_exporters: dict[str, Callable] = {}
_erasers: dict[str, Callable] = {}


def register(section: str, *, export: Callable, erase: Callable | None = None) -> None:
    _exporters[section] = export
    if erase is not None:
        _erasers[section] = erase


def _core_export(person) -> dict:
    profile = model_to_dict(
        person,
        fields=[
            "name", "email", "phone", "postal_address", "preferred_language",
            "contact_about_interests", "is_assisted", "access_needs",
        ],
    )
    profile["birth_date"] = person.birth_date.isoformat() if person.birth_date else None
    profile["home_area"] = person.home_area.name if person.home_area else None
    profile["registered_at"] = person.created_at.isoformat()
    profile["consent_recorded_at"] = person.consent_recorded_at.isoformat() if person.consent_recorded_at else None
    profile["interests"] = sorted(person.interests.values_list("name", flat=True))
    profile["login"] = person.user.email if person.user_id else None
    return {
        "profile": profile,
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in person.memberships.select_related("organisation")
        ],
    }


register("core", export=_core_export)


def collect(person) -> dict:
    return {"format": "coproduce-personal-data/1", "person_id": person.pk} | {
        section: export(person) for section, export in sorted(_exporters.items())
    }


def erase(person) -> None:
    for _section, eraser in sorted(_erasers.items()):
        eraser(person)
