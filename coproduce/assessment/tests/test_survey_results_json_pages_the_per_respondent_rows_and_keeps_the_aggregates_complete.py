"""The survey results JSON pages the rows it holds per respondent (an allocation's respondents, the free
texts) with `limit` and `offset`, says how many there are in all, and keeps every aggregate computed
from all the responses. A limit or offset out of range is refused naming the parameter."""

import pytest
from django.conf import settings

from coproduce.assessment import survey_services as surveys
from coproduce.core.audit import Channel

SPENT = [[10, 90], [20, 80], [30, 70], [40, 60], [50, 50]]
SAID = ["more buses", "later hours", "a bench", "shade", "toilets"]


@pytest.fixture
def answered(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Paged survey", is_anonymous=True)
    spend = surveys.add_question(staff, s, kind="allocation", text="Spend", options=["x", "y"])
    say = surveys.add_question(staff, s, kind="text", text="Say", required=False)
    surveys.set_survey_status(staff, s, "open")
    for points, words in zip(SPENT, SAID, strict=True):
        surveys.submit_response(staff, s, {spend.field: points, say.field: words}, channel=Channel.PAPER)
    return s, spend, say


def results(client, survey, query=""):
    return client.get(f"/api/v1/assessment/surveys/{survey.slug}/results{query}")


def question(body, field):
    return next(q for q in body["questions"] if q["field"] == field)


def test_a_page_of_rows_with_the_full_aggregates(answered, api_as, personas):
    s, spend, say = answered
    body = results(api_as(personas["staff"]), s, "?limit=2&offset=1").json()
    assert (body["limit"], body["offset"], body["responses"]) == (2, 1, 5)
    allocation = question(body, spend.field)
    assert [row["points"] for row in allocation["respondents"]] == SPENT[1:3]
    assert allocation["respondents_count"] == 5 and allocation["answered"] == 5
    assert allocation["overall"] == ["30.0", "70.0"]  # all five, not the page
    texts = question(body, say.field)
    assert texts["texts"] == SAID[1:3] and texts["texts_count"] == 5
    last = question(results(api_as(personas["staff"]), s, "?limit=2&offset=4").json(), spend.field)
    assert [row["points"] for row in last["respondents"]] == SPENT[4:]


def test_the_default_page_holds_the_first_rows(answered, api_as, personas):
    s, spend, _say = answered
    body = results(api_as(personas["staff"]), s).json()
    assert (body["limit"], body["offset"]) == (settings.NINJA_PAGINATION_PER_PAGE, 0)
    assert [row["points"] for row in question(body, spend.field)["respondents"]] == SPENT


@pytest.mark.parametrize("query,field", [("?limit=0", "limit"), ("?limit=100000", "limit"),
                                         ("?offset=-1", "offset")])
def test_a_limit_or_offset_out_of_range_is_refused(answered, api_as, personas, query, field):
    s, _spend, _say = answered
    response = results(api_as(personas["staff"]), s, query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and list(response.json()["error"]["fields"]) == [field]


def test_people_outside_the_team_still_get_no_texts_and_the_public_none(answered, api_as, personas):
    s, _spend, say = answered
    assert results(api_as(personas["citizen"]), s).status_code == 403
    surveys.set_survey_status(personas["staff"], s, "closed")
    surveys.publish_results(personas["staff"], s)
    texts = question(results(api_as(personas["citizen"]), s, "?limit=2").json(), say.field)
    assert texts["texts"] == [] and texts["texts_count"] == 0
