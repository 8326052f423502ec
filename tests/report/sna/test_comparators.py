"""The comparator table on real published files: each headline rate beside England and the
East Midlands with significance, as Fingertips shows it.

References: OHID Fingertips 90284 "Compared to England" flags for North and West
Northamptonshire 2023/24 (in the export); the ONS police force area tables year ending December
2019 (counts and populations), whose comparison is recomputed here independently with the exact
(Garwood) Poisson interval from scipy.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from alliance.report.document import Provenance
from alliance.report.sna.comparators import (
    NO_COMPARATOR,
    NO_SIMILAR,
    LocalRate,
    comparator_blocks,
    comparator_table,
)
from alliance.sources.partners.notes import published_comparison
from tests.report.sna import _partners as P
from tests.report.sna.conftest import make_inputs

END = pd.Timestamp("2025-12-31")
PROVENANCE = Provenance(source="test")
PROXY = LocalRate(label="Violence and sexual offences (police.uk proxy)", area="Northamptonshire",
                  period="January to December 2025", value=23.4, lower=23.0, upper=23.8,
                  unit="rate per 1,000")


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return P.all_rows()


@pytest.fixture(scope="module")
def table(rows: pd.DataFrame) -> pd.DataFrame:
    result = comparator_table(indicators=P.northamptonshire(rows), sna_end=END,
                              provenance=PROVENANCE, successors=P.successors(), local=[PROXY])
    assert NO_SIMILAR in result.notes
    return result.table.data


def _row(table: pd.DataFrame, indicator: str, area: str) -> pd.Series:
    hit = table[table["Indicator"].str.contains(indicator, regex=False)
                & table["Area"].str.contains(area, regex=False)]
    assert len(hit) == 1, (indicator, area, list(table["Indicator"]))
    return hit.iloc[0]


def test_police_uk_rate_says_no_comparator_is_held(table: pd.DataFrame) -> None:
    proxy = table.iloc[0]
    assert proxy["Value (95% CI)"] == "23.4 (23.0 to 23.8)"
    assert proxy["England"] == NO_COMPARATOR and proxy["vs England"] == "Not compared"
    assert proxy["Region: East Midlands"] == NO_COMPARATOR


def test_recorded_violence_against_england_and_region(rows: pd.DataFrame,
                                                      table: pd.DataFrame) -> None:
    """Violence with injury, YE Dec 2019: Northamptonshire 7,684 offences, 747,600 residents;
    the exact 95% interval of that count lies above England's and the East Midlands' rates."""
    row = _row(table, "Violence with injury", "Northamptonshire (E23000022)")
    assert row["Period"] == "year ending December 2019 (out of date)"
    prc = rows[(rows["measure"] == "prc_violence_with_injury_rate")
               & (rows["period"] == "YE Dec 2019")].set_index("area_code")
    count, pop = prc.loc[P.PFA, "numerator"], prc.loc[P.PFA, "denominator"]
    assert (count, pop) == (7684, 747_600)
    low = stats.chi2.ppf(0.025, 2 * count) / 2 / pop * 1000
    high = stats.chi2.ppf(0.975, 2 * count + 2) / 2 / pop * 1000
    for code, column, verdict in (("E92000001", "vs England", "Higher"),
                                  ("E12000004", "vs region", "Higher")):
        other = prc.loc[code, "value"]
        assert (low > other) == (verdict == "Higher")
        assert row[column] == verdict
    assert row["Value (95% CI)"] == f"10.3 ({low:.1f} to {high:.1f})"
    robbery = _row(table, "Robbery", "E23000022")
    assert robbery["vs England"] == "Lower"


def test_fingertips_admissions_match_fingertips_own_flags(rows: pd.DataFrame,
                                                          table: pd.DataFrame) -> None:
    """Fingertips says North and West Northamptonshire were 'Better' (lower) than England for
    injury admissions of children in 2023/24; the table agrees, from the published interval."""
    fing = rows[(rows["measure"] == "hospital_admissions_injuries_0_14")
                & (rows["period"] == "2023/24") & rows["breakdown"].eq("")]
    for code in (P.NORTH, P.WEST):
        flag = published_comparison(fing[fing["area_code"] == code]["notes"].iloc[0])
        row = _row(table, "injuries", code)
        assert {"Better": "Lower", "Worse": "Higher", "Similar": "Similar"}[flag] == \
            row["vs England"]
        assert row["Region: East Midlands"] == "Not published for this period"


def test_no_interval_means_not_compared_and_the_reason_is_given(rows: pd.DataFrame) -> None:
    result = comparator_table(indicators=P.northamptonshire(rows), sna_end=END,
                              provenance=PROVENANCE, successors=P.successors())
    homicide = _row(result.table.data, "Homicide", P.PFA)
    assert homicide["vs England"] == "Not compared"
    assert homicide["England"] == "9.1"  # ONS: England 9.13, E&W 9.11 per million
    assert any("Homicide" in n and "no count and denominator or interval" in n
               for n in result.notes)
    assert not result.table.data["Area"].str.contains("Corby").any()


def test_similar_areas_pooled_when_a_list_is_given(rows: pd.DataFrame) -> None:
    """With an (illustrative) list of similar forces, their pooled rate is the comparator."""
    group = ["E23000021", "E23000019", "E23000018"]  # Leicestershire, Notts, Derbyshire
    keep = P.northamptonshire(rows)
    others = rows[rows["area_code"].isin(group)]
    result = comparator_table(indicators=pd.concat([keep, others], ignore_index=True),
                              sna_end=END, provenance=PROVENANCE, successors=P.successors(),
                              similar={P.PFA: group},
                              measures=("prc_violence_with_injury_rate",))
    row = result.table.data.iloc[0]
    prc = others[(others["measure"] == "prc_violence_with_injury_rate")
                 & (others["period"] == "YE Dec 2019")]
    pooled = prc["numerator"].sum() / prc["denominator"].sum() * 1000
    assert row["Similar areas"] == f"{pooled:.1f}"
    assert row["vs similar areas"] in {"Higher", "Similar", "Lower"}
    assert NO_SIMILAR not in result.notes


def test_context_blocks_from_the_build_context() -> None:
    """On the synthetic inputs (no partner statistics): the proxy rate's row alone."""
    from alliance.report.sna.common import Context
    from alliance.report.sna.period import parse_period

    ctx = Context(inputs=make_inputs(), period=parse_period("2025"), threshold=5)
    blocks = comparator_blocks(ctx)
    table = blocks[0]
    assert table.data["England"].tolist() == [NO_COMPARATOR]  # type: ignore[union-attr]
    assert "Testshire" in table.data["Area"].iloc[0]  # type: ignore[union-attr]
