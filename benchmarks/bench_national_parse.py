"""National-size police.uk street year: plain pandas vs aggregate_lsoa_month.

Builds (once, cached under the temp folder) a national-size year of police.uk street CSVs:
43 "forces" x 12 months = 516 files, about 6 million rows and 1.4 GB, made by repeating the
real Northamptonshire months (shared/data/policeuk/street/northamptonshire) with the Month
rewritten and fresh Crime IDs (ASB rows keep an empty ID, as published). Then, in one run and
each in a fresh subprocess, counts crimes by LSOA, month and type with

(a) plain pandas: ``pd.read_csv`` of every file, ``concat``, then
    ``groupby(['LSOA code', 'Month', 'Crime type']).size()``;
(b) ``alliance.sources.police_uk.aggregate_lsoa_month`` (validated, streaming pyarrow).

Wall time, CPU time and peak RSS are measured by a wrapper process per measurement (its
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` covers exactly one measured child).

Run: ``.venv/bin/python benchmarks/bench_national_parse.py`` (``--rebuild`` to rewrite data).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORCES = 43
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
CACHE = Path(tempfile.gettempdir()) / "alliance_bench_national_street_2025"
DONE = CACHE / "COMPLETE"
CATEGORY_MAP = {
    "Violence and sexual offences": "violence",
    "Robbery": "robbery",
    "Possession of weapons": "weapons",
}


def _source_folder() -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from alliance import config

    return config.load().shared_data / "policeuk" / "street" / "northamptonshire"


def build(rebuild: bool = False) -> Path:
    if DONE.exists() and not rebuild:
        return CACHE
    sources = sorted(_source_folder().glob("*-northamptonshire-street.csv.gz"))
    if len(sources) != 16:
        raise SystemExit(f"expected the 16 real Northamptonshire files, found {len(sources)}")
    months = []
    for path in sources:
        header, *rows = gzip.decompress(path.read_bytes()).decode().splitlines()
        months.append(rows)
    serial = 0
    started = time.perf_counter()
    for m_index, month in enumerate(MONTHS):
        folder = CACHE / month
        folder.mkdir(parents=True, exist_ok=True)
        for force in range(FORCES):
            k = m_index * FORCES + force
            rows = months[k % 16] + months[(k + 7) % 16]  # ~11,600 rows per force-month
            out = [header]
            for row in rows:
                crime_id, _, rest = row.split(",", 2)
                if crime_id:
                    serial += 1
                    crime_id = hashlib.sha256(f"bench-{serial}".encode()).hexdigest()
                out.append(f"{crime_id},{month},{rest}")
            name = f"{month}-force{force:02d}-street.csv"
            (folder / name).write_text("\n".join(out) + "\n", encoding="utf-8")
    DONE.write_text("ok\n")
    print(f"built {CACHE} in {time.perf_counter() - started:.0f} s", flush=True)
    return CACHE


def run_pandas(folder: Path) -> dict[str, float]:
    import pandas as pd

    files = sorted(folder.rglob("*-street.csv"))
    frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    counts = frame.groupby(["LSOA code", "Month", "Crime type"]).size()
    return {"rows": float(len(frame)), "counted": float(counts.sum()),
            "groups": float(len(counts))}


def run_ours(folder: Path) -> dict[str, float]:
    from alliance.sources.police_uk import aggregate_lsoa_month, discover

    counts = aggregate_lsoa_month(discover([folder]), category_map=CATEGORY_MAP)
    located = counts[counts["lsoa_code"].notna()]
    return {"rows": float(counts["count"].sum()), "counted": float(located["count"].sum()),
            "groups": float(len(counts))}


def measure(which: str, folder: Path) -> dict[str, float]:
    """Wrapper process: run one measured child, report its wall time and peak RSS."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", which, str(folder)],
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "FOLDER"))
    parser.add_argument("--measure", nargs=2, metavar=("WHICH", "FOLDER"))
    args = parser.parse_args()
    if args.child:
        which, folder = args.child
        started = time.perf_counter()
        result = (run_pandas if which == "pandas" else run_ours)(Path(folder))
        result["compute_s"] = time.perf_counter() - started
        print(json.dumps(result))
        return
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    folder = build(args.rebuild)
    files = sorted(folder.rglob("*-street.csv"))
    size = sum(f.stat().st_size for f in files)
    print(f"data: {len(files)} files, {size / 1e9:.2f} GB in {folder}")
    results = {}
    for which in ("pandas", "ours"):
        # a fresh wrapper per measurement so that RUSAGE_CHILDREN covers one child only
        done = subprocess.run([sys.executable, __file__, "--measure", which, str(folder)],
                              check=True, capture_output=True, text=True)
        results[which] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[which]
        print(f"{which:>7}: {r['rows']:,.0f} rows, {r['groups']:,.0f} groups, "
              f"wall {r['wall_s']:.1f} s (compute {r['compute_s']:.1f} s), "
              f"CPU {r['cpu_s']:.1f} s, "
              f"peak RSS {r['peak_rss_mib']:,.0f} MiB", flush=True)
    a, b = results["pandas"], results["ours"]
    if a["rows"] != b["rows"] or a["counted"] != b["counted"]:
        raise SystemExit(f"the two counts differ: pandas {a}, ours {b}")
    print(f"speed-up (pandas wall / ours wall): {a['wall_s'] / b['wall_s']:.1f}x "
          f"(target >= 3x); CPU time ratio {a['cpu_s'] / b['cpu_s']:.1f}x "
          "(wall time depends on how busy the cores are: ours uses all of them)")
    print(f"memory (ours peak / pandas peak): {b['peak_rss_mib'] / a['peak_rss_mib']:.2f} "
          f"(target <= 0.5)")


if __name__ == "__main__":
    main()
