"""One truth and no recovery, on the 16 real Northamptonshire months (calendar year 2025 whole).

* The dashboard (as a role without record-level access sees it) and the SNA, built for the same
  area, year and categories, publish the same counts, rates, intervals, monthly series,
  neighbourhood counts and hot spot labels.
* An attacker who holds every figure a board viewer can get from the dashboard (every area,
  period and category it offers, tiles and CSVs) and every table of the SNA, and knows the
  rules (zeros shown, hidden counts at least 1, whole numbers), cannot narrow any hidden small
  count below the threshold: checked by integer programming over the offences themselves, one
  unknown per neighbourhood, month and category, written here independently of the
  implementation's own audit.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from tests.web.conftest import AREA
from tests.web.workspace.conftest import _fast_hashing, demo  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
THRESHOLD = 5


def _dashboard(unit, months, category="", source="police_uk_street"):  # type: ignore[no-untyped-def]
    from alliance.web.dashboards.services import build

    return build(area_code=AREA, unit=unit, period_months=tuple(months), category=category,
                 record_level=False, draw=False, source=source)


def _units():  # type: ignore[no-untyped-def]
    from alliance.web.dashboards.services import units
    from alliance.web.pool.publication import publication

    return units(publication(AREA))


def _csv(built, name: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.read_csv(built["dir"] / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def _number(text: str) -> float:
    return math.nan if text in ("[c]", "") else float(str(text).replace(",", ""))


def test_dashboard_and_sna_agree_figure_for_figure(built) -> None:  # type: ignore[no-untyped-def]
    year = [f"2025-{m:02d}" for m in range(1, 13)]
    whole = _units()[0]
    sna_counts = _csv(built, "t4-1-counts").set_index("Category")
    labels = {"": "All violence counted (proxy measure)", "robbery": "Robbery",
              "possession_of_weapons": "Possession of weapons",
              "violence_and_sexual_offences_proxy": "Violence and sexual offences (proxy)"}
    for category, label in labels.items():
        board = _dashboard(whole, year, category)
        row = sna_counts.loc[label]
        assert _number(board.tiles[0].value) == _number(row["Count"]), label
        rate = board.tiles[1]
        assert float(rate.value) == pytest.approx(float(row["Rate per 1,000 a year"]), abs=0.005)
        lower, upper = (float(x) for x in rate.detail.split("CI ")[1].split(";")[0]
                        .split(" to "))
        assert lower == pytest.approx(float(row["95% CI lower"]), abs=0.005)
        assert upper == pytest.approx(float(row["95% CI upper"]), abs=0.005)
    board = _dashboard(whole, year)
    trend = _csv(built, "f4-1-trend").set_index("Month")["Count"]
    assert dict(zip(board.trend["month"], board.trend["count"].astype(str), strict=True)) == \
        {m: v for m, v in trend.items()}
    lsoa = _csv(built, "f6-1-map").set_index("LSOA")["Count"]
    assert board.lsoa is not None
    dash_lsoa = board.lsoa.set_index("lsoa21_code")["count"].astype(str)
    assert dash_lsoa.to_dict() == lsoa.to_dict()
    gi = _csv(built, "f6-3-gi").set_index("LSOA")["Cluster"]
    assert board.lsoa.set_index("lsoa21_code")["hot_spot"].to_dict() == gi.to_dict()
    csp = _csv(built, "t4-2-csp").set_index("Community Safety Partnership")["Count"]
    for unit in _units():
        if unit.level != "csp":
            continue
        name = unit.name.split(" (")[0]
        assert _number(_dashboard(unit, year).tiles[0].value) == _number(csp[name]), name


class _Attacker:
    """Linear relations over x[lsoa, month, category] from published figures."""

    def __init__(self, source: str = "police_uk_street") -> None:
        from alliance.web.pool.publication import publication

        pub = publication(AREA, source=source)
        self.cube = pub.cube
        self.geo = pub.cube.geography
        self.codes = list(self.geo.codes)
        self.months = list(self.cube.months)
        self.cats = list(self.cube.categories)
        self.shape = (len(self.codes), len(self.months), len(self.cats))
        self.rows: list[np.ndarray] = []
        self.values: list[float] = []  # NaN: hidden (>= 1)
        self.small: list[tuple[str, np.ndarray]] = []

    def add(self, what: str, lsoas, months, cats, published: str) -> None:  # type: ignore[no-untyped-def]
        if published not in ("[c]", "") and not str(published).replace(",", "").isdigit():
            return  # words ("by year only"), not a figure
        li = [self.codes.index(c) for c in lsoas]
        mi = [self.months.index(m) for m in months]
        ki = [self.cats.index(k) for k in cats]
        grid = np.array(np.meshgrid(li, mi, ki, indexing="ij")).reshape(3, -1)
        members = np.ravel_multi_index(grid, self.shape)
        value = _number(published)
        self.rows.append(members)
        self.values.append(value)
        if math.isnan(value):
            true = int(self.cube.placed.reshape(-1)[members].sum())
            if 1 <= true < THRESHOLD:
                self.small.append((what, members))

    def ranges(self) -> list[tuple[str, float, float]]:
        n = int(np.prod(self.shape))
        matrix = lil_matrix((len(self.rows), n))
        for r, members in enumerate(self.rows):
            matrix[r, members] = 1
        low = np.array([1.0 if math.isnan(v) else v for v in self.values])
        high = np.array([np.inf if math.isnan(v) else v for v in self.values])
        constraint = LinearConstraint(matrix.tocsr(), low, high)
        seen, out = set(), []
        for what, members in self.small:
            if what in seen:
                continue
            seen.add(what)
            objective = np.zeros(n)
            objective[members] = 1
            opts = {"integrality": np.ones(n), "bounds": Bounds(0, np.inf),
                    "constraints": [constraint]}
            lo, hi = milp(objective, **opts), milp(-objective, **opts)
            assert lo.status == 0, "the published figures must be consistent"
            out.append((what, float(lo.fun), np.inf if hi.status != 0 else float(-hi.fun)))
        return out


def _unit_lsoas(attacker: _Attacker, unit) -> list[str]:  # type: ignore[no-untyped-def]
    return list(attacker.geo.lsoas_of(unit.level, unit.code))


def _public_pages(attacker: _Attacker) -> int:
    """Every count the public /our-area/ pages show, for every area and period they offer,
    read back from the rendered pages (each count carries the lattice cell it is, in its
    ``data-cell`` mark): the public routes add nothing an attacker could use."""
    import re

    from django.test import Client

    from alliance.web.accounts.models import Partnership
    from alliance.web.dashboards.services import periods
    from alliance.web.pool.publication import publication

    Partnership.objects.get_or_create(area_code=AREA, defaults={"name": "Public test"})
    client, found = Client(), 0
    for unit in _units():
        for value, _label in periods(publication(AREA)):
            # the Welsh page shows the same figures (checked for the whole area)
            for prefix in ("", "/cy") if unit.level == "area" else ("",):
                page = client.get(f"{prefix}/our-area/", {"area": unit.code, "period": value})
                assert page.status_code == 200
                for mark, shown in re.findall(r'data-cell="([^"]+)"[^>]*>([^<]*)<',
                                              page.content.decode()):
                    level, code, first, last, category = mark.split()
                    lsoas = [code] if level == "lsoa" else list(attacker.geo.lsoas_of(level,
                                                                                     code))
                    months = attacker.months[attacker.months.index(first):
                                             attacker.months.index(last) + 1]
                    cats = attacker.cats if category == "all" else [category]
                    attacker.add(f"public {mark}", lsoas, months, cats, shown.strip())
                    found += 1
    return found


def _collect_dashboard(attacker: _Attacker, source: str,  # type: ignore[no-untyped-def]
                       cats) -> None:
    """Every tile, monthly and neighbourhood figure the dashboard offers a board viewer for
    ``source``: each unit, period and category (``cats``: key -> fine categories it adds)."""
    from alliance.web.dashboards.services import periods, units
    from alliance.web.pool.publication import publication

    pub = publication(AREA, source=source)
    for unit in units(pub):
        lsoas = _unit_lsoas(attacker, unit)
        for value, _label in periods(pub):
            months = list(pub.year(value).months) if len(value) != 7 else [value]
            for category, members in cats.items():
                board = _dashboard(unit, months, category, source)
                tag = f"{source} {unit.code} {value} {category or 'all'}"
                attacker.add(f"tile {tag}", lsoas, months, members, board.tiles[0].value)
                for month, count in zip(board.trend["month"], board.trend["count"],
                                        strict=True):
                    if str(count) != "":  # blank: not held, or not published by month
                        attacker.add(f"{source} {unit.code} {month} {category or 'all'}",
                                     lsoas, [month], members, str(count))
                if board.lsoa is not None:
                    for code, count in zip(board.lsoa["lsoa21_code"], board.lsoa["count"],
                                           strict=True):
                        attacker.add(f"{source} lsoa {code} {value} {category or 'all'}",
                                     [code], months, members, str(count))


def test_no_small_count_can_be_recovered_from_everything_published(built) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.pool.publication import publication

    attacker = _Attacker()
    cats = {"": attacker.cats, **{c: [c] for c in attacker.cats}}
    _collect_dashboard(attacker, "police_uk_street", cats)
    assert _public_pages(attacker) > 0
    year = [f"2025-{m:02d}" for m in range(1, 13)]
    dec = _csv(built, "f3-3-gradient")
    deciles = attacker.geo.lsoa["imd_decile"].astype(int)
    for d, count in zip(dec["IMD 2025 decile"], dec["Count"], strict=True):
        members = [c for c in attacker.codes if deciles[c] == int(d)]
        attacker.add(f"decile {d}", members, year, attacker.cats, count)
    season = _csv(built, "t7-1-season")
    months_of = {"Winter (Dec–Feb)": ["2025-01", "2025-02", "2025-12"],
                 "Spring (Mar–May)": ["2025-03", "2025-04", "2025-05"],
                 "Summer (Jun–Aug)": ["2025-06", "2025-07", "2025-08"],
                 "Autumn (Sep–Nov)": ["2025-09", "2025-10", "2025-11"]}
    for name, count in zip(season["Season"], season["Count"], strict=True):
        if name in months_of:
            attacker.add(f"season {name}", attacker.codes, months_of[name], attacker.cats,
                         count)
    change = _csv(built, "t4-1b-change").set_index("Category")
    labels = {v: k for k, v in publication(AREA).cube.categories.items()}
    early = ["2024-01", "2024-02", "2024-03", "2024-04"]
    for label, row in change.iterrows():
        members = [labels[label]] if label in labels else attacker.cats
        attacker.add(f"change {label} before", attacker.codes, early, members,
                     row["Count, earlier months"])
    assert attacker.small, "the real data has small counts, hidden somewhere"
    narrow = [(what, lo, hi) for what, lo, hi in attacker.ranges() if hi - lo < THRESHOLD]
    assert narrow == []


@pytest.mark.usefixtures("demo")
def test_no_small_count_can_be_recovered_from_a_partner_source(reference) -> None:  # type: ignore[no-untyped-def]
    """The same attack on a quiet synthetic year of A&E attendances (tests/web/partner_year.py):
    every dashboard figure a board viewer can get for it (tiles, months and neighbourhoods of every
    unit, period and published category: the weapon, the under-25s, the core measure and its
    under-25 view, all together) narrows no hidden small count below the threshold."""
    from tests.web.partner_year import load_istv_year

    load_istv_year(reference, rows=80)  # a quiet year: small counts by local authority
    attacker = _Attacker("istv_ae")
    cats = {"": attacker.cats, **{k: list(attacker.cube.members(k))
                                  for k in attacker.cube.published_categories}}
    assert set(cats) - {""} and not set(cats) & set(attacker.cats), "sums only"
    _collect_dashboard(attacker, "istv_ae", cats)
    assert attacker.small, "a year of A&E returns has small counts, hidden somewhere"
    narrow = [(what, lo, hi) for what, lo, hi in attacker.ranges() if hi - lo < THRESHOLD]
    assert narrow == []


def test_hot_spots_do_not_move_with_the_seed(built) -> None:  # type: ignore[no-untyped-def]
    from alliance.figures.hotspots import hotspots
    from alliance.web.pool.publication import publication

    pub = publication(AREA)
    year = pub.year("2025")
    first = hotspots(pub, level="area", code=AREA, period=year, seed=1).labels
    for seed in (2, 3, 4, 5):
        again = hotspots(pub, level="area", code=AREA, period=year, seed=seed).labels
        assert again.to_dict() == first.to_dict(), seed
    gi = _csv(built, "f6-3-gi").set_index("LSOA")
    assert (gi["Cluster"] == pd.Series(first).reindex(gi.index)).all()
    z_col = next(c for c in gi.columns if c.startswith("z"))
    z = gi[z_col].map(_number)
    critical = float(z_col.split("±")[1].rstrip(")"))
    significant = gi["Cluster"].isin(["Hot spot", "Cold spot"])
    assert (z[significant].abs() >= critical - 0.01).all()
    assert (z[gi["Cluster"] == "Not significant"].abs() < critical + 0.01).all()
    assert z[gi["Cluster"].str.startswith("Not published")].isna().all()


def test_csvs_are_plain_tables_with_whole_populations(built) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((built["dir"] / "data").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        assert not text.startswith("#"), path.name
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        for column in frame.columns:
            if column in ("Residents", "Population"):
                assert not frame[column].str.contains(r"\.0$").any(), (path.name, column)
