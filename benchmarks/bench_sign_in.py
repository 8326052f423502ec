"""What a sign-in costs: the password hash alone, and a whole sign-in POST.

Issue 17 item 10: sign-in took 1.2-1.9 s. A strong hash is slow on purpose (it is what makes a
stolen password table expensive to attack), so the aim is to know and state the cost, and to
pay it for a hash that is at least as strong as the one it replaces, not to make it cheap.

Alliance (``settings.PASSWORD_HASHERS[0]``: Argon2id at the first of the equally strong
settings OWASP's Password Storage Cheat Sheet lists, 46 MiB, 1 pass, 1 lane) is run beside its
peers in one run: the hasher it replaces (scrypt at Django's parameters, N=2^14, 16 MiB),
Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes), Django's PBKDF2 default (1,000,000
iterations), and each family at OWASP's minimum (Argon2id 19 MiB/2 passes/1 lane, scrypt
N=2^17, PBKDF2-SHA256 600,000), which is the bar for "strong". For each:

- **hash**: one password check (``hasher.verify``), median of ``--runs``;
- **sign-in**: a whole ``POST /accounts/sign-in/`` through Django's test client on a scratch
  SQLite store (form, lockout rules, the check, session, audit record), median of ``--runs``;
- with ``--gunicorn``, the same POST through the documented server (gunicorn, one worker) over
  HTTP, as a browser sends it, ours only.

Usage::

    uv run python benchmarks/bench_sign_in.py [--runs 15] [--gunicorn]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    ScryptPasswordHasher,
)

PASSWORD = "a-long-benchmark-password-2026"


class Argon2OwaspMinimum(Argon2PasswordHasher):
    algorithm = "argon2_owasp"
    memory_cost, time_cost, parallelism = 19 * 1024, 2, 1


class ScryptOwaspMinimum(ScryptPasswordHasher):
    algorithm = "scrypt_owasp"
    work_factor, maxmem = 2**17, 256 * 1024 * 1024


class PBKDF2OwaspMinimum(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_owasp"
    iterations = 600_000


DJANGO = "django.contrib.auth.hashers."
HERE = "__main__."
#: (label, dotted path); the first is whatever the settings put first (ours)
PEERS = [
    ("Argon2id, Django default (100 MiB, t=2, p=8)", DJANGO + "Argon2PasswordHasher"),
    ("scrypt, Django default (N=2^14, 16 MiB): the one before",
     DJANGO + "ScryptPasswordHasher"),
    ("PBKDF2-SHA256, Django default (1,000,000)", DJANGO + "PBKDF2PasswordHasher"),
    ("Argon2id, OWASP minimum (19 MiB, t=2, p=1)", HERE + "Argon2OwaspMinimum"),
    ("scrypt, OWASP minimum (N=2^17, 128 MiB)", HERE + "ScryptOwaspMinimum"),
    ("PBKDF2-SHA256, OWASP minimum (600,000)", HERE + "PBKDF2OwaspMinimum"),
]


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def _prepare() -> str:
    from alliance.web.setup import django_setup

    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from alliance.web.accounts.demo import seed_demo

    return seed_demo(password=PASSWORD).emails["analyst"]


def _measure(path: str, email: str, runs: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import get_hasher
    from django.test import Client, override_settings

    from alliance.web.accounts.models import SignInAttempt

    with override_settings(PASSWORD_HASHERS=[path]):
        hasher = get_hasher("default")
        encoded = hasher.encode(PASSWORD, hasher.salt())
        get_user_model().objects.filter(email=email).update(password=encoded)
        hash_ms = _median_ms(lambda: hasher.verify(PASSWORD, encoded), runs)

        # one client, signed out between runs: a new Client builds a new handler, and its
        # middleware set-up (WhiteNoise indexing static files) is per process, not per request
        client = Client()

        def sign_in() -> None:
            client.cookies.clear()
            response = client.post("/accounts/sign-in/", {"email": email,
                                                          "password": PASSWORD})
            assert response.status_code == 302, response.status_code

        sign_in()  # warm: templates, URL resolver
        post_ms = _median_ms(sign_in, runs)
        SignInAttempt.objects.all().delete()
    return hash_ms, post_ms


def _through_gunicorn(email: str, runs: int) -> tuple[float, float, float]:
    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _gunicorn import gunicorn

    with gunicorn(dict(os.environ), port=8766, workers=1) as base:
        def sign_in() -> None:
            with httpx.Client(base_url=base) as client:
                page = client.get("/accounts/sign-in/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                assert token is not None
                start = time.perf_counter()
                r = client.post("/accounts/sign-in/", data={
                    "csrfmiddlewaretoken": token.group(1), "email": email,
                    "password": PASSWORD}, headers={"Referer": base + "/"})
                timings.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 302, r.status_code

        timings: list[float] = []
        sign_in()
        timings.clear()
        for _ in range(runs):
            sign_in()
    return statistics.median(timings), min(timings), max(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--gunicorn", action="store_true")
    args = parser.parse_args()
    os.environ["ALLIANCE_HOME"] = tempfile.mkdtemp(prefix="alliance-sign-in-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLIANCE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    email = _prepare()
    from django.conf import settings

    ours = settings.PASSWORD_HASHERS[0]
    rows = [("Alliance: Argon2id, OWASP's first setting (46 MiB, t=1, p=1)", ours), *PEERS]
    print(f"sign-in cost, median (min-max) of {args.runs} runs, ms; SQLite, test client; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'hasher':<62} {'hash':>18} {'sign-in POST':>20} {'POST - hash':>12}")
    results = {}
    for label, path in rows:
        hash_ms, post_ms = _measure(path, email, args.runs)
        results[path] = post_ms[0]
        print(f"{label:<62} {hash_ms[0]:>7.0f} ({hash_ms[1]:.0f}-{hash_ms[2]:.0f})"
              f" {post_ms[0]:>9.0f} ({post_ms[1]:.0f}-{post_ms[2]:.0f})"
              f" {post_ms[0] - hash_ms[0]:>12.0f}")
    before = DJANGO + "ScryptPasswordHasher"
    print(f"ratio, our sign-in / the hasher before: {results[ours] / results[before]:.2f}")
    if args.gunicorn:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=email)
        user.set_password(PASSWORD)  # with ours again: the server cannot import the peers
        user.save()
        median, low, high = _through_gunicorn(email, args.runs)
        print(f"through gunicorn (1 worker, HTTP, CSRF), ours: {median:.0f} ms "
              f"({low:.0f}-{high:.0f})")


if __name__ == "__main__":
    main()
