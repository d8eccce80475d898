"""Shared test fixtures: a small world and named personas.

Personas (each asserts refusals as well as grants in the permission tests):
  anonymous        – not logged in
  citizen          – Carla, a member of the community group
  other_org        – Otto, administrator of an unrelated residents' association
  staff            – Sam, staff at the council's social care service
  broker           – Bea, time broker at the community group
  org_admin        – Ada, administrator of the council (has two-factor set up)
  platform_admin   – Pat, superuser (has two-factor set up)
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

# The matrix tests' shared checks report the values they compared, like a test's own asserts.
pytest.register_assert_rewrite("coproduce.testing")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("COPRODUCE_SHARED_DATA", REPO.parent / "shared" / "data"))


def _is_postgres() -> bool:
    url = os.environ.get("DATABASE_URL", "")
    return url.startswith(("postgres://", "postgresql://", "pgsql://"))


def pytest_collection_modifyitems(config, items):
    """Pure-engine tests run once (in the SQLite pass); PostgreSQL-only tests skip on SQLite."""
    if _is_postgres():
        kept = [item for item in items if "pure" not in item.keywords]
        deselected = [item for item in items if "pure" in item.keywords]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept
    else:
        skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def shared_data(*parts) -> Path:
    """A path in ../shared/data; skip when absent, except in CI where absence is a failure."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"shared data missing in CI: {path}")
        pytest.skip(f"shared data not available: {path}")
    return path


@dataclass
class World:
    council: object
    service: object
    group: object
    other_group: object
    city: object
    district: object
    hood: object
    other_hood: object
    topic: object


@pytest.fixture
def world(db):
    from coproduce.core.models import Area, Organisation, Topic

    city = Area.objects.create(name="Testville", slug="testville", kind=Area.Kind.CITY)
    city.path = f"/{city.pk}/"
    city.save()

    def child(name, kind, parent):
        area = Area.objects.create(name=name, slug=name.lower().replace(" ", "-"), kind=kind, parent=parent)
        area.path = f"{parent.path}{area.pk}/"
        area.save()
        return area

    district = child("North", Area.Kind.DISTRICT, city)
    hood = child("Millbrook", Area.Kind.NEIGHBOURHOOD, district)
    other_hood = child("Fernside", Area.Kind.NEIGHBOURHOOD, child("South", Area.Kind.DISTRICT, city))
    topic = Topic.objects.create(name="Housing", slug="housing")
    council = Organisation.objects.create(name="Testville Council", slug="council", kind="council", area=city)
    service = Organisation.objects.create(name="Social Care", slug="social-care", kind="service", parent=council)
    group = Organisation.objects.create(name="Millbrook Timebank", slug="timebank", kind="voluntary", area=hood)
    other_group = Organisation.objects.create(name="Fernside Residents", slug="fernside", kind="community_group")
    council.topics.add(topic)
    return World(council, service, group, other_group, city, district, hood, other_hood, topic)


def make_user(username, *, name=None, superuser=False, two_factor=False):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from coproduce.core.models import Person, User

    email = f"{username}@example.org"
    if superuser:
        user = User.objects.create_superuser(username=username, email=email, password="correct horse battery")
    else:
        user = User.objects.create_user(username=username, email=email, password="correct horse battery")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Person.objects.create(user=user, name=name or username.title(), email=email)
    if two_factor:
        TOTP.activate(user, generate_totp_secret())
    return user


def member(user, organisation, role):
    from coproduce.core.models import Membership

    Membership.objects.create(person=user.person, organisation=organisation, role=role)
    for attr in ("_coproduce_roles", "_coproduce_person"):
        user.__dict__.pop(attr, None)
    return user


@pytest.fixture
def personas(world):
    people = {
        "anonymous": None,
        "citizen": member(make_user("carla", name="Carla Citizen"), world.group, "member"),
        "other_org": member(make_user("otto", name="Otto Other", two_factor=True), world.other_group, "admin"),
        "staff": member(make_user("sam", name="Sam Staff"), world.service, "staff"),
        "broker": member(make_user("bea", name="Bea Broker"), world.group, "broker"),
        "org_admin": member(make_user("ada", name="Ada Admin", two_factor=True), world.council, "admin"),
        "platform_admin": make_user("pat", name="Pat Platform", superuser=True, two_factor=True),
    }
    return people


@pytest.fixture
def client_as():
    from django.test import Client

    def build(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return build


@pytest.fixture
def api_as(db):
    """A client whose requests carry a bearer token for `user` (or none for anonymous)."""
    from django.test import Client

    from coproduce.core import services

    def build(user):
        if user is None:
            return Client()
        _token, raw = services.create_api_token(user, user, "test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return build


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required for browser tests in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def axe_source():
    path = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is required in CI (npm ci)")
        pytest.skip("axe-core is not installed (npm ci)")
    return path.read_text()


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Debian chromium for the whole run (never a downloaded browser)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_check(axe_source):
    """Run axe-core on the current page; fail on any serious or critical violation."""

    def check(page):
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
        ]
        assert not bad, f"{page.url}: " + "; ".join(details)
        return result

    return check


def browser_login(page, email, password="correct horse battery", *, totp_secret=None):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret is not None:
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        counter = next(iter(yield_hotp_counters_from_time()))
        page.get_by_label("Code").fill(format_hotp_value(hotp_value(totp_secret, counter)))
        page.get_by_role("button", name="Sign In").click()
    # Wait until the sign-in POST has answered and its redirect has left the login pages: a test that goes
    # elsewhere sooner would cancel that navigation, and with it the session cookie.
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/accounts/2fa/" not in url)
    page.wait_for_load_state()
