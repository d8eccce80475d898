"""Administrators (platform and organisation) cannot use the site until TOTP is set up."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from coproduce.conftest import make_user, member


def test_an_administrator_without_two_factor_is_sent_to_set_it_up(world, client_as):
    admin = member(make_user("newadmin"), world.council, "admin")
    client = client_as(admin)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # the set-up pages stay reachable (allauth may first ask to confirm the password): no loop
    setup = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200 and setup.redirect_chain[-1:] in ([], [(setup.redirect_chain[-1][0], 302)])
    assert all(url.startswith("/accounts/") for url, _ in setup.redirect_chain)
    TOTP.activate(admin, generate_totp_secret())
    assert client.get("/people/").status_code == 200


def test_a_superuser_without_two_factor_is_sent_to_set_it_up(db, client_as):
    root = make_user("root", superuser=True)
    assert client_as(root).get("/audit/")["Location"] == "/accounts/2fa/totp/activate/"


def test_other_people_are_not_asked_for_two_factor(personas, client_as):
    for key in ("citizen", "staff", "broker"):
        assert client_as(personas[key]).get("/people/" if key != "citizen" else "/").status_code == 200
