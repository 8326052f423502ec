"""How partner rows are counted: fine categories, their published sums, the core measures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliance.pool import measures
from alliance.sources import codes

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


def _reference() -> Path:
    import os

    return Path(os.environ.get("ALLIANCE_REFERENCE", REFERENCE))


@pytest.mark.parametrize(("value", "band"), [
    ("17", "0-17"), ("0-17", "0-17"), ("18-24", "18-24"), ("18 to 24", "18-24"),
    ("40+", "35+"), ("25–34", "25-34"), ("20-29", "not known"), ("", "not known"),
    (None, "not known"), ("NK", "not known"), (float("nan"), "not known")])
def test_age_bands_never_split_a_band_that_straddles_ours(value: object, band: str) -> None:
    assert measures.age_band(value) == band


def test_istv_rows_fall_in_one_fine_category_and_the_groups_add_up() -> None:
    rows = pd.DataFrame({"weapon": [codes.KNIFE, codes.KNIFE, codes.BLUNT, "", codes.KNIFE],
                         "age": ["16", "30", "18-24", None, "20-29"]})
    cats = measures.ISTV.categorise(rows)
    assert set(cats) <= set(measures.ISTV.categories)
    counts = cats.value_counts()

    def group(key: str) -> int:
        return int(sum(counts.get(m, 0) for m in measures.ISTV.groups[key].members))

    assert group("sharp") == 3 and group("weapon_other") == 2
    assert group("under_25") == 2 and group("sharp_u25") == 1
    # every fine category is in exactly one weapon group
    sharp = set(measures.ISTV.groups["sharp"].members)
    other = set(measures.ISTV.groups["weapon_other"].members)
    assert sharp | other == set(measures.ISTV.categories) and not sharp & other


def test_knife_selected_codes_come_from_the_reference_table_without_placeholders() -> None:
    knife = measures.knife_selected_codes(_reference())
    assert {"1", "4.1", "4.2", "5D", "8N", "34A"} <= knife
    assert all(c[0].isdigit() for c in knife)
    assert "8L" not in knife  # harassment: not a knife-selected offence


def test_police_extract_counts_the_core_measures_from_code_flag_and_domestic() -> None:
    scheme = measures.scheme_for("police_extract", reference_dir=_reference())
    assert scheme is not None
    rows = pd.DataFrame({
        "offence_code": ["1", "1", "4.1", "5D", "5D", "8L", None],
        "knife_flag": [True, False, None, True, False, True, True],
        "domestic": [False, True, None, False, False, False, None],
        "age": ["19", "40", "15", "22", "30", "20", "18-24"]})  # 4.1: a child
    cats = scheme.categorise(rows).value_counts()

    def group(key: str) -> int:
        return int(sum(cats.get(m, 0) for m in scheme.groups[key].members))

    # knife-enabled: the homicide with a knife and the 5D with a knife (8L is not selected)
    assert group("knife_enabled") == 2 and group("knife_enabled_u25") == 2
    # non-domestic homicide: the two not flagged domestic (an unknown flag is not domestic)
    assert group("homicide_nondomestic") == 2 and group("homicide_nondomestic_u25") == 2
    assert group("victim_u25") == 5
    assert {m.key for m in measures.core_measures(_reference())} == {
        "sharp", "knife_enabled", "homicide_nondomestic"}


def test_written_categories_are_matched_on_whole_words() -> None:
    rows = pd.DataFrame({"source_category": [
        "First Time Entrant", "Possession of a knife / bladed article", "GBH section 18",
        "Theft", "knifepossession"]})
    got = list(measures.YOUTH_JUSTICE.categorise(rows))
    assert got == ["first_time_entrant", "knife_possession", "serious_youth_violence",
                   "other", "other"]
    assert measures.scheme_for("police_uk_street", reference_dir=_reference()) is None
