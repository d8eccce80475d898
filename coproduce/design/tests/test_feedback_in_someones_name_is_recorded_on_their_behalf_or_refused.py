"""Feedback in another person's name is recorded only on their behalf, by the act-for rule every app
uses (`core.on_behalf`): lab staff who may act for that person, saying how it reached them and that
the person agreed. It is stored (on_behalf, channel, who recorded it), audited as on behalf of them,
and shown as "recorded by staff on behalf of …". Everyone else naming another person is refused and
nothing is written; people giving their own feedback, and staff's unnamed workshop notes, are unchanged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Feedback


@pytest.fixture
def nell(personas, world):
    return core_services.register_person(personas["staff"], world.service, consent=True, name="Nell Offline")


def test_staff_record_feedback_for_someone_they_support_on_their_behalf(lab, personas, nell, client_as):
    staff = personas["staff"]
    item = services.add_feedback(staff, lab, text="Respite took weeks.", person=nell, consent=True, channel="phone")
    assert (item.person, item.on_behalf, item.channel, item.recorded_by) == (nell, True, "phone", staff)
    entry = AuditEntry.objects.get(action="feedback.add")
    assert entry.on_behalf_of == nell and entry.channel == "phone" and entry.details == {"consent": True}
    page = client_as(staff).get(f"/labs/{lab.slug}/feedback/").content.decode()
    assert "recorded by staff on behalf of Nell Offline" in page


def test_a_record_in_someones_name_needs_a_channel_and_their_consent(lab, personas, nell, client_as):
    staff = personas["staff"]
    with pytest.raises(ValidationError) as exc:
        services.add_feedback(staff, lab, text="Said online?", person=nell, channel="web")
    assert set(exc.value.message_dict) == {"channel", "consent"}
    response = client_as(staff).post(f"/labs/{lab.slug}/feedback/", {
        "kind": "story", "text": "Respite took weeks.", "person": nell.pk, "channel": "paper"})
    assert response.status_code == 200 and "record that they agreed" in response.content.decode()
    assert not Feedback.objects.exists()
    response = client_as(staff).post(f"/labs/{lab.slug}/feedback/", {
        "kind": "story", "text": "Respite took weeks.", "person": nell.pk, "channel": "paper", "consent": "on"})
    assert response.status_code == 302 and Feedback.objects.get().on_behalf


@pytest.mark.parametrize("name", ["citizen", "other_org", "broker"])
def test_others_naming_someone_are_refused(name, lab, personas, nell):
    with pytest.raises(PermissionDenied):
        services.add_feedback(personas[name], lab, text="In Nell's name", person=nell, consent=True, channel="paper")
    assert not Feedback.objects.exists() and not AuditEntry.objects.filter(action="feedback.add").exists()


def test_lab_staff_cannot_record_in_the_name_of_someone_they_do_not_support(lab, personas, world):
    stranger = core_services.register_person(personas["other_org"], world.other_group, consent=True, name="Someone")
    with pytest.raises(PermissionDenied):
        services.add_feedback(personas["staff"], lab, text="Theirs", person=stranger, consent=True, channel="paper")
    assert not Feedback.objects.exists()


def test_own_feedback_and_unnamed_workshop_notes_are_not_on_behalf(lab, personas):
    carla, staff = personas["citizen"], personas["staff"]
    own = services.add_feedback(carla, lab, text="My story")
    note = services.add_feedback(staff, lab, text="Table 3 talked about buses.", kind="workshop", channel="in_person")
    assert (own.person, own.on_behalf) == (carla.person, False)
    assert (note.person, note.on_behalf) == (None, False)
    assert not AuditEntry.objects.filter(action="feedback.add", on_behalf_of__isnull=False).exists()
