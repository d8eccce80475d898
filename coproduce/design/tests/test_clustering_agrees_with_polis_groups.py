"""Our batch clustering against Polis's own ``group-id`` (adjusted Rand index).

Polis's groups come from many incremental runs (warm-started k-means, a sticky
in-conversation set, k smoothed over several runs), so a single batch run
cannot reproduce them everywhere.  Floors below are a little under what we
measured (seed 0; see bench/bench_analysis.py):

* bg2050-volunteers 1.000 (Polis: 100 + 8), 15-per-hour-seattle 0.941, brexit-consensus 0.896;
* vtaiwan.uberx 0.710: both find two groups, but Polis's k-means sits in a local
  optimum (silhouette 0.401 on our base clusters) that we only reach from a
  balanced start (ARI 0.92); we keep the split with the best silhouette (0.426);
* london.youth.policing 0.105: 24 participants; Polis has 3 groups of 3/18/3, we also
  pick k = 3 but split the large group (silhouettes for k = 2..4 lie within 0.06 of each
  other, so tiny differences in the projection decide); the floor is only a sanity check.
"""

import pytest
from sklearn.metrics import adjusted_rand_score

from coproduce.design.analysis import analyse

pytestmark = pytest.mark.pure

FLOORS = {
    "15-per-hour-seattle": 0.85,
    "bg2050-volunteers": 0.95,
    "brexit-consensus": 0.80,
    "london.youth.policing": 0.05,
    "vtaiwan.uberx": 0.65,
}


def ari_with_polis(export) -> tuple[float, int, int]:
    result = analyse(export.vote_rows(), export.moderation(), export.meta_ids())
    polis = export.groups()
    common = [p for p in result.groups if p in polis]
    ari = adjusted_rand_score([polis[p] for p in common], [result.groups[p] for p in common])
    return ari, len(common), len(polis)


@pytest.mark.parametrize("conversation", sorted(FLOORS))
def test_adjusted_rand_index_with_polis_group_id_is_above_measured_floor(conversation, polis_export):
    ari, common, grouped = ari_with_polis(polis_export(conversation))
    assert common >= 0.95 * grouped  # nearly everyone Polis grouped is in our conversation too
    assert ari >= FLOORS[conversation], f"{conversation}: ARI {ari:.3f}"


def test_in_conversation_set_matches_polis_where_history_does_not_matter(polis_export):
    export = polis_export("15-per-hour-seattle")
    result = analyse(export.vote_rows(), export.moderation())
    assert set(result.in_conversation) == set(export.groups())
