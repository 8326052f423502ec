"""Shared loaders for the real Pol.is conversations under shared/data/polis (read in place)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from alliance.voice.opinion import PolisConversation, read_polis_export
from tests.conftest import require_shared

BIODIVERSITY = "scoop-hivemind.biodiversity"
AUSTRIA = "austria-climate.5twd2jsnkf.2022-08-08"
UBI = "scoop-hivemind.ubi"
VTAIWAN = "vtaiwan.uberx"
BOWLING_GREEN = "american-assembly.bowling-green"
LONDON = "london.youth.policing"
ALL_CONVERSATIONS = (LONDON, UBI, BIODIVERSITY, AUSTRIA, VTAIWAN, BOWLING_GREEN)


def conversation_dir(name: str) -> Path:
    return require_shared("polis", name)


@cache
def _conversation(folder: Path) -> PolisConversation:
    return read_polis_export(folder)


def conversation(name: str) -> PolisConversation:
    return _conversation(conversation_dir(name))


@cache
def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def polis_math(name: str) -> dict[str, Any]:
    """Polis's production math blob (``polis-api/math-pca2.json``)."""
    return dict(_json(require_shared("polis", name, "polis-api", "math-pca2.json")))


def reddwarf_summary(name: str) -> dict[str, Any]:
    """Our stored run of red-dwarf 0.4.0 (``reddwarf-0.4.0/summary.json``)."""
    return dict(_json(require_shared("polis", name, "reddwarf-0.4.0", "summary.json")))


def reddwarf_participants(name: str) -> pd.DataFrame:
    path = require_shared("polis", name, "reddwarf-0.4.0", "participants.csv")
    return pd.read_csv(path).set_index("participant")
