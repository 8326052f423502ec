"""Funnel plot of area rates against a target, with Poisson or over-dispersion limits.

Without over-dispersion the limits follow the OHID Fingertips technical guidance (as
implemented in PHStatsMethods ``calculate_funnel_limits``): exact Poisson limits traced by the
number of events, at two-sided 95% and 99.8% ("2 and 3 sigma"), and an area's position is read
from its own exact one-sided tail probabilities at the target rate (Spiegelhalter 2005, *Funnel
plots for comparing institutional performance*, Stat Med 24).

Areas usually differ by more than chance (police-recorded violence across LSOAs has phi near
15), and then plain Poisson limits flag most areas. By default (``overdispersion="auto"``) the
over-dispersion test and limits of :func:`alliance.stats.rates.funnel_limits` decide: when phi is
significant the chart draws Spiegelhalter's additive random-effects limits, labels them with
phi, and reads each area's position from them. The limits used (phi, test, method, counts above
and below each limit) travel with the chart as ``FunnelChart.limits``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from alliance.report.svg import (
    GRID,
    MUTED,
    OKABE_ITO,
    TEXT,
    Chart,
    esc,
    halo_text,
    nice_ticks,
    num,
    open_svg,
    polyline,
    swatch_legend,
    text,
    tick_label,
)
from alliance.stats.rates import FunnelLimits, funnel_limits
from alliance.stats.rates.funnel import Overdispersion, Scale


@dataclass(frozen=True)
class FunnelChart(Chart):
    """The funnel chart, its data table and the limits it drew (phi, method, counts)."""

    limits: FunnelLimits | None = None


def _finite(values: Sequence[float], what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if np.isinf(arr).any():
        raise ValueError(f"{what} contains infinite values")
    return arr


def poisson_limit_curves(target_rate: float, max_denominator: float, *, coverage: float,
                         multiplier: float = 1000.0, n_points: int = 150,
                         events: np.ndarray | None = None,
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lower and upper funnel limits for a crude rate under Poisson counts.

    Exact Poisson limits traced by the number of events, as in the Fingertips technical guidance
    and PHStatsMethods ``calculate_funnel_limits`` (statistic='rate', crude): for ``E`` events the
    lower limit sits at the population where P(X <= E) equals the tail probability, the upper
    where P(X >= E) does (X ~ Poisson(target × population)). Two-sided ``coverage`` 0.95 and
    0.998 give the usual "2 and 3 sigma" limits. Returns two frames of (denominator, rate),
    traced at ``events`` (default: ``n_points`` numbers of events spread geometrically).
    """
    if target_rate <= 0 or max_denominator <= 0:
        raise ValueError("the target rate and denominators must be positive")
    tail = (1 - coverage) / 2
    per_unit = target_rate / multiplier
    top_events = max(per_unit * max_denominator * 1.2, 5.0)
    if events is None:
        events = np.unique(np.round(np.geomspace(1, top_events, n_points)))
    events = np.asarray(events, dtype=float)
    low_pop = stats.chi2.ppf(1 - tail, 2 * (events + 1)) / 2 / per_unit
    high_pop = stats.chi2.ppf(tail, 2 * events) / 2 / per_unit
    lower = pd.DataFrame({"denominator": low_pop, "rate": events / low_pop * multiplier})
    upper = pd.DataFrame({"denominator": high_pop, "rate": events / high_pop * multiplier})
    return (lower[lower.denominator <= max_denominator].reset_index(drop=True),
            upper[upper.denominator <= max_denominator].reset_index(drop=True))


def funnel_position(count: float, denominator: float, target_rate: float, *,
                    multiplier: float = 1000.0) -> str:
    """Where an area sits: 'above 99.8%', 'above 95%', 'within limits', 'below 95%' or
    'below 99.8%' (exact one-sided Poisson tail probabilities at the target rate)."""
    lam = target_rate / multiplier * denominator
    p_high = float(stats.poisson.sf(count - 1, lam))  # P(X >= count)
    p_low = float(stats.poisson.cdf(count, lam))  # P(X <= count)
    if p_high < 0.001:
        return "above 99.8%"
    if p_low < 0.001:
        return "below 99.8%"
    if p_high < 0.025:
        return "above 95%"
    if p_low < 0.025:
        return "below 95%"
    return "within limits"


#: point positions in the legend's order, and how each is drawn (colour, label, marker)
MARKED = ("above 99.8%", "above 95%", "within limits", "below 95%", "below 99.8%")
WITHIN = "#8d969b"


def _marker(place: str) -> tuple[str, str, str]:
    """(colour, legend label, marker) of a point at ``place``: above the limits in orange and
    vermilion, below them in blues, within them grey, so both sides stand out."""
    return {"above 99.8%": (OKABE_ITO[3], "Above 99.8%", "square"),
            "above 95%": (OKABE_ITO[1], "Above 95%", "circle"),
            "below 95%": (OKABE_ITO[4], "Below 95%", "circle"),
            "below 99.8%": (OKABE_ITO[0], "Below 99.8%", "square")}.get(
        place, (WITHIN, "Within limits", "circle"))


def funnel_plot(labels: Sequence[str], counts: Sequence[float], denominators: Sequence[float], *,
                chart_id: str, title: str, desc: str, target_rate: float | None = None,
                max_labels: int = 6,
                multiplier: float = 1000.0, rate_label: str = "Rate per 1,000",
                denominator_label: str = "Population", width: int = 640,
                height: int = 400, overdispersion: Overdispersion = "auto",
                overdispersion_scale: Scale = "natural",
                limits: FunnelLimits | None = None) -> FunnelChart:
    """Rates against their denominators with the target (default: the pooled rate) and the
    95% and 99.8% limits; the ``max_labels`` points furthest outside 99.8% are labelled (all
    are listed in the data table, whose 'Position' column counts both sides).

    ``overdispersion`` ("auto" by default: adjusted limits when phi is significant; or "none",
    "additive", "multiplicative") and ``overdispersion_scale`` ("natural" or "transformed")
    are passed to :func:`alliance.stats.rates.funnel_limits` on the counts shown. When some
    counts are hidden (NaN, e.g. suppressed small numbers), pass ``limits`` computed on the
    true counts of every area instead, in the same order as ``labels``, so that phi is not
    estimated without them."""
    c = _finite(counts, "counts")
    n = _finite(denominators, "denominators")
    if len(c) != len(n) or len(labels) != len(c) or not len(c):
        raise ValueError("funnel_plot needs one count and one denominator per label")
    if np.isnan(n).any() or (n <= 0).any():
        raise ValueError("every denominator must be present and positive")
    ok = ~np.isnan(c)
    target = (float(np.nansum(c) / n[ok].sum() * multiplier) if target_rate is None
              else target_rate)
    rates = c / n * multiplier
    max_n = float(n.max() * 1.05)
    flags = np.full(len(c), "", dtype=object)
    if limits is not None:
        if len(limits.flag) != len(c):
            raise ValueError(f"limits cover {len(limits.flag)} areas, the chart {len(c)}: pass "
                             "limits of every area, in the order of the labels")
        flags[:] = list(limits.flag)
    elif ok.sum() >= 3:
        limits = funnel_limits(pd.Series(c[ok]), pd.Series(n[ok]), multiplier=multiplier,
                               target=target, overdispersion=overdispersion,
                               overdispersion_scale=overdispersion_scale)
        flags[ok] = list(limits.flag)
    adjusted = limits is not None and limits.overdispersion != "none"
    if adjusted and limits is not None:
        curve = limits.curve(points=150)
        curve = curve[curve.index <= max_n]
        sizes = curve.index.to_numpy(dtype=float)
        l95, u95, l998, u998 = (
            pd.DataFrame({"denominator": sizes, "rate": curve[column].to_numpy()})
            for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"))
    else:
        l95, u95 = poisson_limit_curves(target, max_n, coverage=0.95, multiplier=multiplier)
        l998, u998 = poisson_limit_curves(target, max_n, coverage=0.998, multiplier=multiplier)
    # Clip the y axis at three times the target so the funnel's mouth does not flatten the plot.
    y_cap = max(float(np.nanmax(rates)), target * 3)
    yt = nice_ticks(0, y_cap)
    # Start the x axis at 0 unless all denominators are similar (e.g. LSOAs), where a zero
    # origin would squeeze every point into a narrow band.
    x_low = 0.0 if n.min() < 0.25 * n.max() else float(n.min()) * 0.8
    xt = nice_ticks(x_low, max_n)
    left, right, top, bottom = 64, 20, 48, 56
    pw, ph = width - left - right, height - top - bottom

    def sx(v: float) -> float:
        return left + (v - xt[0]) / (xt[-1] - xt[0]) * pw

    def sy(v: float) -> float:
        return top + ph - (v - yt[0]) / (yt[-1] - yt[0]) * ph

    out = open_svg(chart_id, width, height, title, desc)
    for t in yt:
        out.append(f'<line x1="{left}" y1="{num(sy(t))}" x2="{left + pw}" y2="{num(sy(t))}" '
                   f'stroke="{GRID}"/>')
        out.append(text(left - 6, sy(t) + 4, tick_label(t), anchor="end", size=12, fill=MUTED))
    for t in xt:
        out.append(text(sx(t), top + ph + 18, tick_label(t), anchor="middle", size=12,
                        fill=MUTED))
    out.append(text(left + pw / 2, height - 10, denominator_label, anchor="middle", size=12))
    out.append(text(14, top + ph / 2, rate_label, anchor="middle", size=12,
                    extra=f'transform="rotate(-90 14 {num(top + ph / 2)})"'))
    out.append(f'<clipPath id="{chart_id}-plot"><rect x="{left}" y="{top}" width="{pw}" '
               f'height="{ph}"/></clipPath>')
    out.append(polyline([(sx(xt[0]), sy(target)), (sx(max_n), sy(target))], stroke=TEXT,
                        width=1.5))
    out.append(f'<g clip-path="url(#{chart_id}-plot)">')
    for lim, dash in ((l95, "6 4"), (u95, "6 4"), (l998, "2 3"), (u998, "2 3")):
        out.append(polyline(list(zip(map(sx, lim.denominator), map(sy, lim.rate), strict=True)),
                            stroke=MUTED, width=1.5, dash=dash))
    out.append("</g>")
    position = []
    for i in range(len(c)):
        if not ok[i]:
            position.append("suppressed")
            continue
        if adjusted:
            place = str(flags[i])
        else:
            place = funnel_position(c[i], n[i], target, multiplier=multiplier)
        position.append(place)
        outside = "99.8" in place
        colour, _, _ = _marker(place)
        shape = (f'<rect x="{num(sx(n[i]) - 4)}" y="{num(sy(rates[i]) - 4)}" width="8" '
                 f'height="8" fill="{colour}">' if outside else
                 f'<circle cx="{num(sx(n[i]))}" cy="{num(sy(rates[i]))}" r="4" fill="{colour}">')
        closing = "</rect>" if outside else "</circle>"
        out.append(f"{shape}<title>{esc(labels[i])}: {rates[i]:.1f}</title>{closing}")
    ranked = sorted((i for i in range(len(c)) if "99.8" in position[i]),
                    key=lambda i: -abs(rates[i] - target) * np.sqrt(n[i]))
    placed: list[tuple[float, float, float]] = []  # (x0, x1, y) of labels already drawn
    for i in ranked:
        if len(placed) >= max_labels:
            break
        label_w = 6.2 * len(str(labels[i]))
        x0 = sx(n[i]) + 7 if sx(n[i]) + 7 + label_w <= width else sx(n[i]) - 7 - label_w
        y = sy(rates[i]) + 4
        if any(abs(y - py) < 13 and x0 < px1 and x0 + label_w > px0 for px0, px1, py in placed):
            continue  # would overlap a label already drawn; the data table lists it
        placed.append((x0, x0 + label_w, y))
        out.append(halo_text(x0, y, labels[i], size=11))
    kind = f" (over-dispersion, φ {limits.phi:.1f})" if adjusted and limits is not None else ""
    out.extend(swatch_legend(left, 16, [("Target", TEXT, "line"), ("95% limits", MUTED, "dash"),
                                        (f"99.8% limits{kind}", MUTED, "dot")]))
    # both sides: the points above and below each limit, each side its own colour
    out.extend(swatch_legend(left, 34, [(label, colour, marker) for colour, label, marker in
                                        map(_marker, MARKED)]))
    out.append("</svg>")
    data = pd.DataFrame({"Area": list(labels), "Count": c, denominator_label: n,
                         rate_label: rates, "Position": position})
    return FunnelChart("\n".join(out), data, limits)
