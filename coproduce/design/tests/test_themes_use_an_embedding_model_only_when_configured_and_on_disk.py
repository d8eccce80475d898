"""The optional embedding backend for feedback themes is chosen by the settings `DESIGN_THEMES_BACKEND` /
`DESIGN_THEMES_MODEL` and loaded only from local files; where the package or model is missing (as on
this test machine: sentence-transformers is not a dependency), themes fall back to TF-IDF and say so."""

import sys

import pytest
from django.test import override_settings

from coproduce.design import services
from coproduce.design.analysis.themes import find_themes
from coproduce.design.models import Theme

TEXTS = ["the bus is late again", "the park needs more trees", "the bus stop has no shelter",
         "the park benches are broken", "the bus driver was kind", "the park is lovely in spring"]


@pytest.fixture
def no_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # "not installed", even if it were


def test_without_the_package_the_engine_falls_back_to_tfidf(no_package):
    result = find_themes(TEXTS, backend="embedding", model_name="/srv/models/minilm")
    assert result.backend == "tfidf"
    assert sorted(i for t in result.themes for i in t.items) == list(range(6))


def test_the_app_configured_for_embeddings_without_the_package_still_themes_all_feedback_with_tfidf(lab, personas, no_package):
    for text in TEXTS:
        services.add_feedback(personas["staff"], lab, text=text, kind="workshop")
    services.store_themes(lab)
    assert set(Theme.objects.filter(lab=lab).values_list("source", flat=True)) == {"tfidf"}
    with override_settings(DESIGN_THEMES_BACKEND="embedding", DESIGN_THEMES_MODEL="/srv/models/minilm"):
        services.request_themes(personas["staff"], lab)  # the background task (immediate in tests)
    themes = list(Theme.objects.filter(lab=lab))
    assert themes and {t.source for t in themes} == {"tfidf"}
    assert sum(t.items.count() for t in themes) == len(TEXTS)
