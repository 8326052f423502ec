"""Shared test helpers: where the real public data lives, and when a test may skip."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return require_reference()
