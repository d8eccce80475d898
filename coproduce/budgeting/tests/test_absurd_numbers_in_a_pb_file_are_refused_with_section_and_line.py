"""Numbers no real election has (a cost of 1e400, a budget of 10**999999999, points beyond int64,
a cost with more than nine decimal places) are refused by the reader with the section, the line
and the problem (the cases are in the parser's table of broken files), quickly and before any
arithmetic can overflow, while the largest allowed amounts still count. A fuzz test checks that a
file with any line mangled raises nothing but PabulibFormatError."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.budgeting.tally import PabulibFormatError, parse_string, tally

from .test_parser_rejects_broken_files_with_section_and_line import CASES, GOOD

pytestmark = pytest.mark.pure

ABSURD = ["cost with a huge exponent", "budget 1e400", "points beyond int64"]


@pytest.mark.parametrize("desc,text,section,line,words", [c for c in CASES if c[0] in ABSURD], ids=ABSURD)
def test_absurd_numbers_are_refused_quickly(desc, text, section, line, words):
    started = time.perf_counter()
    with pytest.raises(PabulibFormatError) as info:
        parse_string(text)
    assert time.perf_counter() - started < 1  # no 10**999999999 was ever built
    assert (info.value.section, info.value.line) == (section, line)


def test_the_largest_allowed_amounts_still_count():
    text = GOOD.replace("budget;100", "budget;1000000000000000").replace("b;40;", "b;999999999999999.5;")
    election = parse_string(text)
    for exact in (False, True):
        assert tally(election, rule="greedy", exact=exact).selected


LINES = GOOD.splitlines()
JUNK = st.sampled_from(
    ["1e400", "-1e400", "nan", "inf", "1e-400", "9" * 30, ";", ",", '"', "", "é", "1/0", "0.1e5"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    line=st.integers(min_value=0, max_value=len(LINES) - 1),
    cut=st.integers(min_value=0, max_value=30),
    junk=st.lists(JUNK | st.text(max_size=4), min_size=1, max_size=3),
)
def test_a_mangled_line_raises_only_a_format_error(line, cut, junk):
    lines = list(LINES)
    text = lines[line]
    lines[line] = text[:cut] + "".join(junk) + text[cut + len(junk[0]) :]
    try:
        election = parse_string("\n".join(lines) + "\n")
    except PabulibFormatError:
        return
    for rule in ("greedy", "mes", "phragmen"):
        tally(election, rule=rule)  # whatever parses must also count without an exception
