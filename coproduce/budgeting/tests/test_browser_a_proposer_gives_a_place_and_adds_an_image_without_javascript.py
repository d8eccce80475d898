"""In a real browser with JavaScript turned off, Carla proposes a project with an address and a point,
then adds an image with its alt text (a missing description is refused next to its field); the
proposal's page shows the address, the OpenStreetMap link and the image with its alt text. With
JavaScript on, every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from coproduce.conftest import browser_login
from coproduce.testing import tiny_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = tiny_png()


def propose_and_add_an_image(page, pb, tmp_path):
    from coproduce.budgeting.models import Proposal

    page.goto(f"/budgeting/{pb.process.slug}/propose/")
    page.get_by_label("Title").fill("Drinking fountain")
    page.get_by_label("Address or place").fill("Market Square, by the clock")
    page.get_by_label("Latitude").fill("52.2305")
    page.get_by_label("Longitude").fill("21.0095")
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_role("heading", name="Drinking fountain").is_visible()
    proposal = Proposal.objects.get(title="Drinking fountain")
    page.get_by_role("link", name="Add an image").click()
    path = tmp_path / "square.png"
    path.write_bytes(PNG)
    page.get_by_label("Image (JPEG, PNG or WebP)").set_input_files(str(path))
    page.get_by_role("button", name="Upload the image").click()
    assert page.get_by_text("This field is required.").is_visible()  # the description is missing
    page.get_by_label("Image (JPEG, PNG or WebP)").set_input_files(str(path))
    page.get_by_label("Describe the image for people who cannot see it").fill("The square with the old clock")
    page.get_by_label("Caption (optional)").fill("Where the fountain would go")
    page.get_by_role("button", name="Upload the image").click()
    assert page.get_by_text("Image added.").is_visible()
    return proposal


def test_a_proposer_without_javascript(browser, live_server, personas, pb, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        proposal = propose_and_add_an_image(page, pb, tmp_path)
        assert page.get_by_text("Market Square, by the clock").is_visible()
        link = page.get_by_role("link", name="View 52.2305, 21.0095 on OpenStreetMap")
        assert link.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=52.230500&mlon=21.009500")
        image = page.get_by_role("img", name="The square with the old clock")
        expect(image).to_be_visible()  # waits for the image to load (it is fetched after the page)
        served = context.request.get(image.get_attribute("src"))
        assert served.status == 200 and served.headers["content-type"] == "image/png"
        assert page.get_by_text("Where the fountain would go").is_visible()
    finally:
        context.close()
    assert proposal.images.get().alt_text == "The square with the old clock"


def test_the_pages_pass_axe(page, personas, pb, tmp_path, settings, axe_check):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser_login(page, "carla@example.org")
    page.goto(f"/budgeting/{pb.process.slug}/propose/")
    axe_check(page)
    proposal = propose_and_add_an_image(page, pb, tmp_path)
    axe_check(page)
    page.goto(f"/budgeting/{pb.process.slug}/proposals/{proposal.pk}/images/new/")
    axe_check(page)
    page.get_by_role("button", name="Upload the image").click()
    axe_check(page)  # the page with its errors
