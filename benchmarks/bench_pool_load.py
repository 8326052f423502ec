"""Loading police.uk into the pool, beside the plain pandas peer, in one run.

1. The 16 real Northamptonshire months (98,184 rows) into a fresh SQLite store with
   ``alliance.web.pool.services.load_police_uk`` (parse, validate, key, place on LSOAs, classify,
   store, quality report, one transaction), beside ``pandas.read_csv`` + ``DataFrame.to_sql`` of
   the same files into SQLite (which does none of the checking). Target: ours under 10 s.
2. Raw store speed of the bulk writer (``alliance.web.pool.bulk.write_incidents``) on SQLite and
   on PostgreSQL (when ``scripts/postgres`` can start one): rows per second; target 100,000+.

Each measurement runs in a fresh subprocess. Usage::

    uv run python benchmarks/bench_pool_load.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STREET = SHARED / "data" / "policeuk" / "street" / "northamptonshire"
GEO = SHARED / "data" / "geo"

SETUP = textwrap.dedent("""
    import time, json, sys
    from pathlib import Path
    from alliance.web.setup import django_setup
    django_setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
""")

OURS = SETUP + textwrap.dedent(f"""
    from alliance.web.pool import geography, services
    if geography.current_batch() is None:
        geography.load_geography(Path({str(GEO)!r}))
    files = sorted(Path({str(STREET)!r}).glob("*-street.csv.gz"))
    t = time.perf_counter()
    r = services.load_police_uk(files, reference_dir=Path({str(SHARED / 'reference')!r}))
    print(json.dumps({{"seconds": time.perf_counter() - t, "rows": r.rows}}))
""")

PEER = textwrap.dedent(f"""
    import time, json, sqlite3, sys
    from pathlib import Path
    import pandas as pd
    files = sorted(Path({str(STREET)!r}).glob("*-street.csv.gz"))
    t = time.perf_counter()
    con = sqlite3.connect(sys.argv[1])
    rows = 0
    for f in files:
        df = pd.read_csv(f)
        df.to_sql("street", con, if_exists="append", index=False)
        rows += len(df)
    con.commit()
    print(json.dumps({{"seconds": time.perf_counter() - t, "rows": rows}}))
""")

WRITER = SETUP + textwrap.dedent(f"""
    import pandas as pd
    from django.db import transaction, connection
    from alliance.web.pool import geography, services
    from alliance.web.pool.bulk import write_incidents
    from alliance.web.pool.models import ImportBatch, Incident
    if geography.current_batch() is None:
        geography.load_geography(Path({str(GEO)!r}))
    if not Incident.objects.exists():
        files = sorted(Path({str(STREET)!r}).glob("*-street.csv.gz"))
        services.load_police_uk(files, reference_dir=Path({str(SHARED / 'reference')!r}))
    cols = [f.attname for f in Incident._meta.fields if f.attname not in ("id", "superseded_by_id")]
    base = pd.DataFrame.from_records(list(Incident.objects.values_list(*cols)), columns=cols)
    frame = pd.concat([base] * 5, ignore_index=True)  # ~490,000 rows
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind="incidents", source="bench")
        frame["batch_id"] = batch.pk
        t = time.perf_counter()
        n = write_incidents(frame)
        seconds = time.perf_counter() - t
        transaction.set_rollback(True)
    print(json.dumps({{"seconds": seconds, "rows": n, "vendor": connection.vendor}}))
""")


def _run(code: str, env: dict[str, str], *args: str) -> dict[str, float]:
    cmd = ["/usr/bin/time", "-f", "%M", sys.executable, "-c", code, *args]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    result = json.loads(r.stdout.strip().splitlines()[-1])
    result["peak_mb"] = int(r.stderr.strip().splitlines()[-1]) / 1024
    return result


def main() -> None:
    home = tempfile.mkdtemp(prefix="alliance-bench-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ALLIANCE_HOME"] = home
    ours = _run(OURS, env)
    peer = _run(PEER, env, str(Path(home) / "peer.sqlite3"))
    print(f"16 Northamptonshire months, {ours['rows']:,.0f} rows into SQLite")
    print(f"  alliance load_police_uk      {ours['seconds']:6.2f} s  (validate, key, place, "
          f"classify, store; target < 10 s)")
    print(f"  pandas read_csv + to_sql      {peer['seconds']:6.2f} s  (no checks at all)")
    print(f"  ratio ours / pandas           {ours['seconds'] / peer['seconds']:6.2f}")

    w = _run(WRITER, env)
    print(f"bulk writer, SQLite:     {w['rows'] / w['seconds']:>10,.0f} rows/s "
          f"({w['rows']:,.0f} rows in {w['seconds']:.2f} s)")
    try:
        url = subprocess.run([str(ROOT / "scripts" / "postgres")], capture_output=True,
                             text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        print(f"bulk writer, PostgreSQL: not measured ({exc})")
        return
    pg_env = {**env, "DATABASE_URL": url, "ALLIANCE_HOME": tempfile.mkdtemp()}
    w = _run(WRITER, pg_env)
    print(f"bulk writer, PostgreSQL: {w['rows'] / w['seconds']:>10,.0f} rows/s "
          f"({w['rows']:,.0f} rows in {w['seconds']:.2f} s)")


if __name__ == "__main__":
    main()
