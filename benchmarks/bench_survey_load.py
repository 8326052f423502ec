"""Survey submissions: 200 a second held for a minute, open model, PostgreSQL.

Target (issue 14): p95 under 100 ms, and every submission stored (counted and compared, answer
by answer, in the database after the run). Set-up as docs/deployment.md describes: PostgreSQL
(scripts/postgres; this script uses its own database, ``alliance_bench_surveys``, dropped and
created each run) with the real ONS geography loaded (so every pin is placed in its LSOA and
ward as in production), gunicorn with several sync workers on loopback.

What is timed is the last step of a resident's survey: the POST of "Send my answers" with the
signed form state holding every answer (the example "Feeling safe" survey: choices, a
ranking, free text screened for personal data, a map pin placed in its LSOA and ward, age
and sex), through CSRF, the per-address limit, validation, screening and the one transaction
that stores the response and its pin, answered by a redirect to the thank-you page (a GET
the script does not time: it costs no write). The pages before it cost the database nothing (the
answers travel in the form), so this is the write the server must keep up with. One in a
hundred submissions is sent a second time (a double click or a replayed form): it must be
answered "we already have your answers" and stored once.

Load: an asyncio generator schedules submission ``i`` at ``t0 + i / rate`` whatever happened
before (an open model) and measures latency from that scheduled time (no coordinated
omission), over HTTP/1.0 from 250 loopback addresses (127.0.1.x), under the per-address limit.

With ``--busy`` (issue 16: a shared deployment that scales out) the store is also given the 16
Northamptonshire police.uk months, and the submissions are sent while ``--task-workers`` (2) task
workers build the 2025 SNA and load a year of police.uk data (as ``bench_dashboard_load.py``
does); run it with ``--workers 2`` for the 2 web + 2 task worker set-up.

Usage::

    uv run python benchmarks/bench_survey_load.py [--rate 200] [--seconds 60] [--workers 4]
    uv run python benchmarks/bench_survey_load.py --busy --workers 2 --task-workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
from _gunicorn import busy_window, gunicorn, prepare_busy_data
from bench_votes_load import _ms, _psql

from alliance import config

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "alliance_bench_surveys"
ADDRESSES = [f"127.0.1.{k}" for k in range(1, 251)]

PREPARE = textwrap.dedent("""
    import json, sys, random
    from datetime import timedelta
    from importlib import resources
    from alliance.web.setup import django_setup
    django_setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from pathlib import Path
    from django.utils import timezone
    from alliance.web.pool.geography import load_geography
    from alliance.web.pool.geography import current_batch
    if current_batch() is None:
        load_geography(Path(sys.argv[1]), created_by="bench")
    from alliance.web.accounts.models import Partnership
    from alliance.web.consultations.models import Consultation, Module
    from alliance.web.surveys.models import Survey
    from alliance.web.surveys.services import add_version, new_submission_key
    from alliance.web.surveys.places import area_places
    from alliance.web.surveys import flow
    partnership = Partnership.objects.create(name="Load test partnership", area_code="E23000022")
    c = Consultation.objects.create(partnership=partnership, title="Load", summary="Load",
        closes_at=timezone.now() + timedelta(days=1), phase="open")
    survey = Survey.objects.create(partnership=partnership, title="Load survey")
    example = json.loads(resources.files("alliance.voice.surveys").joinpath(
        "examples/feeling_safe.json").read_text())
    version = add_version(survey, example, filename="feeling_safe.json", user=None)
    Module.objects.create(consultation=c, kind="survey", title="Load", survey=survey)
    area = area_places("E23000022")
    wards = list(area.places.areas.items())
    rng = random.Random(14)
    states = []
    for i in range(int(sys.argv[2])):
        code, (name, lon, lat) = wards[rng.randrange(len(wards))]
        answers = {
            "feel_safe_day": rng.choice(["very_safe", "fairly_safe", "a_bit_unsafe"]),
            "feel_safe_night": rng.choice(["a_bit_unsafe", "very_unsafe"]),
            "unsafe_place": {"how": "map", "lat": round(lat + rng.uniform(-0.002, 0.002), 6),
                             "lon": round(lon + rng.uniform(-0.002, 0.002), 6),
                             "time": "night", "reasons": ["poor_lighting"]},
            "worries": rng.sample(["knives", "gangs", "drugs", "online"], 2),
            "priorities": ["lighting", "youth_clubs"],
            "what_would_help": f"More lighting near the shops, number {i}",
            "age_band": rng.choice(["16_24", "25_44", "45_64", "65_plus"]),
            "sex": rng.choice(["female", "male"]),
        }
        state = flow.State(survey=survey.pk, version=version.pk, key=new_submission_key(),
                           age="adult", page=flow.CHECK, answers=answers)
        states.append([state.key, flow.pack(state), answers])
    print(json.dumps({"slug": survey.slug, "states": states}))
""")

STORED = textwrap.dedent("""
    import json, sys
    from alliance.web.setup import django_setup
    django_setup()
    from alliance.web.surveys.models import Pin, Response
    rows = list(Response.objects.filter(survey__slug=sys.argv[1]).values_list(
        "submission_key", "answers"))
    pins = Pin.objects.filter(survey__slug=sys.argv[1])
    print(json.dumps({"rows": rows, "pins": pins.count(),
                      "placed": pins.exclude(lsoa21_code="").count()}))
""")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Record:
    latency: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    accepted: dict[str, dict[str, object]] = field(default_factory=dict)
    #: forms whose first copy has been answered: a replay is one of these (a copy sent while
    #: the first is still in flight may arrive first, and the first is then the "replay")
    answered: list[list] = field(default_factory=list)
    replays: int = 0
    replays_ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    finished: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _server_cpu(port: int) -> float:
    """CPU seconds used so far by the gunicorn processes serving ``port`` (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            if b"gunicorn" not in cmdline or f"127.0.0.1:{port}".encode() not in cmdline:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
    return total


def _thanks(location: str) -> dict[str, object] | None:
    """What the thank-you redirect says (its token is signed, not secret): the stored
    response's number and whether it had been stored before."""
    match = re.search(r"[?&]t=([^:&]+):", location)
    if not match:
        return None
    payload = match.group(1)
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(data)


async def _post(port: int, address: str, path: str, cookie: str,
                form: dict[str, str]) -> tuple[int, str]:
    """One POST on a fresh HTTP/1.0 connection from ``address``: (status, Location)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    try:
        body = urlencode(form).encode()
        head = (f"POST {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        writer.write(head.encode() + body)
        data = await reader.read()
    finally:
        writer.close()
    header, _, _content = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    location = next((line.split(":", 1)[1].strip() for line in lines[1:]
                     if line.lower().startswith("location:")), "")
    return int(lines[0].split()[1]), location


async def _send(port: int, slug: str, item: list, cookie: str, token: str, address: str,
                scheduled: float, rec: Record, *, replay: bool) -> None:
    loop = asyncio.get_running_loop()
    key, packed, answers = item
    rec.lag.append(loop.time() - scheduled)
    try:
        status, location = await asyncio.wait_for(_post(
            port, address, f"/have-your-say/s/{slug}/send/", cookie,
            {"csrfmiddlewaretoken": token, "state": packed}), 20)
    except (TimeoutError, OSError, ValueError, IndexError) as exc:
        rec.error(type(exc).__name__)
        return
    rec.latency.append(loop.time() - scheduled)
    said = _thanks(location) if status == 303 else None
    if said is None:
        rec.error(f"POST {status}")
    elif replay:
        rec.replays += 1
        rec.replays_ok += bool(said.get("p"))
    elif not said.get("p") and said.get("r"):
        rec.accepted[key] = answers
        rec.answered.append(item)
    else:
        rec.error("stored before")


async def _drive(port: int, slug: str, states: list, cookie: str, token: str, rate: float,
                 seconds: float) -> Record:
    loop = asyncio.get_running_loop()
    rec = Record()
    rng = random.Random(3)
    tasks = []
    t0 = loop.time() + 0.2
    sent: list[list] = []
    for i in range(int(rate * seconds)):
        at = t0 + i / rate
        delay = at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        replay = bool(rec.answered) and rng.random() < 0.01
        item = rng.choice(rec.answered) if replay else states[len(sent)]
        if not replay:
            sent.append(item)
        tasks.append(asyncio.create_task(_send(
            port, slug, item, cookie, token, ADDRESSES[i % len(ADDRESSES)], at, rec,
            replay=replay)))
    await asyncio.gather(*tasks)
    rec.finished = loop.time() - t0
    return rec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--busy", action="store_true",
                        help="submit while task workers build the SNA and load a year of data "
                             "(the store is given the 16 police.uk months first)")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per web worker (gunicorn's gthread worker when > 1)")
    parser.add_argument("--access-log", type=Path, default=None,
                        help="write gunicorn's access log here: time, seconds in Django, path")
    args = parser.parse_args()
    total = int(args.rate * args.seconds) + 50
    url = subprocess.run([str(ROOT / "scripts" / "postgres")], capture_output=True, text=True,
                         check=True).stdout.strip()
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE} OWNER alliance")
    url = url.rsplit("/", 1)[0] + "/" + DATABASE
    home = tempfile.mkdtemp(prefix="alliance-surveys-")
    env = {**os.environ, "DATABASE_URL": url, "ALLIANCE_HOME": home,
           "ALLIANCE_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    began = time.perf_counter()
    prep = subprocess.run([sys.executable, "-c", PREPARE, str(config.load().shared_data / "geo"),
                           str(total)], env=env, capture_output=True, text=True, cwd=ROOT)
    if prep.returncode != 0:
        raise SystemExit(prep.stderr[-3000:])
    info = json.loads(prep.stdout.strip().splitlines()[-1])
    slug, states = info["slug"], info["states"]
    if args.busy:
        prepare_busy_data(env)
    print(f"prepared in {time.perf_counter() - began:.0f} s: geography loaded, "
          f"{len(states):,} filled-in forms signed")
    server_args: tuple[str, ...] = ("--backlog", "2048")
    if args.threads > 1:
        server_args += ("--threads", str(args.threads))
    if args.access_log:
        server_args += ("--access-logfile", str(args.access_log.resolve()), "--access-logformat",
                  "%(t)s %(L)s %(s)s %(p)s %(U)s")
    with gunicorn(env, port=args.port, workers=args.workers, extra=server_args) as base:
        page = httpx.get(f"{base}/have-your-say/s/{slug}/")
        cookie = f"csrftoken={page.cookies['csrftoken']}"
        token = TOKEN.search(page.text)
        assert token, "no CSRF token on the start page"
        # warm every worker (its gazetteer and LSOA index are built on first use)
        warm = states[-50:]
        asyncio.run(_drive(args.port, slug, warm, cookie, token.group(1), 10, 4.0))
        with busy_window(env, task_workers=args.task_workers, on=args.busy) as window:
            load_before = os.getloadavg()[0]
            server0 = _server_cpu(args.port)
            cpu0 = time.process_time()
            rec = asyncio.run(_drive(args.port, slug, states[:-50], cookie, token.group(1),
                                     args.rate, args.seconds))
            driver_cpu = time.process_time() - cpu0
            server_cpu = _server_cpu(args.port) - server0
            load_after = os.getloadavg()[0]
        background = window.background
    stored = json.loads(subprocess.run([sys.executable, "-c", STORED, slug], env=env,
                                       capture_output=True, text=True, cwd=ROOT,
                                       check=True).stdout)
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    rows = {k: a for k, a in stored["rows"]}
    warm_keys = {s[0] for s in states[-50:]}
    timed_rows = {k: a for k, a in rows.items() if k not in warm_keys}
    missing = sum(1 for k, a in rec.accepted.items() if timed_rows.get(k) != a)
    extra = len(set(timed_rows) - set(rec.accepted))
    n = len(rec.latency)
    kind = f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
    print(f"gunicorn {args.workers} {kind}, PostgreSQL, loopback, {len(ADDRESSES)} "
          f"client addresses; machine load {load_before:.1f} before, {load_after:.1f} after "
          f"({os.cpu_count()} cores)")
    print(f"open model: {n:,} submissions at {args.rate:.0f}/s over {args.seconds:.0f} s "
          f"({rec.replays} of them replays); all answered {rec.finished:.1f} s after the "
          f"first was due ({len(rec.accepted) / rec.finished:.1f} stored/s)")
    print(f"  send POST, from scheduled time: p50 {_ms(rec.latency, 50):.1f} ms  "
          f"p95 {_ms(rec.latency, 95):.1f} ms  p99 {_ms(rec.latency, 99):.1f} ms  "
          f"max {_ms(rec.latency, 100):.1f} ms")
    # per submission the server stored (it also stores those whose answer came too late for
    # the client), so the figure is the cost of the work done, whatever the machine's load
    done = max(len(timed_rows), 1)
    print(f"  generator lag p99 {_ms(rec.lag, 99):.1f} ms; generator CPU {driver_cpu:.1f} s; "
          f"server CPU {server_cpu:.1f} s = {1000 * server_cpu / done:.1f} ms a stored "
          f"submission (so {done / max(server_cpu, 1e-9):.0f} submissions per CPU-second)")
    print(f"  errors: {sum(rec.errors.values())} {rec.errors or ''}")
    print(f"  accepted {len(rec.accepted):,}; responses stored {len(timed_rows):,}; accepted "
          f"but not stored as sent {missing}; stored but never accepted {extra}; replays "
          f"answered 'already have' {rec.replays_ok}/{rec.replays}; pins {stored['pins']:,} "
          f"({stored['placed']:,} placed in an LSOA)")
    ok = (_ms(rec.latency, 95) < 100 and not rec.errors and missing == 0 and extra == 0
          and rec.replays_ok == rec.replays)
    if background:
        print(f"  {args.task_workers} task workers meanwhile:\n{background}")
    print(f"  target: p95 < 100 ms, no errors, every submission stored once -> "
          f"{'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
