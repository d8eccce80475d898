"""Every survey page and endpoint, for every persona: who gets in (200), who is sent to log in (302)
and who is refused (403). Owners are the working staff of the organisation running the survey (for a
community group, its members with a working role); the public sees the published results of closed
surveys only."""

import pytest

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import Survey
from coproduce.testing import PERSONAS, assert_answer, row

MATRIX = [
    #  anonymous citizen other_org staff broker org_admin platform_admin
    row("/services/surveys/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/new/social-care/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/new/timebank/", 302, 403, 403, 403, 200, 403, 200),
    row("/services/surveys/{draft}/", 403, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{draft}/edit/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{draft}/questions/add/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{draft}/questions/{draft_q}/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{draft}/results/", 403, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{open}/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/{open}/answer/", 302, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/{anonymous}/answer/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/{local}/answer/", 302, 200, 403, 403, 403, 403, 200),  # superusers may do anything
    row("/services/surveys/{open}/paper/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{open}/results/", 403, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{open}/results.csv", 403, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{closed}/results/", 403, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{published}/results/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/{published}/results.csv", 200, 200, 200, 200, 200, 200, 200),
    row("/services/surveys/{published}/questions/{text_q}/send/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/surveys/{citizen_led}/results/", 403, 403, 403, 403, 200, 403, 200),
    row("/services/surveys/{citizen_led}/paper/", 302, 403, 403, 403, 200, 403, 200),
    row("/api/v1/assessment/surveys", 200, 200, 200, 200, 200, 200, 200),
    row("/api/v1/assessment/surveys/{open}", 200, 200, 200, 200, 200, 200, 200),
    row("/api/v1/assessment/surveys/{draft}", 403, 403, 403, 200, 403, 200, 200),
    row("/api/v1/assessment/surveys/{open}/results", 403, 403, 403, 200, 403, 200, 200),
    row("/api/v1/assessment/surveys/{published}/results", 200, 200, 200, 200, 200, 200, 200),
]


def _survey(actor, org, title, *, status="open", publish=False, **kw):
    survey = surveys.create_survey(actor, org, title=title, **kw)
    q = surveys.add_question(actor, survey, kind="text", text="Tell us more", required=False)
    if status in ("open", "closed"):
        surveys.set_survey_status(actor, survey, "open")
    if status == "closed":
        surveys.set_survey_status(actor, survey, "closed")
    if publish:
        surveys.publish_results(actor, survey)
    return survey, q


@pytest.fixture
def ids(personas, world):
    from coproduce.design import services as design_services

    admin, bea = personas["platform_admin"], personas["broker"]
    citizen = personas["citizen"].person
    citizen.home_area = world.hood
    citizen.save()
    draft, draft_q = _survey(admin, world.service, "Draft", status="draft")
    open_, _q = _survey(admin, world.service, "Open")
    anonymous, _q = _survey(admin, world.service, "Anonymous", is_anonymous=True)
    local, _q = _survey(admin, world.service, "Local", area=world.hood)
    closed, _q = _survey(admin, world.service, "Closed", status="closed")
    published, text_q = _survey(admin, world.service, "Published", status="closed", publish=True)
    citizen_led, _q = _survey(bea, world.group, "Citizen led")
    design_services.create_lab(admin, world.service, title="Care at home lab")
    return {"draft": draft.slug, "draft_q": draft_q.pk, "open": open_.slug, "anonymous": anonymous.slug,
            "local": local.slug, "closed": closed.slug, "published": published.slug, "text_q": text_q.pk,
            "citizen_led": citizen_led.slug}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, ids):
    response = client_as(personas[persona]).get(url.format(**ids))
    assert_answer(response, expected[persona], persona, url)


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker"])
def test_building_and_running_are_refused_to_everyone_but_the_owners(persona, personas, client_as, ids):
    client = client_as(personas[persona])
    client.post(f"/services/surveys/{ids['draft']}/questions/add/", {"kind": "text", "text": "Sneaky"})
    client.post(f"/services/surveys/{ids['draft']}/questions/{ids['draft_q']}/delete/")
    client.post(f"/services/surveys/{ids['draft']}/status/", {"status": "open"})
    client.post(f"/services/surveys/{ids['closed']}/publish/", {"publish": "1"})
    client.post(f"/services/surveys/{ids['open']}/paper/", {"person": personas["citizen"].person.pk})
    draft = Survey.objects.get(slug=ids["draft"])
    assert draft.status == "draft" and list(draft.questions.values_list("text", flat=True)) == ["Tell us more"]
    assert not Survey.objects.get(slug=ids["closed"]).results_published
    assert Survey.objects.get(slug=ids["open"]).response_count == 0


def test_the_survey_list_uses_a_constant_number_of_queries(personas, world, client_as, ids,
                                                           django_assert_max_num_queries):
    admin = personas["platform_admin"]
    for n in range(15):
        _survey(admin, world.service, f"More {n}")
    client = client_as(personas["staff"])
    with django_assert_max_num_queries(14):
        response = client.get("/services/surveys/")
    assert response.status_code == 200 and b"More 14" in response.content
