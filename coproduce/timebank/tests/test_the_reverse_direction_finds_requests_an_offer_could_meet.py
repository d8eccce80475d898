"""For a newly posted offer, brokers see the open requests it could meet, best first with reasons;
requests already closed, and the offerer's own, are left out."""

from coproduce.timebank import postings, suggestions

from .codelivery import ask, offer


def test_reverse(personas, ledger, client_as):
    bea, carla = personas["broker"], personas["citizen"]
    wanted = ask(carla, ledger.carla, description="Weed the borders")
    closed = ask(carla, ledger.carla, description="Old request")
    postings.set_posting_status(carla, closed, "closed")
    ask(bea, ledger.dan, description="Fix a tap", slug="diy")
    own = ask(bea, ledger.cafe, description="Our own planters")
    mine = offer(bea, ledger.cafe)
    found = suggestions.needs_for_offer(mine)
    ids = [r.pk for r, _score, _reasons in found]
    assert ids[0] == wanted.pk and closed.pk not in ids and own.pk not in ids
    assert any("exactly this kind" in reason for reason in found[0][2])
    html = client_as(bea).get(f"/timebanks/millbrook/offers/{mine.pk}/needs/").content.decode()
    assert "Weed the borders" in html and "Old request" not in html
