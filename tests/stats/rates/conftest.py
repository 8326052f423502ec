"""Real-data fixture for the rate tests: the SNA's 2025 LSOA counts for Northamptonshire."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_shared

SNA_CATEGORIES = ("Violence and sexual offences", "Robbery", "Possession of weapons")


@pytest.fixture(scope="session")
def northants_sna_counts() -> pd.DataFrame:
    """Per Northamptonshire LSOA 2021: police.uk violence and sexual offences, robbery and
    possession of weapons in 2025 ('count') and Census 2021 usual residents ('residents')."""
    folder: Path = require_shared("policeuk", "street", "northamptonshire")
    lsoa = pd.read_csv(require_shared("geo", "northants", "iod2025_lsoa21_northants.csv"),
                       usecols=["lsoa21_code"])["lsoa21_code"]
    crimes = pd.concat([pd.read_csv(f, usecols=["LSOA code", "Crime type"])
                        for f in sorted(folder.glob("2025-*.csv.gz"))])
    sna = crimes[crimes["Crime type"].isin(SNA_CATEGORIES)]
    counts = sna["LSOA code"].value_counts().reindex(lsoa, fill_value=0)
    residents = pd.read_csv(
        require_shared("geo", "census2021", "census21_usual_residents_lsoa21_ew_derived.csv.gz")
    ).set_index("lsoa21_code")["total_residents"].reindex(lsoa)
    return pd.DataFrame({"count": counts.to_numpy(), "residents": residents.to_numpy()},
                        index=pd.Index(lsoa, name="lsoa21_code"))
