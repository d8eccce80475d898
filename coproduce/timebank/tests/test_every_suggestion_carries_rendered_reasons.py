import re
from datetime import date, timedelta

import pytest

from coproduce.timebank.matching import ENGLISH, Reason, render, render_all, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_every_suggestion_carries_rendered_reasons():
    index = t.index(
        t.member(
            1,
            checks=(t.check(date(2030, 8, 1)),),
            last_asked=t.NOW - timedelta(days=40),
            cancellations=1,
            balance_minutes=40 * 60,
        ),
        t.member(2, completed_exchanges=0, tags=("dogs",)),
    )
    request = t.request(
        regular=True, involves_children=True, until=date(2030, 12, 1), tags=frozenset({"dogs"})
    )
    index = t.index(*index.records.values(), t.member(3, checks=(t.check(None),), windows=()))
    for s in suggest_helpers(index, request).suggestions:
        assert s.reasons
        for r in s.reasons + s.flags:
            assert isinstance(r, Reason) and r.code in ENGLISH
            text = render(r)
            assert text and "{" not in text
        assert all(isinstance(x, str) for x in render_all(s.reasons))


def test_reasons_read_as_plain_english():
    index = t.index(t.member(1, tags=("Dog walking",), balance_minutes=25 * 60))
    (s,) = suggest_helpers(index, t.request(tags=frozenset({"dog walking"}))).suggestions
    assert render_all(s.reasons) == [
        "Offers exactly this kind of help",
        "Mentions dog walking",
        "Lives in the same neighbourhood",
        "Is usually free at the requested time",
        "Has 2 reference(s)",
        "Has completed 5 exchange(s)",
        "Has not been asked to help before",
    ]
    assert render_all(s.flags) == ["Has 25 hours of unspent credit — encourage them to ask for help too"]


def test_every_english_template_names_only_plain_parameters():
    for code, template in ENGLISH.items():
        assert re.fullmatch(r"[a-z_]+", code)
        assert all(re.fullmatch(r"[a-z_]+", name) for name in re.findall(r"{([^}]*)}", template)), code
