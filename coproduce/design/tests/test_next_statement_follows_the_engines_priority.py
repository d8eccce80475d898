"""The next statement is drawn by the engine's `choose_next` with the priorities of the latest stored
analysis (not uniformly at random), among visible statements the participant has not voted on."""

from coproduce.design import services
from coproduce.design.analysis import choose_next
from coproduce.design.models import Analysis


def test_the_page_shows_what_choose_next_picks_from_the_stored_priorities(conversation, personas, client_as):
    carla = personas["citizen"]
    services.cast_vote(personas["broker"], conversation, 0, 1)
    services.cast_vote(carla, conversation, 1, 1)
    analysis = Analysis.objects.get(conversation=conversation)
    participant = services.find_participant(carla, conversation)
    priorities = {int(k): v for k, v in analysis.result["priorities"].items()}
    expected = choose_next(priorities, exclude={1}, seed=participant.pk * 100_003 + 1)
    response = client_as(carla).get(f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/")
    assert response.context["next"].number == expected
    assert response.context["next"].number != 1  # never one already voted on


def test_a_statement_the_engine_ranks_far_higher_comes_first(conversation, personas):
    analysis = Analysis.objects.get(conversation=conversation)
    analysis.result = dict(analysis.result, priorities={"0": 0.0001, "1": 1000.0, "2": 0.0001})
    analysis.save()
    for seed_user in ("citizen", "broker", "other_org"):
        participant = services._participant(personas[seed_user], conversation)
        assert services.next_statement(conversation, participant).number == 1


def test_the_stored_result_is_used_not_recomputed(conversation, personas, django_assert_max_num_queries):
    participant = services._participant(personas["citizen"], conversation)
    with django_assert_max_num_queries(4):
        services.next_statement(conversation, participant)


def test_nothing_is_left_once_everything_is_voted(conversation, personas, api_as):
    for n in range(3):
        services.cast_vote(personas["citizen"], conversation, n, 0)
    data = api_as(personas["citizen"]).get(f"/api/v1/design/conversations/{conversation.pk}/next").json()
    assert data == {"statement": None, "remaining": 0}
