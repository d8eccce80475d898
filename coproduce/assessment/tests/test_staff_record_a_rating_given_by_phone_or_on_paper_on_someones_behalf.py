"""Staff of a service record the rating someone gave by phone, in person or on paper, in that person's
name, under the shared act-for rule (`core.on_behalf`): a channel other than the web and the person's
consent. The rating is theirs (one current rating per person), and the audit log keeps who recorded it,
for whom and how. Bad input is shown next to the field and records nothing; others are refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import Rating, RatingSummary
from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry

URL = "/services/home-care/rate/on-behalf/"


@pytest.fixture
def nell(world, staff):
    return core_services.register_person(staff, world.service, consent=True, name="Nell Offline",
                                         phone="01632 960123")


def test_a_phoned_in_rating_is_recorded_in_their_name(client_as, care, staff, nell):
    client = client_as(staff)
    page = client.get(URL).content.decode()
    assert "Nell Offline" in page and 'name="consent"' in page
    response = client.post(URL, {"person": nell.pk, "channel": "paper", "overall": "4", "dimension_0": "5",
                                 "comment": "Lovely carers.", "consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/services/home-care/ratings/"
    rating = Rating.objects.get()
    assert (rating.person, rating.channel, rating.overall, rating.dimensions) == (nell, "paper", 4, {"Kindness": 5})
    entry = AuditEntry.objects.get(action="rating.create")
    assert (entry.actor, entry.on_behalf_of, entry.channel) == (staff, nell, "paper")
    assert "Lovely carers." in client.get("/services/home-care/ratings/").content.decode()
    # A second call replaces their one rating.
    client.post(URL, {"person": nell.pk, "channel": "phone", "overall": "2", "consent": "on"})
    assert Rating.objects.get().overall == 2 and RatingSummary.objects.get(service=care).count == 1


@pytest.mark.parametrize("change,field", [
    ({"consent": ""}, "consent"),
    ({"overall": ""}, "overall"),
    ({"channel": "web"}, "channel"),
    ({"person": ""}, "person"),
])
def test_bad_input_is_shown_next_to_the_field_and_records_nothing(client_as, care, staff, nell, change, field):
    data = {"person": nell.pk, "channel": "phone", "overall": "4", "consent": "on"} | change
    response = client_as(staff).post(URL, {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Rating.objects.exists() and not AuditEntry.objects.filter(action__startswith="rating.").exists()


def test_the_service_applies_the_shared_act_for_rule(personas, care, staff, nell):
    with pytest.raises(ValidationError) as caught:
        services.rate_service(staff, care, overall=9, on_behalf_of=nell, channel="web", consent=False)
    assert set(caught.value.message_dict) == {"channel", "consent", "overall"}
    with pytest.raises(PermissionDenied):  # Sam does not work for Carla's organisation
        services.rate_service(staff, care, overall=4, on_behalf_of=personas["citizen"].person, channel="phone",
                              consent=True)
    with pytest.raises(PermissionDenied):  # a broker elsewhere may not record ratings of this service
        services.rate_service(personas["broker"], care, overall=4, on_behalf_of=nell, channel="phone", consent=True)
    assert not Rating.objects.exists()
    # Rating for oneself needs neither.
    services.rate_service(personas["citizen"], care, overall=5)
    assert Rating.objects.get().channel == "web"


@pytest.mark.parametrize("persona,status", [
    ("anonymous", 302), ("citizen", 403), ("other_org", 403), ("broker", 403)])
def test_people_who_do_not_work_for_the_service_are_refused(personas, client_as, care, nell, persona, status):
    client = client_as(personas[persona])
    assert client.get(URL).status_code == status
    response = client.post(URL, {"person": nell.pk, "channel": "phone", "overall": "4", "consent": "on"})
    assert response.status_code == status
    assert not Rating.objects.exists()
