import pytest

from coproduce.design.analysis.themes import find_themes

from .conftest import CONVERSATIONS

pytestmark = pytest.mark.pure


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_themes_of_real_comment_bodies(conversation, polis_export):
    texts = [c.body for c in polis_export(conversation).comments]
    result = find_themes(texts)
    assert result.backend == "tfidf"
    assert 2 <= len(result.themes) <= 12
    items = sorted(i for t in result.themes for i in t.items)
    assert items == list(range(len(texts)))  # every item in exactly one theme
    for theme in result.themes:
        assert theme.items
        assert theme.keywords and theme.label == ", ".join(theme.keywords[:3])
    assert find_themes(texts).to_json() == result.to_json()  # deterministic


def test_keywords_name_what_the_theme_is_about():
    texts = ([f"more bike lanes please {i}" for i in range(6)] + [f"bike lanes on main street {i}" for i in range(6)]
             + [f"library opening hours longer {i}" for i in range(6)] + [f"open the library on sunday {i}" for i in range(6)])
    result = find_themes(texts)
    assert 2 <= len(result.themes) <= 4
    for theme in result.themes:  # no theme mixes the two subjects
        assert set(theme.items) <= set(range(12)) or set(theme.items) <= set(range(12, 24))
        subject = "bike" if theme.items[0] < 12 else "library"
        assert any(subject in k or (subject == "bike" and "lanes" in k) for k in theme.keywords) or \
            subject == "library" and any(w in " ".join(theme.keywords) for w in ("open", "sunday", "hours"))


def test_embedding_backend_falls_back_without_a_local_model():
    texts = ["trees in the park", "more trees", "bus every ten minutes", "faster buses", "park benches", "bus stops"]
    result = find_themes(texts, backend="embedding")
    assert result.backend in ("tfidf", "embedding")
    assert sorted(i for t in result.themes for i in t.items) == list(range(6))


def test_edge_cases():
    assert find_themes([]).themes == []
    one = find_themes(["only one"])
    assert [t.items for t in one.themes] == [[0]]
    empty = find_themes(["", "!!", "?"])
    assert sorted(i for t in empty.themes for i in t.items) == [0, 1, 2]
