"""Building large acyclic structures (every answer of a survey, every observation of a campaign), and
keeping what was built from them until the data changes."""

import gc
import json
from contextlib import contextmanager

from django.core.cache import cache
from django.db.models import TextField
from django.db.models.functions import Cast

KEPT_FOR = 24 * 3600  # seconds; a key names the data's version, so this only frees memory


@contextmanager
def collector_paused():
    """Pause Python's cycle collector while building large acyclic structures: otherwise it walks
    them again and again as they grow, which can more than double the cost. Nothing is lost: the
    collector runs again afterwards and finds any cycles then."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def computed_once(key: str, compute):
    """`compute()` (run with the collector paused), kept in the cache under `key`: the key must name
    the version of the data it is computed from, so a change makes a new key."""
    found = cache.get(key)
    if found is None:
        with collector_paused():
            found = compute()
        cache.set(key, found, KEPT_FOR)
    return found


def json_values(queryset, *keys: str, field: str = "value") -> list[tuple]:
    """(*keys, decoded value) for each row of `queryset`, whose `field` is JSON: the values are read as
    JSON text and decoded in one go (decoding them one by one costs far more)."""
    found = list(queryset.annotate(_json=Cast(field, TextField())).values_list(*keys, "_json"))
    decoded = json.loads("[" + ",".join(row[-1] for row in found) + "]") if found else []
    return [(*row[:-1], value) for row, value in zip(found, decoded, strict=True)]
