"""German feedback is grouped by what it is about, not by its function words: each item loses the stop
words of its own language (German or English), so two topics of carers' comments come apart and no theme
is named after "ist, und, das"."""

import pytest

from coproduce.design.analysis.stopwords import STOP_WORDS, language_of
from coproduce.design.analysis.themes import find_themes

pytestmark = pytest.mark.pure

RESPITE = [
    "Die Kurzzeitpflege ist viel zu schwer zu buchen, ich habe drei Wochen auf einen Platz gewartet.",
    "Einen Platz in der Kurzzeitpflege zu bekommen ist für uns pflegende Angehörige fast unmöglich.",
    "Wir brauchen mehr Plätze in der Kurzzeitpflege, damit ich mich auch mal erholen kann.",
    "Die Buchung der Kurzzeitpflege sollte online möglich sein und nicht nur telefonisch.",
    "Ohne Kurzzeitpflege hätte ich den Sommer nicht geschafft, aber der Platz war nur für eine Woche.",
]
BUS = [
    "Der Bus zur Tagesgruppe fährt nur noch zweimal am Tag, das ist für meine Mutter zu wenig.",
    "Seit der Bus nicht mehr fährt, kann mein Mann nicht mehr zur Tagesgruppe kommen.",
    "Die Haltestelle ist zu weit weg, mit dem Rollator schafft sie den Weg zum Bus nicht.",
    "Ein Fahrdienst oder ein Bus direkt zur Tagesgruppe wäre eine große Hilfe für uns.",
    "Der Bus kommt oft zu spät und die Tagesgruppe hat dann schon angefangen.",
]


def test_two_german_topics_are_separated_and_named_by_their_subject():
    texts = RESPITE + BUS
    result = find_themes(texts, language="de")
    assert len(result.themes) == 2
    groups = sorted(sorted(t.items) for t in result.themes)
    assert groups == [list(range(5)), list(range(5, 10))]
    words = {w for t in result.themes for k in t.keywords for w in k.split()}
    assert not words & STOP_WORDS["de"], words & STOP_WORDS["de"]
    labels = {min(t.items): t.label for t in result.themes}
    assert "kurzzeitpflege" in labels[0] and "bus" in labels[5]


def test_the_language_shows_in_the_item_and_the_hint_decides_only_when_it_does_not():
    assert language_of("der bus ist zu spät und das ist schlecht".split()) == "de"
    assert language_of("the bus is late and that is bad".split(), "de") == "en"
    assert language_of(["kurzzeitpflege"], "de") == "de"
    assert language_of(["kurzzeitpflege"]) is None


def test_english_words_that_are_german_stop_words_are_kept_in_english_feedback():
    # "bin", "war" and "die" are German stop words, but here they are what English comments are about
    texts = ["The bin was not emptied again", "Our bin is never collected on time", "Please empty the bin weekly",
             "The war memorial needs cleaning", "Flowers at the war memorial please", "Clean the war memorial"]
    result = find_themes(texts)
    labels = " ".join(t.label for t in result.themes)
    assert "bin" in labels and "war" in labels
    assert sorted(sorted(t.items) for t in result.themes) == [[0, 1, 2], [3, 4, 5]]


def test_mixed_english_and_german_feedback_drops_each_languages_own_stop_words():
    texts = RESPITE + ["Respite care is so hard to book and the wait is long",
                       "The respite care booking is far too slow"]
    result = find_themes(texts, language="de")
    words = {w for t in result.themes for k in t.keywords for w in k.split()}
    assert not words & (STOP_WORDS["de"] | STOP_WORDS["en"])
