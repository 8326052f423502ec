"""Benchmark: raking 10,000 respondents over three margins, ours beside weightipy.

Run:  uv run python benchmarks/bench_raking.py [--repeats 5] [--n 10000]

Target (issue 14): under 0.5 s. The peer is weightipy 0.4.2 (Quantipy's RIM) at its defaults
(convcrit 0.01) and at a strict criterion (convcrit 1e-14), both with and without a weight cap
of 5; on this sample both agree with ours to 1e-10. Prints the best of ``--repeats`` timings,
the ratio, the largest weight difference and the worst margin error of each.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time

import numpy as np
import pandas as pd

from alliance.voice.weighting import rake

MARGINS = {
    "age": {"16-24": 0.14, "25-44": 0.33, "45-64": 0.32, "65+": 0.21},
    "sex": {"female": 0.51, "male": 0.49},
    "area": {f"ward {k}": 1.0 for k in range(12)},
}


def sample(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(14)
    wards = list(MARGINS["area"])
    return pd.DataFrame({
        "age": rng.choice(list(MARGINS["age"]), size=n, p=[0.05, 0.25, 0.37, 0.33]),
        "sex": rng.choice(["female", "male"], size=n, p=[0.64, 0.36]),
        "area": rng.choice(wards, size=n, p=np.linspace(1, 3, len(wards)) / np.linspace(
            1, 3, len(wards)).sum()),
    })


def best(repeats: int, work: object) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), out


def margin_error(frame: pd.DataFrame, weights: np.ndarray) -> float:
    w = pd.Series(weights, index=frame.index)
    worst = 0.0
    for column, target in MARGINS.items():
        total = sum(target.values())
        shares = w.groupby(frame[column]).sum() / w.sum()
        worst = max(worst, max(abs(shares[k] - v / total) for k, v in target.items()))
    return worst


def peer(frame: pd.DataFrame, convcrit: float, cap: float | None) -> np.ndarray:
    import weightipy as wp

    scheme = wp.scheme_from_dict({k: {c: 100 * s / sum(v.values()) for c, s in v.items()}
                                  for k, v in MARGINS.items()},
                                 rim_params={"convcrit": convcrit, "max_iterations": 20000,
                                             "cap": cap or 0})
    scheme.anesrake_cap_correction = False
    with contextlib.redirect_stdout(io.StringIO()):  # weightipy prints its progress
        return wp.weight(frame, scheme).to_numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    frame = sample(args.n)
    print(f"{args.n:,} respondents, margins: "
          + ", ".join(f"{k} ({len(v)})" for k, v in MARGINS.items()))
    for cap in (None, 5.0):
        ours_t, ours = best(args.repeats, lambda cap=cap: rake(frame, MARGINS, max_weight=cap))
        ours_w = np.asarray(ours)
        print(f"\ncap {cap or 'none'}: Alliance rake {ours_t * 1000:.1f} ms, worst margin "
              f"error {margin_error(frame, ours_w):.1e}")
        for label, crit in (("weightipy default (convcrit 0.01)", 0.01),
                            ("weightipy convcrit 1e-14", 1e-14)):
            peer_t, theirs = best(args.repeats, lambda c=crit, cap=cap: peer(frame, c, cap))
            theirs_w = np.asarray(theirs)
            print(f"  {label}: {peer_t * 1000:.1f} ms (ratio ours/peer "
                  f"{ours_t / peer_t:.2f}); largest weight difference "
                  f"{np.abs(theirs_w - ours_w).max():.1e}; worst margin error "
                  f"{margin_error(frame, theirs_w):.1e}")


if __name__ == "__main__":
    main()
