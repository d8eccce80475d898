"""`core.tokens.user_for_token` (behind every API endpoint's bearer authentication) accepts exactly the
live tokens of active users, returns the same user the ORM would load, costs one SELECT, and refreshes
`last_used_at` with one conditional UPDATE only when the last recorded use is over a minute old."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from coproduce.core import services
from coproduce.core.models import ApiToken, User
from coproduce.core.tokens import LAST_USED_PRECISION, user_for_token


def test_a_live_token_gives_the_user_exactly_as_the_orm_loads_it(personas, django_assert_num_queries):
    carla = personas["citizen"]
    token, raw = services.create_api_token(carla, carla, "app")
    with django_assert_num_queries(2):  # never used: the SELECT, then the UPDATE of last_used_at
        user = user_for_token(raw)
    stored = User.objects.get(pk=carla.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored, field.attname), field.name
    assert user.is_authenticated and user._state.adding is False
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(seconds=30)
    with django_assert_num_queries(1):  # used a moment ago: one SELECT, no write
        assert user_for_token(raw).pk == carla.pk


def test_last_used_is_refreshed_only_when_older_than_a_minute(personas):
    carla = personas["citizen"]
    token, raw = services.create_api_token(carla, carla, "app")
    recent = timezone.now() - LAST_USED_PRECISION / 2
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == recent
    stale = timezone.now() - LAST_USED_PRECISION * 3
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_at > recent


def test_revoked_unknown_empty_and_inactive_users_tokens_are_refused(personas):
    carla, sam = personas["citizen"], personas["staff"]
    token, raw = services.create_api_token(carla, carla, "app")
    _other, raw_sam = services.create_api_token(sam, sam, "app")
    assert user_for_token("") is None
    assert user_for_token("cp_not-a-token") is None
    assert user_for_token(ApiToken.hash(raw)) is None, "the stored hash is not itself a token"
    services.revoke_api_token(carla, token)
    assert user_for_token(raw) is None
    User.objects.filter(pk=sam.pk).update(is_active=False)
    assert user_for_token(raw_sam) is None


def test_the_api_authenticates_with_it_and_answers_401_otherwise(personas):
    carla = personas["citizen"]
    _token, raw = services.create_api_token(carla, carla, "app")
    ok = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert ok.status_code == 200, ok.content
    bad = Client(headers={"Authorization": "Bearer cp_wrong"}).get("/api/v1/me")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthenticated"
