"""Staff register someone without internet; the record says it was done on their behalf."""

from coproduce.core.models import AuditEntry, Membership, Person


def test_staff_registers_an_offline_person_through_the_web_form(personas, client_as, world):
    client = client_as(personas["staff"])
    response = client.post(
        "/organisations/social-care/register/",
        {"name": "Nell Offline", "phone": "01632 960123", "preferred_language": "de", "channel": "phone",
         "consent": "on", "home_area": world.hood.pk, "interests": [world.topic.pk]},
    )
    person = Person.objects.get(name="Nell Offline")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.is_assisted and person.user is None and person.consent_recorded_at is not None
    assert person.registered_by == personas["staff"].person
    assert list(person.interests.all()) == [world.topic]
    assert Membership.objects.filter(person=person, organisation=world.service, role="member").exists()
    entry = AuditEntry.objects.get(action="person.register")
    assert entry.actor == personas["staff"] and entry.on_behalf_of == person
    assert entry.channel == "phone" and entry.organisation == world.service
    # the staff member can now act for them, and see them in the directory
    assert personas["staff"].has_perm("core.act_for_person", person)
    assert client.get(f"/people/{person.pk}/edit/").status_code == 200


def test_registration_without_consent_is_refused_and_writes_nothing(personas, client_as):
    response = client_as(personas["staff"]).post(
        "/organisations/social-care/register/", {"name": "No Consent", "channel": "paper", "preferred_language": "en"}
    )
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert b"Record the person" in response.content
    assert not Person.objects.filter(name="No Consent").exists()
    assert not AuditEntry.objects.filter(action="person.register").exists()


def test_registration_with_a_duplicate_email_shows_the_error_next_to_the_field(personas, client_as):
    response = client_as(personas["staff"]).post(
        "/organisations/social-care/register/",
        {"name": "Twin", "email": "carla@example.org", "channel": "in_person", "consent": "on",
         "preferred_language": "en"},
    )
    assert response.context["form"].errors["email"]
    assert not Person.objects.filter(name="Twin").exists()


def test_staff_of_another_organisation_cannot_edit_an_assisted_member(personas, client_as):
    from coproduce.core import services

    nell = services.register_person(personas["staff"], personas["staff"].person.memberships.get().organisation,
                                    consent=True, name="Nell")
    assert client_as(personas["broker"]).get(f"/people/{nell.pk}/edit/").status_code == 403
    assert client_as(personas["staff"]).post(f"/people/{nell.pk}/edit/", {"name": "Nell B", "preferred_language": "en"}
                                             ).status_code == 302
    nell.refresh_from_db()
    assert nell.name == "Nell B"
    assert AuditEntry.objects.get(action="person.update").on_behalf_of == nell


def test_a_registered_person_with_an_email_is_told_in_their_language(personas, world):
    from django.core import mail

    from coproduce.core import services

    services.register_person(personas["staff"], world.service, consent=True, name="Greta", email="greta@example.org",
                             preferred_language="de")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["greta@example.org"]
    assert "Social Care" in mail.outbox[0].subject and "registriert" in mail.outbox[0].subject.lower() + \
        mail.outbox[0].body.lower()
