"""The production set-up's settings (docs/deployment.md), checked as Django checks them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROD = {
    "ALLIANCE_HTTPS": "1",
    "ALLIANCE_SECRET_KEY": "k" * 20 + "-production-secret-that-is-long-and-random-0123456789",
    "ALLIANCE_ALLOWED_HOSTS": "alliance.example.gov.uk",
    "DATABASE_URL": "postgresql://alliance:s%40cret@db.internal:6543/alliance_prod",
}


def _env(home: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "DATABASE_"))}
    return {**env, "ALLIANCE_HOME": str(home), **extra}


def test_production_settings_pass_djangos_deployment_checks(tmp_path: Path):
    r = subprocess.run([sys.executable, "-m", "django", "check", "--deploy",
                        "--settings=alliance.web.settings", "--fail-level", "WARNING"],
                       env=_env(tmp_path, PROD), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_database_url_and_https_reach_the_settings(tmp_path: Path):
    code = ("import json, alliance.web.settings as s; d = s.DATABASES['default']; "
            "print(json.dumps({'engine': d['ENGINE'], 'name': d['NAME'], 'user': d['USER'], "
            "'password': d['PASSWORD'], 'host': d['HOST'], 'port': d['PORT'], "
            "'hsts': s.SECURE_HSTS_SECONDS, 'cookie': s.SESSION_COOKIE_SECURE, "
            "'csrf': s.CSRF_COOKIE_SECURE, 'frame': s.X_FRAME_OPTIONS, "
            "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS}))")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path, PROD),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["engine"] == "django.db.backends.postgresql"
    assert (got["name"], got["user"], got["password"]) == ("alliance_prod", "alliance", "s@cret")
    assert (got["host"], got["port"]) == ("db.internal", "6543")
    assert got["hsts"] >= 31_536_000 and got["cookie"] and got["csrf"]
    assert got["frame"] == "DENY" and got["debug"] is False
    assert got["hosts"] == ["alliance.example.gov.uk"]


def test_laptop_default_is_sqlite_in_the_data_folder(tmp_path: Path):
    code = "import alliance.web.settings as s; print(s.DATABASES['default']['NAME'])"
    r = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path, {}),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(tmp_path / "alliance.sqlite3")


def test_a_bad_database_url_is_refused_clearly(tmp_path: Path):
    r = subprocess.run([sys.executable, "-c", "import alliance.web.settings"],
                       env=_env(tmp_path, {"DATABASE_URL": "mysql://x@y/z"}),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "only postgresql://" in r.stderr
