"""What publishing people by age band and sex costs the suppression of a partner source.

Run: ``.venv/bin/python benchmarks/bench_who_lattice.py``

A synthetic A&E-shaped source (``tests/figures/people.py``: twelve neighbourhoods, two years,
a few attendances a neighbourhood a month, so many age-by-sex cells are 1 to 4) is published
three ways in one run: without people (the lattice before the who-table), with people as the
audit states them (people identities against the visible year total, ADR 0016), and with
people stated as plain identities against the placed rows (the peer: the audit without that
rewriting; the same ranges, see ``tests/figures/test_who.py``). Prints the times, the cells
hidden and the ratios.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.figures.people import people_rows

from alliance.figures.audit import protect
from alliance.figures.lattice import build_lattice
from alliance.figures.publication import publish


def _plain(cube):  # type: ignore[no-untyped-def]
    """The peer: the same lattice with the people base cells renamed, so the audit keeps the
    plain identities."""
    lattice = build_lattice(cube, min_monthly_mean=10, min_lsoa_mean=10)
    plain = dataclasses.replace(lattice, base_names=tuple(
        ("v", *n[1:]) if n[0] == "w" else n for n in lattice.base_names))
    return protect(plain, threshold=5)


def main() -> None:
    for seed, mean in ((1, 2.0), (2, 2.0), (3, 4.0)):
        cube, rows = people_rows(seed, n_lsoa=12, months=24, mean=mean)
        bare = dataclasses.replace(cube, people=None)
        t = time.perf_counter()
        a = publish(bare, threshold=5)
        without = time.perf_counter() - t
        t = time.perf_counter()
        b = publish(cube, threshold=5)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        c = _plain(cube)
        peer = time.perf_counter() - t
        print(f"seed {seed}, {len(rows)} rows: without people {without:.2f} s "
              f"({a.protection.n_hidden} hidden of {a.lattice.n_cells}); with people "
              f"{ours:.2f} s ({b.protection.n_hidden} of {b.lattice.n_cells}); plain "
              f"identities {peer:.2f} s ({c.n_hidden}); with/without {ours / without:.1f}x, "
              f"plain/ours {peer / ours:.1f}x")


if __name__ == "__main__":
    main()
