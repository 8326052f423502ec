"""A national-size police.uk street year counted by LSOA, month and category: Alliance beside
pandas, Polars and DuckDB, each at its defaults and at its best settings.

The data
--------
police.uk publishes one street file per force and month; a national year is 43 forces x 12
months = 516 files. This machine holds only the 16 real Northamptonshire months
(shared/data/policeuk/street/northamptonshire), so the year is *built* from them once (cached
under the temp folder): each force-month file is two real months concatenated (~11,600 rows),
with the Month rewritten to the file's month and fresh Crime IDs (SHA-256 hex, as published;
anti-social behaviour rows keep their empty ID). Every other field - coordinates, locations,
LSOA codes and names, crime types, outcomes - is real published text. 516 files, 6,334,018 rows,
1.51 GB: the size of a real national year (police.uk street files for England, Wales and
Northern Ireland run to about 6-6.5 million rows a year). Rebuild with ``--rebuild``.

The work, the same on every side
--------------------------------
Count the rows of every file by (LSOA code, Month, local category), where the local category is
``CATEGORY_MAP`` applied to ``Crime type`` (other types count as 'unknown'), an empty LSOA code
(a "No Location" row) counts under a null LSOA, and the result is one table of (lsoa_code,
month, category, count). Every engine's table is checked equal to ours (a digest of the sorted
rows) before any figure is printed.

Checks. Ours (``aggregate_lsoa_month``) refuses a file whose header is not the street layout,
any line with the wrong number of fields, any byte that is not UTF-8 (in any column), any
row whose Month differs from the file name's month, and empty or header-only files; the
Polars and DuckDB runs are given the same checks as far as each engine can do them:

* header: each file's first line is compared with the street layout in Python (as ours does);
* Month: every row's Month is grouped with its file's month and any mismatch refuses the run;
* DuckDB: ``strict_mode``, no null padding and an explicit 12-column layout refuse a line with
  too many or too few fields; its CSV reader refuses invalid UTF-8 in any column;
* Polars: its reader refuses invalid UTF-8 anywhere in the file; it has no way to refuse a
  line with too few or too many fields when only some columns are read, so it checks less;
* pandas (the baseline the project started from): ``read_csv`` + ``groupby`` with no checks at
  all beyond the parser's own.

On a fault ours also names the file, line and field (by re-reading that one file row by row);
the peers only refuse. On these clean files no fault is found, so that costs nothing here.

Defaults and best settings
--------------------------
*default*: the engine as installed, the query written plainly. *best*: what the engine's own
documentation offers for this job: pandas with ``engine="pyarrow"`` and only the three columns;
Polars with its streaming engine; DuckDB with ``threads`` set to the cores and
``preserve_insertion_order=false``. Ours has no settings (``max_workers`` defaults to the
cores). On this 2-core machine every engine's default thread count is already 2.

Measuring
---------
Each measurement is a fresh subprocess (interpreter start, imports and the work), started by a
wrapper process of its own whose ``RUSAGE_CHILDREN`` covers exactly that child: wall time, CPU
time (user + system) and peak RSS per engine. Engines run in rounds (each engine once per
round, in turn), ``--repeat`` rounds; the table gives the median of each figure, and the load
average before and after.

Run: ``uv run python benchmarks/bench_national_parse.py`` (``--repeat 5``, ``--engines ours
polars-best``, ``--rebuild``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
FILE_MONTH = re.compile(r"^(\d{4}-\d{2})-.*-street\.csv$")
ENGINES = ("pandas", "pandas-best", "polars", "polars-best", "duckdb", "duckdb-best", "ours")


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


# ------------------------------------------------------------------ the engines (children)
Rows = list[tuple[str | None, str, str, int]]


def _files(folder: Path) -> list[tuple[Path, str]]:
    """(file, month from its name), with each header checked against the street layout."""
    found = []
    for path in sorted(folder.rglob("*-street.csv")):
        with path.open("rb") as f:
            header = f.readline().decode("utf-8-sig").rstrip("\r\n").split(",")
        if tuple(h.strip() for h in header) != STREET_COLUMNS:
            raise SystemExit(f"{path.name}: not the street layout: {header}")
        match = FILE_MONTH.match(path.name)
        if match is None:
            raise SystemExit(f"{path.name}: not a police.uk street file name")
        found.append((path, match.group(1)))
    return found


def _month_mismatch(bad: list[tuple[str, str]]) -> None:
    if bad:
        raise SystemExit(f"Month differs from the file name month: {bad[:5]}")


def run_pandas(folder: Path, best: bool) -> Rows:
    import pandas as pd

    files = sorted(folder.rglob("*-street.csv"))
    if best:
        frame = pd.concat([pd.read_csv(f, engine="pyarrow", dtype=str, keep_default_na=False,
                                       usecols=["LSOA code", "Month", "Crime type"])
                           for f in files], ignore_index=True)
    else:
        frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    counts = frame.groupby(["LSOA code", "Month", "Crime type"], dropna=False).size()
    return _mapped(((None if pd.isna(lsoa) or lsoa == "" else lsoa, month, kind, int(n))
                    for (lsoa, month, kind), n in counts.items()))


def _mapped(grouped: object) -> Rows:
    """(lsoa, month, crime type, n) -> rows summed by local category."""
    totals: dict[tuple[str | None, str, str], int] = {}
    for lsoa, month, kind, n in grouped:  # type: ignore[attr-defined]
        key = (lsoa, month, CATEGORY_MAP.get(kind, "unknown"))
        totals[key] = totals.get(key, 0) + n
    return [(*key, n) for key, n in totals.items()]


def run_polars(folder: Path, best: bool) -> Rows:
    import polars as pl

    schema = dict.fromkeys(STREET_COLUMNS, pl.String)
    scans = [pl.scan_csv(path, schema=schema, has_header=True, empty_string_is_null=False)
             .select("LSOA code", "Month", "Crime type", pl.lit(month).alias("file_month"))
             for path, month in _files(folder)]
    grouped = pl.concat(scans).group_by("file_month", "Month", "LSOA code", "Crime type").len()
    counts = grouped.collect(engine="streaming") if best else grouped.collect()
    bad = counts.filter(pl.col("Month") != pl.col("file_month"))
    _month_mismatch(list(zip(bad["file_month"], bad["Month"], strict=True)))
    local = (counts.with_columns(
                 pl.col("Crime type").replace_strict(CATEGORY_MAP, default="unknown")
                 .alias("category"),
                 pl.when(pl.col("LSOA code") == "").then(None).otherwise(pl.col("LSOA code"))
                 .alias("lsoa_code"))
             .group_by("lsoa_code", "Month", "category").agg(pl.col("len").sum()))
    return [(lsoa, month, category, int(n)) for lsoa, month, category, n in local.iter_rows()]


def run_duckdb(folder: Path, best: bool) -> Rows:
    import duckdb

    files = _files(folder)
    con = duckdb.connect()
    if best:
        con.execute(f"SET threads = {os.cpu_count() or 1}")
        con.execute("SET preserve_insertion_order = false")
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in STREET_COLUMNS) + "}"
    names = [str(path) for path, _ in files]
    month_of = {str(path): month for path, month in files}
    counts = con.execute(f"""
        SELECT filename, "Month", "LSOA code", "Crime type", count(*) AS n
        FROM read_csv(?, header = true, columns = {columns}, auto_detect = false,
                      delim = ',', quote = '"', escape = '"', strict_mode = true,
                      null_padding = false, filename = true)
        GROUP BY ALL
    """, [names]).fetchall()
    _month_mismatch([(month_of[f], m) for f, m, _, _, _ in counts if m != month_of[f]])
    return _mapped(((lsoa or None, month, kind, n) for _, month, lsoa, kind, n in counts))


def run_ours(folder: Path, best: bool) -> Rows:
    from alliance.sources.police_uk import aggregate_lsoa_month, discover

    counts = aggregate_lsoa_month(discover([folder]), category_map=CATEGORY_MAP)
    return [(None if not isinstance(lsoa, str) else lsoa, month, category, int(n))
            for lsoa, month, category, n in counts.itertuples(index=False)]


RUNNERS: dict[str, Callable[[Path, bool], Rows]] = {
    "pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb, "ours": run_ours,
}


#: What each engine imports, timed apart from the work (the whole-process figure has both).
IMPORTS = {"pandas": "pandas", "polars": "polars", "duckdb": "duckdb",
           "ours": "alliance.sources.police_uk"}


def child(which: str, folder: Path) -> dict[str, object]:
    engine = which.removesuffix("-best")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    started = time.perf_counter()
    __import__(IMPORTS[engine])
    imported = time.perf_counter()
    rows = RUNNERS[engine](folder, which.endswith("-best"))
    computed = time.perf_counter() - imported
    ordered = sorted(rows, key=lambda r: (r[1], r[0] is None, r[0] or "", r[2]))
    digest = hashlib.sha256(repr(ordered).encode()).hexdigest()[:16]
    return {"rows": sum(r[3] for r in rows), "groups": len(rows), "digest": digest,
            "import_s": imported - started, "compute_s": computed}


# ------------------------------------------------------------------ measuring (parent)
def measure(which: str, folder: Path) -> dict[str, object]:
    """Wrapper process: run one measured child, report its wall time, CPU time and peak RSS."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", which, str(folder)],
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": usage.ru_maxrss / 1024}


def once(which: str, folder: Path) -> dict[str, object]:
    # a fresh wrapper per measurement, so that RUSAGE_CHILDREN covers one child only
    done = subprocess.run([sys.executable, __file__, "--measure", which, str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{which} failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "FOLDER"))
    parser.add_argument("--measure", nargs=2, metavar=("WHICH", "FOLDER"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    folder = build(args.rebuild)
    files = sorted(folder.rglob("*-street.csv"))
    size = sum(f.stat().st_size for f in files)
    print(f"data: {len(files)} files, {size / 1e9:.2f} GB in {folder}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
    runs: dict[str, list[dict[str, object]]] = {e: [] for e in args.engines}
    for round_ in range(args.repeat):
        for which in args.engines:
            r = once(which, folder)
            runs[which].append(r)
            print(f"  round {round_ + 1} {which:>11}: wall {r['wall_s']:.2f} s, "
                  f"CPU {r['cpu_s']:.2f} s, peak {r['peak_rss_mib']:,.0f} MiB", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    digests = {which: {r["digest"] for r in rs} for which, rs in runs.items()}
    if len(set().union(*digests.values())) != 1:
        raise SystemExit(f"the engines' tables differ: {digests}")
    first = next(iter(runs.values()))[0]
    print(f"every engine gives the same table: {first['rows']:,} rows in "
          f"{first['groups']:,} (LSOA, month, category) counts")

    def median(which: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[which])  # type: ignore[arg-type]

    print(f"\nmedian of {args.repeat} | whole process wall | imports | work | CPU | peak RSS")
    for which in args.engines:
        print(f"{which:>11} | {median(which, 'wall_s'):6.2f} s | "
              f"{median(which, 'import_s'):5.2f} s | "
              f"{median(which, 'compute_s'):6.2f} s | {median(which, 'cpu_s'):6.2f} s | "
              f"{median(which, 'peak_rss_mib'):6,.0f} MiB")
    if "ours" in runs:
        print("\nratios (peer / ours; above 1 means ours is faster or smaller)")
        for which in args.engines:
            if which != "ours":
                print(f"{which:>11}: wall {median(which, 'wall_s') / median('ours', 'wall_s'):.2f}"
                      f"x, CPU {median(which, 'cpu_s') / median('ours', 'cpu_s'):.2f}x, "
                      f"peak memory "
                      f"{median(which, 'peak_rss_mib') / median('ours', 'peak_rss_mib'):.2f}x")


if __name__ == "__main__":
    main()
