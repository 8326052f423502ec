"""Published survey tables: Wilson intervals as the PHE method, and an attacker who holds every
published table of a survey (overall counts, every cross-tab with its bases, whom we heard)
and solves integer programmes cannot narrow any count of 1-4 to fewer than five values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from alliance.voice.surveys import load_definition
from alliance.voice.surveys.results import NOT_GIVEN, tabulate
from tests.voice.surveys.test_definition import example

D = load_definition(example())
THRESHOLD = 5


def responses(seed: int, n: int) -> tuple[list[dict], pd.DataFrame]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        r: dict = {"feel_safe_day": rng.choice(["very_safe", "fairly_safe", "a_bit_unsafe",
                                                "very_unsafe"], p=[0.4, 0.4, 0.15, 0.05])}
        if rng.random() < 0.8:
            r["feel_safe_night"] = str(rng.choice(["very_safe", "fairly_safe", "a_bit_unsafe",
                                                   "very_unsafe"]))
        worries = [w for w in ("knives", "gangs", "drugs", "online") if rng.random() < 0.3]
        if worries:
            r["worries"] = worries
        if rng.random() < 0.6:
            r["priorities"] = list(rng.permutation(["youth_clubs", "lighting", "police"]))
        out.append(r)
    groups = pd.DataFrame({
        "age": rng.choice(["16-24", "25-44", "45-64", "65+", None], size=n,
                          p=[0.05, 0.3, 0.35, 0.25, 0.05]),
        "sex": rng.choice(["female", "male", None], size=n, p=[0.6, 0.37, 0.03])})
    return out, groups


class Attacker:
    """Every published number, and what the attacker knows ties them together."""

    def __init__(self) -> None:
        self.truth: list[int] = []
        self.shown: list[bool] = []
        self.low: list[float] = []
        self.eq: list[tuple[list[int], int]] = []
        self.le: list[tuple[int, int]] = []

    def cell(self, true: int, published: float, *, implied: bool = False) -> int:
        self.truth.append(int(true))
        self.shown.append(not implied and not np.isnan(published))
        if self.shown[-1]:
            assert published == true
        self.low.append(0.0 if implied else 1.0)
        return len(self.truth) - 1

    def narrowest(self) -> tuple[float, int]:
        """The narrowest range (hi - lo) of any count of 1-4, and how many there were."""
        hidden = [i for i, s in enumerate(self.shown) if not s]
        pos = {c: k for k, c in enumerate(hidden)}
        rows, lo, hi = [], [], []
        for members, total in self.eq:
            coef = np.zeros(len(hidden))
            known = 0.0
            for m in members:
                if m in pos:
                    coef[pos[m]] += 1
                else:
                    known += self.truth[m]
            if total in pos:
                coef[pos[total]] -= 1
            else:
                known -= self.truth[total]
            rows.append(coef)
            lo.append(-known)
            hi.append(-known)
        for a, b in self.le:
            coef = np.zeros(len(hidden))
            known = 0.0
            for c, sign in ((a, 1), (b, -1)):
                if c in pos:
                    coef[pos[c]] += sign
                else:
                    known += sign * self.truth[c]
            rows.append(coef)
            lo.append(-np.inf)
            hi.append(-known)
        cons = LinearConstraint(np.array(rows), lo, hi)
        bounds = Bounds([self.low[c] for c in hidden], np.inf)
        worst, n_small = np.inf, 0
        for c in hidden:
            if not 1 <= self.truth[c] < THRESHOLD:
                continue
            n_small += 1
            obj = np.zeros(len(hidden))
            obj[pos[c]] = 1
            a = milp(obj, integrality=np.ones(len(hidden)), bounds=bounds, constraints=[cons])
            b = milp(-obj, integrality=np.ones(len(hidden)), bounds=bounds, constraints=[cons])
            width = (np.inf if b.status != 0 else -b.fun) - a.fun
            worst = min(worst, width)
        return worst, n_small


def attack(results, answers: list[dict], groups: pd.DataFrame) -> Attacker:
    truth = tabulate(D, answers, groups, threshold=None)
    att = Attacker()
    n = att.cell(results.respondents, results.respondents)
    heard = {}
    for grouping, series in results.heard.items():
        cells = {g: att.cell(int(truth.heard[grouping][g]), series[g]) for g in series.index}
        att.eq.append((list(cells.values()), n))
        heard[grouping] = cells
    for pub, true in zip(results.questions, truth.questions, strict=True):
        q = pub.question
        if pub.withheld:  # nothing of it is published
            assert pub.options["count"].isna().all()
            continue
        answered = att.cell(int(true.answered), pub.answered)
        att.le.append((answered, n))
        opts = {o: att.cell(int(true.options.loc[o, "count"]), pub.options.loc[o, "count"])
                for o in pub.options.index}
        if q.type == "multiple":
            for o, c in opts.items():
                miss = att.cell(int(true.answered - true.options.loc[o, "count"]), np.nan,
                                implied=True)
                att.eq.append(([c, miss], answered))
        else:
            att.eq.append((list(opts.values()), answered))
        for grouping, tab in pub.crosstabs.items():
            ttab = true.crosstabs[grouping]
            bases = {g: att.cell(int(ttab.bases[g]), tab.bases[g]) for g in tab.bases.index}
            att.eq.append((list(bases.values()), answered))
            for g, b in bases.items():
                att.le.append((b, heard[grouping][g]))
            cells = {(o, g): att.cell(int(ttab.counts.loc[o, g]), tab.counts.loc[o, g])
                     for o in tab.counts.index for g in tab.counts.columns}
            for o in tab.counts.index:
                att.eq.append(([cells[(o, g)] for g in tab.counts.columns], opts[o]))
            for g in tab.counts.columns:
                if q.type == "multiple":
                    for o in tab.counts.index:
                        miss = att.cell(int(ttab.bases[g] - ttab.counts.loc[o, g]), np.nan,
                                        implied=True)
                        att.eq.append(([cells[(o, g)], miss], bases[g]))
                else:
                    att.eq.append(([cells[(o, g)] for o in tab.counts.index], bases[g]))
    return att


@pytest.mark.parametrize(("seed", "n"), [(1, 40), (2, 90), (3, 23)])
def test_an_attacker_with_every_table_recovers_no_small_count(seed: int, n: int) -> None:
    answers, groups = responses(seed, n)
    published = tabulate(D, answers, groups, threshold=THRESHOLD)
    assert published.hidden_any
    worst, n_small = attack(published, answers, groups).narrowest()
    assert n_small > 0
    assert worst >= THRESHOLD - 1


def test_every_small_count_is_hidden_and_large_ones_mostly_shown() -> None:
    answers, groups = responses(5, 400)
    published = tabulate(D, answers, groups, threshold=THRESHOLD)
    truth = tabulate(D, answers, groups, threshold=None)
    shown = total = 0
    for pub, true in zip(published.questions, truth.questions, strict=True):
        for grouping, tab in pub.crosstabs.items():
            t = true.crosstabs[grouping].counts
            small = (t >= 1) & (t < THRESHOLD)
            assert tab.counts[small].isna().all().all()
            shown += int(tab.counts.notna().to_numpy().sum())
            total += t.size
    assert shown / total > 0.5  # suppression is not the whole table


def test_percentages_and_wilson_match_the_phe_method() -> None:
    from alliance.stats.rates import proportion

    answers, groups = responses(9, 300)
    result = tabulate(D, answers, groups, threshold=THRESHOLD).questions[0]
    assert result.answered == 300
    shown = result.options.dropna(subset=["count"])
    assert len(shown) >= 2
    count = shown["count"].astype(int)
    ref = proportion(count, pd.Series(300, index=count.index))
    np.testing.assert_allclose(shown["lower"], 100 * ref.lower, atol=1e-9)
    np.testing.assert_allclose(shown["upper"], 100 * ref.upper, atol=1e-9)
    np.testing.assert_allclose(shown["percent"], 100 * count / 300)


def test_not_given_is_a_group_so_tables_add_up() -> None:
    answers, groups = responses(4, 60)
    truth = tabulate(D, answers, groups, threshold=None)
    assert NOT_GIVEN in truth.heard["age"].index
    assert truth.heard["age"].sum() == 60
