"""Awarding a badge never makes it public. Only the person shows it on their profile; staff may do it
for an assisted member (no login) only with the channel and the person's recorded agreement, and the
audit log names the person. Refusals change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core import services as core
from coproduce.core.models import AuditEntry
from coproduce.outcomes import services
from coproduce.outcomes.models import BadgeAward


@pytest.fixture
def badge(personas, world):
    return services.create_badge_class(personas["staff"], world.service, name="Trained inspector",
                                       description="d", criteria="c")


@pytest.fixture
def nell(personas, world):
    return core.register_person(personas["staff"], world.service, consent=True, name="Nell Offline")


def _shown(award) -> bool:
    return BadgeAward.objects.get(pk=award.pk).show_on_profile


def test_awarding_takes_no_public_flag_and_the_award_starts_private(personas, badge, nell, client_as):
    with pytest.raises(TypeError):
        services.award_badge(personas["staff"], badge, nell, show_on_profile=True)
    # The award form has no such field either: posting it is ignored.
    response = client_as(personas["staff"]).post(f"/outcomes/badges/{badge.slug}/",
                                                 {"person": nell.pk, "show_on_profile": "on", "channel": "paper"})
    assert response.status_code == 302
    award = BadgeAward.objects.get(person=nell)
    assert award.show_on_profile is False
    assert client_as(None).get(f"/outcomes/people/{nell.pk}/badges/").status_code == 404


@pytest.mark.parametrize("persona", ["broker", "org_admin", "platform_admin"])
def test_nobody_shows_the_badge_of_someone_who_has_a_login(personas, world, persona):
    carla = personas["citizen"]
    badge = services.create_badge_class(personas["platform_admin"], world.group, name="100 hours", description="d",
                                        criteria="c")
    award = services.award_badge(personas["platform_admin"], badge, carla.person)
    before = AuditEntry.objects.count()
    with pytest.raises((PermissionDenied, ValidationError)) as excinfo:
        services.set_award_consent(personas[persona], award, True, consent=True, channel="paper")
    if isinstance(excinfo.value, ValidationError):
        assert "show_on_profile" in excinfo.value.message_dict
    assert _shown(award) is False and AuditEntry.objects.count() == before
    services.set_award_consent(carla, award, True)  # her own choice
    assert _shown(award) is True


def test_staff_show_an_assisted_members_badge_only_with_channel_and_consent(personas, badge, nell):
    sam = personas["staff"]
    award = services.award_badge(sam, badge, nell)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.set_award_consent(sam, award, True)  # web, no consent
    assert {"channel", "consent"} <= set(excinfo.value.message_dict)
    with pytest.raises(ValidationError) as excinfo:
        services.set_award_consent(sam, award, True, consent=False, channel="phone")
    assert set(excinfo.value.message_dict) == {"consent"}
    assert _shown(award) is False and AuditEntry.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.set_award_consent(personas["other_org"], award, True, consent=True, channel="paper")
    services.set_award_consent(sam, award, True, consent=True, channel="paper")
    assert _shown(award) is True
    entry = AuditEntry.objects.filter(action="outcomes.badge.consent").latest("id")
    assert entry.on_behalf_of == nell and entry.channel == "paper"
    # Hiding it again needs no proof: it only protects her.
    services.set_award_consent(sam, award, False)
    assert _shown(award) is False


def test_the_award_page_asks_staff_how_they_heard_and_shows_errors_next_to_the_fields(personas, badge, nell,
                                                                                       client_as):
    award = services.award_badge(personas["staff"], badge, nell)
    staff = client_as(personas["staff"])
    page = staff.get(f"/outcomes/awards/{award.uuid}/").content.decode()
    assert 'name="channel"' in page and 'name="consent"' in page
    response = staff.post(f"/outcomes/awards/{award.uuid}/", {"show_on_profile": "on", "channel": "phone"})
    assert response.status_code == 200 and "consent" in response.context["form"].errors
    assert _shown(award) is False
    response = staff.post(f"/outcomes/awards/{award.uuid}/",
                          {"show_on_profile": "on", "channel": "phone", "consent": "on"})
    assert response.status_code == 302 and _shown(award) is True
    # Refused personas cannot post the choice at all.
    for persona in ("anonymous", "citizen", "other_org", "broker"):
        response = client_as(personas[persona]).post(f"/outcomes/awards/{award.uuid}/", {"show_on_profile": ""})
        assert response.status_code in (302, 403, 404), persona
        assert _shown(award) is True, persona


def test_the_holder_sees_no_channel_questions_on_their_own_award(personas, world, client_as):
    carla = personas["citizen"]
    badge = services.create_badge_class(personas["broker"], world.group, name="Host", description="d", criteria="c")
    award = services.award_badge(personas["broker"], badge, carla.person)
    page = client_as(carla).get(f"/outcomes/awards/{award.uuid}/").content.decode()
    assert 'name="show_on_profile"' in page and 'name="channel"' not in page
