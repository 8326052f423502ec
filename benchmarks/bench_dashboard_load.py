"""The dashboard under 20 concurrent users, on PostgreSQL with the documented server set-up.

Target (issue 6): p95 under 300 ms with no errors. Set-up as docs/deployment.md describes:
PostgreSQL (started by scripts/postgres), gunicorn with several workers on loopback, static
files by WhiteNoise. The store holds the real ONS geography and the 16 Northamptonshire
police.uk months. Load: `wrk` (Debian package) with 20 connections for a bounded 30 s, each
request signed in as a board viewer (suppressed figures, the most common reader), against the
dashboard for Northamptonshire, 2025. The peer figure is `/healthz` under the same load (the
server's floor: Django + gunicorn doing nothing).

With ``--busy`` (issue 16: a shared deployment that scales out) the run is the one-machine
deployment of docs/deployment.md with 2 web workers and ``--task-workers`` (2) task workers,
and the dashboard is measured while those task workers build the 2025 SNA and load a year of
police.uk data (2025 re-issued: each month with one outcome revised, all 12 in one zip, one
batch): both tasks are queued as the workspace queues them and the window starts once both
run; the report says how much of each ran inside the window.

Usage::

    apt-get install wrk          # once
    uv run python benchmarks/bench_dashboard_load.py [--workers 4] [--seconds 30]
    uv run python benchmarks/bench_dashboard_load.py --busy --workers 2 --task-workers 2
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx
from _gunicorn import DATA, REFERENCE, busy, gunicorn

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "alliance_bench_dashboard"

PREPARE = textwrap.dedent(f"""
    from pathlib import Path
    from alliance.web.setup import django_setup
    django_setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from alliance.web.pool import geography, services
    if geography.current_batch() is None:
        geography.load_geography(Path({str(DATA / 'geo')!r}))
    files = sorted(Path({str(DATA / 'policeuk' / 'street' / 'northamptonshire')!r})
                   .glob("*.csv.gz"))
    services.load_police_uk(files, reference_dir=Path({str(REFERENCE)!r}))
    from alliance.web.accounts.demo import seed_demo
    s = seed_demo(password="bench-password-2026")
    print(s.emails["board_viewer"])
""")

LUA = textwrap.dedent("""
    done = function(summary, latency, requests)
      io.write(string.format("p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\\n",
        latency:percentile(50)/1000, latency:percentile(95)/1000, latency:percentile(99)/1000))
      io.write(string.format("requests=%d errors=%d non2xx=%d\\n", summary.requests,
        summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout, summary.errors.status))
    end
""")


def _wrk(url: str, cookie: str, seconds: int, script: Path) -> str:
    cmd = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
           "-H", f"Cookie: {cookie}", "--latency", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--busy", action="store_true",
                        help="measure while task workers build the SNA and load a year")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per web worker (gunicorn's gthread worker when > 1)")
    parser.add_argument("--access-log", type=Path, default=None,
                        help="write gunicorn's access log here: time, seconds in Django, path "
                             "(to see when in the window the slow requests fall)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    server = subprocess.run([str(ROOT / "scripts" / "postgres")], capture_output=True,
                            text=True, check=True).stdout.strip()
    # a database of its own (the server is shared): created once, emptied each run
    port = server.rsplit(":", 1)[1].split("/")[0]
    exists = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-p", port, "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if exists != "1":
        subprocess.run(["runuser", "-u", "postgres", "--", "createdb", "-p", port, "-O",
                        "alliance", DATABASE], check=True)
    url = server.rsplit("/", 1)[0] + "/" + DATABASE
    home = tempfile.mkdtemp(prefix="alliance-load-")
    env = {**os.environ, "DATABASE_URL": url, "ALLIANCE_HOME": home,
           "ALLIANCE_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    # a fresh database each run: drop and recreate the schema
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-p", port, "-d", DATABASE,
                    "-c",
                    "DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION alliance;"],
                   check=True, capture_output=True)
    prep = subprocess.run([sys.executable, "-c", PREPARE], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    if prep.returncode != 0:
        raise SystemExit(prep.stderr[-3000:])
    email = prep.stdout.strip().splitlines()[-1]
    extra: tuple[str, ...] = ("--threads", str(args.threads)) if args.threads > 1 else ()
    if args.access_log:
        extra += ("--access-logfile", str(args.access_log.resolve()), "--access-logformat",
                  "%(t)s %(L)s %(s)s %(p)s %(U)s")
    with gunicorn(env, port=args.port, workers=args.workers, extra=extra) as base:
        # a long timeout: the first dashboard computes the published figures
        with httpx.Client(base_url=base, follow_redirects=True, timeout=300) as client:
            page = client.get("/accounts/sign-in/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token, "no CSRF token on the sign-in page"
            r = client.post("/accounts/sign-in/", data={
                "csrfmiddlewaretoken": token.group(1), "email": email,
                "password": "bench-password-2026"}, headers={"Referer": base + "/"})
            dash_path = "/dashboard/?area=E23000022&first=2025-01&last=2025-12"
            check = client.get(dash_path)
            assert check.status_code == 200 and "sign-in" not in str(check.url), \
                f"could not sign in as {email}: {r.status_code} {check.url}"
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        script = Path(home) / "report.lua"
        script.write_text(LUA)
        if not args.busy:
            floor = _wrk(base + "/healthz", cookie, min(10, args.seconds), script)
            dash = _wrk(base + dash_path, cookie, args.seconds, script)
            print(f"gunicorn {args.workers} workers, PostgreSQL, 20 connections, wrk")
            print("  /healthz (floor):  " + " ".join(floor.strip().splitlines()[-2:]))
            print("  dashboard, 2025:   " + " ".join(dash.strip().splitlines()[-2:]))
            print("  target: dashboard p95 < 300 ms, errors = 0, non2xx = 0")
            return
        # every web worker computes the published figures once (a per-process cache): warm
        # them all, then measure the task workers idle, then busy
        _wrk(base + dash_path, cookie, 10, script)
        quiet = _wrk(base + dash_path, cookie, min(30, args.seconds), script)
        with busy(env, task_workers=args.task_workers) as work:
            work.wait_running()
            window = (time.time(), 0.0)
            floor = _wrk(base + "/healthz", cookie, min(10, args.seconds), script)
            dash = _wrk(base + dash_path, cookie, args.seconds, script)
            window = (window[0], time.time())
            report = work.report(window)
        print(f"gunicorn {args.workers} web workers + {args.task_workers} task workers, "
              f"PostgreSQL, one machine, 20 connections, wrk")
        print(f"  dashboard, 2025, task workers idle ({min(30, args.seconds)} s): "
              + " ".join(quiet.strip().splitlines()[-2:]))
        print("  while the task workers run:")
        print("  /healthz (floor):  " + " ".join(floor.strip().splitlines()[-2:]))
        print("  dashboard, 2025:   " + " ".join(dash.strip().splitlines()[-2:]))
        print(report)
        print("  target: dashboard p95 < 300 ms, errors = 0, non2xx = 0")


if __name__ == "__main__":
    main()
