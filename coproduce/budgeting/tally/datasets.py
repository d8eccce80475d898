"""Where the shared Pabulib instances live (tests, bench, reference script).

``$COPRODUCE_SHARED_DATA/pabulib`` when the variable is set, otherwise ``../shared/data/pabulib``
relative to the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def pabulib_dir() -> Path | None:
    env = os.environ.get("COPRODUCE_SHARED_DATA")
    base = Path(env) if env else REPO_ROOT / ".." / "shared" / "data"
    d = (base / "pabulib").resolve()
    return d if d.is_dir() and any(d.glob("*.pb")) else None


def require_pabulib_file(name: str) -> Path:
    """For tests: the path of a shared instance; skips (or fails when $CI is set) if it is absent."""
    d = pabulib_dir()
    path = d / name if d is not None else None
    if path is not None and path.is_file():
        return path
    import pytest

    msg = (
        f"shared Pabulib data not found ({name}); set COPRODUCE_SHARED_DATA to the folder holding pabulib/ "
        f"or put it at {REPO_ROOT.parent / 'shared' / 'data'}"
    )
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)
