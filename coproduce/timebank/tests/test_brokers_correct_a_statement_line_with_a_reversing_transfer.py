"""A broker corrects a mistaken statement line: "Correct" on the line leads to a confirmation page,
and its POST writes a reversing transfer with the reason (the original stays). A line already
corrected, or a correction itself, offers no "Correct"; members never see it."""

import pytest

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Transfer
from coproduce.timebank.tests.conftest import balance


def test_a_broker_corrects_a_line_from_the_statement(personas, client_as, ledger):
    mistake = services.transfer(personas["broker"], ledger.dan, ledger.carla, 90, "Soup")
    client = client_as(personas["broker"])
    statement = f"/timebanks/millbrook/members/{ledger.dan.pk}/"
    link = f"/timebanks/millbrook/transfers/{mistake.pk}/correct/?member={ledger.dan.pk}"
    assert link.replace("&", "&amp;") in client.get(statement).content.decode()
    page = client.get(link)
    assert page.status_code == 200 and "Soup" in page.content.decode() and "Dan Offline" in page.content.decode()
    assert not Transfer.objects.filter(kind="correction").exists()  # the page alone changes nothing
    response = client.post(link, {"reason": "Recorded for the wrong member"})
    assert response.status_code == 302 and response["Location"] == statement
    correction = Transfer.objects.get(kind="correction")
    assert (correction.reverses_id, correction.minutes, correction.reason) == (
        mistake.pk, 90, "Recorded for the wrong member")
    assert balance(ledger.dan) == 0 and balance(ledger.carla) == 0
    assert Transfer.objects.filter(pk=mistake.pk).exists()
    assert AuditEntry.objects.filter(action="timebank.reverse", actor=personas["broker"]).count() == 1
    html = client.get(statement).content.decode()
    assert "/correct/" not in html  # the original is reversed; the correction cannot be


def test_a_second_correction_is_refused_above_the_form_and_writes_nothing(personas, client_as, ledger):
    mistake = services.transfer(personas["broker"], ledger.dan, ledger.carla, 30, "Tea")
    services.reverse_transfer(personas["broker"], mistake, "Twice")
    response = client_as(personas["broker"]).post(f"/timebanks/millbrook/transfers/{mistake.pk}/correct/",
                                                  {"reason": "Again"})
    assert response.status_code == 200
    assert "already been reversed" in " ".join(response.context["form"].non_field_errors())
    assert Transfer.objects.filter(kind="correction").count() == 1


def test_a_correction_needs_a_reason(personas, client_as, ledger):
    mistake = services.transfer(personas["broker"], ledger.dan, ledger.carla, 30, "Tea")
    response = client_as(personas["broker"]).post(f"/timebanks/millbrook/transfers/{mistake.pk}/correct/",
                                                  {"reason": "  "})
    assert "required" in " ".join(response.context["form"].errors["reason"])
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Transfer.objects.filter(kind="correction").exists() and balance(ledger.dan) == -30


@pytest.mark.parametrize("persona", ["citizen", "other_org", "staff", "org_admin"])
def test_others_get_no_correct_link_and_their_post_writes_nothing(persona, personas, client_as, ledger):
    mistake = services.transfer(personas["broker"], ledger.dan, ledger.carla, 30, "Tea")
    client = client_as(personas[persona])
    if persona == "citizen":  # Carla sees her own statement, without "Correct"
        assert "/correct/" not in client.get(f"/timebanks/millbrook/members/{ledger.carla.pk}/").content.decode()
    assert client.post(f"/timebanks/millbrook/transfers/{mistake.pk}/correct/", {"reason": "Mine"}).status_code == 403
    assert not Transfer.objects.filter(kind="correction").exists()
