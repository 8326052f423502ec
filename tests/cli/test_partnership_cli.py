"""`alliance partnership …` and `alliance serve` as an operator runs them (issue 12 item 9):
a real partnership is made by a command and audited, a second is refused, serving never
seeds anything."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

CREATE = ("partnership", "create", "--name", "Northamptonshire Violence Prevention Partnership",
          "--area", "E23000022", "--organisation", "Northamptonshire Police",
          "--organisation-kind", "police", "--admin-email", "jo.bloggs@police.test",
          "--admin-name", "Jo Bloggs")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k != "DATABASE_URL" and not k.startswith("ALLIANCE_EMAIL")}
    env.update({"ALLIANCE_HOME": str(home), "COLUMNS": "200",
                "ALLIANCE_SITE_URL": "https://alliance.example.gov.uk"})
    return env


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliance.cli.main", *args],
                          capture_output=True, text=True, env=_env(home), timeout=600)


def _rows(home: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(home / "alliance.sqlite3") as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def founded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    home = tmp_path_factory.mktemp("partnership")
    r = _run(home, *CREATE)
    assert r.returncode == 0, r.stderr
    return home, r.stdout


def test_create_prints_a_one_time_link_and_is_audited(founded: tuple[Path, str]) -> None:
    home, stdout = founded
    assert "Created the partnership Northamptonshire Violence Prevention Partnership " \
           "(E23000022), with jo.bloggs@police.test of Northamptonshire Police" in stdout
    assert re.search(r"https://alliance\.example\.gov\.uk/accounts/reset/\S+/", stdout)
    assert "It works once, until" in stdout
    assert "alliance partnership reset-link jo.bloggs@police.test" in stdout
    assert _rows(home, "SELECT name, area_code, is_demo FROM accounts_partnership") == [
        ("Northamptonshire Violence Prevention Partnership", "E23000022", 0)]
    assert _rows(home, "SELECT m.role FROM accounts_membership m") == [("administrator",)]
    assert _rows(home, "SELECT target FROM audit_auditevent "
                       "WHERE action = 'partnership_created'") == [
        ("Northamptonshire Violence Prevention Partnership",)]


def test_a_second_partnership_is_refused_in_one_line(founded: tuple[Path, str]) -> None:
    home, _ = founded
    r = _run(home, "partnership", "create", "--name", "Another", "--area", "E23000001",
             "--organisation", "Other Police", "--admin-email", "x@other.test")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert "already holds the partnership Northamptonshire Violence Prevention" in r.stderr
    assert _rows(home, "SELECT count(*) FROM accounts_partnership") == [(1,)]


def test_show_and_reset_link(founded: tuple[Path, str]) -> None:
    home, _ = founded
    shown = _run(home, "partnership", "show")
    assert shown.returncode == 0, shown.stderr
    assert "administrator jo.bloggs@police.test, Northamptonshire Police (has not chosen a " \
           "password yet)" in shown.stdout
    link = _run(home, "partnership", "reset-link", "jo.bloggs@police.test")
    assert link.returncode == 0 and "/accounts/reset/" in link.stdout
    unknown = _run(home, "partnership", "reset-link", "nobody@police.test")
    assert unknown.returncode == 1 and "no active member uses nobody@police.test" in unknown.stderr


def test_bad_input_is_refused_by_name(tmp_path: Path) -> None:
    r = _run(tmp_path, "partnership", "create", "--name", "P", "--area", "Northants",
             "--organisation", "Police", "--admin-email", "jo@police.test")
    assert r.returncode == 1 and "'NORTHANTS' is not an ONS area code" in r.stderr
    r = _run(tmp_path, "partnership", "create", "--name", "P\x1b[2J", "--area", "E23000022",
             "--organisation", "Police", "--admin-email", "jo@police.test")
    assert r.returncode == 1 and "printable characters" in r.stderr and "\x1b" not in r.stderr
    assert _rows(tmp_path, "SELECT count(*) FROM accounts_partnership") == [(0,)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_never_seeds_and_says_how_to_start(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "alliance.cli.main", "serve", "--port",
                               str(port)], env=_env(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/accounts/sign-in/").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("alliance serve did not answer")
    finally:
        server.send_signal(signal.SIGINT)
        stdout, _ = server.communicate(timeout=60)
    assert "holds no partnership yet" in stdout and "alliance partnership create" in stdout
    assert _rows(tmp_path, "SELECT count(*) FROM accounts_partnership") == [(0,)]
    assert _rows(tmp_path, "SELECT count(*) FROM auth_user") == [(0,)]
