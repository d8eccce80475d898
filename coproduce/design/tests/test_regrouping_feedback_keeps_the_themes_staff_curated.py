"""Grouping feedback again keeps the themes staff renamed, merged or split, with their items: new
feedback joins the curated theme it is close to, and feedback close to none becomes new themes."""

import pytest

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.analysis.themes import extend_themes
from coproduce.design.models import Feedback, Theme

TEXTS = [
    "Respite is impossible to book at short notice", "Booking respite took weeks", "Short notice respite please",
    "Respite booking is far too slow", "The bus to the memory cafe stopped", "No transport to the day group",
    "A minibus to the groups would help", "Transport is the main barrier to groups",
]
LATER = ["Respite booking online at short notice would help", "Parking at the memory cafe is impossible",
         "No parking spaces near the cafe", "Parking fines while visiting the cafe"]


def _add(lab, staff, texts):
    for text in texts:
        services.add_feedback(staff, lab, text=text, kind="workshop", channel="in_person")


def _theme(text):
    return Feedback.objects.get(text=text).theme


@pytest.mark.django_db
def test_curated_themes_survive_and_take_in_close_new_feedback(lab, personas):
    staff = personas["staff"]
    _add(lab, staff, TEXTS)
    services.store_themes(lab)
    respite = _theme(TEXTS[0])
    services.rename_theme(staff, respite, "Booking respite")
    services.merge_themes(staff, respite, Theme.objects.filter(lab=lab).exclude(pk=respite.pk))
    transport = services.split_theme(staff, respite, Feedback.objects.filter(text__in=TEXTS[4:]), "Getting there")
    before = {t.pk: set(t.items.values_list("pk", flat=True)) for t in (respite, transport)}

    _add(lab, staff, LATER)
    services.request_themes(staff, lab)  # background task, immediate in tests

    respite.refresh_from_db()
    assert respite.label == "Booking respite" and Theme.objects.filter(pk=transport.pk, label="Getting there").exists()
    assert before[respite.pk] < set(respite.items.values_list("pk", flat=True))  # kept all, and took one in
    assert _theme(LATER[0]) == respite
    assert set(transport.items.values_list("pk", flat=True)) == before[transport.pk]
    parking = {_theme(text) for text in LATER[1:]}
    assert len(parking) == 1 and parking.pop().pk not in before  # a new theme, made by the engine
    assert not Feedback.objects.filter(lab=lab, theme__isnull=True).exists()
    stored = AuditEntry.objects.filter(action="themes.store").order_by("-pk").first()
    assert stored.details["kept"] == 2 and stored.details["joined_kept"] == 1


@pytest.mark.django_db
def test_themes_the_engine_made_are_still_regrouped(lab, personas):
    staff = personas["staff"]
    _add(lab, staff, TEXTS)
    services.store_themes(lab)
    first = set(Theme.objects.filter(lab=lab).values_list("pk", flat=True))
    services.store_themes(lab)
    assert not first & set(Theme.objects.filter(lab=lab).values_list("pk", flat=True))


def test_the_engine_places_free_items_near_curated_themes_or_groups_them_anew():
    texts = TEXTS + LATER
    result = extend_themes(texts, [[0, 1, 2, 3], [4, 5, 6, 7]])
    assert result.assigned == {8: 0}
    assert sorted(i for t in result.new.themes for i in t.items) == [9, 10, 11]
    assert extend_themes(texts, [[0, 1, 2, 3], [4, 5, 6, 7]]) == result  # deterministic
    nothing_curated = extend_themes(texts, [])
    assert nothing_curated.assigned == {} and sorted(i for t in nothing_curated.new.themes for i in t.items) == list(
        range(len(texts)))
