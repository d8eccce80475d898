"""Badge awards: Open Badges 3.0 credentials that validate against the OB 3.0 JSON Schema, shown on a
person's public profile only with their consent."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.outcomes import badges, services

VALID_EXAMPLE = {
    "@context": [badges.VC_CONTEXT, badges.OB_CONTEXT],
    "id": "http://example.edu/credentials/3732",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"], "name": "Example University"},
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Example University Degree",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {"id": "https://example.com/achievements/21st-century-skills/teamwork",
                        "type": ["Achievement"], "name": "Teamwork", "description": "Works well in a team.",
                        "criteria": {"narrative": "Team members are nominated for this badge by their peers."}},
    },
}


@pytest.fixture
def award(personas, world):
    sam = personas["staff"]
    badge = services.create_badge_class(
        sam, world.service, name="Co-designer of a service",
        description="Helped design a council service with the people who use it.",
        criteria="Took part in at least three sessions of a design lab and its decision.")
    nell = services_register(personas, world)
    return services.award_badge(sam, badge, nell, evidence="Home care lab, 2025")


def services_register(personas, world):
    from coproduce.core import services as core

    return core.register_person(personas["staff"], world.service, consent=True, name="Nell Offline",
                                email="nell@example.org")


@pytest.mark.pure
def test_the_schema_accepts_the_specifications_example_and_refuses_broken_ones():
    assert badges.validate(VALID_EXAMPLE) == []
    broken = json.loads(json.dumps(VALID_EXAMPLE))
    del broken["credentialSubject"]["achievement"]["criteria"]
    broken["type"] = ["VerifiableCredential"]
    broken["@context"] = ["https://www.w3.org/2018/credentials/v1"]
    broken["validFrom"] = "yesterday"
    errors = " | ".join(badges.validate(broken))
    for fragment in ("criteria", "type", "@context", "validFrom"):
        assert fragment in errors, (fragment, errors)
    no_subject_id = json.loads(json.dumps(VALID_EXAMPLE))
    del no_subject_id["credentialSubject"]["id"]
    assert badges.validate(no_subject_id)  # needs an id or an identifier


@pytest.mark.pure
def test_the_schema_itself_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft201909Validator.check_schema(badges.schema())


def test_an_award_exports_as_a_valid_open_badges_3_credential(award, personas, client_as):
    response = client_as(personas["staff"]).get(f"/outcomes/awards/{award.uuid}/credential.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert badges.validate(document) == []
    assert document["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["type"] == ["Profile"] and document["issuer"]["name"] == "Social Care"
    assert document["issuer"]["id"] == "http://testserver/organisations/social-care/"
    assert document["validFrom"].endswith("Z")
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Co-designer of a service"
    assert achievement["criteria"]["narrative"].startswith("Took part")
    assert achievement["id"] == f"http://testserver/outcomes/badges/{award.badge.slug}/"
    # The email address is only there hashed and salted, and the name not at all.
    text = json.dumps(document)
    assert "nell@example.org" not in text and "Nell" not in text
    identity = subject["identifier"][0]
    assert identity["identityHash"] == badges.hashed_email("nell@example.org", identity["salt"])


def test_a_badge_shows_on_the_public_profile_only_with_consent(award, personas, client_as, world):
    from coproduce.core.models import Person

    nell = award.person
    profile = f"/outcomes/people/{nell.pk}/badges/"
    assert client_as(None).get(profile).status_code == 404
    assert client_as(None).get(f"/outcomes/badges/{award.badge.slug}/").content.count(b"Nell Offline") == 0
    # Nell has no login: staff record her consent on her behalf (she agreed on paper).
    with pytest.raises(PermissionDenied):
        services.set_award_consent(personas["other_org"], award, True)
    services.set_award_consent(personas["staff"], award, True, consent=True, channel="paper")
    public = client_as(None).get(profile)
    assert public.status_code == 200 and b"Co-designer of a service" in public.content
    assert b"Nell Offline" in client_as(None).get(f"/outcomes/badges/{award.badge.slug}/").content
    services.set_award_consent(personas["staff"], award, False)
    assert client_as(None).get(profile).status_code == 404
    assert Person.objects.get(pk=nell.pk).badge_awards.get().show_on_profile is False


def test_a_person_with_a_login_decides_for_themselves(personas, world, client_as):
    carla = personas["citizen"]
    badge = services.create_badge_class(personas["broker"], world.group, name="100 hours given",
                                        description="Gave 100 hours.", criteria="100 hours in the timebank.")
    award = services.award_badge(personas["broker"], badge, carla.person)
    # Bea (broker) may not decide for Carla, who has her own login.
    with pytest.raises(PermissionDenied):
        services.set_award_consent(personas["broker"], award, True)
    response = client_as(carla).post(f"/outcomes/awards/{award.uuid}/", {"show_on_profile": "on"})
    assert response.status_code == 302
    assert client_as(None).get(f"/outcomes/people/{carla.person.pk}/badges/").status_code == 200
    with pytest.raises(ValidationError):
        services.award_badge(personas["broker"], badge, carla.person)  # already holds it
    services.revoke_award(personas["broker"], award)
    assert client_as(None).get(f"/outcomes/people/{carla.person.pk}/badges/").status_code == 404


def test_staff_award_only_people_of_their_organisations(personas, world):
    badge = services.create_badge_class(personas["broker"], world.group, name="Trained inspector",
                                        description="d", criteria="c")
    with pytest.raises(ValidationError) as excinfo:
        services.award_badge(personas["broker"], badge, personas["other_org"].person)
    assert "person" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        services.award_badge(personas["staff"], badge, personas["citizen"].person)  # Sam is not timebank staff
