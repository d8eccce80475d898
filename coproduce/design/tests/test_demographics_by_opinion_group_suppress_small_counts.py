"""The answers to a conversation's optional demographic questions are shown per opinion group (on the
opinion map page and through the API), and every count below 5 reads "fewer than 5" with no number
or percentage behind it."""

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from coproduce.design import services
from coproduce.design.models import Analysis, Participant

# (group, answer): group A has 6 carers and 2 non-carers; group B 3 carers; one person not in a group
PEOPLE = [(0, 0)] * 6 + [(0, 1)] * 2 + [(1, 0)] * 3 + [(None, 1)]


def setup(lab, staff):
    conversation = services.create_conversation(staff, lab, title="Drop-in", anonymous_allowed=True)
    services.add_seed_statement(staff, conversation, "Respite should be easy to book.")
    question = services.add_question(staff, conversation, "Are you a carer?", ["Yes", "No"])
    groups = {}
    for i, (group, answer) in enumerate(PEOPLE):
        services.answer_question(AnonymousUser(), question, answer, session_key=f"visitor-{i}")
        if group is not None:
            groups[str(Participant.objects.get(conversation=conversation, session_key=f"visitor-{i}").number)] = group
    Analysis.objects.update_or_create(conversation=conversation, defaults={"result": {"groups": groups}})
    return conversation


def test_the_api_gives_each_group_its_answers_with_small_counts_suppressed(lab, personas):
    conversation = setup(lab, personas["staff"])
    data = Client().get(f"/api/v1/design/conversations/{conversation.pk}/demographics").json()
    assert [(g["label"], g["size"]) for g in data["groups"]] == [("Group A", 8), ("Group B", 3)]
    [question] = data["questions"]
    yes, no = question["choices"]
    assert [(c["count"], c["percent"]) for c in yes["groups"]] == [(6, 75), (None, None)]
    assert [c["display"] for c in yes["groups"]] == ["6 (75%)", "fewer than 5"]
    assert all(c["suppressed"] and c["count"] is None for c in no["groups"])
    assert [c["count"] for c in question["answered"]] == [8, None]
    every = [c for choice in question["choices"] for c in choice["groups"]] + question["answered"]
    assert all(c["count"] is None or c["count"] >= 5 for c in every)


def test_the_opinion_map_page_shows_the_breakdown_in_a_table(lab, personas, django_assert_max_num_queries):
    conversation = setup(lab, personas["staff"])
    url = f"/labs/{lab.slug}/conversations/{conversation.pk}/map/"
    client = Client()
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.content.decode()
    assert "Who is in each group" in page and "<caption>Are you a carer?</caption>" in page
    assert "6 (75%)" in page and page.count("fewer than 5") >= 4
    assert ">2<" not in page and ">3<" not in page.split("Who is in each group")[1]


def test_without_questions_or_analysis_there_is_nothing_to_break_down(conversation):
    data = Client().get(f"/api/v1/design/conversations/{conversation.pk}/demographics").json()
    assert data["questions"] == [] and data["groups"] == []
