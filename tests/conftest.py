"""Shared test helpers: where the real public data lives, and when a test may skip."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from alliance import config

SHARED_DATA: Path = config.load().shared_data
REFERENCE: Path = config.load().reference
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_shared(*parts: str) -> Path:
    """The path of a real public file under ../shared/data.

    Skips the test only on an outside machine where the folder is absent; in CI a missing
    file is a failure, never a skip.
    """
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"real data file missing in CI: {path}")
        pytest.skip(f"real data not present on this machine: {path}")
    return path


def require_reference(*parts: str) -> Path:
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"reference file missing in CI: {path}")
        pytest.skip(f"reference data not present on this machine: {path}")
    return path


def require_program(program: str, install: str) -> str:
    """The path of an outside program a test runs (Debian chromium, poppler's pdftoppm).

    Skips on a machine without it, saying how to install it; in CI a missing program is a
    failure, never a skip, so a green CI run has really opened the pages and rendered the PDF.
    """
    found = shutil.which(program)
    if found is None:
        if IN_CI:
            pytest.fail(f"{program} missing in CI: {install}")
        pytest.skip(f"{program} is not installed: {install}")
    return found


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return require_reference()


@pytest.fixture(scope="session", autouse=True)
def _alliance_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Tests never write into the user's real ALLIANCE_HOME (uploads, task progress, SNAs).

    Tests that need a home of their own still set ``ALLIANCE_HOME`` with ``monkeypatch``.
    """
    home = tmp_path_factory.mktemp("alliance-home")
    before = os.environ.get("ALLIANCE_HOME")
    os.environ["ALLIANCE_HOME"] = str(home)
    yield home
    if before is None:
        os.environ.pop("ALLIANCE_HOME", None)
    else:
        os.environ["ALLIANCE_HOME"] = before


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` (row locks, several connections) run only against PostgreSQL.

    ``make test`` runs every database test a second time with ``DATABASE_URL`` pointing at
    the server ``scripts/postgres`` starts; in the SQLite pass these are deselected (not
    skipped: nothing is missing, they belong to the other pass).
    """
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
