"""Suppress the lattice as a whole, and check it as an attacker would.

Rules (what the attacker also knows): zero is always shown; every count from 1 to
``threshold - 1`` is hidden (*primary*); other cells are hidden where needed (*secondary*) so
that, for every primary cell, the range of values consistent with **everything published** —
every visible cell of the lattice, the identities between its parts, that hidden cells are at
least 1 and that all counts are whole and non-negative — is at least ``threshold`` wide
(``high - low >= threshold``). Outputs say how many cells are hidden, never which are
primary, so the primary/secondary split gives nothing away.

The attacker's range for a cell is found exactly by integer programming (two mixed-integer
programmes per primary cell, HiGHS through :func:`scipy.optimize.milp`), over the connected
part of the system that involves it. Linear programming alone is not enough here: with
neighbourhoods, deciles, districts and categories the constraint matrix is not totally
unimodular, so the linear relaxation can promise a range wider than whole numbers allow.

Secondary cells are chosen greedily: the smallest positive visible cell sharing a relation
with the weak primary cell, of the same kind where possible (a neighbourhood for a
neighbourhood, a month for a month), so that as little as possible is lost. Hiding a cell only
ever widens ranges, so a cell that passed stays safe and is not checked again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from alliance.figures.lattice import Lattice

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True, kw_only=True)
class Protection:
    """Which cells of a lattice are hidden, and why."""

    hidden: np.ndarray  # bool per cell
    primary: np.ndarray  # bool per cell
    threshold: int | None

    @property
    def secondary(self) -> np.ndarray:
        return self.hidden & ~self.primary

    @property
    def n_hidden(self) -> int:
        return int(self.hidden.sum())


class _Relations:
    """The lattice as sparse matrices, built once: a row per published cell (its base cells)
    followed by a row per identity (its coefficients), then a *short* row per identity whose
    negative side is exactly some cell's support and whose positive side is people by age and
    sex (against a year's placed rows, :mod:`alliance.figures.lattice`): its positive side
    alone. While that cell is
    visible, "positive side = the cell's value" says the same as the identity beside the
    cell's own row, and the attacker's system uses it instead, so the two sides fall into
    separate parts that the integer programmes solve apart (much quicker, the same ranges)."""

    def __init__(self, lattice: Lattice) -> None:
        n_vars = len(lattice.values)
        rows, cols, data = [], [], []
        for c, support in enumerate(lattice.supports):
            rows.append(np.full(len(support), c))
            cols.append(support)
            data.append(np.ones(len(support)))
        n_cells = lattice.n_cells
        for i, (members, coefs) in enumerate(lattice.identities):
            rows.append(np.full(len(members), n_cells + i))
            cols.append(members)
            data.append(coefs.astype(float))
        by_support = {support.tobytes(): c for c, support in enumerate(lattice.supports)}
        short: list[tuple[int, int]] = []  # (identity, the cell its negative side is)
        for i, (members, coefs) in enumerate(lattice.identities):
            plus = members[coefs == 1]
            # people identities only: the police.uk identities keep the checked behaviour
            if not all(lattice.base_names[int(b)][0] == "w" for b in plus):
                continue
            cell = by_support.get(np.unique(members[coefs == -1]).tobytes())
            if cell is not None and set(np.unique(coefs).tolist()) == {-1, 1}:
                rows.append(np.full(len(plus), n_cells + len(lattice.identities) + len(short)))
                cols.append(plus)
                data.append(np.ones(len(plus)))
                short.append((i, cell))
        self.short = short
        n_rows = n_cells + len(lattice.identities) + len(short)
        self.matrix = csr_matrix((np.concatenate(data), (np.concatenate(rows),
                                                          np.concatenate(cols))),
                                 shape=(n_rows, n_vars))
        self.csc = self.matrix.tocsc()
        self.n_cells = n_cells
        sizes = np.array([len(s) for s in lattice.supports])
        self.single = np.where(sizes == 1, [int(s[0]) for s in lattice.supports],
                               -1).astype(np.int64)
        self.cell_of_var = np.full(n_vars, -1, dtype=np.int64)
        for cell in (int(c) for c in np.flatnonzero(sizes == 1)):
            if self.cell_of_var[self.single[cell]] < 0:
                self.cell_of_var[self.single[cell]] = cell


class _System:
    """The attacker's constraints given which cells are hidden: unknown base cells, equality
    rows (visible sums, identities) and rows 'at least 1' (hidden cells)."""

    def __init__(self, lattice: Lattice, relations: _Relations, hidden: np.ndarray) -> None:
        self.lattice = lattice
        self.rel = relations
        values = lattice.values.astype(float)
        n_cells = relations.n_cells
        fixed = np.zeros(len(values), dtype=bool)
        visible_single = (~hidden) & (relations.single >= 0)
        fixed[relations.single[visible_single]] = True
        self.fixed = fixed
        self.unknown = np.flatnonzero(~fixed)
        self.position = np.full(len(values), -1, dtype=np.int64)
        self.position[self.unknown] = np.arange(len(self.unknown))
        known = relations.csc[:, np.flatnonzero(fixed)] @ values[fixed]
        free = relations.csc[:, self.unknown].tocsr()
        has_free = np.diff(free.indptr) > 0
        is_cell = np.arange(free.shape[0]) < n_cells
        cell_hidden = np.zeros(free.shape[0], dtype=bool)
        cell_hidden[:n_cells] = hidden
        multi = np.zeros(free.shape[0], dtype=bool)
        multi[:n_cells] = relations.single < 0
        rhs = np.zeros(free.shape[0])
        rhs[:n_cells] = lattice.cell_values.astype(float)
        # each identity, or its short row while the cell it names is visible (see _Relations)
        active = np.ones(free.shape[0], dtype=bool)
        first_short = n_cells + len(lattice.identities)
        for j, (identity, cell) in enumerate(relations.short):
            visible = not hidden[cell]
            active[n_cells + identity] = not visible
            active[first_short + j] = visible
            rhs[first_short + j] = float(lattice.cell_values[cell])
        rhs = rhs - known
        equality = active & has_free & ((~is_cell) | ((~cell_hidden) & multi))
        at_least = has_free & is_cell & cell_hidden & (1 - known > 0)
        keep = np.flatnonzero(equality | at_least)
        self.source = keep  # row -> index in the relations (cell, or n_cells + identity)
        self.equality = equality[keep]
        self.free = free[keep]
        self.low = np.where(self.equality, rhs[keep], 1 - known[keep])
        self.high = np.where(self.equality, rhs[keep], np.inf)
        n_u, n_r = len(self.unknown), len(keep)
        coo = self.free.tocoo()
        graph = coo_matrix((np.ones(coo.nnz), (coo.row + n_u, coo.col)),
                           shape=(n_u + n_r, n_u + n_r))
        _, labels = connected_components(graph, directed=False)
        self.component = labels[:n_u]
        self.row_component = labels[n_u:]

    def _free_vars(self, cell: int) -> np.ndarray:
        support = self.lattice.supports[cell]
        return self.position[support[~self.fixed[support]]]

    def cell_range(self, cell: int, *, integral: bool = True) -> tuple[float, float]:
        """The attacker's tightest whole-number range for ``cell`` (``integral=False``: the
        linear relaxation's range, rounded inwards: never narrower, and quicker, for choosing
        which cell to hide; the audit always uses whole numbers)."""
        support = self.lattice.supports[cell]
        free = self._free_vars(cell)
        const = float(self.lattice.values[support[self.fixed[support]]].sum())
        if not len(free):
            return const, const
        comps = np.unique(self.component[free])
        members = np.flatnonzero(np.isin(self.component, comps))
        rows = np.flatnonzero(np.isin(self.row_component, comps))
        objective = np.zeros(len(self.unknown))
        objective[free] = 1.0
        objective = objective[members]
        constraints = []
        if len(rows):
            matrix = self.free[rows][:, members]
            constraints.append(LinearConstraint(matrix, self.low[rows], self.high[rows]))
        options = {"integrality": np.ones(len(members)) if integral else None,
                   "bounds": Bounds(0, np.inf), "constraints": constraints}
        lo_res = milp(objective, **options)
        hi_res = milp(-objective, **options)
        if integral:
            lo = float(np.round(lo_res.fun)) + const if lo_res.status == 0 else const
            hi = float(np.round(-hi_res.fun)) + const if hi_res.status == 0 else float("inf")
        else:
            lo = float(np.ceil(lo_res.fun - 1e-7)) + const if lo_res.status == 0 else const
            hi = (float(np.floor(-hi_res.fun + 1e-7)) + const if hi_res.status == 0
                  else float("inf"))
        return lo, hi

    def pinned(self, primary: np.ndarray) -> list[int]:
        """Hidden primary cells an attacker can work out exactly by chaining relations that
        have a single unknown left (cheap; the integer programme finds the rest)."""
        eq = self.free[self.equality]
        eq = csr_matrix((np.ones(eq.nnz), eq.indices, eq.indptr), shape=eq.shape)
        open_vars = np.ones(len(self.unknown))
        while True:
            counts = eq @ open_vars
            single = np.flatnonzero(counts == 1)
            if not len(single):
                break
            hit = eq[single].multiply(open_vars).tocoo()
            newly = np.unique(hit.col[hit.data > 0])
            if not len(newly):
                break
            open_vars[newly] = 0
        out = []
        for c in np.flatnonzero(primary):
            free = self._free_vars(int(c))
            if not len(free) or not open_vars[free].any():
                out.append(int(c))
        return out

    def neighbours(self, cell: int) -> np.ndarray:
        """Equality rows holding ``cell``'s unknowns: the relations through which it is known."""
        free = self._free_vars(cell)
        if not len(free):
            return np.flatnonzero(np.isin(self.source, self.relations_of(cell)) & self.equality)
        touch = np.asarray(self.free[:, free].sum(axis=1)).ravel() > 0
        return np.flatnonzero(touch & self.equality)

    def relations_of(self, cell: int) -> np.ndarray:
        """Relation rows (of :class:`_Relations`) that hold any base cell of ``cell``."""
        support = self.lattice.supports[cell]
        return np.unique(self.rel.csc[:, support].tocoo().row)

    def rows_with(self, cell: int) -> np.ndarray:
        """Rows that hiding ``cell`` changes: those holding its base cells, and its own."""
        return np.flatnonzero(np.isin(self.source, self.relations_of(cell))
                              | (self.source == cell))


def attacker_ranges(lattice: Lattice, hidden: np.ndarray,
                    cells: list[int] | None = None) -> dict[int, tuple[float, float]]:
    """The range an attacker who knows every visible cell can derive for each hidden cell."""
    system = _System(lattice, _Relations(lattice), hidden)
    todo = [int(c) for c in np.flatnonzero(hidden)] if cells is None else cells
    return {c: system.cell_range(c) for c in todo}


def _candidates(lattice: Lattice, system: _System, hidden: np.ndarray,
                rows: np.ndarray) -> list[int]:
    """Visible positive cells that take part in ``rows``: the rows' own cells, cells that fix
    a known base cell of them, and cells that add up any of their unknown base cells. Hiding
    one adds an unknown to, or removes, a relation through which the weak cell is known."""
    rel = system.rel
    sources = system.source[rows]
    found: set[int] = {int(c) for c in sources[sources < rel.n_cells]}
    members = np.unique(rel.matrix[sources].tocoo().col)
    for var in members[system.fixed[members]]:
        found.add(int(rel.cell_of_var[var]))
    free = members[~system.fixed[members]]
    if len(free):
        found.update(int(c) for c in np.unique(rel.csc[:, free].tocoo().row)
                     if c < rel.n_cells)
    values = lattice.cell_values
    return sorted((c for c in found if c >= 0 and not hidden[c] and values[c] > 0),
                  key=lambda c: (int(values[c]), c))


#: candidates tried before settling for the one that widened the range most
LOOKAHEAD = 16
PER_ROW = 3
#: candidates that change nothing alone and are tried again with a partner
PAIRS = 4


def _row_family(lattice: Lattice, system: _System, row: int) -> tuple[object, ...]:
    """Rows of one kind (district months of a category, say) count as one relation when
    choosing candidates, so twelve month rows do not crowd out one year row."""
    source = int(system.source[row])
    if source >= system.rel.n_cells:
        return ("identity",)
    key = lattice.cell_keys[source][0]
    return (key.level, len(key.period) == 7, key.category)


def _ordered_candidates(lattice: Lattice, system: _System, hidden: np.ndarray,
                        rows: np.ndarray) -> list[int]:
    """Candidates relation by relation: the smallest few of every kind of relation that pins
    the weak cell first, then the rest by size."""
    values = lattice.cell_values
    families: dict[tuple[object, ...], list[int]] = {}
    for r in rows:
        families.setdefault(_row_family(lattice, system, int(r)), []).append(int(r))
    first: list[int] = []
    rest: set[int] = set()
    for members in families.values():
        found = _candidates(lattice, system, hidden, np.array(members))
        first += [c for c in found[:PER_ROW] if c not in first]
        rest.update(found[PER_ROW:])
    first.sort(key=lambda c: (int(values[c]), c))
    return first + sorted(rest - set(first), key=lambda c: (int(values[c]), c))


def _widening(lattice: Lattice, relations: _Relations, hidden: np.ndarray, weak: int,
               cells: list[int]) -> float:
    trial = hidden.copy()
    trial[cells] = True
    lo, hi = _System(lattice, relations, trial).cell_range(weak, integral=False)
    return hi - lo


def _pick(lattice: Lattice, relations: _Relations, system: _System, hidden: np.ndarray,
          weak: int, threshold: int) -> list[int]:
    """The secondary cell(s) to hide for ``weak``.

    Candidates come relation by relation (the smallest of each relation that pins the weak
    cell first). The first whose hiding makes the range wide enough is taken. A candidate that
    changes nothing because it could itself be worked out exactly is tried again with the
    smallest cell of a relation that pins *it*. Failing both, the candidate that widened the
    range most; failing that, the smallest cell of the weak cell's relations.
    """
    near = system.neighbours(weak)
    lo0, hi0 = system.cell_range(weak, integral=False)
    best: list[int] = []
    best_width = hi0 - lo0
    candidates = _ordered_candidates(lattice, system, hidden, near)[:LOOKAHEAD]
    pinned_alone: list[int] = []
    for c in candidates:
        width = _widening(lattice, relations, hidden, weak, [c])
        if width >= threshold:
            return [c]
        if width > best_width:
            best, best_width = [c], width
        elif len(pinned_alone) < PAIRS:
            pinned_alone.append(c)
    for c in pinned_alone:
        trial = hidden.copy()
        trial[c] = True
        again = _System(lattice, relations, trial)
        own = [r for r in again.neighbours(c) if r not in set(again.neighbours(weak))]
        for partner in _ordered_candidates(lattice, again, trial, np.array(own))[:PER_ROW]:
            width = _widening(lattice, relations, hidden, weak, [c, partner])
            if width >= threshold:
                return [c, partner]
            if width > best_width:
                best, best_width = [c, partner], width
    if best:
        return best
    pools = [near]
    free = system._free_vars(weak)
    if len(free):
        pools.append(np.flatnonzero(np.isin(system.row_component,
                                            np.unique(system.component[free]))))
    for rows in pools:
        found = _candidates(lattice, system, hidden, rows)
        if found:
            return [found[0]]
    return []


class _Round:
    """One round of secondary suppression: the picks made against one system."""

    def __init__(self, lattice: Lattice, relations: _Relations, system: _System,
                 hidden: np.ndarray, threshold: int) -> None:
        self.lattice = lattice
        self.relations = relations
        self.system = system
        self.hidden = hidden
        self.threshold = threshold
        self.picks: list[int] = []
        self.touched = np.zeros(len(system.source), dtype=bool)  # rows a pick has changed

    def weak_at(self, cell: int) -> bool:
        near = self.system.neighbours(cell)
        if self.touched[near].any():
            return False  # settle it next round, against the rows as they will be then
        picks = _pick(self.lattice, self.relations, self.system, self.hidden, cell,
                      self.threshold)
        if not picks:
            raise RuntimeError(f"cannot protect {self.lattice.cell_keys[cell][0]}: nothing "
                               "left to hide around it; please report this table")
        self.picks.extend(picks)
        self.touched[near] = True
        for pick in picks:
            self.touched[self.system.rows_with(pick)] = True
        return True


def protect(lattice: Lattice, *, threshold: int | None, max_rounds: int = 100_000) -> Protection:
    """Primary and secondary suppression of the whole lattice (``threshold=None``: nothing
    hidden, for record-level access).

    Each round rebuilds the attacker's system once. Primary cells pinned exactly by a chain of
    relations with one unknown (found without a solver) get a secondary cell each, as long as
    their relations do not overlap an earlier pick of the round; when none is pinned, the
    integer programme checks each primary cell's range and the first too narrow gets one.
    """
    n = lattice.n_cells
    if threshold is None:
        empty = np.zeros(n, dtype=bool)
        return Protection(hidden=empty, primary=empty.copy(), threshold=None)
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    if n == 0:  # nothing to publish (a partner source with no row placed in the area)
        empty = np.zeros(0, dtype=bool)
        return Protection(hidden=empty, primary=empty.copy(), threshold=threshold)
    relations = _Relations(lattice)
    values = lattice.cell_values
    primary = (values >= 1) & (values < threshold)
    hidden = primary.copy()
    passed: set[int] = set()
    for _ in range(max_rounds):
        rnd = _Round(lattice, relations, _System(lattice, relations, hidden), hidden,
                     threshold)
        for cell in rnd.system.pinned(primary):
            rnd.weak_at(cell)
        if not rnd.picks:
            for cell in (int(c) for c in np.flatnonzero(primary)):
                if cell in passed:
                    continue
                lo, hi = rnd.system.cell_range(cell)
                if hi - lo >= threshold:
                    passed.add(cell)
                elif rnd.weak_at(cell):
                    break
        if not rnd.picks:
            break
        hidden[rnd.picks] = True
    else:
        raise RuntimeError("secondary suppression did not settle; please report this table")
    return Protection(hidden=hidden, primary=primary, threshold=threshold)
