"""Building large acyclic structures (every answer of a survey, every observation of a campaign)."""

import gc
from contextlib import contextmanager


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
