"""Benchmark: our Pol.is analysis vs red-dwarf 0.4.0 ``run_pipeline`` (the peer), same input.

Run:  cd /work/main && .venv/bin/python benchmarks/bench_opinion.py [--rounds 3] [--repeats 7]
      [--skip-synthetic]

Part 1 — the largest real conversation, ``american-assembly.bowling-green`` (2,031 × 896,
225,524 votes; read from local files only, no network). Each implementation runs in its own
subprocess, alternating ``--rounds`` times because the machine is shared. A worker imports its
package, loads the same long vote table from ``participants-votes.csv`` (streamed with the
``csv`` module, outside the timed region; red-dwarf also gets it as the list of dicts its API
takes), then times the analysis alone: best over all runs, and the median of the per-process
medians. Memory is the worker's peak ``ru_maxrss`` (whole process: interpreter, imports, data,
analysis) and the growth of ``ru_maxrss`` across the analysis (roughly the analysis' own
working memory). red-dwarf runs with its defaults and ``random_state=0``; moderated-out
statements follow Polis's rule (``moderated == -1`` or ``is_meta``).

Part 2 — synthetic 10,000 participants × 1,000 statements with 3 planted opinion groups
(each participant votes on ~30% of statements); our analysis end to end, and the adjusted Rand
index of our groups against the planted ones. Target: under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CONVERSATION = "american-assembly.bowling-green"


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _shared_data() -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from alliance import config

    return Path(config.load().shared_data)


def _load_long_votes(folder: Path) -> pd.DataFrame:
    """Latest vote per cell from participants-votes.csv as a long ``int64`` table.

    Streams the matrix a row at a time (``csv`` module) into growing ``array`` buffers that
    become the frame's columns without a copy, so loading costs about the long table itself
    (5.4 MB): a wide frame plus the C parser's buffers for 900 columns would add ~20 MB of
    transient memory to *both* workers' peaks without being part of either analysis.
    """
    import csv
    from array import array

    import numpy as np
    import pandas as pd

    columns: dict[str, array[int]] = {
        "participant_id": array("q"), "statement_id": array("q"), "vote": array("q"),
    }
    with (folder / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        positions = [j for j, name in enumerate(header) if name.isdigit()]
        participant_column = header.index("participant")
        for record in reader:
            voted = [(int(header[j]), int(record[j])) for j in positions if record[j] != ""]
            columns["participant_id"].extend([int(record[participant_column])] * len(voted))
            columns["statement_id"].extend(statement for statement, _ in voted)
            columns["vote"].extend(vote for _, vote in voted)
    return pd.DataFrame(
        {name: np.frombuffer(values, dtype=np.int64) for name, values in columns.items()},
        copy=False,
    )


def _moderated_out(folder: Path) -> list[int]:
    """Polis's rule: moderated == -1 or is_meta (polis-api/comments.json)."""
    records = json.loads((folder / "polis-api" / "comments.json").read_text(encoding="utf-8"))
    return sorted(int(r["statement_id"]) for r in records if r["is_meta"] or r["moderated"] == -1)


def worker(which: str, folder: Path, repeats: int) -> None:
    start = time.perf_counter()
    if which == "ours":
        from alliance.voice.opinion import analyse
    else:
        from reddwarf.implementations.polis import run_pipeline
    import_s = time.perf_counter() - start
    votes = _load_long_votes(folder)
    moderated = _moderated_out(folder)
    records = votes.to_dict("records") if which == "reddwarf" else None
    before = _maxrss_mb()
    timings = []
    k = -1
    for _ in range(repeats):
        t0 = time.perf_counter()
        if which == "ours":
            result = analyse(votes, moderated_out=moderated, seed=0)
            k = result.k
        else:
            rd = run_pipeline(votes=records, mod_out_statement_ids=moderated, random_state=0)
            k = int(rd.participants_df["cluster_id"].dropna().nunique())
        timings.append(time.perf_counter() - t0)
    print(json.dumps({
        "which": which, "import_s": import_s, "best_s": min(timings),
        "median_s": statistics.median(timings), "peak_mb": _maxrss_mb(),
        "analysis_growth_mb": _maxrss_mb() - before, "k": k, "n_votes": len(votes),
    }))


def synthetic_worker(n_participants: int, n_statements: int, seed: int) -> None:
    import numpy as np
    import pandas as pd

    from alliance.voice.opinion import analyse

    rng = np.random.default_rng(seed)
    n_groups = 3
    planted = rng.integers(0, n_groups, size=n_participants)
    # Each group has its own agree probability per statement; 15% passes.
    agree_p = rng.beta(0.6, 0.6, size=(n_groups, n_statements))
    seen = rng.random((n_participants, n_statements)) < 0.3
    rows, cols = np.nonzero(seen)
    u = rng.random(len(rows))
    p = agree_p[planted[rows], cols]
    vote = np.where(u < 0.15, 0, np.where(rng.random(len(rows)) < p, 1, -1))
    votes = pd.DataFrame({"participant_id": rows, "statement_id": cols, "vote": vote})
    t0 = time.perf_counter()
    result = analyse(votes, seed=0)
    elapsed = time.perf_counter() - t0
    from sklearn.metrics import adjusted_rand_score

    labels = result.groups.dropna()
    ari = adjusted_rand_score(planted[labels.index.to_numpy()], labels.to_numpy(dtype=int))
    print(json.dumps({
        "n_votes": len(votes), "seconds": elapsed, "k": result.k, "ari": ari,
        "peak_mb": _maxrss_mb(),
    }))


def _run(args: list[str]) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + str(ROOT))
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"worker {args} failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["ours", "reddwarf", "synthetic"])
    parser.add_argument("--folder")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    if args.worker == "synthetic":
        synthetic_worker(10_000, 1_000, seed=0)
        return
    if args.worker:
        worker(args.worker, Path(args.folder), args.repeats)
        return

    folder = _shared_data() / "polis" / CONVERSATION
    print(
        f"{CONVERSATION}: analysis alone; {args.rounds} alternating rounds of one subprocess per "
        f"implementation, {args.repeats} timed runs each (the machine is shared, so alternate)"
    )
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "reddwarf": []}
    for _ in range(args.rounds):
        for which in runs:
            runs[which].append(_run(
                ["--worker", which, "--folder", str(folder), "--repeats", str(args.repeats)]
            ))
    summary = {
        which: {
            "best_s": min(r["best_s"] for r in rows),
            "median_s": statistics.median(r["median_s"] for r in rows),
            "import_s": statistics.median(r["import_s"] for r in rows),
            "peak_mb": max(r["peak_mb"] for r in rows),
            "analysis_growth_mb": max(r["analysis_growth_mb"] for r in rows),
            "k": rows[0]["k"],
        }
        for which, rows in runs.items()
    }
    ours, peer = summary["ours"], summary["reddwarf"]
    for which, row in summary.items():
        print(
            f"  {which:9s} best {row['best_s']:.3f} s  median {row['median_s']:.3f} s  "
            f"import {row['import_s']:.2f} s  peak RSS {row['peak_mb']:.0f} MB  "
            f"analysis RSS growth {row['analysis_growth_mb']:.0f} MB  k={row['k']:.0f}"
        )
    print(
        f"  ratio red-dwarf/ours: time (best) {peer['best_s'] / ours['best_s']:.1f}x, "
        f"time (median) {peer['median_s'] / ours['median_s']:.1f}x; "
        f"peak RSS ours/red-dwarf {ours['peak_mb'] / peer['peak_mb']:.2f}, "
        f"analysis growth ours/red-dwarf "
        f"{ours['analysis_growth_mb'] / max(peer['analysis_growth_mb'], 1e-9):.2f}"
    )
    if not args.skip_synthetic:
        syn = _run(["--worker", "synthetic"])
        print(
            f"synthetic 10,000 x 1,000, 3 planted groups, {syn['n_votes']:,} votes: "
            f"{syn['seconds']:.2f} s, k={syn['k']}, ARI vs planted {syn['ari']:.3f}, "
            f"peak RSS {syn['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
