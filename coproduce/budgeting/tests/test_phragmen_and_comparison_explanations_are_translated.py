"""The reader's language covers every explanation the engine gives: Phragmén's stop project and the
projects it never reached, a project funded with nobody's vote, and outcomes the comparison step
switched to greedy (whose note is kept, translated, in both languages)."""

from django.utils import translation

from coproduce.budgeting.tally import Election, tally
from coproduce.budgeting.wording import explain


def _texts(outcome, language):
    with translation.override(language):
        return {x.project_id: (x, explain(x.code, x.numbers, x.sentence, "EUR")) for x in outcome.explanations}


def test_phragmen_stop_and_not_reached_in_german():
    election = Election.from_ballots([("a", 60), ("b", 50), ("c", 30), ("d", 10)],
                                     [["a", "b"], ["a"], ["a", "c"], ["b"]], 100)
    texts = _texts(tally(election, "phragmen"), "de")
    stop, stop_text = texts["b"]
    assert stop.code == "did_not_fit" and stop_text != stop.sentence
    assert "Runde 2" in stop_text and "€50" in stop_text and "Auszählung" in stop_text
    waiting, waiting_text = texts["c"]
    assert waiting.code == "not_reached" and waiting_text != waiting.sentence
    assert "Projekt b" in waiting_text and "Runde 2" in waiting_text
    english = _texts(tally(election, "phragmen"), "en")
    assert "so the count stopped" in english["b"][1]


def test_a_switch_to_greedy_by_the_comparison_step_keeps_its_note_in_german():
    # Six voters want x; four want y and z. Equal Shares funds only y; greedy funds x and y, which six
    # voters prefer and nobody likes less, so the comparison step takes the greedy outcome.
    ballots = [["x"]] * 6 + [["y", "z"]] * 4
    election = Election.from_ballots([("x", 70), ("y", 30), ("z", 30)], ballots, 100)
    outcome = tally(election, "mes", comparison=True)
    assert sorted(outcome.selected) == ["x", "y"]
    texts = _texts(outcome, "de")
    chosen, chosen_text = texts["x"]
    assert chosen.code == "selected_by_greedy_comparison"
    assert chosen_text.startswith("Gefördert") and "Vergleichsschritt" in chosen_text and "6" in chosen_text
    left_out, left_out_text = texts["z"]
    assert not left_out.selected and "Vergleichsschritt" in left_out_text
    english = _texts(outcome, "en")
    assert "The comparison step replaced" in english["z"][1] and english["x"][1].startswith("Funded")
