"""County and national statistics: PHStatsMethods vs alliance.stats, side by side.

Inputs: the real Northamptonshire 2025 violence counts by LSOA 2021 (police.uk street files,
population and IMD from shared/data/geo/northants), and a national-size copy made by repeating
those 443 LSOAs 80 times (35,440 areas, about the number of LSOAs in England and Wales) with
fresh area codes. For each input, in one run, the same statistic is computed by both packages
and the results are checked to agree before any time is reported:

* crude rates with exact/Byar's 95% intervals (``PHStatsMethods.ph_rate`` vs ``rate``);
* proportions with Wilson intervals (``ph_proportion`` vs ``proportion``; numerator: violence,
  denominator: population, as a stand-in proportion);
* funnel significance for crude rates (``assign_funnel_significance`` vs ``funnel_limits``).

Each timing is the best of ``--repeats`` runs (default 3). Output: seconds and the ratio
PHStatsMethods / alliance (above 1 means alliance is faster).

Run: ``.venv/bin/python benchmarks/bench_county_stats.py``
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PHStatsMethods import assign_funnel_significance, ph_proportion, ph_rate

from alliance import config
from alliance.stats.rates import funnel_limits, proportion, rate

COPIES = 80
FLAGS = {"High (0.001)": "above 99.8%", "High (0.025)": "above 95%",
         "Not significant": "within limits", "Low (0.025)": "below 95%",
         "Low (0.001)": "below 99.8%"}


def county_counts() -> pd.DataFrame:
    shared = config.load().shared_data
    files = sorted((shared / "policeuk" / "street" / "northamptonshire").glob("2025-*.csv.gz"))
    street = pd.concat([pd.read_csv(f, usecols=["LSOA code", "Crime type"]) for f in files])
    lsoa = pd.read_csv(shared / "geo" / "northants" / "iod2025_lsoa21_northants.csv",
                       index_col="lsoa21_code")
    violence = street[street["Crime type"] == "Violence and sexual offences"]
    counts = violence.groupby("LSOA code").size().reindex(lsoa.index, fill_value=0)
    return pd.DataFrame({"n": counts.astype(float), "d": lsoa["pop_total_mid2022"].astype(float)})


def national(county: pd.DataFrame) -> pd.DataFrame:
    frames = [county.set_axis([f"{code}-{copy}" for code in county.index]) for copy in
              range(COPIES)]
    return pd.concat(frames)


def best(func: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(label: str, data: pd.DataFrame, repeats: int) -> None:
    table = data.rename_axis("area").reset_index()
    cases: list[tuple[str, Callable[[], object], Callable[[], object],
                      Callable[[object, object], None]]] = []

    def check_rate(ref: object, ours: object) -> None:
        assert isinstance(ref, pd.DataFrame)
        np.testing.assert_allclose(ref.set_index("area").loc[data.index, "upper_95_ci"],
                                   ours.upper, rtol=1e-9)  # type: ignore[attr-defined]

    def check_prop(ref: object, ours: object) -> None:
        assert isinstance(ref, pd.DataFrame)
        np.testing.assert_allclose(ref.set_index("area").loc[data.index, "lower_95_ci"],
                                   ours.lower, rtol=1e-9)  # type: ignore[attr-defined]

    def check_funnel(ref: object, ours: object) -> None:
        assert isinstance(ref, pd.DataFrame)
        assert list(ref["significance"].map(FLAGS)) == list(ours.flag)  # type: ignore[attr-defined]

    cases.append(("rate (exact/Byar's)",
                  lambda: ph_rate(table, "n", "d", group_cols="area"),
                  lambda: rate(data["n"], data["d"]), check_rate))
    cases.append(("proportion (Wilson)",
                  lambda: ph_proportion(table, "n", "d", group_cols="area"),
                  lambda: proportion(data["n"], data["d"]), check_prop))
    funnel_in = data.assign(r=data["n"] / data["d"] * 1e5)
    cases.append(("funnel significance",
                  lambda: assign_funnel_significance(funnel_in.copy(), "n", "rate",
                                                     denom_col="d", rate="r",
                                                     rate_type="crude", multiplier=100_000),
                  lambda: funnel_limits(data["n"], data["d"]), check_funnel))
    print(f"\n{label}: {len(data):,} areas")
    print(f"{'statistic':<24}{'PHStatsMethods s':>18}{'alliance s':>12}{'ratio':>9}")
    for name, theirs, ours, check in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            their_time, their_result = best(theirs, repeats)
            our_time, our_result = best(ours, repeats)
        check(their_result, our_result)
        print(f"{name:<24}{their_time:>18.3f}{our_time:>12.4f}{their_time / our_time:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    county = county_counts()
    run("Northamptonshire LSOAs, violence 2025", county, args.repeats)
    run(f"national-size copy ({COPIES} x county)", national(county), max(1, args.repeats - 2))


if __name__ == "__main__":
    main()
