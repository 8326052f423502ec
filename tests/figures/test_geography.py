"""An area's units and the LSOAs of each are worked out once per geography object (every
dashboard request asks) and are the same as reading them from its table each time."""

from __future__ import annotations

import pytest

from tests.figures.synthetic import synthetic_cube


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_units_and_members_equal_the_table(seed: int) -> None:
    geo = synthetic_cube(seed).geography
    table = geo.lsoa
    for level in ("lad", "csp"):
        pairs = table[[f"{level}_code", f"{level}_name"]].drop_duplicates().sort_values(
            f"{level}_name")
        assert list(geo.units(level).items()) == [
            (str(c), str(n)) for c, n in pairs.itertuples(index=False)]
        for code in geo.units(level):
            expected = tuple(str(c) for c in table.index[table[f"{level}_code"].astype(str)
                                                         == code])
            assert geo.lsoas_of(level, code) == expected
        with pytest.raises(KeyError):
            geo.lsoas_of(level, "E99999999")
    assert geo.lsoas_of("area", geo.code) == tuple(str(c) for c in table.index)
    assert geo.lsoas_of("lsoa", str(table.index[0])) == (str(table.index[0]),)
    with pytest.raises(ValueError):
        geo.units("ward")
    # a caller changing the answer it was given does not change the next one
    units = geo.units("csp")
    units.clear()
    assert geo.units("csp")
