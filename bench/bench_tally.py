#!/usr/bin/env python
"""Benchmark the participatory-budgeting engine against pabutools, side by side.

    python bench/bench_tally.py [--quick] [--files NAME.pb ...] [--repeat N]

For each file and rule it prints two of our times, best of --repeat:

- ``command``: the real ``coproduce pb tally FILE --rule R --tie-break lexico --json`` run as a
  subprocess, wall clock INCLUDING interpreter start, imports, parsing the .pb file and building the
  explanations (with the child's CPU time beside it);
- ``in-process``: the same CLI entry point called inside this process (no interpreter start);

then pabutools' time for the rule call alone (its parsing excluded, measured once in the same run)
and the ratio pabutools / command.  ``--quick`` skips pabutools (it needs minutes: MES with voter_budget_increment=1 takes
about three minutes on Lodz 2022).

Rules compared:  greedy  = ours ``--rule greedy`` (approval: by votes)  vs
``greedy_utilitarian_welfare(Cost_Sat)``;  mes = ``--rule mes`` vs
``method_of_equal_shares(Cost_Sat)``;  mes-add1 = ``--rule mes-add1`` vs
``method_of_equal_shares(Cost_Sat, voter_budget_increment=1)``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import load  # noqa: E402
from coproduce.budgeting.tally import parse_file  # noqa: E402
from coproduce.budgeting.tally.cli import main as cli_main  # noqa: E402
from coproduce.budgeting.tally.datasets import pabulib_dir  # noqa: E402

RULES = ["greedy", "mes", "mes-add1"]
COMMAND = Path(sys.executable).parent / "coproduce"


def command(path: Path, rule: str, repeat: int) -> tuple[float, float, list[str]]:
    """(best wall-clock seconds, best CPU seconds, winners) of the real command in a subprocess."""
    argv = [str(COMMAND), "pb", "tally", str(path), "--rule", rule, "--tie-break", "lexico", "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whatever the venv points at
    best = cpu = float("inf")
    selected: list[str] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, env=env)
        best = min(best, time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = min(cpu, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        assert done.returncode == 0, done.stdout + done.stderr
        selected = json.loads(done.stdout)["selected"]
    return best, cpu, selected


def ours(path: Path, rule: str, repeat: int) -> tuple[float, float, list[str]]:
    """(best wall-clock seconds, best CPU seconds, winners) of the CLI entry point, in-process."""
    best = cpu = float("inf")
    selected: list[str] = []
    for _ in range(repeat):
        buf = io.StringIO()
        t, c = time.perf_counter(), time.process_time()
        code = cli_main(["tally", str(path), "--rule", rule, "--tie-break", "lexico", "--json"], stdout=buf)
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
        assert code == 0, buf.getvalue()
        selected = json.loads(buf.getvalue())["selected"]
    return best, cpu, selected


def theirs(path: Path, rules: list[str]) -> dict[str, tuple[float, float, list[str]]]:
    """pabutools' (wall-clock seconds, CPU seconds, winners) of each rule call, parsing excluded."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    t = time.perf_counter()
    instance, profile = parse_pabulib(str(path))
    print(f"  (pabutools parsed {path.name} in {time.perf_counter() - t:.1f} s; not counted)", flush=True)
    out = {}
    for rule in rules:
        t, c = time.perf_counter(), time.process_time()
        if rule == "greedy":
            res = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        elif rule == "mes":
            res = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        else:
            res = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
        out[rule] = (time.perf_counter() - t, time.process_time() - c, sorted(p.name for p in res))
        print(f"  pabutools {rule}: {out[rule][0]:.1f} s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="skip pabutools")
    ap.add_argument("--files", nargs="*", default=["Poland_Lodz_2022.pb"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rules", nargs="*", default=RULES, choices=RULES)
    args = ap.parse_args(argv)
    data = pabulib_dir()
    if data is None:
        print("shared Pabulib data not found (set COPRODUCE_SHARED_DATA)", file=sys.stderr)
        return 1
    rows = []
    for name in args.files:
        path = data / name
        t = time.perf_counter()
        e = parse_file(path)
        parse_s = time.perf_counter() - t
        print(
            f"{name}: {e.n_voters:,} voters x {e.n_projects} projects; our parse {parse_s:.3f} s", flush=True
        )
        mine = {rule: ours(path, rule, args.repeat) for rule in args.rules}
        real = {rule: command(path, rule, args.repeat) for rule in args.rules}
        other = {} if args.quick else theirs(path, args.rules)
        for rule in args.rules:
            o, _, sel = mine[rule]
            c, ccpu, csel = real[rule]
            assert csel == sel, f"{name} {rule}: the command and the in-process call disagree"
            if rule in other:
                p, pcpu, psel = other[rule]
                rows.append((name, rule, c, ccpu, o, p, p / c, pcpu / ccpu, "yes" if sel == psel else "NO"))
            else:
                rows.append((name, rule, c, ccpu, o, None, None, None, "-"))
    w = max(len(r[0]) for r in rows)
    print()
    print(
        f"{'file'.ljust(w)}  {'rule':9}  {'command (s)':>11}  {'command cpu (s)':>15}  {'in-process (s)':>14}  "
        f"{'pabutools (s)':>13}  {'ratio':>8}  {'cpu ratio':>9}  same winners"
    )
    for name, rule, c, ccpu, o, p, ratio, cpu_ratio, same in rows:
        ps = f"{p:13.2f}" if p is not None else f"{'skipped':>13}"
        rs = f"{ratio:7.0f}x" if ratio is not None else f"{'-':>8}"
        cs = f"{cpu_ratio:8.0f}x" if cpu_ratio is not None else f"{'-':>9}"
        print(f"{name.ljust(w)}  {rule:9}  {c:11.3f}  {ccpu:15.3f}  {o:14.3f}  {ps}  {rs}  {cs}  {same}")
    print(
        f"\ncommand = `coproduce pb tally ... --json` as a subprocess: interpreter start + imports + parse + "
        f"tally + explanations, wall clock and the child's CPU time; in-process = the same entry point "
        f"without interpreter start; both best of {args.repeat}. pabutools = rule call only (wall clock, "
        "parsing excluded); ratio = pabutools / command (wall clock); cpu ratio = the same in CPU time, "
        "which other work on a shared machine distorts far less"
    )
    print(load())
    if any(r[1] == "mes-add1" and "Lodz" in r[0] and r[2] > 1.0 for r in rows):
        print(
            "WARNING: Lodz mes-add1 as a command took more than 1 s of wall-clock time "
            "(a loaded machine? see the CPU column)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
