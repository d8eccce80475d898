"""The optional embedding backend for feedback themes: chosen by the settings `DESIGN_THEMES_BACKEND` /
`DESIGN_THEMES_MODEL`, loaded only from local files (never downloaded), and TF-IDF otherwise.

A fake `sentence_transformers` module stands in for the real package: it records how the model was
loaded and embeds each text as a fixed vector per topic, so the themes it yields are known."""

import sys
import types

import numpy as np
import pytest
from django.test import override_settings

from coproduce.design import services
from coproduce.design.analysis.themes import find_themes
from coproduce.design.models import Feedback, Theme

# words shared across topics, so TF-IDF alone would not split them the way the fake embeddings do
TEXTS = ["the bus is late again", "the park needs more trees", "the bus stop has no shelter",
         "the park benches are broken", "the bus driver was kind", "the park is lovely in spring"]


@pytest.fixture
def fake_model(monkeypatch):
    loads = []

    class SentenceTransformer:
        def __init__(self, name, **kwargs):
            loads.append((name, kwargs))

        def encode(self, texts, **kwargs):
            return np.array([[1.0, 0.05 * i] if "bus" in t else [0.05 * i, 1.0] for i, t in enumerate(texts)])

    module = types.ModuleType("sentence_transformers")
    module.SentenceTransformer = SentenceTransformer
    monkeypatch.setitem(sys.modules, "sentence_transformers", module)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    return loads


def _bus_and_park(items_by_theme):
    bus = {i for i, t in enumerate(TEXTS) if "bus" in t}
    return sorted(map(sorted, items_by_theme)) == sorted([sorted(bus), sorted(set(range(6)) - bus)])


def test_without_the_package_the_engine_falls_back_to_tfidf(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # "not installed"
    result = find_themes(TEXTS, backend="embedding")
    assert result.backend == "tfidf"
    assert sorted(i for t in result.themes for i in t.items) == list(range(6))


def test_a_local_model_is_loaded_offline_and_groups_the_texts(fake_model):
    import os

    result = find_themes(TEXTS, backend="embedding", model_name="/srv/models/minilm")
    assert result.backend == "embedding"
    assert fake_model == [("/srv/models/minilm", {"local_files_only": True})]
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # the hub client may not fetch anything either
    assert _bus_and_park([t.items for t in result.themes])


def test_the_app_uses_tfidf_unless_the_embedding_backend_is_configured(lab, personas, fake_model):
    for text in TEXTS:
        services.add_feedback(personas["staff"], lab, text=text, kind="workshop")
    services.store_themes(lab)
    assert fake_model == [] and set(Theme.objects.filter(lab=lab).values_list("source", flat=True)) == {"tfidf"}

    with override_settings(DESIGN_THEMES_BACKEND="embedding", DESIGN_THEMES_MODEL="/srv/models/minilm"):
        services.request_themes(personas["staff"], lab)  # the background task (immediate in tests)
    assert fake_model == [("/srv/models/minilm", {"local_files_only": True})]
    themes = list(Theme.objects.filter(lab=lab))
    assert {t.source for t in themes} == {"embedding"}
    by_theme = [list(Feedback.objects.filter(theme=t).values_list("text", flat=True)) for t in themes]
    assert _bus_and_park([[TEXTS.index(x) for x in texts] for texts in by_theme])
