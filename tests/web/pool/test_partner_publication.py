"""Partner data reaches the published figures through the same suppressed lattice as police.uk.

A synthetic year of A&E assault attendances (ISTV-shaped, real Northamptonshire LSOAs, a third
with a knife, a third of patients under 25, some without a place) is loaded as a partner would
load it; :func:`alliance.web.pool.publication.publication` then publishes its sums (a weapon,
the under-25s, the core measure and its under-25 view), never its fine categories, and hides
small counts by the same rules as police.uk.
"""

from __future__ import annotations

import pytest

from alliance.figures.cube import ALL
from alliance.figures.lattice import CellKey
from alliance.figures.publication import NotPublished
from alliance.pool import measures
from tests.web.partner_year import AREA, load_istv_year

pytestmark = pytest.mark.django_db


def test_an_istv_year_is_published_as_sums_under_the_same_suppression(demo, one_month,
                                                                        reference) -> None:
    from alliance.web.pool.publication import publication

    truth = load_istv_year(reference)

    full = publication(AREA, record_level=True, source="istv_ae")
    year = full.year("2024")
    assert full.count(level="area", code=AREA, period=year, category="sharp") == truth["sharp"]
    assert full.count(level="area", code=AREA, period=year,
                      category="sharp_u25") == truth["sharp_u25"]
    assert full.count(level="area", code=AREA, period=year) == truth["rows"] - truth["unplaced"]
    assert set(full.cube.published_categories) == set(measures.ISTV.groups)

    pub = publication(AREA, source="istv_ae")
    keys = [k for keys in pub.lattice.cell_keys for k in keys]
    published = {k.category for k in keys}
    assert published == {*measures.ISTV.groups, ALL}  # never a fine category on its own
    # the area's yearly core measure and its under-25 view are busy enough to be shown
    assert pub.value(CellKey("area", AREA, "2024", "sharp")) == truth["sharp"]
    assert pub.value(CellKey("area", AREA, "2024", "sharp_u25")) == truth["sharp_u25"]
    # every cell shown is 0 or at least the threshold; every small one is hidden
    small = [k for k in set(keys) if 0 < pub.true_value(k) < pub.threshold]  # type: ignore[operator]
    assert all(pub.hidden(k) for k in small)
    shown = [pub.value(k) for k in set(keys) if not pub.hidden(k)]
    assert all(v == 0 or v >= pub.threshold for v in shown)  # type: ignore[operator]
    # 855 attendances over the area's neighbourhoods are too few to map: none is published
    assert not any(k.level == "lsoa" for k in keys)
    with pytest.raises(NotPublished):
        pub.lsoa_counts(year)
    # and the police.uk figures are untouched by the partner's rows
    police = publication(AREA)
    assert not ({k.category for keys in police.lattice.cell_keys for k in keys}
                & set(measures.ISTV.groups))
