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

from alliance import config

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


# -- background work beside the load: task workers running an SNA build and a year's load ------

_CONFIG = config.load()
#: the public data and reference tables where the settings say (ALLIANCE_SHARED_DATA, ...)
DATA, REFERENCE = _CONFIG.shared_data, _CONFIG.reference
NORTHANTS = DATA / "policeuk" / "street" / "northamptonshire"

#: loads geography and the 16 Northamptonshire months (what the SNA build needs), once
PREPARE_DATA = f"""
from pathlib import Path
from alliance.web.setup import django_setup
django_setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from alliance.web.pool import geography, services
if geography.current_batch() is None:
    geography.load_geography(Path({str(DATA / 'geo')!r}))
services.load_police_uk(sorted(Path({str(NORTHANTS)!r}).glob("*.csv.gz")),
                        reference_dir=Path({str(REFERENCE)!r}))
"""

#: queues the background work as the workspace would (ALLIANCE_TASKS_INLINE=0): police.uk's
#: re-issue of the year 2025 (each month with one outcome revised, as police.uk does) uploaded
#: as one zip, and an SNA build of 2025; prints the two task ids
QUEUE_BUSY = f"""
import csv, gzip, io, json, zipfile
from pathlib import Path
from alliance import config
from alliance.web.setup import django_setup
django_setup()
from alliance.web.reports import services as reports
from alliance.web.tasks.services import enqueue
folder = config.load().home / "uploads" / "busy"
folder.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(folder / "2025-reissue.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for month in sorted(Path({str(NORTHANTS)!r}).glob("2025-*-street.csv.gz")):
        rows = list(csv.reader(io.StringIO(gzip.open(month, "rt", encoding="utf-8").read())))
        column = rows[0].index("Last outcome category")
        rows[1][column] = "Investigation complete; no suspect identified"
        text = io.StringIO()
        csv.writer(text, lineterminator="\\n").writerows(rows)
        out.writestr(month.name.removesuffix(".gz"), text.getvalue())
load = enqueue("load_police_uk", path="busy/2025-reissue.zip", name="2025-reissue.zip")
build = reports.start_build(area_code="E23000022", area_name="Northamptonshire",
                            period="2025", pdf=True, user=None)
print(json.dumps({{"load": load.pk, "sna": build.task_id}}))
"""

REPORT_BUSY = """
import json, sys
from alliance.web.setup import django_setup
django_setup()
from alliance.web.tasks.models import Task
out = {}
for name, pk in json.loads(sys.argv[1]).items():
    t = Task.objects.get(pk=pk)
    out[name] = {"status": t.status, "message": t.message, "error": t.error[:200],
                 "started": t.started_at.timestamp() if t.started_at else None,
                 "finished": t.finished_at.timestamp() if t.finished_at else None,
                 "worker": t.worker}
print(json.dumps(out))
"""


def _python(code: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return done.stdout.strip().splitlines()[-1]


class Busy:
    """The background work's tasks; :meth:`report` says when each ran."""

    def __init__(self, env: dict[str, str], ids: dict[str, int]) -> None:
        self.env, self.ids = env, ids

    def states(self) -> dict[str, dict[str, object]]:
        import json

        return dict(json.loads(_python(REPORT_BUSY, self.env, json.dumps(self.ids))))

    def wait_running(self, timeout: float = 600) -> None:
        """Until both tasks have started (the measured window then overlaps them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(s["started"] for s in self.states().values()):
                return
            time.sleep(1)
        raise SystemExit("the task workers did not start the background work")

    def report(self, window: tuple[float, float]) -> str:
        lines = []
        for name, s in self.states().items():
            start, end = s["started"], s["finished"] or time.time()
            overlap = max(0.0, min(end, window[1]) - max(start, window[0])) if start else 0
            label = {"load": "year of police.uk (2025 re-issue, 12 months, one batch)",
                     "sna": "SNA build, Northamptonshire 2025 (HTML, Word, PDF)"}[name]
            took = f"{end - start:.0f} s" if start else "not started"
            lines.append(f"  {label}: {s['status']} ({took}; {overlap:.0f} s of it inside the "
                         f"measured window){' ' + str(s['error']) if s['error'] else ''}")
        return "\n".join(lines)


@contextlib.contextmanager
def busy(env: dict[str, str], *, task_workers: int) -> Iterator[Busy]:
    """Start ``task_workers`` `alliance worker` processes with an SNA build and a year's load
    queued for them; stopped (SIGTERM, then killed after 60 s) on exit."""
    import json

    env = {**env, "ALLIANCE_TASKS_INLINE": "0"}
    ids = json.loads(_python(QUEUE_BUSY, env))
    # at nice 10, as scripts/deploy-local starts them: page requests come first
    workers = [subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "alliance.cli.main",
                                 "worker"],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(task_workers)]
    try:
        yield Busy(env, ids)
    finally:
        for w in workers:
            w.send_signal(signal.SIGINT)
            w.send_signal(signal.SIGINT)  # a second signal: stop now, mid-task if need be
        for w in workers:
            try:
                w.wait(timeout=60)
            except subprocess.TimeoutExpired:
                w.kill()


def prepare_busy_data(env: dict[str, str]) -> None:
    """Give the store what the background work needs: the geography and the 16 months."""
    _python(PREPARE_DATA + "\nprint('ready')", env)


@contextlib.contextmanager
def busy_window(env: dict[str, str], *, task_workers: int, on: bool) -> Iterator[Window]:
    """A measured window, beside the background work when ``on`` (:func:`busy`): its
    :attr:`Window.background` says afterwards how much of each task ran inside it."""
    with contextlib.ExitStack() as stack:
        work = stack.enter_context(busy(env, task_workers=task_workers)) if on else None
        if work is not None:
            work.wait_running()
        window = Window(time.time())
        yield window
        if work is not None:
            window.background = work.report((window.began, time.time()))


class Window:
    def __init__(self, began: float) -> None:
        self.began, self.background = began, ""
