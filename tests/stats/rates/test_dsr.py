"""Directly standardised rates against PHStatsMethods ``ph_dsr`` (Dobson, ESP 2013)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PHStatsMethods import euro_standard_pop, ph_dsr

from alliance.stats.rates import ESP2013, dsr


def _two_areas() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    bands = list(ESP2013.index)
    frame = pd.DataFrame({
        "area": np.repeat(["E06000061", "E06000062"], len(bands)),
        "band": bands * 2,
        "pop": rng.integers(4000, 12_000, 2 * len(bands)),
    })
    frame["n"] = rng.poisson(frame["pop"] * 0.004)
    return frame


def test_esp2013_is_the_published_standard() -> None:
    """Reference: PHStatsMethods.euro_standard_pop (Eurostat 2013 ESP, 19 bands to 90+)."""
    ref = euro_standard_pop()
    assert list(ESP2013.index) == list(ref["esp_age_bands"])
    np.testing.assert_array_equal(ESP2013.to_numpy(), ref["euro_standard_pops"].to_numpy())
    assert ESP2013.sum() == 100_000


def test_matches_phstatsmethods_ph_dsr() -> None:
    """Reference: PHStatsMethods.ph_dsr (Dobson et al. 1991 with Byar's; PHE Fingertips)."""
    frame = _two_areas()
    ours = dsr(frame["n"], frame["pop"], frame["band"], areas=frame["area"]).to_frame()
    ref = ph_dsr(frame.copy(), "n", "pop", "band", group_cols="area",
                 euro_standard_pops=True).set_index("area")
    np.testing.assert_allclose(ours["value"], ref.loc[ours.index, "Value"], rtol=1e-10)
    np.testing.assert_allclose(ours["lower"], ref.loc[ours.index, "lower_95_ci"], rtol=1e-10)
    np.testing.assert_allclose(ours["upper"], ref.loc[ours.index, "upper_95_ci"], rtol=1e-10)


def test_fewer_than_ten_events_warns_and_names_area() -> None:
    frame = _two_areas()
    frame.loc[frame["area"] == "E06000061", "n"] = 0
    with pytest.warns(UserWarning, match="fewer than 10 events.*E06000061"):
        result = dsr(frame["n"], frame["pop"], frame["band"], areas=frame["area"])
    assert result.method["E06000061"].startswith("not calculated")
    assert np.isfinite(result.value["E06000062"])


def test_missing_band_and_unknown_band_are_refused() -> None:
    frame = _two_areas().iloc[1:]
    with pytest.raises(ValueError, match=r"missing some of the 19.*E06000061"):
        dsr(frame["n"], frame["pop"], frame["band"], areas=frame["area"])
    with pytest.raises(ValueError, match="not in the standard"):
        dsr([1], [10], ["0-5"])


def test_age_range_subset_of_standard() -> None:
    """A youth (10-24) DSR uses the matching slice of ESP 2013 as standard."""
    youth = ESP2013.loc[["10-14", "15-19", "20-24"]]
    result = dsr([20, 40, 30], [5000, 5000, 6000], list(youth.index), standard=youth)
    expected = (5500 * 20 / 5000 + 5500 * 40 / 5000 + 6000 * 30 / 6000) / youth.sum() * 1e5
    assert result.value.iloc[0] == pytest.approx(expected)


def test_empty_age_band_without_events_is_allowed() -> None:
    """A band nobody lives in adds nothing (Dobson terms are 0); events there are an error."""
    bands = ["0-4", "5-9", "10-14"]
    standard = ESP2013.loc[bands]
    result = dsr([10, 20, 0], [1000, 2000, 0], bands, standard=standard)
    expected = (5000 * 10 / 1000 + 5500 * 20 / 2000) / standard.sum() * 1e5
    assert result.value.iloc[0] == pytest.approx(expected)
    with pytest.raises(ValueError, match="zero population: all 10-14"):
        dsr([10, 20, 1], [1000, 2000, 0], bands, standard=standard)
