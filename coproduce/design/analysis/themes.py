"""Themes in short free-text feedback.

By default: TF-IDF (word unigrams and bigrams without the stop words of each item's
language, English or German, see `stopwords`; character bigrams for
text mostly in scripts written without spaces, such as Chinese or Japanese),
L2-normalised, then k-means with a fixed seed for
every k in a small range; the k with the best silhouette (cosine) is kept.
Every item ends up in exactly one theme; each theme is labelled with its top
keywords (highest mean TF-IDF weight within the theme).

An embedding backend is used instead of TF-IDF only when asked for and a
sentence-transformers model is already on disk (nothing is ever downloaded);
otherwise we fall back to TF-IDF.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from .stopwords import STOP_WORDS, language_of

_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK = re.compile(f"[{_CJK_CHARS}]")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_WORD = re.compile(f"[^\\W\\d_{_CJK_CHARS}][^\\W_{_CJK_CHARS}]+")
_TOKEN = re.compile(r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b")
MAX_THEMES = 12
SILHOUETTE_SAMPLE = 2000


@dataclass
class Theme:
    index: int
    label: str
    keywords: list[str]
    items: list[int]  # indices into the input texts

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ThemesResult:
    themes: list[Theme]
    backend: str
    silhouettes: dict[int, float] = field(default_factory=dict)

    def theme_of(self) -> list[int]:
        n = sum(len(t.items) for t in self.themes)
        out = [-1] * n
        for t in self.themes:
            for i in t.items:
                out[i] = t.index
        return out

    def to_json(self) -> dict:
        return {
            "backend": self.backend,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "themes": [t.to_dict() for t in self.themes],
        }


def _mostly_cjk(texts: list[str]) -> bool:
    cjk = sum(len(_CJK.findall(t)) for t in texts)
    letters = sum(sum(ch.isalpha() for ch in t) for t in texts)
    return letters > 0 and cjk / letters > 0.3


def _cjk_tokens(text: str) -> list[str]:
    """Character bigrams inside runs of CJK characters, plus words of other scripts."""
    text = text.lower()
    tokens = [w for w in _WORD.findall(text)]
    for run in _CJK_RUN.findall(text):
        tokens += [run[i:i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
    return tokens


def _words(text: str, language: str | None) -> list[str]:
    """Words and two-word phrases of one item, without the stop words of its language (`language` is
    the hint for items whose language does not show; see `stopwords.language_of`)."""
    tokens = _TOKEN.findall(text.lower())
    folded = [t.casefold() for t in tokens]
    stop = STOP_WORDS.get(language_of(folded, language) or "", frozenset())
    kept = [t for t, f in zip(tokens, folded, strict=True) if f not in stop]
    return kept + [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)]


def _tfidf(texts: list[str], language: str | None = None):
    n = len(texts)
    common = dict(sublinear_tf=True, min_df=2 if n >= 20 else 1, max_df=0.5 if n >= 20 else 1.0)
    if _mostly_cjk(texts):
        vec, docs = TfidfVectorizer(analyzer=_cjk_tokens, **common), texts
    else:  # each item loses the stop words of its own language (English, German), then unigrams + bigrams
        vec, docs = TfidfVectorizer(analyzer=_identity, **common), [_words(t, language) for t in texts]
    try:
        x = vec.fit_transform(docs)
    except ValueError:  # empty vocabulary
        return None, None
    return x, np.asarray(vec.get_feature_names_out())


def _identity(words: list[str]) -> list[str]:
    return words


def _embeddings(texts: list[str], model_name: str | None):
    """Embed with a locally installed sentence-transformers model, or return None."""
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

        model = SentenceTransformer(model_name or "all-MiniLM-L6-v2", local_files_only=True)
        return np.asarray(model.encode(texts, show_progress_bar=False), dtype=np.float64)
    except Exception:  # not installed, no local model, or any load failure: fall back
        return None


def _choose_k(x: np.ndarray, k_max: int, seed: int):
    best = (-2.0, 1, np.zeros(x.shape[0], dtype=np.int64))
    silhouettes = {}
    for k in range(2, k_max + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(x).labels_
        if len(np.unique(labels)) < 2:
            continue
        n = x.shape[0]
        s = float(silhouette_score(x, labels, metric="cosine", sample_size=SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None,
                                   random_state=seed))
        silhouettes[k] = s
        if s > best[0] + 1e-12:
            best = (s, k, labels)
    return best[2], silhouettes


def _keywords(tfidf, names, rows: np.ndarray, n: int = 5) -> list[str]:
    if tfidf is None or names is None or not len(rows):
        return []
    weights = np.asarray(tfidf[rows].mean(axis=0)).ravel()
    order = np.lexsort((names, -weights))  # by weight, then alphabetically: deterministic
    words: list[str] = []
    for j in order:
        if weights[j] <= 0 or len(words) >= n:
            break
        w = str(names[j]).strip()
        if w and not any(w in other or other in w for other in words):
            words.append(w)
    return words


def find_themes(texts: list[str], *, max_themes: int = MAX_THEMES, seed: int = 0, backend: str = "tfidf",
                model_name: str | None = None, language: str | None = None) -> ThemesResult:
    """Group short texts into themes.  ``backend``: "tfidf" (default) or "embedding" (falls back to tfidf).
    ``language``: the language assumed for items whose own language does not show (e.g. "de")."""
    with threadpool_limits(limits=1):
        return _find_themes([t if isinstance(t, str) else "" for t in texts], max_themes, seed, backend, model_name,
                            language)


def _find_themes(texts, max_themes, seed, backend, model_name, language=None) -> ThemesResult:
    n = len(texts)
    if n == 0:
        return ThemesResult([], "tfidf")
    tfidf, names = _tfidf(texts, language)
    used = "tfidf"
    x = None
    if backend == "embedding":
        emb = _embeddings(texts, model_name)
        if emb is not None:
            x, used = normalize(emb), "embedding"
    if x is None:
        if tfidf is None:
            return ThemesResult([Theme(0, "", [], list(range(n)))], used)
        # k-means straight on the L2-normalised sparse TF-IDF vectors (spherical-ish k-means); no SVD,
        # whose trailing components are unstable and would make the themes wobble between runs
        x = normalize(tfidf)
    # number of themes: between 2 and about sqrt(n/2), at most max_themes
    k_max = min(max_themes, max(2, int(math.sqrt(n / 2))), n - 1)
    if n < 4 or k_max < 2:
        labels, silhouettes = np.zeros(n, dtype=np.int64), {}
    else:
        labels, silhouettes = _choose_k(x, k_max, seed)
    # number themes by size (largest first), ties by first item
    ids = sorted(set(labels.tolist()), key=lambda c: (-(labels == c).sum(), int(np.argmax(labels == c))))
    themes = []
    for index, c in enumerate(ids):
        rows = np.flatnonzero(labels == c)
        words = _keywords(tfidf, names, rows)
        themes.append(Theme(index, ", ".join(words[:3]), words, rows.tolist()))
    return ThemesResult(themes, used, silhouettes)


# Below this cosine similarity (TF-IDF space) to every curated theme, an item is grouped afresh.
MIN_SIMILARITY = 0.2


@dataclass
class ExtendedThemes:
    """`assigned`: item index -> position of the curated theme it joins; `new`: themes of the other
    free items (their `items` index into the same texts)."""

    assigned: dict[int, int]
    new: ThemesResult


def extend_themes(texts: list[str], curated: list[list[int]], *, min_similarity: float = MIN_SIMILARITY,
                  max_themes: int = MAX_THEMES, seed: int = 0, backend: str = "tfidf", model_name: str | None = None,
                  language: str | None = None) -> ExtendedThemes:
    """Keep themes that people curated and place the other items around them.

    `curated`: the item indices of each curated theme (left as they are). Every other item joins the
    curated theme whose centroid (mean of its items' L2-normalised TF-IDF vectors) is most similar to it
    by cosine, if that similarity reaches `min_similarity`; the items left over are grouped into new
    themes by `find_themes`. Deterministic for a given input."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    held = {i for items in curated for i in items}
    free = [i for i in range(len(texts)) if i not in held]
    assigned: dict[int, int] = {}
    with threadpool_limits(limits=1):
        tfidf, _names = _tfidf(texts, language) if free and held else (None, None)
        if tfidf is not None:
            x = normalize(tfidf)
            centroids = np.vstack([
                np.asarray(x[items].mean(axis=0)).ravel() if items else np.zeros(x.shape[1]) for items in curated
            ])
            similarity = np.asarray(x[free] @ normalize(centroids).T)
            for row, i in enumerate(free):
                best = int(np.argmax(similarity[row]))  # first of equals: deterministic
                if similarity[row, best] >= min_similarity:
                    assigned[i] = best
        rest = [i for i in free if i not in assigned]
        found = _find_themes([texts[i] for i in rest], max_themes, seed, backend, model_name, language)
    for theme in found.themes:
        theme.items = [rest[j] for j in theme.items]
    return ExtendedThemes(assigned, found)
