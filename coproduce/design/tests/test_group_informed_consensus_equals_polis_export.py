import io
import json

import pytest

from coproduce.design.analysis import analyse
from coproduce.design.cli import main

pytestmark = pytest.mark.pure


def test_cli_with_polis_groups_reproduces_polis_gic_for_every_comment(polis, polis_export):
    folder = polis("bg2050-volunteers")
    out = io.StringIO()
    assert main(["analyse", str(folder), "--json", "--groups-from-export"], stdout=out) == 0
    consensus = json.loads(out.getvalue())["consensus"]
    comments = polis_export("bg2050-volunteers").comments
    assert len(comments) == 371
    for c in comments:
        assert c.group_informed_consensus is not None
        assert consensus[str(c.comment_id)] == pytest.approx(c.group_informed_consensus, abs=1e-9), c.comment_id


def test_gic_counts_raw_votes_of_grouped_participants_including_moderated_out(polis_export):
    export = polis_export("bg2050-volunteers")
    result = analyse(export.vote_rows(), export.moderation(), export.meta_ids(), groups=export.groups())
    moderated_out = [c for c in export.comments if c.moderated == -1 or c.is_meta]
    assert moderated_out  # Polis reports GIC for these too, from the votes as cast
    worst = max(abs(result.consensus[c.comment_id] - c.group_informed_consensus) for c in export.comments)
    assert worst < 1e-9


def test_gic_is_product_of_smoothed_group_agree_rates():
    # group 0: p1 agrees, p2 passes; group 1: p3 disagrees, p4 has not voted
    votes = [(1, 10, 1, 1), (2, 10, 0, 2), (3, 10, -1, 3), (4, 11, 1, 4)]
    result = analyse(votes, groups={1: 0, 2: 0, 3: 1, 4: 1})
    assert result.consensus[10] == pytest.approx((1 + 1) / (2 + 2) * (0 + 1) / (1 + 2))
    assert result.consensus_disagree[10] == pytest.approx((0 + 1) / (2 + 2) * (1 + 1) / (1 + 2))
    assert result.consensus[11] == pytest.approx((0 + 1) / (0 + 2) * (1 + 1) / (1 + 2))
