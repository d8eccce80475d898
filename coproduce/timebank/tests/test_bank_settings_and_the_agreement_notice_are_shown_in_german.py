"""The settings, categories and agreement pages, and a member's notice of a new agreement version, are
shown in German to a German reader (labels, help and the notice), with the shared categories translated."""

from coproduce.timebank import services


def german(client):
    client.cookies["django_language"] = "de"
    return client


def test_settings_and_categories_pages_in_german(personas, client_as, ledger):
    client = german(client_as(personas["platform_admin"]))
    page = client.get("/timebanks/millbrook/settings/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Einstellungen von Millbrook Timebank" in page and "Überziehungsgrenze (Minuten)" in page
    assert "Wert einer geschenkten Stunde, niedrige Schätzung (GBP)" in page and "Kein Netzwerk" in page
    page = client.get("/timebanks/millbrook/categories/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Fähigkeiten und Kategorien" in page and "Eine Kategorie hinzufügen" in page
    assert "Overdraft" not in page and "Add a category" not in page


def test_a_member_reads_the_new_agreement_notice_in_german(personas, client_as, ledger):
    services.publish_agreement(personas["platform_admin"], ledger.bank, version="2", text="Keine Geschenke.")
    page = german(client_as(personas["citizen"])).get("/timebanks/millbrook/", HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Eine neue Mitgliedervereinbarung" in html and "Version 2" in html
    assert "Die Vereinbarung lesen und annehmen" in html
