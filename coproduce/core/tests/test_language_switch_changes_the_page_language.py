"""The language switcher is a plain form: it works without JavaScript and the choice sticks."""

from django.test import Client


def test_switching_to_german_translates_the_interface_and_marks_the_page(db):
    client = Client()
    english = client.get("/organisations/")
    assert b'<html lang="en">' in english.content and b"Organisations" in english.content
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/organisations/"})
    assert response.status_code == 302 and response["Location"] == "/organisations/"
    german = client.get("/organisations/")
    assert b'<html lang="de">' in german.content
    assert b"Organisationen" in german.content
    assert b"Zum Hauptinhalt springen" in german.content  # the skip link
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert back.status_code == 302
    assert b'<html lang="en">' in client.get("/").content


def test_dates_and_numbers_are_localised(db, personas, client_as):
    from datetime import date

    carla = personas["citizen"].person
    carla.birth_date = date(1961, 3, 7)
    carla.save()
    client = client_as(personas["citizen"])
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "7. März 1961".encode() in client.get(f"/people/{carla.pk}/").content
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert b"March 7, 1961" in client.get(f"/people/{carla.pk}/").content
