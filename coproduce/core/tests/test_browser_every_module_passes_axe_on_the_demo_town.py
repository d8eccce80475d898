"""Accessibility across the whole platform: on the demo town, axe-core (WCAG 2.2 AA tags) finds no
serious or critical violation on each module's index page and the pages it links to, for the public and
for a member of staff. Pages are found by following links, so new pages are covered as they appear."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODULES = ["/budgeting/", "/labs/", "/services/", "/outcomes/", "/timebanks/", "/organisations/", "/topics/"]
SKIP_SUFFIXES = (".zip", ".json", ".pb", ".csv", ".xml", ".svg", "/logout/")
LINKS_PER_MODULE = 4


def crawl(page, axe_check, start):
    page.goto(start)
    axe_check(page)
    seen, links = {start}, []
    for href in page.locator("main a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        path = urlparse(href).path
        if (href.startswith("/") and path.startswith(start) and path not in seen
                and not path.endswith(SKIP_SUFFIXES) and "#" not in href):
            seen.add(path)
            links.append(path)
    for path in links[:LINKS_PER_MODULE]:
        page.goto(path)
        axe_check(page)
    return len(links[:LINKS_PER_MODULE]) + 1


def test_public_and_staff_pages_of_every_module_pass_axe(page, transactional_db, axe_check):
    from coproduce.core.demo import DEMO_PASSWORD

    call_command("demo", stdout=open("/dev/null", "w"))  # loaded once: it takes a while
    public = sum(crawl(page, axe_check, start) for start in MODULES)
    assert public >= len(MODULES) * 2, public
    browser_login(page, "s.patel@riverton.example", DEMO_PASSWORD)
    staff = sum(crawl(page, axe_check, start) for start in MODULES + ["/people/"])
    assert staff >= len(MODULES) * 2, staff
