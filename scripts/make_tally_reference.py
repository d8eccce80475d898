#!/usr/bin/env python
"""Compute pabutools reference outcomes for every Pabulib instance and write the test fixture.

    python scripts/make_tally_reference.py [--data DIR] [--out FILE] [--force] [--only NAME ...]

pabutools is slow (Equal Shares with ``voter_budget_increment=1`` takes minutes on Lodz 2022), so
the tests of :mod:`coproduce.budgeting.tally` compare against the committed fixture
``coproduce/budgeting/tests/fixtures/pabutools_reference.json`` instead of running pabutools each
time (one test re-runs pabutools live on the small instances to prove the fixture is current).

The fixture doubles as a cache: an entry whose file sha256 and pabutools version are unchanged is
kept unless ``--force`` is given, so an interrupted run can be resumed.

Every reference uses pabutools' default lexicographic tie-breaking (project id as a string).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "coproduce" / "budgeting" / "tests" / "fixtures" / "pabutools_reference.json"

# reference id -> (what pabutools computes, the matching call of our engine)
RULES = {
    "greedy_votes": (
        "greedy_utilitarian_welfare(sat_class=Cost_Sat): greedy by number of supporters",
        "tally(rule='greedy', score='votes', tie_break='lexico')",
    ),
    "greedy_points": (
        "greedy_utilitarian_welfare with an additive satisfaction points*cost: greedy by total points",
        "tally(rule='greedy', score='points', tie_break='lexico')",
    ),
    "mes_cost": (
        "method_of_equal_shares(sat_class=Cost_Sat)",
        "tally(rule='mes', utility='cost', weights='support', tie_break='lexico')",
    ),
    "mes_approval": (
        "method_of_equal_shares(sat_class=Cardinality_Sat)",
        "tally(rule='mes', utility='approval', weights='support', tie_break='lexico')",
    ),
    "mes_cost_add1": (
        "method_of_equal_shares(sat_class=Cost_Sat, voter_budget_increment=1)",
        "tally(rule='mes-add1', utility='cost', weights='support', tie_break='lexico')",
    ),
    "mes_points_cost": (
        "method_of_equal_shares with an additive satisfaction points*cost",
        "tally(rule='mes', utility='cost', weights='points', tie_break='lexico')",
    ),
    "mes_points": (
        "method_of_equal_shares(sat_class=Additive_Cardinal_Sat): utility = points",
        "tally(rule='mes', utility='approval', weights='points', tie_break='lexico')",
    ),
    "mes_points_cost_add1": (
        "method_of_equal_shares, points*cost satisfaction, voter_budget_increment=1",
        "tally(rule='mes-add1', utility='cost', weights='points', tie_break='lexico')",
    ),
    "phragmen": (
        "sequential_phragmen (cumulative/ordinal ballots converted to approval of the listed projects)",
        "tally(rule='phragmen', tie_break='lexico')",
    ),
}
APPROVAL_RULES = ["greedy_votes", "mes_cost", "mes_approval", "mes_cost_add1", "phragmen"]
CUMULATIVE_RULES = APPROVAL_RULES + ["greedy_points", "mes_points_cost", "mes_points", "mes_points_cost_add1"]

NOTES = {
    "cumulative": (
        "pabutools' Cost_Sat / Cardinality_Sat read a cumulative ballot as approval of the listed projects "
        "(satisfaction = cost / 1 if the project appears on the ballot), so greedy_votes / mes_cost / mes_approval / "
        "mes_cost_add1 are compared with our engine using weights='support'.  Points are compared through "
        "Additive_Cardinal_Sat (utility = points) and a points*cost satisfaction defined in this script (greedy by "
        "total points, MES with cost utilities weighted by points, which is what our engine uses by default for "
        "cumulative ballots).  sequential_phragmen only accepts approval profiles: the ballots are converted to "
        "approval of the listed projects, which is also how our Phragmen reads them (points are ignored; a "
        "points-aware Phragmen comparison is not meaningful)."
    ),
    "ordinal": (
        "pabutools' Cost_Sat / Cardinality_Sat read an ordinal ballot as approval of the ranked projects; compared "
        "with weights='support'.  Positional (Borda-like) points are not compared with pabutools: its positional "
        "satisfactions score over all projects, not the Pabulib score convention k..1 our greedy uses (that "
        "convention is checked against the files' own score column instead).  sequential_phragmen: ballots converted "
        "to approval of the ranked projects."
    ),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compute(path: Path, rule_ids: list[str]) -> dict[str, dict]:
    from pabutools.election import (
        Additive_Cardinal_Sat,
        ApprovalBallot,
        ApprovalProfile,
        Cardinality_Sat,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.election.satisfaction import AdditiveSatisfaction
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares, sequential_phragmen

    class PointsCostSat(AdditiveSatisfaction):
        """Satisfaction = points given to the project times its cost (defined here, not in pabutools)."""

        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(
                self,
                instance,
                profile,
                ballot,
                lambda inst, prof, bal, proj, pre: bal.get(proj, 0) * proj.cost,
            )

    instance, profile = parse_pabulib(str(path))
    out = {}
    for rid in rule_ids:
        t = time.perf_counter()
        if rid == "greedy_votes":
            res = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        elif rid == "greedy_points":
            res = greedy_utilitarian_welfare(instance, profile, sat_class=PointsCostSat)
        elif rid == "mes_cost":
            res = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        elif rid == "mes_approval":
            res = method_of_equal_shares(instance, profile, sat_class=Cardinality_Sat)
        elif rid == "mes_cost_add1":
            res = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
        elif rid == "mes_points_cost":
            res = method_of_equal_shares(instance, profile, sat_class=PointsCostSat)
        elif rid == "mes_points":
            res = method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat)
        elif rid == "mes_points_cost_add1":
            res = method_of_equal_shares(instance, profile, sat_class=PointsCostSat, voter_budget_increment=1)
        elif rid == "phragmen":
            prof = profile
            if not isinstance(profile, ApprovalProfile):
                prof = ApprovalProfile([ApprovalBallot(list(b)) for b in profile], instance=instance)
            res = sequential_phragmen(instance, prof)
        else:  # pragma: no cover
            raise KeyError(rid)
        out[rid] = {"selected": sorted(p.name for p in res), "seconds": round(time.perf_counter() - t, 3)}
        print(f"  {path.name} {rid}: {len(res)} projects in {out[rid]['seconds']} s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_data = os.environ.get("COPRODUCE_SHARED_DATA")
    default_data = (
        Path(default_data) / "pabulib" if default_data else ROOT.parent / "shared" / "data" / "pabulib"
    )
    ap.add_argument("--data", type=Path, default=default_data)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="recompute entries even if the file is unchanged")
    ap.add_argument("--only", nargs="*", help="file names (without .pb) to (re)compute")
    args = ap.parse_args(argv)
    files = sorted(args.data.glob("*.pb"))
    if not files:
        print(f"no .pb files in {args.data}", file=sys.stderr)
        return 1
    pv = version("pabutools")
    fixture = {
        "pabutools_version": pv,
        "tie_breaking": "lexico (pabutools default)",
        "rules": RULES,
        "notes": NOTES,
        "instances": {},
    }
    if args.out.exists():
        old = json.loads(args.out.read_text())
        if old.get("pabutools_version") == pv:
            fixture["instances"] = old.get("instances", {})
    for path in files:
        digest = sha256(path)
        entry = fixture["instances"].get(path.name)
        wanted = args.only is None or path.stem in args.only
        header = path.read_text(encoding="utf-8-sig")[:4000].lower()
        vote_type = (
            "cumulative"
            if "vote_type;cumulative" in header
            else "ordinal"
            if "vote_type;ordinal" in header
            else "approval"
        )
        rule_ids = CUMULATIVE_RULES if vote_type == "cumulative" else APPROVAL_RULES
        if (
            entry
            and entry.get("sha256") == digest
            and not args.force
            and set(entry["outcomes"]) >= set(rule_ids)
        ):
            continue
        if not wanted:
            continue
        print(f"{path.name} ({vote_type})", flush=True)
        done = entry["outcomes"] if entry and entry.get("sha256") == digest and not args.force else {}
        todo = [r for r in rule_ids if r not in done]
        fixture["instances"][path.name] = {"sha256": digest, "vote_type": vote_type, "outcomes": done}
        for rid in todo:  # one rule at a time so an interruption keeps finished work
            done.update(compute(path, [rid]))
            fixture["instances"][path.name]["outcomes"] = dict(sorted(done.items()))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(fixture, indent=1, sort_keys=False) + "\n")
    fixture["instances"] = dict(sorted(fixture["instances"].items()))
    args.out.write_text(json.dumps(fixture, indent=1, sort_keys=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
