"""`make bench`: run every benchmark in this folder in turn and print their figures.

Each bench_*.py is a standalone script. Benchmarks that need PostgreSQL use DATABASE_URL when it points
at PostgreSQL, otherwise postgres://postgres@127.0.0.1:5432/ (they create and drop scratch databases).
Pass names to run only some: `python bench/run.py tally analysis`. Extra flags after `--` go to each script.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    names = argv[: argv.index("--")] if "--" in argv else argv
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/coproduce"
    failures = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *extra], env=env, cwd=HERE.parent)
        print(f"--- {script.stem}: exit {result.returncode} in {time.perf_counter() - started:.1f} s", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
