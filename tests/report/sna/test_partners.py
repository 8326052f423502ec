"""The hidden-from-police table publishes a share only where neither of its parts is small, and
a breakdown whole or not at all (its rows add up to the whole area's)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from alliance.privacy.suppression import MARKER
from alliance.report.sna.partners import hidden_table


def _data(rows: list[tuple[str, str, int, int]]) -> SimpleNamespace:
    return SimpleNamespace(hidden=pd.DataFrame(rows, columns=["by", "group", "events",
                                                              "hidden"]))


def test_a_share_and_its_wilson_interval_are_shown_when_both_parts_are_large() -> None:
    table = hidden_table(_data([("whole area", "Area", 80, 50)]), 5)  # type: ignore[arg-type]
    row = table.iloc[0]
    low, high = proportion_confint(50, 80, method="wilson")  # the reference implementation
    assert row["No police record nearby"] == f"{50 / 80:.0%}"
    assert row["95% CI"] == f"{low:.0%} to {high:.0%}"
    assert row["Assaults judged"] == "80"


@pytest.mark.parametrize("hidden", [1, 4, 76, 79])
def test_a_small_part_hides_the_share(hidden: int) -> None:
    table = hidden_table(_data([("whole area", "Area", 80, hidden)]), 5)  # type: ignore[arg-type]
    assert (table.iloc[0][["Assaults judged", "No police record nearby", "95% CI"]]
            == MARKER).all()


def test_zero_hidden_is_not_small() -> None:
    table = hidden_table(_data([("whole area", "Area", 40, 0)]), 5)  # type: ignore[arg-type]
    assert table.iloc[0]["No police record nearby"] == "0%"


def test_one_small_month_hides_every_month_but_not_the_areas() -> None:
    rows = [("whole area", "Area", 100, 40), ("month", "2024-01", 50, 20),
            ("month", "2024-02", 47, 18), ("month", "2024-03", 3, 2),
            ("area", "North", 60, 25), ("area", "West", 40, 15)]
    table = hidden_table(_data(rows), 5).set_index("Group")  # type: ignore[arg-type]
    months = table.loc[["2024-01", "2024-02", "2024-03"]]
    assert (months["No police record nearby"] == MARKER).all()
    assert (table.loc[["Area", "North", "West"], "No police record nearby"] != MARKER).all()


def test_nothing_judged_gives_no_table() -> None:
    assert hidden_table(SimpleNamespace(hidden=None), 5) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("local_events", "months_shown"), [(97, False), (100, True), (90, True)])
def test_the_local_table_never_differs_from_the_police_uk_one_by_a_small_count(
        local_events: int, months_shown: bool) -> None:
    """Both tables publish the events judged; a difference of 1-4 between them (events with a
    point but no date) would be a small count worked out by subtraction, so the local table's
    breakdown is withheld (the months here; the areas and whole area agree exactly)."""
    police_uk = [("whole area", "Area", 200, 80), ("month", "2024-01", 100, 40),
                 ("month", "2024-02", 100, 40), ("area", "North", 120, 50),
                 ("area", "West", 80, 30)]
    local = [("whole area", "Area", 200 - 100 + local_events, 60),
             ("month", "2024-01", local_events, 30), ("month", "2024-02", 100, 30),
             ("area", "North", 120, 40), ("area", "West", 80, 20)]
    data = SimpleNamespace(**{name: pd.DataFrame(rows, columns=["by", "group", "events",
                                                                 "hidden"])
                              for name, rows in (("hidden", police_uk),
                                                 ("hidden_local", local))})
    table = hidden_table(data, 5, local=True).set_index("Group")  # type: ignore[arg-type,union-attr]
    months = table.loc[["2024-01", "2024-02"], "Assaults judged"]
    assert (months != MARKER).all() == months_shown
    assert (months == MARKER).all() == (not months_shown)
    assert (table.loc["Area", "Assaults judged"] != MARKER) == months_shown
    assert (table.loc[["North", "West"], "Assaults judged"] != MARKER).all()
    # the police.uk table itself is never changed by the local one
    assert (hidden_table(data, 5).loc[:, "Assaults judged"] != MARKER).all()  # type: ignore[arg-type,union-attr]
