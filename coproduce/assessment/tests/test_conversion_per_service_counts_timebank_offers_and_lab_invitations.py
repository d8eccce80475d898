"""The conversion rate per service (complaints with an offer to help ÷ complaints whose complainant was
invited) and what the offers became, on the service's staff page and the response-times page."""

from coproduce.assessment import services
from coproduce.assessment.queries import response_metrics


def test_figures_count_what_the_offers_became(personas, care, parks, helping, staff, client_as):
    carla = personas["citizen"]
    reports = [services.submit_complaint(carla, care, description=f"Report {i}") for i in range(5)]
    services.offer_help(carla, reports[0], route="timebank", timebank=helping.millbrook.pk)
    services.offer_help(carla, reports[1], route="timebank", timebank=helping.council_bank.pk, accept_agreement=True)
    services.offer_help(carla, reports[2], route="lab")
    services.offer_help(carla, reports[3])
    figures = response_metrics([care.pk, parks.pk])
    care_figures = figures[care.pk]
    assert care_figures["invited"] == 5 and care_figures["helpers"] == 4 and care_figures["conversion_rate"] == 0.8
    assert (care_figures["timebank_offers"], care_figures["join_requests"], care_figures["lab_invitations"]) == (1, 1, 1)
    assert (figures[parks.pk]["timebank_offers"], figures[parks.pk]["conversion_rate"]) == (0, None)

    page = client_as(staff).get("/services/home-care/complaints/").content.decode()
    assert "Complainants who became helpers" in page and "80 %" in page
    assert "<dt>Offers of time in a timebank</dt><dd>1</dd>" in page
    assert "<dt>Invited to a design lab</dt><dd>1</dd>" in page
    assert client_as(personas["citizen"]).get("/services/home-care/complaints/").status_code == 403
    metrics = client_as(None).get("/services/metrics/").content.decode()
    assert "Offers of time in a timebank" in metrics and "80 %" in metrics
