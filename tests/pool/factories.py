"""Factories for canonical incident rows (realistic police.uk-like values)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliance.sources.schema import INCIDENT_COLUMN_NAMES


def incident_rows(n: int = 3, **columns: Any) -> pd.DataFrame:
    """``n`` canonical rows; keyword arguments override columns (scalars or lists)."""
    base: dict[str, Any] = {name: [None] * n for name in INCIDENT_COLUMN_NAMES}
    base.update({
        "source": ["police_uk_street"] * n,
        "partition": ["northamptonshire"] * n,
        "record_key": [f"k{i:04d}" for i in range(n)],
        "month": ["2025-01"] * n,
        "source_category": ["Violence and sexual offences"] * n,
        "location": ["On or near Abington Street"] * n,
        "outcome": ["Under investigation"] * n,
        "longitude": [-0.893] * n,
        "latitude": [52.237] * n,
        "lsoa_published": ["E01027200"] * n,
        "flags": [0] * n,
        "line": list(range(2, n + 2)),
    })
    for key, value in columns.items():
        base[key] = value if isinstance(value, list) else [value] * n
    return pd.DataFrame(base, columns=list(INCIDENT_COLUMN_NAMES))
