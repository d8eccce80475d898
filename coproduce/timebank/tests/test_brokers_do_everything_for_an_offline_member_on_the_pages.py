"""A broker, on the web pages, posts a request for Dan (no login), matches a suggested helper,
schedules, marks done, confirms for both sides, and the time is credited."""

from coproduce.timebank.models import Exchange, HelpRequest

from .codelivery import category, offer
from .conftest import balance


def test_offline_member(personas, ledger, client_as):
    bea = personas["broker"]
    offer(bea, ledger.cafe, "errands", description="We collect prescriptions with our deliveries")
    client = client_as(bea)
    response = client.post(f"/timebanks/millbrook/mine/new/request/?member={ledger.dan.pk}", {
        "category": category("errands").pk, "description": "Collect my prescription", "duration_minutes": 30,
        "channel": "phone"})
    assert response.status_code == 302
    request = HelpRequest.objects.get(member=ledger.dan)
    assert request.on_behalf and request.channel == "phone"
    page = client.get(f"/timebanks/millbrook/requests/{request.pk}/").content.decode()
    assert "Kettle Café" in page and "Offers exactly this kind of help" in page
    response = client.post(f"/timebanks/millbrook/requests/{request.pk}/", {"form": "match",
                                                                         "helpers": [ledger.cafe.pk]})
    exchange = Exchange.objects.get(request=request)
    assert response.status_code == 302 and exchange.state == "matched"
    url = f"/timebanks/millbrook/exchanges/{exchange.pk}/"
    client.post(url, {"action": "schedule", "starts_at": "2020-01-01T10:00", "place": "public"})
    client.post(url, {"action": "done", "minutes": 40})
    client.post(url, {"action": "confirm", "member": ledger.dan.pk})
    client.post(url, {"action": "confirm", "member": ledger.cafe.pk})
    exchange.refresh_from_db()
    assert exchange.state == "credited"
    assert balance(ledger.dan) == -40 and balance(ledger.cafe) == 40
    # An illegal step on the page shows the error and changes nothing.
    html = client.post(url, {"action": "cancel", "reason": "Oops"}).content.decode()
    assert "cannot be cancelled" in html
    assert Exchange.objects.get(pk=exchange.pk).state == "credited"
