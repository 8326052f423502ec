"""scripts/deploy-local brings up the shared deployment on one machine and stops it cleanly.

Run for real: PostgreSQL (scripts/postgres, in a database of this test's own), 2 gunicorn web
workers and 2 task workers as separate processes. Checked: the health and readiness endpoints
answer, a task queued from outside (``alliance worker --check``) is run by one of the task
workers, every process is there, and SIGTERM stops them all. No timings are asserted; the
waits are generous bounds for a loaded machine.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 600  # seconds: starting nine Python processes on two busy cores takes a while

# the PostgreSQL pass of `make test` selects database tests; this one uses no test database
# but needs the server, so it carries both marks (deselected on SQLite)
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(
        f"/proc/{pid}/status").read_text().lower()


def test_the_script_starts_web_and_task_workers_and_stops_them(tmp_path: Path) -> None:
    own = urlparse(os.environ["DATABASE_URL"]).path.lstrip("/") or "alliance"
    database = f"{own}_deploy"[:63]
    port = _free_port()
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    log = (tmp_path / "deploy.log").open("w")
    script = subprocess.Popen(
        [str(ROOT / "scripts" / "deploy-local"), "--web", "2", "--tasks", "2", "--port",
         str(port), "--home", str(home), "--database", database, "--scheduled-every", "0"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while "Alliance is running" not in (tmp_path / "deploy.log").read_text():
            assert script.poll() is None, (tmp_path / "deploy.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the deployment never said it was running"
            time.sleep(1)
        # threaded web workers by default (docs/deployment.md, "Sizing")
        assert "2 web worker(s) of 4 thread(s)" in (tmp_path / "deploy.log").read_text()
        assert httpx.get(base + "/healthz", timeout=30).json() == {"ok": True}
        ready = httpx.get(base + "/healthz/ready", timeout=30)
        assert ready.status_code == 200 and ready.json()["database"] == "ok"
        assert httpx.get(base + "/accounts/sign-in/", timeout=30).status_code == 200

        # a task queued from outside is taken by one of the two task workers
        check_env = {**env, "ALLIANCE_HOME": str(home),
                     "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0]
                     + f"/{database}"}
        check = subprocess.run(
            [sys.executable, "-m", "alliance.cli.main", "worker", "--check", "--timeout", "300"],
            env=check_env, cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
        assert check.returncode == 0, check.stderr[-2000:]
        assert "run by" in check.stdout

        pids = [int(p) for p in (home / "run" / "deploy.pids").read_text().split()]
        assert len(pids) == 3 and all(_alive(p) for p in pids)  # gunicorn and two workers
        master = int((home / "run" / "gunicorn.pid").read_text())
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True,
                                  text=True).stdout.split()
        assert len(children) == 2  # the two web workers
    finally:
        script.send_signal(signal.SIGTERM)
        code = script.wait(timeout=WAIT)
        log.close()
    assert code == 0, (tmp_path / "deploy.log").read_text()[-3000:]
    for _ in range(60):
        if not any(_alive(p) for p in pids):
            break
        time.sleep(1)
    assert not any(_alive(p) for p in pids), "a process outlived the deployment"
    assert not (home / "run" / "deploy.pids").exists()
