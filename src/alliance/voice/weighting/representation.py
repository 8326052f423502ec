"""Whom we heard: respondents beside the population, and who is under-represented.

For each group of a margin (age band, sex, area …) the share of respondents is set beside the
population share; the ratio of the two is the representation index (1 = heard in proportion).
A group is called under-represented when its index is below ``under`` (default 0.67: heard at
two-thirds of its weight or less) *and* the shortfall is beyond chance: the respondent share's
95% Wilson upper limit is below the population share. No multiple-testing correction: the
sentence is descriptive, and the table shows every group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from statsmodels.stats.proportion import proportion_confint


@dataclass(frozen=True)
class Representation:
    """Respondents against the population for one margin.

    ``table``: index = group; columns ``respondents``, ``respondent_share``, ``lower``,
    ``upper`` (Wilson, of the respondent share), ``population_share``, ``index``,
    ``under`` (bool), ``over`` (bool).
    """

    margin: str
    table: pd.DataFrame

    @property
    def under_represented(self) -> list[str]:
        return [str(g) for g in self.table.index[self.table["under"]]]

    def sentence(self, label: str | None = None) -> str:
        """A plain sentence on who is under-represented (or that nobody clearly is); ``label``
        names the margin in the sentence (default: the margin's own name, so a template can
        call it without arguments)."""
        label = self.margin if label is None else label
        under = self.under_represented
        if not under:
            return f"No {label} group was clearly under-represented among respondents."
        parts = []
        for group in under:
            row = self.table.loc[group]
            parts.append(f"{group} ({row['respondent_share']:.0%} of respondents, "
                         f"{row['population_share']:.0%} of residents)")
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"By {label}, we heard too few from {joined}."


def representation(respondents: pd.Series, population: Mapping[Any, float], *,
                   margin: str, under: float = 0.67, over: float = 1.5) -> Representation:
    """Compare the groups of ``respondents`` (one value per respondent, NaN = not given) with
    the population counts or shares of each group."""
    pop = pd.Series({k: float(v) for k, v in population.items()}, dtype=float)
    if pop.empty or pop.sum() <= 0 or (pop < 0).any():
        raise ValueError(f"{margin}: population figures must be non-negative with a total")
    given = respondents.dropna()
    counts = given.value_counts().reindex(pop.index, fill_value=0).astype(int)
    n = int(counts.sum())
    table = pd.DataFrame({"respondents": counts})
    table["respondent_share"] = counts / n if n else 0.0
    if n:
        lower, upper = proportion_confint(counts.to_numpy(), n, method="wilson")
    else:
        lower, upper = 0.0, 1.0
    table["lower"], table["upper"] = lower, upper
    table["population_share"] = pop / pop.sum()
    table["index"] = table["respondent_share"] / table["population_share"]
    table["under"] = (table["index"] < under) & (table["upper"] < table["population_share"])
    table["over"] = (table["index"] > over) & (table["lower"] > table["population_share"])
    table.index.name = margin
    return Representation(margin=margin, table=table)
