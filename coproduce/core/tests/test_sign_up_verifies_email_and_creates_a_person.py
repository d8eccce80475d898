from django.core import mail
from django.test import Client

from coproduce.core.models import AuditEntry, Person, User


def test_sign_up_creates_a_person_and_asks_to_verify_the_email(db):
    client = Client()
    response = client.post("/accounts/signup/", {"email": "new@example.org", "password1": "a fine long passphrase",
                                                 "password2": "a fine long passphrase"})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    person = Person.objects.get(user=user)
    assert person.name == "new" and person.email == "new@example.org" and not person.is_assisted
    assert AuditEntry.objects.filter(action="person.signup", object_id=str(person.pk)).exists()
    assert len(mail.outbox) == 1 and "new@example.org" in mail.outbox[0].to
    # unverified: cannot reach logged-in pages yet
    assert client.get("/me/tokens/").status_code == 302


def test_a_weak_password_is_refused_and_nothing_is_created(db):
    response = Client().post("/accounts/signup/", {"email": "weak@example.org", "password1": "123",
                                                   "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="weak@example.org").exists()
    assert not Person.objects.exists()


def test_password_reset_sends_an_email(personas):
    response = Client().post("/accounts/password/reset/", {"email": "carla@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["carla@example.org"]
