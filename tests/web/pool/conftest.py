"""Data-ownership fixtures: the demo partnership and its clients, and attack files built from
the real Northamptonshire and City of London months."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.workspace.conftest import (  # noqa: F401
    _fast_hashing,
    client_as,
    client_for,
    demo,
    one_month,
)

POLICE = "Northamptonshire Police"
COUNCIL = "West Northamptonshire Council"
VIOLENCE = b"Violence and sexual offences"


def post_upload(client, name: str, data: bytes):
    return client.post("/data/upload/", {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def january(northants_files: list[Path]) -> tuple[str, bytes]:
    """The real 2024-01 Northamptonshire month (name, CSV bytes)."""
    path = next(p for p in northants_files if p.name.startswith("2024-01"))
    return path.name.removesuffix(".gz"), gzip.decompress(path.read_bytes())


@pytest.fixture
def january_without_violence(january: tuple[str, bytes]) -> tuple[str, bytes, int]:
    """The attack: 2024-01 with every violence row removed (name, bytes, rows removed)."""
    name, data = january
    lines = data.split(b"\n")
    kept = [ln for ln in lines if VIOLENCE not in ln]
    return name, b"\n".join(kept), len(lines) - len(kept)


@pytest.fixture
def fabricated_may(january: tuple[str, bytes]) -> tuple[str, bytes]:
    """A 2024-05 month made up from January's rows (no 2024-05 file is published here)."""
    _, data = january
    return "2024-05-northamptonshire-street.csv", data.replace(b",2024-01,", b",2024-05,")
