import json

from coproduce.core.models import AuditEntry, Person, User


def test_a_person_downloads_all_their_data_as_json(personas, client_as, world):
    carla = personas["citizen"].person
    carla.interests.add(world.topic)
    response = client_as(personas["citizen"]).get(f"/people/{carla.pk}/export.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "coproduce-personal-data/1" and data["person_id"] == carla.pk
    assert data["core"]["profile"]["name"] == "Carla Citizen"
    assert data["core"]["profile"]["interests"] == ["Housing"]
    assert data["core"]["memberships"] == [
        {"organisation": "Millbrook Timebank", "role": "member", "since": carla.memberships.get().created_at.isoformat()}
    ]


def test_a_person_erases_their_data_and_their_login_goes(personas, client_as):
    user = personas["citizen"]
    carla = user.person
    client = client_as(user)
    client.post(f"/people/{carla.pk}/edit/", {"name": "Carla Citizen", "preferred_language": "en", "phone": "0161"})
    response = client.post(f"/people/{carla.pk}/erase/")
    assert response.status_code == 302
    carla.refresh_from_db()
    assert carla.erased_at is not None and carla.user is None
    assert carla.name == f"Erased person {carla.pk}" and carla.email == "" and carla.phone == ""
    assert not User.objects.filter(username="carla").exists()
    # the audit log keeps what happened but no longer names her
    assert not AuditEntry.objects.filter(actor_label__contains="Carla").exists()
    assert not AuditEntry.objects.filter(object_label__contains="Carla").exists()
    assert AuditEntry.objects.filter(action="person.erase", object_id=str(carla.pk)).exists()
    # erased people drop out of directories
    assert carla not in Person.objects.filter(erased_at__isnull=True)


def test_erasing_twice_is_refused(personas):
    import pytest
    from django.core.exceptions import ValidationError

    from coproduce.core import services

    carla = personas["citizen"].person
    services.erase_person(personas["platform_admin"], carla)
    with pytest.raises(ValidationError):
        services.erase_person(personas["platform_admin"], carla)
