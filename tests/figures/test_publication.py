"""Published figures depend on published values only.

If a figure used a hidden count (directly, or through a statistic such as a neighbour's Gi*,
a concentration curve or a density surface), changing that hidden count would change the
figure, and an attacker could solve for it. Here every hidden count is replaced by nonsense
(in the lattice and in the cube it came from) and every published figure must come out the
same.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from alliance.figures import counts, density, hotspots, monthly, neighbourhoods
from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import NotPublished, Publication, publish
from tests.figures.synthetic import synthetic_cube


def _poisoned(pub: Publication) -> Publication:
    lattice = pub.lattice
    hidden = pub.protection.hidden
    cube = lattice.cube
    placed = cube.placed.copy()
    year = pub.years[-1]
    codes = list(cube.geography.codes)
    for c in np.flatnonzero(hidden):
        for key in lattice.cell_keys[c]:
            if key.level == "lsoa":
                placed[codes.index(key.code)] += 97  # nonsense in every month and category
    poisoned_cube = dataclasses.replace(cube, placed=placed)
    poisoned = dataclasses.replace(lattice, cube=poisoned_cube)
    values = poisoned.cell_values.copy()
    values[hidden] = 10_000 + np.arange(int(hidden.sum()))
    object.__setattr__(poisoned, "cell_values", values)
    assert year.label in {y.label for y in poisoned.years}
    return Publication(lattice=poisoned, protection=pub.protection)


def _everything(pub: Publication) -> list[object]:
    out: list[object] = []
    geo = pub.cube.geography
    year = pub.year(pub.years[-1].label)
    units = [("area", geo.code), *[("csp", c) for c in geo.units("csp")],
             *[("lad", c) for c in geo.units("lad")]]
    for level, code in units:
        for cat in [ALL, *pub.cube.categories]:
            out.append(counts.count(pub, level=level, code=code, period=year, category=cat))
            out.append(counts.rate(pub, level=level, code=code, period=year, category=cat))
            out.append(monthly.monthly(pub, level=level, code=code, category=cat).to_csv())
            last = pub.cube.months[-12:]
            out.append(counts.change(pub, level=level, code=code, before=pub.cube.months[:12],
                                     after=tuple(last), category=cat))
        out.append(neighbourhoods.neighbourhoods(pub, level=level, code=code,
                                                 period=year).to_csv())
        spots = hotspots.hotspots(pub, level=level, code=code, period=year)
        out.append((spots.labels.to_csv(), spots.z.round(9).to_csv()))
        out.append(neighbourhoods.concentration(pub, level=level, code=code,
                                                period=year).lorenz.round(9).to_csv())
        limits = neighbourhoods.funnel(pub, level=level, code=code, period=year)
        out.append(None if limits is None else limits.flag.to_csv())
    out.append(neighbourhoods.deciles(pub, period=year).table.to_csv())
    return out


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_no_published_figure_moves_when_hidden_counts_do(seed: int) -> None:
    pub = publish(synthetic_cube(seed, n_lsoa=12, months=24), threshold=5)
    assert pub.protection.hidden.any()
    poisoned = _poisoned(pub)
    # repr: NaN (hidden) compares equal to NaN
    assert [repr(x) for x in _everything(pub)] == [repr(x) for x in _everything(poisoned)]


def test_density_bands_do_not_move_when_hidden_counts_do() -> None:
    pub = publish(synthetic_cube(14, n_lsoa=12, months=24), threshold=5)
    year = pub.year(pub.years[-1].label)
    rng = np.random.default_rng(0)
    codes = list(pub.cube.geography.codes)
    points = pd.DataFrame({"lsoa21_code": rng.choice(codes, 400),
                           "easting": rng.uniform(462_000, 465_000, 400),
                           "northing": rng.uniform(261_000, 263_000, 400)})
    hidden = pub.lsoa_counts(year).isna()
    assert hidden.any()
    more = points[points["lsoa21_code"].isin(hidden.index[hidden])].head(5)
    a = density.density_bands(pub, period=year, points=points)
    b = density.density_bands(pub, period=year, points=pd.concat([points, more] * 3))
    assert a is not None and b is not None
    pd.testing.assert_frame_equal(a.cells, b.cells)


def test_roles_without_record_level_access_get_only_lattice_figures() -> None:
    pub = publish(synthetic_cube(15, n_lsoa=8, months=24), threshold=5)
    with pytest.raises(NotPublished):
        pub.span(pub.cube.months[2:9])
    year = pub.year(pub.years[0].label)
    with pytest.raises(NotPublished):
        pub.lsoa_counts(year, category="cat1")
    record = publish(pub.cube, threshold=None)
    span = record.span(pub.cube.months[2:9])
    total = record.count(level="area", code=pub.cube.geography.code, period=span)
    assert total == pub.cube.placed[:, 2:9].sum()


def test_a_sum_over_a_hidden_month_is_hidden() -> None:
    pub = publish(synthetic_cube(16, n_lsoa=8, months=12), threshold=5)
    hidden = [k for c in np.flatnonzero(pub.protection.hidden)
              for k in pub.lattice.cell_keys[c] if len(k.period) == 7 and k.level == "csp"]
    assert hidden
    key = hidden[0]
    others = [CellKey(key.level, key.code, m, key.category) for m in pub.cube.months[:3]]
    assert np.isnan(pub.sum_of([key, *others]))
