"""Free-text feedback is grouped into themes by the engine (TF-IDF); staff rename, merge and split them,
and each theme page shows the items behind it. Themes an insight cites survive regrouping."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.design import services
from coproduce.design.models import Feedback, Theme

TEXTS = [
    "Respite is impossible to book at short notice", "Booking respite took weeks", "Short notice respite please",
    "Respite booking is far too slow", "The bus to the memory cafe stopped", "No transport to the day group",
    "A minibus to the groups would help", "Transport is the main barrier to groups",
]


@pytest.fixture
def themed(lab, personas):
    for text in TEXTS:
        services.add_feedback(personas["staff"], lab, text=text, kind="workshop", channel="in_person")
    services.request_themes(personas["staff"], lab)  # a background task (immediate in tests)
    return lab


def test_feedback_is_grouped_into_themes(themed):
    themes = list(Theme.objects.filter(lab=themed))
    assert len(themes) >= 2 and not Feedback.objects.filter(lab=themed, theme__isnull=True).exists()
    respite = Feedback.objects.get(text=TEXTS[0]).theme
    assert Feedback.objects.get(text=TEXTS[1]).theme == respite != Feedback.objects.get(text=TEXTS[5]).theme


def test_rename_merge_and_split(themed, personas, client_as):
    staff = personas["staff"]
    client = client_as(staff)
    respite = Feedback.objects.get(text=TEXTS[0]).theme
    response = client.post(f"/labs/{themed.slug}/themes/{respite.pk}/", {"action": "rename",
                                                                         "rename-label": "Respite"})
    assert response.status_code == 302 and Theme.objects.get(pk=respite.pk).label == "Respite"
    page = client.get(f"/labs/{themed.slug}/themes/{respite.pk}/")
    assert TEXTS[0] in page.content.decode()

    others = list(Theme.objects.filter(lab=themed).exclude(pk=respite.pk))
    response = client.post(f"/labs/{themed.slug}/themes/", {
        "action": "merge", "target": respite.pk, "sources": [t.pk for t in others]})
    assert response.status_code == 302
    assert list(Theme.objects.filter(lab=themed)) == [respite] and respite.items.count() == len(TEXTS)

    bus = list(Feedback.objects.filter(text__in=TEXTS[4:]))
    response = client.post(f"/labs/{themed.slug}/themes/{respite.pk}/", {
        "action": "split", "split-label": "Transport", "split-items": [f.pk for f in bus]})
    new = Theme.objects.get(label="Transport")
    assert response.status_code == 302 and set(new.items.all()) == set(bus) and respite.items.count() == 4
    with pytest.raises(ValidationError):  # nothing left behind
        services.split_theme(staff, new, list(new.items.all()), "All of it")


def test_cited_themes_survive_regrouping(themed, personas):
    respite = Feedback.objects.get(text=TEXTS[0]).theme
    services.create_insight(personas["staff"], themed, title="Respite", themes=[respite])
    items = set(respite.items.values_list("pk", flat=True))
    services.store_themes(themed)
    assert Theme.objects.filter(pk=respite.pk).exists()
    assert set(Theme.objects.get(pk=respite.pk).items.values_list("pk", flat=True)) == items


def test_participants_share_their_own_stories(lab, personas, client_as):
    response = client_as(personas["citizen"]).post(f"/labs/{lab.slug}/feedback/give/",
                                                   {"kind": "idea", "text": "A carers' cafe on Saturdays"})
    assert response.status_code == 302
    item = Feedback.objects.get(lab=lab)
    assert item.person == personas["citizen"].person and item.kind == "idea"
