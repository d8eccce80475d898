"""Numbers no real election has (a cost of 1e400, a budget of 10**999999999, points beyond int64,
a cost with more than nine decimal places) are refused by the reader with the section, the line
and the problem, quickly and before any arithmetic can overflow. A fuzz test checks that a file
with any line mangled raises nothing but PabulibFormatError."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.budgeting.tally import PabulibFormatError, parse_string, tally

from .test_parser_rejects_broken_files_with_section_and_line import CUMULATIVE, GOOD

pytestmark = pytest.mark.pure

CASES = [
    # (description, text, section, line, words in the problem)
    ("cost 1e400", GOOD.replace("b;40;", "b;1e400;"), "PROJECTS", 12, "too large"),
    ("cost with a huge exponent", GOOD.replace("b;40;", "b;1e999999999;"), "PROJECTS", 12, "too large"),
    ("cost beyond the bound", GOOD.replace("b;40;", "b;2000000000000000;"), "PROJECTS", 12, "too large"),
    ("cost with a tiny exponent", GOOD.replace("b;40;", "b;1e-400;"), "PROJECTS", 12, "too small"),
    ("cost with ten decimals", GOOD.replace("b;40;", "b;40.0000000001;"), "PROJECTS", 12, "decimal places"),
    ("budget 1e400", GOOD.replace("budget;100", "budget;1e400"), "META", 6, "budget is too large"),
    ("num_votes 1e400", GOOD.replace("num_votes;3", "num_votes;1e400"), "META", 5, "num_votes is too large"),
    (
        "threshold 1e400",
        GOOD.replace("rule;greedy", "min_project_score_threshold;1e400"),
        "META",
        8,
        "too large",
    ),
    (
        "points beyond int64",
        CUMULATIVE.replace("2;b;3", "2;b;99999999999999999999"),
        "VOTES",
        17,
        "too large",
    ),
    ("points beyond the bound", CUMULATIVE.replace("2;b;3", "2;b;10000000000"), "VOTES", 17, "too large"),
    ("points 1e400", CUMULATIVE.replace("2;b;3", "2;b;1e400"), "VOTES", 17, "too large"),
]


@pytest.mark.parametrize("desc,text,section,line,words", CASES, ids=[c[0] for c in CASES])
def test_absurd_numbers_are_refused_with_section_line_and_problem(desc, text, section, line, words):
    started = time.perf_counter()
    with pytest.raises(PabulibFormatError) as info:
        parse_string(text)
    assert time.perf_counter() - started < 1  # no 10**999999999 was ever built
    err = info.value
    assert (err.section, err.line) == (section, line), str(err)
    assert words in err.problem, str(err)


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
