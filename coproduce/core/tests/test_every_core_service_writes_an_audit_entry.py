"""Each state change made through a core service leaves one audit entry: who, for whom, what, when."""

import pytest

from coproduce.core import services
from coproduce.core.models import AuditEntry


@pytest.fixture
def admin(personas):
    return personas["platform_admin"]


def only_entry(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [e.action for e in AuditEntry.objects.all()]
    return entries[0]


def test_area_topic_and_organisation_services_are_audited(admin, world):
    area = services.create_area(admin, name="Quayside", kind="neighbourhood", parent=world.district)
    assert area.path == f"{world.district.path}{area.pk}/"
    assert only_entry("area.create").object_id == str(area.pk)
    services.set_adjacent_areas(admin, area, [world.hood])
    assert only_entry("area.set_adjacent").details == {"adjacent": [world.hood.pk]}
    topic = services.create_topic(admin, name="Play streets")
    assert only_entry("topic.create").object_label == "Play streets" and topic.slug == "play-streets"
    org = services.create_organisation(admin, name="Quay Club", kind="community_group", area=area)
    entry = only_entry("organisation.create")
    assert entry.organisation == org and entry.actor == admin and entry.actor_label.startswith("Pat Platform")
    services.update_organisation(admin, org, description="Meets on Tuesdays")
    assert only_entry("organisation.update").details == {"before": {"description": ""}}


def test_people_membership_and_token_services_are_audited(personas, admin, world):
    staff = personas["staff"]
    nell = services.register_person(staff, world.service, consent=True, name="Nell")
    assert only_entry("person.register").on_behalf_of == nell
    services.update_person(staff, nell, phone="01632 960999")
    assert only_entry("person.update").details["fields"] == ["phone"]
    membership = services.add_membership(admin, nell, world.group, "member")
    assert only_entry("membership.add").details == {"role": "member"}
    services.remove_membership(admin, membership)
    assert only_entry("membership.remove").details["person"] == nell.pk
    token, _raw = services.create_api_token(staff, staff)
    assert only_entry("apitoken.create").details == {"user": "sam"}
    services.revoke_api_token(staff, token)
    assert only_entry("apitoken.revoke").actor == staff
    services.export_person_data(staff.is_superuser and staff or admin, nell)
    assert only_entry("person.export").on_behalf_of == nell
    services.erase_person(admin, nell)
    assert only_entry("person.erase").object_id == str(nell.pk)


def test_a_refused_service_call_writes_no_audit_entry(personas, world):
    from django.core.exceptions import PermissionDenied

    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_organisation(personas["citizen"], name="Sneaky", kind="business")
    with pytest.raises(PermissionDenied):
        services.add_membership(personas["staff"], personas["citizen"].person, world.council, "admin")
    assert AuditEntry.objects.count() == before
