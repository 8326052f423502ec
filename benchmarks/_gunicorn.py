"""The documented production server (docs/deployment.md) started for a load benchmark.

Shared by ``bench_dashboard_load.py`` and ``bench_votes_load.py``: gunicorn with sync workers on
loopback, in the given environment (PostgreSQL ``DATABASE_URL``, a scratch ``ALLIANCE_HOME``),
ready once ``/healthz`` answers, stopped with SIGTERM as a service manager would.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, port: int, workers: int,
             extra: tuple[str, ...] = ()) -> Iterator[str]:
    """Run the web shell under gunicorn; yields its base URL once it answers /healthz."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "alliance.web.wsgi:application", "--workers",
         str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "120", *extra],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not answer {base}/healthz within 20 s")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
