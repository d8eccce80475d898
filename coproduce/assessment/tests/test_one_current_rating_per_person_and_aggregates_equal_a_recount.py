"""One current rating per person per service (changeable); the kept summary equals a recount."""

import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from coproduce.assessment import services
from coproduce.assessment.models import Rating, RatingMonth, RatingSummary
from coproduce.conftest import make_user


def assert_summary_matches_recount(service):
    summary = RatingSummary.objects.get(service=service)
    fresh = services.recount_ratings(service)
    assert (summary.count, summary.total) == (fresh["count"], fresh["total"])
    assert [getattr(summary, f"star_{n}") for n in range(1, 6)] == [fresh["stars"][n] for n in range(1, 6)]
    assert {k: v for k, v in summary.dimensions.items() if v[0]} == fresh["dimensions"]
    months = {m.month: (m.count, m.total) for m in RatingMonth.objects.filter(service=service) if m.count}
    assert months == fresh["months"]


def test_changing_a_rating_replaces_it(personas, care):
    carla = personas["citizen"]
    services.rate_service(carla, care, overall=2, dimensions={"Kindness": 3}, comment="Slow")
    services.rate_service(carla, care, overall=5, dimensions={"Kindness": 5, "Waiting time": 4})
    assert Rating.objects.filter(service=care).count() == 1
    summary = RatingSummary.objects.get(service=care)
    assert (summary.count, summary.total, summary.star_2, summary.star_5) == (1, 5, 0, 1)
    assert summary.dimensions == {"Kindness": [1, 5], "Waiting time": [1, 4]}
    assert_summary_matches_recount(care)
    with pytest.raises(IntegrityError):
        Rating.objects.create(service=care, person=carla.person, overall=3)


def test_random_ratings_changes_and_moderation_keep_the_aggregates_exact(personas, care, world):
    rng = random.Random(7)
    people = [make_user(f"rater{i}") for i in range(12)]
    moderator = personas["org_admin"]
    for _ in range(60):
        person = rng.choice(people)
        services.rate_service(person, care, overall=rng.randint(1, 5),
                              dimensions={d: rng.randint(1, 5) for d in care.rating_dimensions if rng.random() < .7})
        if rng.random() < 0.2:
            rating = Rating.objects.filter(service=care).order_by("?").first()
            services.moderate_rating(moderator, rating, hide=rng.random() < 0.6)
    assert_summary_matches_recount(care)
    services.rebuild_rating_summary(None, care)
    assert_summary_matches_recount(care)


@pytest.mark.parametrize("overall,dimensions,field", [
    (0, {}, "overall"), (6, {}, "overall"), ("x", {}, "overall"),
    (3, {"Parking": 4}, "dimension_Parking"), (3, {"Kindness": 9}, "dimension_Kindness"),
])
def test_bad_ratings_are_refused_and_change_nothing(personas, care, overall, dimensions, field):
    with pytest.raises(ValidationError) as exc:
        services.rate_service(personas["citizen"], care, overall=overall, dimensions=dimensions)
    assert field in exc.value.message_dict
    assert not Rating.objects.exists() and RatingSummary.objects.get(service=care).count == 0


def test_anonymous_cannot_rate_and_a_service_has_at_most_four_dimensions(personas, care):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.rate_service(AnonymousUser(), care, overall=4)
    with pytest.raises(ValidationError):
        services.update_service(personas["platform_admin"], care, rating_dimensions=list("abcde"))


def test_rating_through_the_page_without_javascript(personas, care, client_as):
    client = client_as(personas["citizen"])
    assert client.post("/services/home-care/rate/", {"overall": "4", "dimension_0": "5", "dimension_1": "",
                                                     "comment": "Kind people"}).status_code == 302
    rating = Rating.objects.get()
    assert rating.dimensions == {"Kindness": 5} and rating.comment == "Kind people"
    page = client.get("/services/home-care/ratings/")
    assert b"Kind people" in page.content and b"4.0 of 5 from 1 ratings" in page.content
    assert b"<svg" in page.content and b"Average rating by month" in page.content
    form = client.get("/services/home-care/rate/").context["form"]
    assert form.initial["overall"] == 4
