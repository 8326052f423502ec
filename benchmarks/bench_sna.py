"""The whole Northamptonshire SNA end to end: `alliance sna` writing HTML + DOCX + PDF + data/.

Inputs: the real data loaded through the pool exactly as `alliance demo` does (ONS geography
from shared/data/geo and the 16 Northamptonshire police.uk street files) into a scratch store
(``--home``, default a temporary folder; loading is not timed). Then, ``--repeats`` times, a
fresh Python process runs the `alliance sna --area E23000022 --period 2025-01:2025-12` command
function (Django start-up and migrate check included, as a user would run it) and reports its
wall time and peak resident memory (``ru_maxrss`` of that process, WeasyPrint included).

No peer package produces a Strategic Needs Assessment, so there is no ratio to print: the
figures are compared with the issue's targets (under 15 s, under 1.5 GB).

Run: ``.venv/bin/python benchmarks/bench_sna.py [--home DIR] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGET_SECONDS = 15.0
TARGET_MB = 1536.0

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
import typer
from alliance.cli.sna import sna
app = typer.Typer()
app.command()(sna)
app.command("noop")(lambda: None)
try:
    app(["sna", "--area", "E23000022", "--period", "2025-01:2025-12", "--out", sys.argv[1]])
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps({"inside_s": time.perf_counter() - start,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ALLIANCE_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def prepare(home: Path) -> None:
    """Load geography and the Northamptonshire files into ``home`` unless already there."""
    marker = home / "bench_sna_loaded"
    if marker.exists():
        return
    sys.path.insert(0, str(ROOT / "src"))
    from alliance import config

    shared = config.load().shared_data
    alliance = [PYTHON, "-m", "alliance.cli.main"]
    steps = [[*alliance, "setup"],
             [*alliance, "load", "geography", "--from", str(shared / "geo")],
             [*alliance, "load", "police-uk", "--from",
              str(shared / "policeuk" / "street" / "northamptonshire")]]
    for step in steps:
        print("preparing:", " ".join(step[3:]), flush=True)
        subprocess.run(step, check=True, env=_env(home), stdout=subprocess.DEVNULL)
    marker.write_text("loaded\n")


def run_once(home: Path, out: Path) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", CHILD, str(out)], check=True, env=_env(home),
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    result = json.loads(done.stdout.strip().splitlines()[-1])
    sizes = {name: (out / name).stat().st_size / 2**20
             for name in ("index.html", "sna.docx", "sna.pdf")}
    return {"wall_s": wall, **result, **{f"{k}_mb": v for k, v in sizes.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch) / "home"
        home.mkdir(parents=True, exist_ok=True)
        prepare(home)
        runs = [run_once(home, Path(scratch) / f"sna{i}") for i in range(args.repeats)]
    walls = [r["wall_s"] for r in runs]
    rss = max(r["max_rss_mb"] for r in runs)
    print(f"alliance sna, Northamptonshire, 2025 (443 LSOAs, 16 months held), {len(runs)} runs")
    print(f"  wall time   best {min(walls):6.1f} s   median {statistics.median(walls):6.1f} s"
          f"   (target < {TARGET_SECONDS:.0f} s; process start and Django included)")
    print(f"  peak memory {rss:8.0f} MB                     (target < {TARGET_MB:.0f} MB)")
    last = runs[-1]
    print(f"  outputs     index.html {last['index.html_mb']:.2f} MB, sna.docx "
          f"{last['sna.docx_mb']:.2f} MB, sna.pdf {last['sna.pdf_mb']:.2f} MB")
    print("  peer: none (no package writes an SNA); ratio not applicable")


if __name__ == "__main__":
    main()
