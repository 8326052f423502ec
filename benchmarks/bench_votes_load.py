"""Votes on a statement conversation: 200 a second held for a minute, open model, PostgreSQL.

Target (issue 7): p95 under 100 ms and every accepted vote stored (counted in the database after
the run). Set-up as docs/deployment.md describes: PostgreSQL (started by scripts/postgres; this
script uses its own database, ``alliance_bench_votes``, dropped and created each run), gunicorn
with several sync workers on loopback.

The conversation holds the real statements of a Pol.is conversation (``comments.csv`` read in
place; moderated-out ones left out), open and in youth mode. Participants join through the real
consent page (GET for the CSRF cookie and token, POST with consent, signed participant cookie),
each from one of many loopback addresses (127.0.0.2, 127.0.0.3, …: all of 127/8 is loopback on
Linux) so the per-address limit on new participants is exercised as a real deployment sees it
and never throttles the run; a last block checks that one address is refused past the limit.

Load: no Debian package does constant-rate HTTP load (wrk2, vegeta and k6 are not packaged; wrk
is closed-loop and hides queueing), so an asyncio generator schedules vote ``i`` at
``t0 + i / rate`` whatever happened before (an open model), and measures latency from that
scheduled time, so time spent queued behind a slow server is counted (no coordinated omission).
Each vote is a real POST through the vote view (CSRF token and cookie, signed participant
cookie, statement, choice) answered by a redirect; the joins use httpx, the vote phase a
minimal HTTP/1.0 client on asyncio streams so the generator does not take the server's CPU.

By default each participant votes on the visible statements in its own random order (the
view accepts a vote on any visible statement), so the load is the votes themselves. With
``--follow`` each vote is followed, as in a browser, by the GET of the next-statement page the
redirect names, and the figures are given for the POST and for the whole round (twice the
requests). Rows stored are compared, pair by pair, with the votes the server accepted.

The address limit on new participants (``HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS``) is not
raised for the run: participants join from distinct loopback addresses, ten per address.

Issue 16 asks for survey submissions held while the platform is busy; surveys do not exist yet,
so votes (the residents' other submission) stand in. With ``--busy`` the store is also given the
geography and the 16 Northamptonshire months, and the votes are sent while ``--task-workers``
(2) task workers build the 2025 SNA and load a year of police.uk data (see
``bench_dashboard_load.py``); run it with ``--workers 2`` for the 2 web + 2 task worker set-up.

Usage::

    uv run python benchmarks/bench_votes_load.py [--rate 200] [--seconds 60] [--workers 4]
        [--participants 600] [--conversation american-assembly.bowling-green] [--follow]
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
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
import numpy as np
from _gunicorn import DATA, busy_window, gunicorn, prepare_busy_data

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "alliance_bench_votes"
#: participants joining from one loopback address (well under the per-address limit)
PER_ADDRESS = 10

PREPARE = textwrap.dedent("""
    import csv, json, sys
    from alliance.web.setup import django_setup
    django_setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.conf import settings
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import Conversation
    from alliance.web.conversations.services import seed_statement
    partnership, _ = Partnership.objects.get_or_create(
        name="Load test partnership", defaults={"area_code": "E06000061"})
    conversation = Conversation.objects.create(
        partnership=partnership, title="Load test", question=sys.argv[2],
        status=Conversation.Status.OPEN, youth_mode=True)
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["moderated"] != "-1"]
    pks = [seed_statement(conversation, row["comment-body"], None).pk for row in rows]
    print(json.dumps({"slug": conversation.slug, "statements": len(rows), "pks": pks,
                      "limit": settings.HAVE_YOUR_SAY_PARTICIPANTS_PER_ADDRESS}))
""")

STORED = textwrap.dedent("""
    import json, sys
    from alliance.web.setup import django_setup
    django_setup()
    from alliance.web.conversations.models import Vote
    rows = Vote.objects.filter(statement__conversation__slug=sys.argv[1]).values_list(
        "participant__public_id", "statement_id", "value")
    print(json.dumps([list(r) for r in rows]))
""")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATEMENT = re.compile(r'name="statement" value="(\d+)"')


class _NoJar(http.cookiejar.CookieJar):
    """One httpx client serves many participants: cookies go in each request's header."""

    def extract_cookies(self, response, request):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Person:
    public_id: str
    cookie: str
    token: str
    statement: int | None
    #: without --follow, the statements this participant votes on next (its own order)
    queue: list[int] = field(default_factory=list)


@dataclass
class Record:
    scheduled: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)     # send time - scheduled time
    post: list[float] = field(default_factory=list)    # POST answered - scheduled time
    round: list[float] = field(default_factory=list)   # next page shown - scheduled time
    accepted: list[tuple[str, int, int]] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    finished: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _client(base: str, address: str | None = None, connections: int = 100) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address) if address else None
    return httpx.AsyncClient(
        base_url=base, transport=transport, cookies=_NoJar(), timeout=60.0,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))


async def _join(client: httpx.AsyncClient, slug: str) -> Person | None:
    """Consent through the real start page; None when the page refuses (the address limit)."""
    start = f"/have-your-say/{slug}/"
    page = await client.get(start)
    csrf = page.cookies["csrftoken"]
    token = TOKEN.search(page.text)
    assert token, "no CSRF token on the consent page"
    r = await client.post(start, data={"csrfmiddlewaretoken": token.group(1), "consent": "on"},
                          headers={"Cookie": f"csrftoken={csrf}"})
    if r.status_code == 429:
        return None
    assert r.status_code == 302, f"consent page answered {r.status_code}: {r.text[:300]}"
    name = f"hys_{slug}"
    signed = r.cookies[name]
    cookie = f"csrftoken={csrf}; {name}={signed}"
    r = await client.get(start + "vote/", headers={"Cookie": cookie})
    found = STATEMENT.search(r.text)
    public_id = signed.strip('"').split(":")[0]
    return Person(public_id, cookie, token.group(1), int(found.group(1)) if found else None)


async def _join_many(base: str, slug: str, count: int) -> list[Person]:
    people: list[Person] = []
    addresses = [f"127.0.0.{2 + i}" for i in range((count + PER_ADDRESS - 1) // PER_ADDRESS)]
    clients = [_client(base, a, connections=4) for a in addresses]
    gate = asyncio.Semaphore(16)

    async def one(i: int) -> None:
        async with gate:
            person = await _join(clients[i // PER_ADDRESS], slug)
        assert person is not None, f"participant {i} was refused"
        people.append(person)

    await asyncio.gather(*(one(i) for i in range(count)))
    for c in clients:
        await c.aclose()
    return people


async def _http(port: int, method: str, path: str, cookie: str,
                form: dict[str, str] | None = None) -> tuple[int, str, str]:
    """One request on a fresh connection: (status, Location, body).

    The vote phase speaks HTTP/1.0 over asyncio streams itself: gunicorn's sync workers close
    every connection anyway, and a full client library would spend more of the two shared
    cores than the server it measures. HTTP/1.0 keeps the answer unchunked; read to EOF.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        body = urlencode(form).encode() if form is not None else b""
        head = (f"{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                + ("Content-Type: application/x-www-form-urlencoded\r\n"
                   f"Content-Length: {len(body)}\r\n" if form is not None else "") + "\r\n")
        writer.write(head.encode() + body)
        data = await reader.read()
    finally:
        writer.close()
    header, _, content = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    location = next((line.split(":", 1)[1].strip() for line in lines[1:]
                     if line.lower().startswith("location:")), "")
    return status, location, content.decode("utf-8", "replace")


async def _vote(port: int, slug: str, person: Person, scheduled: float, rec: Record,
                idle: asyncio.Queue[Person], rng: random.Random, follow: bool) -> None:
    loop = asyncio.get_running_loop()
    url = f"/have-your-say/{slug}/vote/"
    value = rng.choice((1, 1, -1, 0))
    statement = person.statement
    assert statement is not None
    rec.lag.append(loop.time() - scheduled)
    try:
        status, location, _ = await asyncio.wait_for(_http(
            port, "POST", url, person.cookie, {"csrfmiddlewaretoken": person.token,
                                               "statement": str(statement),
                                               "vote": str(value)}), 10)
        rec.post.append(loop.time() - scheduled)
        if status != 302 or not location.endswith(url):
            rec.error(f"POST {status}")
            return
        rec.accepted.append((person.public_id, statement, value))
        if follow:
            status, _, page = await asyncio.wait_for(_http(port, "GET", url, person.cookie), 10)
            rec.round.append(loop.time() - scheduled)
            if status != 200:
                rec.error(f"GET {status}")
                return
    except (TimeoutError, OSError, IndexError, ValueError) as exc:
        rec.error(type(exc).__name__)
        return
    if follow:
        found = STATEMENT.search(page)
        person.statement = int(found.group(1)) if found else None
    else:
        person.statement = person.queue.pop() if person.queue else None
    if person.statement is not None:
        idle.put_nowait(person)


async def _drive(port: int, slug: str, people: list[Person], rate: float,
                 seconds: float, follow: bool) -> Record:
    loop = asyncio.get_running_loop()
    rec = Record()
    idle: asyncio.Queue[Person] = asyncio.Queue()
    for p in people:
        if p.statement is not None:
            idle.put_nowait(p)
    rng = random.Random(7)
    tasks = []
    t0 = loop.time() + 0.2
    for i in range(int(rate * seconds)):
        at = t0 + i / rate
        delay = at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        person = await idle.get()  # waiting here still counts: latency is from `at`
        rec.scheduled.append(at - t0)
        tasks.append(asyncio.create_task(
            _vote(port, slug, person, at, rec, idle, rng, follow)))
    await asyncio.gather(*tasks)
    rec.finished = loop.time() - t0
    return rec


async def _limit_check(base: str, slug: str, limit: int) -> tuple[int, bool]:
    """Join ``limit + 1`` times from one fresh address: how many were let in, was one refused."""
    async with _client(base, "127.0.0.254", connections=2) as client:
        joined = 0
        for _ in range(limit):
            joined += await _join(client, slug) is not None
        page = await client.get(f"/have-your-say/{slug}/")
        csrf = page.cookies["csrftoken"]
        token = TOKEN.search(page.text)
        assert token
        r = await client.post(f"/have-your-say/{slug}/",
                              data={"csrfmiddlewaretoken": token.group(1), "consent": "on"},
                              headers={"Cookie": f"csrftoken={csrf}"})
        refused = r.status_code == 429 and f"hys_{slug}" not in r.cookies
    return joined, refused


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) * 1000 if values else float("nan")


def _psql(sql: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-c", sql], check=True,
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--conversation", default="american-assembly.bowling-green")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--busy", action="store_true",
                        help="vote while task workers build the SNA and load a year of data "
                             "(the store is given the geography and 16 months first)")
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per web worker (gunicorn's gthread worker when > 1)")
    parser.add_argument("--follow", action="store_true",
                        help="after each vote, GET the next statement page the redirect names "
                             "(as a browser does) and vote on that; otherwise each participant "
                             "votes on the visible statements in its own random order")
    args = parser.parse_args()
    comments = DATA / "polis" / args.conversation / "comments.csv"
    url = subprocess.run([str(ROOT / "scripts" / "postgres")], capture_output=True, text=True,
                         check=True).stdout.strip()
    # a database of our own, fresh each run, so other users of the server are not disturbed
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE} OWNER alliance")
    url = url.rsplit("/", 1)[0] + "/" + DATABASE
    home = tempfile.mkdtemp(prefix="alliance-votes-")
    env = {**os.environ, "DATABASE_URL": url, "ALLIANCE_HOME": home,
           "ALLIANCE_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if args.busy:
        prepare_busy_data(env)
    prep = subprocess.run([sys.executable, "-c", PREPARE, str(comments),
                           "What do you think of your area?"], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    if prep.returncode != 0:
        raise SystemExit(prep.stderr[-3000:])
    info = json.loads(prep.stdout.strip().splitlines()[-1])
    slug = info["slug"]
    threads = ("--threads", str(args.threads)) if args.threads > 1 else ()
    with gunicorn(env, port=args.port, workers=args.workers,
                  extra=("--backlog", "2048", *threads)) as base:
        began = time.perf_counter()
        people = asyncio.run(_join_many(base, slug, args.participants))
        shuffler = random.Random(11)
        for person in people:
            person.queue = [pk for pk in info["pks"] if pk != person.statement]
            shuffler.shuffle(person.queue)
        joined_s = time.perf_counter() - began
        with busy_window(env, task_workers=args.task_workers, on=args.busy) as window:
            load_before = os.getloadavg()[0]
            cpu0 = time.process_time()
            rec = asyncio.run(_drive(args.port, slug, people, args.rate, args.seconds,
                                     args.follow))
            driver_cpu = time.process_time() - cpu0
            load_after = os.getloadavg()[0]
        background = window.background
        joined, refused = asyncio.run(_limit_check(base, slug, info["limit"]))
    stored_rows = json.loads(subprocess.run(
        [sys.executable, "-c", STORED, slug], env=env, capture_output=True, text=True,
        cwd=ROOT, check=True).stdout)
    stored = {(p, s): v for p, s, v in stored_rows}
    accepted = {(p, s): v for p, s, v in rec.accepted}
    missing = sum(1 for k, v in accepted.items() if stored.get(k) != v)
    extra = len(set(stored) - set(accepted))
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")

    sent = len(rec.scheduled)
    kind = f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
    print(f"gunicorn {args.workers} {kind}, PostgreSQL, loopback; "
          f"{args.conversation}: {info['statements']} statements; {len(people)} participants "
          f"joined through the consent page in {joined_s:.1f} s from "
          f"{(len(people) + PER_ADDRESS - 1) // PER_ADDRESS} addresses; machine load "
          f"{load_before:.1f} before the votes, {load_after:.1f} after ({os.cpu_count()} cores)")
    print(f"open model: {sent} votes scheduled at {args.rate:.0f}/s over {args.seconds:.0f} s; "
          f"all answered {rec.finished:.1f} s after the first was due "
          f"(achieved {len(rec.accepted) / rec.finished:.1f} accepted votes/s)")
    print(f"  vote POST (302), from scheduled time: p50 {_ms(rec.post, 50):.1f} ms  "
          f"p95 {_ms(rec.post, 95):.1f} ms  p99 {_ms(rec.post, 99):.1f} ms  "
          f"max {_ms(rec.post, 100):.1f} ms")
    if args.follow:
        print(f"  vote round (POST + next statement page): p50 {_ms(rec.round, 50):.1f} ms  "
              f"p95 {_ms(rec.round, 95):.1f} ms  p99 {_ms(rec.round, 99):.1f} ms")
    print(f"  generator lag (send - scheduled): p99 {_ms(rec.lag, 99):.1f} ms; "
          f"generator CPU {driver_cpu:.1f} s")
    print(f"  errors: {sum(rec.errors.values())} {rec.errors or ''}")
    print(f"  accepted {len(accepted)}; Vote rows stored {len(stored_rows)}; accepted but not "
          f"stored as sent {missing}; stored but never accepted {extra}")
    if background:
        print(f"  while {args.task_workers} task workers ran:\n{background}")
    print(f"  address limit {info['limit']}/hour: {joined} joined from one address, next "
          f"{'refused (429)' if refused else 'NOT refused'}")
    ok = (_ms(rec.post, 95) < 100 and not rec.errors and missing == 0 and extra == 0
          and refused and joined == info["limit"])
    print(f"  target: vote p95 < 100 ms, no errors, every vote stored -> "
          f"{'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
