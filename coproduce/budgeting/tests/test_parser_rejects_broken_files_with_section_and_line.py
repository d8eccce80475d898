"""Broken .pb files raise PabulibFormatError naming the section, the line and the problem."""

import pytest

from coproduce.budgeting.tally import PabulibFormatError, parse_string

pytestmark = pytest.mark.pure

GOOD = """META
key;value
description;test
num_projects;3
num_votes;3
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
a;50;Park
b;40;"Library; new"
c;30;Bench
VOTES
voter_id;vote
1;a,b
2;b
3;a,c
"""

CUMULATIVE = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
    "voter_id;vote\n1;a,b\n2;b\n3;a,c", "voter_id;vote;points\n1;a,b;2,1\n2;b;3\n3;a,c;1,1"
)


def test_the_good_file_parses():
    e = parse_string(GOOD)
    assert [p.id for p in e.projects] == ["a", "b", "c"]
    assert e.projects[1].name == "Library; new"
    assert [e.ballot(i) for i in range(3)] == [["a", "b"], ["b"], ["a", "c"]]
    c = parse_string(CUMULATIVE)
    assert c.ballot_points_of(0) == [2, 1]


CASES = [
    # (description, text, section, line, words in the problem)
    ("missing VOTES", GOOD.split("VOTES")[0], "VOTES", None, "missing VOTES"),
    ("missing PROJECTS", GOOD.replace("PROJECTS\n", ""), "PROJECTS", None, "missing PROJECTS"),
    ("missing META", GOOD.replace("META\n", ""), "META", None, "missing META"),
    ("bad budget", GOOD.replace("budget;100", "budget;lots"), "META", 6, "budget"),
    ("bad cost", GOOD.replace("b;40;", "b;4O;"), "PROJECTS", 12, "cost"),
    ("negative cost", GOOD.replace("c;30;", "c;-30;"), "PROJECTS", 13, "negative"),
    ("wrong column count in PROJECTS", GOOD.replace("c;30;Bench", "c;30"), "PROJECTS", 13, "columns"),
    ("wrong column count in VOTES", GOOD.replace("2;b\n", "2;b;x\n"), "VOTES", 17, "columns"),
    ("unknown project in a vote", GOOD.replace("3;a,c", "3;a,z"), "VOTES", 18, "unknown project 'z'"),
    ("duplicate project in a vote", GOOD.replace("3;a,c", "3;a,a"), "VOTES", 18, "twice"),
    ("stray comma", GOOD.replace("1;a,b", "1;a,,b"), "VOTES", 16, "empty project id"),
    (
        "duplicate project id",
        GOOD.replace("c;30;Bench", "a;30;Bench"),
        "PROJECTS",
        13,
        "duplicate project_id",
    ),
    ("unknown vote type", GOOD.replace("vote_type;approval", "vote_type;lottery"), "META", 7, "vote_type"),
    ("bad META row", GOOD.replace("rule;greedy", "rule;greedy;extra"), "META", 8, "2 columns"),
    ("num_votes mismatch", GOOD.replace("num_votes;3", "num_votes;4"), "META", 5, "num_votes"),
    ("num_projects mismatch", GOOD.replace("num_projects;3", "num_projects;2"), "META", 4, "num_projects"),
    ("no cost column", GOOD.replace("project_id;cost;name", "project_id;price;name"), "PROJECTS", 10, "cost"),
    ("no vote column", GOOD.replace("voter_id;vote", "voter_id;ballot"), "VOTES", 15, "vote"),
    ("bad META header", GOOD.replace("key;value", "k;v"), "META", 2, "key;value"),
    ("text before META", "hello\n" + GOOD, "META", 1, "before"),
    ("second VOTES", GOOD + "VOTES\nvoter_id;vote\n", "VOTES", 19, "second"),
    (
        "points missing",
        CUMULATIVE.replace("voter_id;vote;points", "voter_id;vote;pts"),
        "VOTES",
        15,
        "points",
    ),
    ("bad points", CUMULATIVE.replace("2;b;3", "2;b;three"), "VOTES", 17, "not a number"),
    ("points count", CUMULATIVE.replace("3;a,c;1,1", "3;a,c;1"), "VOTES", 18, "points lists 1"),
    ("negative points", CUMULATIVE.replace("2;b;3", "2;b;-3"), "VOTES", 17, "negative"),
    ("unclosed quote", GOOD.replace('"Library; new"', '"Library; new'), "PROJECTS", 12, "quot"),
    # numbers no real election has, refused before any arithmetic can overflow
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
def test_broken_file_names_section_line_and_problem(desc, text, section, line, words):
    with pytest.raises(PabulibFormatError) as info:
        parse_string(text)
    err = info.value
    assert err.section == section, str(err)
    if line is not None:
        assert err.line == line, str(err)
    assert isinstance(err.line, int) and err.line >= 1
    assert words.lower() in err.problem.lower(), str(err)
    assert section in str(err) and f"line {err.line}" in str(err)


def test_blank_lines_and_windows_newlines_are_accepted():
    text = GOOD.replace("\n2;b\n", "\n\n2;b\n   \n").replace("\n", "\r\n")
    e = parse_string(text)
    assert e.n_voters == 3


def test_quoted_votes_section_takes_the_general_path_with_the_same_result():
    text = GOOD.replace("1;a,b", '1;"a,b"')
    e = parse_string(text)
    assert e.ballot(0) == ["a", "b"]


def test_unknown_project_in_the_general_path_reports_its_line():
    text = GOOD.replace("1;a,b", '1;"a,b"').replace("3;a,c", "3;a,q")
    with pytest.raises(PabulibFormatError) as info:
        parse_string(text)
    assert (info.value.section, info.value.line) == ("VOTES", 18)
