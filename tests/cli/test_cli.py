"""The `alliance` command as a newcomer runs it: real files, exit codes, one-line errors."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_shared

pytestmark = pytest.mark.slow


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ALLIANCE_HOME"] = str(home)
    env["COLUMNS"] = "200"
    return subprocess.run([sys.executable, "-m", "alliance.cli.main", *args],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def loaded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    geo = require_shared("geo")
    street = require_shared("policeuk", "street", "northamptonshire")
    r = _run(home, "load", "geography", "--from", str(geo))
    assert r.returncode == 0, r.stderr
    r = _run(home, "load", "police-uk", "--from", str(street))
    assert r.returncode == 0, r.stderr
    assert "98,184 rows" in r.stdout
    return home


def test_status_json_reports_sixteen_months_and_the_file_row_counts(loaded_home: Path):
    r = _run(loaded_home, "status", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["month_count"] == 16
    assert data["rows"] == 98_184
    assert data["areas"]["lsoa21"] == 35_672
    flagged = json.loads(_run(loaded_home, "quality", "--json").stdout)["flag_totals"]
    assert flagged["NO_LOCATION"] == 882  # the "No Location" rows of SOURCES.md


def test_status_and_quality_speak_the_workspace_words(loaded_home: Path):
    """The same words as the Data page (alliance.pool.quality), never a flag's code."""
    from alliance.pool.quality import REASONS

    status = _run(loaded_home, "status")
    quality = _run(loaded_home, "quality")
    assert status.returncode == quality.returncode == 0, status.stderr + quality.stderr
    assert "kept but flagged;" in status.stdout and "Kept but flagged:" in status.stdout
    assert "Used with a note:" in status.stdout
    assert "882  No location was published" in status.stdout
    assert "Kept but flagged: Rows loaded and counted" in quality.stdout
    assert "what this means" in quality.stdout and "No location was published" in quality.stdout
    for code in REASONS:
        assert code not in status.stdout + quality.stdout, code


def test_loading_again_adds_nothing(loaded_home: Path):
    street = require_shared("policeuk", "street", "northamptonshire")
    r = _run(loaded_home, "load", "police-uk", "--from", str(street))
    assert r.returncode == 0
    assert "Nothing new" in r.stdout


def test_a_broken_file_exits_non_zero_with_one_line_naming_file_and_line(
        loaded_home: Path, tmp_path: Path):
    bad = tmp_path / "2025-01-northamptonshire-street.csv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.write("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                 "LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
        fh.write("abc,2025/01,Northamptonshire Police,Northamptonshire Police,-0.9,52.2,"
                 "On or near X,E01027200,Northampton 001A,Robbery,,\n")
    before = json.loads(_run(loaded_home, "status", "--json").stdout)["rows"]
    r = _run(loaded_home, "load", "police-uk", "--from", str(bad))
    assert r.returncode == 1
    message = r.stderr.strip()
    assert message.startswith("error:")
    assert bad.name in message and "line 2" in message and "Month" in message
    assert json.loads(_run(loaded_home, "status", "--json").stdout)["rows"] == before


def test_usage_errors_are_clear(tmp_path: Path):
    r = _run(tmp_path, "load", "police-uk")
    assert r.returncode == 1
    assert "--from" in r.stderr
    r = _run(tmp_path, "load", "police-uk", "--from", str(tmp_path / "missing"))
    assert r.returncode == 1 and "not found" in r.stderr


def test_killing_a_load_midway_leaves_the_old_state_or_the_whole_batch(loaded_home: Path):
    """SIGKILL at several moments of a load: never a partial batch, never a broken store."""
    import signal
    import sqlite3
    import time

    city = require_shared("policeuk", "street", "city-of-london")
    before = json.loads(_run(loaded_home, "status", "--json").stdout)["rows"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["ALLIANCE_HOME"] = str(loaded_home)
    outcomes = []
    for delay in (1.5, 2.5, 3.5, 4.5, 6.0):
        proc = subprocess.Popen([sys.executable, "-m", "alliance.cli.main", "load",
                                 "police-uk", "--from", str(city)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = json.loads(_run(loaded_home, "status", "--json").stdout)
        assert after["rows"] in (before, before + 18_867), f"partial batch after {delay} s"
        assert all(b["status"] != "loading" for b in after["batches"])
        outcomes.append(after["rows"] == before)
        if after["rows"] != before:  # it finished: undo it for the next try
            last = max(b["id"] for b in after["batches"] if b["status"] == "active")
            assert _run(loaded_home, "rollback", str(last), "--yes").returncode == 0
    with sqlite3.connect(loaded_home / "alliance.sqlite3") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert any(outcomes), "no kill landed before the commit: lengthen the load"


def test_values_that_look_like_markup_are_printed_literally(loaded_home: Path, tmp_path: Path):
    """Rich reads [..] as mark-up: a Longitude of [/x] once stopped the command with a
    traceback. Every value echoed is escaped, so the refusal prints it as it is."""
    bad = tmp_path / "2025-02-northamptonshire-street.csv"
    bad.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
        "abc,2025-02,Northamptonshire Police,Northamptonshire Police,[/x],52.2,"
        "[bold red]On or near[/] [link=http://evil.example]X[/link],E01027200,"
        "Northampton 001A,Robbery,,\n", encoding="utf-8")
    r = _run(loaded_home, "load", "police-uk", "--from", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "got '[/x]'" in r.stderr and "line 2" in r.stderr
    missing = tmp_path / "[/x] [bold]nowhere[/bold]"
    r = _run(loaded_home, "load", "police-uk", "--from", str(missing))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "[/x] [bold]nowhere[/bold]" in r.stderr


def test_a_replacement_removing_many_rows_asks_first(loaded_home: Path, tmp_path: Path):
    """The attack on 2024-01: every violence row removed. The command says what would change
    and changes nothing unless told --yes; the rollback asks too."""
    from tests.sources.policeuk_helpers import raw_bytes

    lines = raw_bytes("northamptonshire", "2024-01").split(b"\n")
    kept = [lines[0]] + [ln for ln in lines[1:] if ln and b"Violence and sexual" not in ln]
    attack = tmp_path / "2024-01-northamptonshire-street.csv"
    attack.write_bytes(b"\n".join(kept) + b"\n")
    violence = len([ln for ln in lines[1:] if b"Violence and sexual" in ln])
    before = json.loads(_run(loaded_home, "status", "--json").stdout)["rows"]
    r = _run(loaded_home, "load", "police-uk", "--from", str(attack))
    assert r.returncode == 1, r.stdout
    assert f"Violence and sexual offences: {violence:,} \u2192 0" in r.stderr
    assert "run the command again with --yes" in r.stderr
    assert json.loads(_run(loaded_home, "status", "--json").stdout)["rows"] == before
    r = _run(loaded_home, "load", "police-uk", "--from", str(attack), "--yes")
    assert r.returncode == 0, r.stderr
    assert json.loads(_run(loaded_home, "status", "--json").stdout)["rows"] == before - violence
    batch = max(b["id"] for b in json.loads(_run(loaded_home, "status", "--json").stdout)[
        "batches"] if b["status"] == "active")
    r = _run(loaded_home, "rollback", str(batch))
    assert r.returncode == 1 and "--yes" in r.stderr
    assert f"{len(kept) - 1:,} rows in use are removed from 1 month(s) and 5,613 rows it " \
           "had replaced come back" in r.stderr.replace("\n", " ")
    r = _run(loaded_home, "rollback", str(batch), "--yes")
    assert r.returncode == 0, r.stderr
    assert json.loads(_run(loaded_home, "status", "--json").stdout)["rows"] == before
