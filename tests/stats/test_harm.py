"""Harm weighting with the reference CCHI/ONS CSS table and the police.uk categories."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.stats.harm import harm_weighted_counts, load_harm_weights
from tests.conftest import require_reference


def test_policeuk_category_weights_from_reference() -> None:
    """Reference: shared/reference/crime_harm_weights.csv, CCHI 2026 police.uk category rows
    (README section 3: violence and sexual offences 194.21, burglary 244.68)."""
    path = require_reference("crime_harm_weights.csv")
    weights = load_harm_weights(path=path)
    assert weights.weights["Violence and sexual offences"] == pytest.approx(194.21)
    assert weights.weights["Burglary"] == pytest.approx(244.68)
    assert weights.edition == "CCHI 2026 update"
    assert "Anti-social behaviour" not in weights.weights.index


def test_missing_weight_is_reported_not_zero() -> None:
    path = require_reference("crime_harm_weights.csv")
    weights = load_harm_weights(path=path)
    events = pd.DataFrame({
        "LSOA code": ["E01000001", "E01000001", "E01000002", "E01000002"],
        "Crime type": ["Violence and sexual offences", "Anti-social behaviour", "Robbery",
                       "Robbery"],
    })
    with pytest.warns(UserWarning, match=r"Anti-social behaviour \(1 events\)"):
        result = harm_weighted_counts(events, weights)
    table = result.to_frame()
    assert table.loc["E01000001", "harm"] == pytest.approx(194.21)
    assert table.loc["E01000001", "events_without_weight"] == 1
    assert table.loc["E01000002", "harm"] == pytest.approx(730.0)
    assert result.missing_weights.to_dict() == {"Anti-social behaviour": 1}


def test_classification_with_several_lines_needs_a_rule() -> None:
    """Reference: crime_harm_weights.csv, CCHI 2020 offence lines with classification 008/01
    (README section 3: serious wound 547.5 days, minor wound 19 days, plus police variants)."""
    path = require_reference("crime_harm_weights.csv")
    with pytest.raises(ValueError, match="several"):
        load_harm_weights("cchi_ho_classification", path=path)
    weights = load_harm_weights("cchi_ho_classification", path=path, several_lines="max")
    lines = pd.read_csv(path, dtype=str)
    lines = lines[(lines["level"] == "offence (ATHENA URN)")
                  & (lines["ho_classification"] == "008/01")]["weight"].astype(float)
    assert {547.5, 19.0} <= set(lines)
    assert weights.weights["008/01"] == pytest.approx(lines.max())
    assert weights.rule.startswith("max")


def test_ons_css_needs_an_edition() -> None:
    path = require_reference("crime_harm_weights.csv")
    with pytest.raises(ValueError, match="edition"):
        load_harm_weights("ons_css", path=path)


def test_bad_events_table() -> None:
    path = require_reference("crime_harm_weights.csv")
    weights = load_harm_weights(path=path)
    with pytest.raises(ValueError, match="no column 'LSOA code'"):
        harm_weighted_counts(pd.DataFrame({"Crime type": ["Robbery"]}), weights)
    with pytest.raises(ValueError, match="blank"):
        harm_weighted_counts(pd.DataFrame({"LSOA code": [None], "Crime type": ["Robbery"]}),
                             weights)
