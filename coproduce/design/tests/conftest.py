"""Locating the shared Polis exports used by the opinion-analysis tests.

The data live in ``$COPRODUCE_SHARED_DATA/polis/<conversation>`` (default
``<repo root>/../shared/data``).  Without them the tests that need them are
skipped, except under CI (env ``CI`` set), where a missing folder is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CONVERSATIONS = [
    "15-per-hour-seattle",
    "bg2050-volunteers",
    "brexit-consensus",
    "london.youth.policing",
    "vtaiwan.uberx",
]
REPO_ROOT = Path(__file__).resolve().parents[3]


def shared_data_dir() -> Path:
    env = os.environ.get("COPRODUCE_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def polis_dir(conversation: str) -> Path:
    path = shared_data_dir() / "polis" / conversation
    if not (path / "comments.csv").exists():
        message = (f"Polis export {conversation!r} not found at {path}; set COPRODUCE_SHARED_DATA to the folder "
                   "holding polis/<conversation>/")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def polis():
    """polis(conversation) -> Path of that export folder (skips or fails when absent)."""
    return polis_dir


_cache: dict[str, object] = {}


@pytest.fixture
def polis_export():
    """polis_export(conversation) -> PolisExport, read once per test session."""
    from coproduce.design.polis_export import read_export

    def read(conversation: str):
        path = polis_dir(conversation)
        if conversation not in _cache:
            _cache[conversation] = read_export(path)
        return _cache[conversation]

    return read


# --- the co-design app: a lab of the council's social care service, with one conversation ---------


@pytest.fixture
def lab(personas, world):
    from coproduce.design import services

    return services.create_lab(personas["staff"], world.service, title="Dementia support",
                               target_users="Carers of people living with dementia")


@pytest.fixture
def conversation(lab, personas):
    from coproduce.design import services

    conversation = services.create_conversation(personas["staff"], lab, title="What would help?",
                                                moderation="pre")
    for text in ["Respite should be easy to book.", "Groups are the best support.", "I want help at home."]:
        services.add_seed_statement(personas["staff"], conversation, text)
    return conversation


@pytest.fixture
def phoned_decision(lab, conversation, personas, world):
    """A draft decision, the lab at the decide stage, resting on a vote Nell gave by phone. Nell was
    registered by the lab's staff and has a phone number but no email. Returns (decision, nell)."""
    from coproduce.core import services as core_services
    from coproduce.design import services

    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Phone", phone="01234 567890")
    services.record_votes(staff, conversation, {0: 1}, person=nell, channel="phone")
    insight = services.create_insight(staff, lab, title="Respite", statements=[conversation.statements.get(number=0)])
    decision = services.create_decision(staff, lab, title="Respite within 48 hours", insights=[insight])
    services.set_stage(staff, lab, "decide")
    return decision, nell
