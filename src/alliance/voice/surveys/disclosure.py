"""Suppression of linked survey tables, audited against an attacker who holds all of them.

A survey publishes many tables that share margins: the count of each answer, the same answers
by age, by sex, by ethnicity and by area, and the "whom we heard" counts of each group. A cell
hidden in one table can be recovered from another (the overall count minus the other groups'
cells) unless the tables are protected *together*. This module holds every published (and
every implied) cell of a survey question in one system of linear relations:

* a line adds up: ``Σ members = total`` (answers add up to those who answered; each answer's
  groups add up to its overall count; groups add up to those who answered);
* a cell is at most another: ``x ≤ y`` (those in a group who answered a question are at most
  that group's respondents; those who answered a question are at most all respondents);
* an *implied* cell is never shown but follows from what is (those who did *not* tick an
  option of a multiple-choice question).

Every count from 1 to ``threshold - 1`` (published or implied) is *primary*. A cell is hidden
when primary or chosen to protect one (*secondary*); zeros are shown. The audit is the
interval ("protection range") check of the ONS disclosure guidance and tau-Argus: for each
primary cell, the smallest and largest whole-number values an attacker can give it consistent
with everything published (hidden published cells at least 1, since zeros are shown; implied
cells at least 0), found by two integer programmes (scipy ``milp``, HiGHS). The range must hold
at least ``threshold`` values. Secondary cells are chosen greedily: the smallest shown positive
cell in a line with the exposed cell, else in the system. Cells marked ``fixed`` (the "whom we
heard" table, protected first) keep their state; the tables linked to them hide more instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


@dataclass
class Linked:
    """Cells (value, label, implied or shown) and the relations an attacker knows."""

    values: list[int] = field(default_factory=list)
    labels: list[tuple[object, ...]] = field(default_factory=list)
    implied: list[bool] = field(default_factory=list)
    relations: list[tuple[list[int], int]] = field(default_factory=list)
    at_most: list[tuple[int, int]] = field(default_factory=list)
    fixed: dict[int, bool] = field(default_factory=dict)
    #: how much hiding a cell costs readers (an overall count more than a cross-tab cell);
    #: secondary cells are picked cheapest first, then smallest
    cost: list[int] = field(default_factory=list)

    def cell(self, label: tuple[object, ...], value: int, *, implied: bool = False,
             cost: int = 1) -> int:
        self.cost.append(cost)
        self.values.append(int(value))
        self.labels.append(label)
        self.implied.append(implied)
        return len(self.values) - 1

    def adds_up(self, members: list[int], total: int) -> None:
        if sum(self.values[m] for m in members) != self.values[total]:
            raise ValueError(f"cells do not add up to {self.labels[total]}")
        self.relations.append((list(members), total))

    def no_more_than(self, small: int, large: int) -> None:
        self.at_most.append((small, large))


def attacker_range(system: Linked, hidden: np.ndarray, cell: int) -> tuple[float, float]:
    """The smallest and largest whole value of ``cell`` consistent with the published cells."""
    unknown = [int(i) for i in np.flatnonzero(hidden)]
    pos = {c: k for k, c in enumerate(unknown)}
    values = np.asarray(system.values, dtype=float)
    rows: list[tuple[dict[int, float], float, float]] = []
    for members, total in system.relations:
        coef: dict[int, float] = {}
        known = 0.0
        for m in members:
            if m in pos:
                coef[pos[m]] = coef.get(pos[m], 0.0) + 1.0
            else:
                known += values[m]
        if total in pos:
            coef[pos[total]] = coef.get(pos[total], 0.0) - 1.0
        else:
            known -= values[total]
        if coef:
            rows.append((coef, -known, -known))
    for small, large in system.at_most:
        if small not in pos and large not in pos:
            continue
        coef = {}
        known = 0.0
        if small in pos:
            coef[pos[small]] = 1.0
        else:
            known += values[small]
        if large in pos:
            coef[pos[large]] = coef.get(pos[large], 0.0) - 1.0
        else:
            known -= values[large]
        rows.append((coef, -np.inf, -known))
    n = len(unknown)
    lower = np.array([0.0 if system.implied[c] else 1.0 for c in unknown])
    bounds = Bounds(lower, np.full(n, np.inf))
    constraints = []
    if rows:
        matrix = lil_matrix((len(rows), n))
        lo, hi = np.empty(len(rows)), np.empty(len(rows))
        for r, (coef, a, b) in enumerate(rows):
            for k, v in coef.items():
                matrix[r, k] = v
            lo[r], hi[r] = a, b
        constraints = [LinearConstraint(matrix.tocsr(), lo, hi)]
    objective = np.zeros(n)
    objective[pos[cell]] = 1.0
    integrality = np.ones(n)
    low = milp(objective, integrality=integrality, bounds=bounds, constraints=constraints)
    high = milp(-objective, integrality=integrality, bounds=bounds, constraints=constraints)
    lo_v = float(np.ceil(low.fun - 1e-7)) if low.status == 0 else float(lower[pos[cell]])
    hi_v = float(np.floor(-high.fun + 1e-7)) if high.status == 0 else float("inf")
    return lo_v, hi_v


def _lines_of(system: Linked, cell: int) -> list[list[int]]:
    lines = [[*members, total] for members, total in system.relations
             if cell == total or cell in members]
    lines += [[a, b] for a, b in system.at_most if cell in (a, b)]
    return lines


def protect(system: Linked, *, threshold: int,
            start: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """Which cells to hide (True) so that no primary cell can be narrowed below ``threshold``
    possible values by an attacker holding every shown cell and every relation. ``start``: a
    pattern already chosen (cells hidden there stay hidden).

    Returns the pattern and whether it is safe. It is not when even hiding every movable cell
    leaves a primary cell narrow (shown zeros and the fixed cells can pin it down): the caller
    must then withhold the tables whole."""
    values = np.asarray(system.values)
    implied = np.asarray(system.implied, dtype=bool)
    primary = (values >= 1) & (values < threshold)
    hidden = primary | implied
    if start is not None:
        hidden |= start
    for c, state in system.fixed.items():
        hidden[c] = state
    movable = np.ones(len(values), dtype=bool)
    movable[list(system.fixed)] = False
    if not primary.any():
        return hidden, True

    def pick(candidates: list[int]) -> int | None:
        open_cells = [c for c in candidates if not hidden[c] and movable[c] and values[c] > 0]
        return (min(open_cells, key=lambda c: (system.cost[c], values[c], c))
                if open_cells else None)

    safe: set[int] = set()
    for _ in range(10 * len(values) + 10):
        # a line with one hidden primary cell and nothing else hidden gives it away at once
        exposed = None
        for members, total in system.relations:
            line = [*members, total]
            lone = [c for c in line if hidden[c]]
            if len(lone) == 1 and primary[lone[0]]:
                exposed = line
                break
        if exposed is not None:
            choice = pick(exposed)
            if choice is None:
                choice = pick(list(range(len(values))))
            if choice is None:
                break
            hidden[choice] = True
            continue
        weak = None
        for cell in np.flatnonzero(primary):
            if int(cell) in safe:
                continue
            lo, hi = attacker_range(system, hidden, int(cell))
            if hi - lo < threshold - 1:
                weak = int(cell)
                break
            safe.add(int(cell))  # hiding more only widens ranges: it stays safe
        if weak is None:
            return hidden, True
        near = [c for line in _lines_of(system, weak) for c in line]
        choice = pick(near) or pick(list(range(len(values))))
        if choice is None:
            break
        hidden[choice] = True
    # nothing left to hide: hide every movable positive cell, and say it is not enough
    hidden |= movable & (values > 0)
    return hidden, False


def merge(parts: list[Linked], shared: int) -> tuple[Linked, list[np.ndarray]]:
    """One system of several that share their first ``shared`` cells (the "whom we heard"
    cells): the attacker who holds every table of a survey. Returns it and, per part, where
    its cells went."""
    joint = Linked(values=list(parts[0].values[:shared]), labels=list(parts[0].labels[:shared]),
                   implied=list(parts[0].implied[:shared]), cost=list(parts[0].cost[:shared]))
    shared_relations = [r for r in parts[0].relations
                        if r[1] < shared and all(m < shared for m in r[0])]
    joint.relations.extend(shared_relations)
    maps = []
    for part in parts:
        where = np.arange(len(part.values))
        extra = len(part.values) - shared
        where[shared:] = np.arange(len(joint.values), len(joint.values) + extra)
        joint.values.extend(part.values[shared:])
        joint.labels.extend(part.labels[shared:])
        joint.implied.extend(part.implied[shared:])
        joint.cost.extend(part.cost[shared:])
        for members, total in part.relations:
            if total < shared and all(m < shared for m in members):
                continue
            joint.relations.append(([int(where[m]) for m in members], int(where[total])))
        joint.at_most.extend((int(where[a]), int(where[b])) for a, b in part.at_most)
        maps.append(where)
    return joint, maps
