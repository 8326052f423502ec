"""Accessible SVG charts written directly: bar, line with confidence band, funnel (from
:mod:`alliance.report.funnel`), Lorenz, small multiples.

Each function returns a :class:`~alliance.report.svg.Chart`: the SVG (with ``role="img"``, a
``<title>`` and a ``<desc>`` that together are its text alternative) and the table of the numbers
drawn, which the renderers publish beside the chart. Colours come from the Okabe–Ito palette;
lines also differ by dash pattern so that colour is never the only cue (WCAG 2.2, 1.4.1).
Suppressed values (NaN) are never drawn as zero: bars show '[c]' and lines break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from alliance.report.funnel import funnel_plot, funnel_position, poisson_limit_curves
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

__all__ = ["bar_chart", "funnel_plot", "funnel_position", "line_chart", "lorenz_curve",
           "month_axis", "poisson_limit_curves", "small_multiples"]


def _finite(values: Sequence[float], what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if np.isinf(arr).any():
        raise ValueError(f"{what} contains infinite values")
    return arr


def bar_chart(categories: Sequence[str], values: Sequence[float], *, chart_id: str, title: str,
              desc: str, value_label: str = "Count", highlight: Sequence[str] = (),
              width: int = 640, value_format: str = "{:,.0f}") -> Chart:
    """Horizontal bars, largest first as given; NaN (suppressed) bars are labelled '[c]'."""
    vals = _finite(values, "values")
    if len(categories) != len(vals) or not len(vals):
        raise ValueError("bar_chart needs one value per category and at least one category")
    if (vals[~np.isnan(vals)] < 0).any():
        raise ValueError("bar_chart draws non-negative values only")
    # About 7.6 px a character at 13 px in common sans fonts (DejaVu is wider than Arial).
    label_w = int(min(300, 16 + 7.6 * max(len(str(c)) for c in categories)))
    bar_h, gap, top = 22, 8, 16
    height = top + len(vals) * (bar_h + gap) + 44
    plot_w = width - label_w - 70
    top_value = float(np.nanmax(vals)) if not np.isnan(vals).all() else 1.0
    ticks = nice_ticks(0, top_value or 1.0)
    scale = plot_w / ticks[-1]
    out = open_svg(chart_id, width, height, title, desc)
    axis_y = top + len(vals) * (bar_h + gap)
    for t in ticks:
        x = label_w + t * scale
        out.append(f'<line x1="{num(x)}" y1="{top - 4}" x2="{num(x)}" y2="{num(axis_y)}" '
                   f'stroke="{GRID}"/>')
        out.append(text(x, axis_y + 16, tick_label(t), anchor="middle", size=12, fill=MUTED))
    out.append(text(label_w + plot_w / 2, axis_y + 36, value_label, anchor="middle", size=12))
    for i, (cat, v) in enumerate(zip(categories, vals, strict=True)):
        y = top + i * (bar_h + gap)
        out.append(text(label_w - 8, y + bar_h * 0.7, cat, anchor="end"))
        if np.isnan(v):
            out.append(text(label_w + 4, y + bar_h * 0.7, "[c] suppressed", fill=MUTED))
            continue
        colour = OKABE_ITO[1] if cat in highlight else OKABE_ITO[0]
        out.append(f'<rect x="{label_w}" y="{y}" width="{num(max(v * scale, 1))}" '
                   f'height="{bar_h}" fill="{colour}"><title>{esc(cat)}: '
                   f'{esc(value_format.format(v))}</title></rect>')
        out.append(text(label_w + v * scale + 5, y + bar_h * 0.7, value_format.format(v)))
    out.append(f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{num(axis_y)}" '
               f'stroke="{TEXT}"/>')
    out.append("</svg>")
    data = pd.DataFrame({"Category": list(categories), value_label: vals})
    return Chart("\n".join(out), data)


def _x_positions(x: Sequence[object]) -> tuple[np.ndarray, list[str], bool]:
    """Numeric positions for an x axis of dates or numbers, and whether it is a date axis."""
    as_series = pd.Series(list(x))
    if pd.api.types.is_numeric_dtype(as_series):
        return as_series.to_numpy(dtype=float), [tick_label(v) for v in as_series], False
    stamps = pd.to_datetime(as_series, errors="raise")
    days = (stamps - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=float)
    return days, [s.strftime("%b %Y") for s in stamps], True


def line_chart(x: Sequence[object], y: Sequence[float], *, chart_id: str, title: str, desc: str,
               y_label: str, series_label: str = "Value", lower: Sequence[float] | None = None,
               upper: Sequence[float] | None = None, ci_label: str = "95% confidence interval",
               extra: Mapping[str, Sequence[float]] | None = None,
               breaks: Sequence[tuple[object, str]] = (), width: int = 640,
               height: int = 340) -> Chart:
    """A line over time (or any numeric x) with an optional confidence band, extra lines (for
    example a 12-month rolling mean) and marked breaks such as a change of recording system."""
    xs, x_text, is_date = _x_positions(x)
    ys = _finite(y, "y")
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("line_chart needs at least two points and one y per x")
    extra = dict(extra or {})
    band = None
    if (lower is None) != (upper is None):
        raise ValueError("give both lower and upper, or neither")
    if lower is not None and upper is not None:
        band = (_finite(lower, "lower"), _finite(upper, "upper"))
    all_y = [ys, *(np.asarray(v, dtype=float) for v in extra.values())]
    if band:
        all_y += list(band)
    stacked = np.concatenate(all_y)
    lo_y = min(0.0, float(np.nanmin(stacked)))
    yt = nice_ticks(lo_y, float(np.nanmax(stacked)))
    left, right, top, bottom = 64, 20, 34, 56
    pw, ph = width - left - right, height - top - bottom
    x0, x1 = float(xs.min()), float(xs.max())

    def sx(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * pw

    def sy(v: float) -> float:
        return top + ph - (v - yt[0]) / (yt[-1] - yt[0]) * ph

    out = open_svg(chart_id, width, height, title, desc)
    for t in yt:
        out.append(f'<line x1="{left}" y1="{num(sy(t))}" x2="{left + pw}" y2="{num(sy(t))}" '
                   f'stroke="{GRID}"/>')
        out.append(text(left - 6, sy(t) + 4, tick_label(t), anchor="end", size=12, fill=MUTED))
    # Label every k-th point so that labels (about 60 px wide) never touch.
    for i in range(0, len(xs), max(1, -(-len(xs) * 64 // pw))):
        out.append(text(sx(xs[i]), top + ph + 18, x_text[i], anchor="middle", size=12,
                        fill=MUTED))
    out.append(text(14, top + ph / 2, y_label, anchor="middle", size=12,
                    extra=f'transform="rotate(-90 14 {num(top + ph / 2)})"'))
    legend: list[tuple[str, str, str]] = [(series_label, OKABE_ITO[0], "line")]
    if band:
        out.extend(_broken_band(xs, band, sx, sy))
        legend.append((ci_label, "#a9d8f3", "box"))
    for k, (name, values) in enumerate(extra.items()):
        colour = OKABE_ITO[(k + 1) % len(OKABE_ITO)]
        out.extend(_broken_line(xs, np.asarray(values, dtype=float), sx, sy, colour, "6 4"))
        legend.append((name, colour, "dash"))
    out.extend(_broken_line(xs, ys, sx, sy, OKABE_ITO[0], None))
    for when, label in breaks:
        bx = _x_positions([when])[0][0] if is_date else float(when)  # type: ignore[arg-type]
        if not x0 <= bx <= x1:
            raise ValueError(f"break {label!r} at {when} is outside the x range")
        out.append(f'<line x1="{num(sx(bx))}" y1="{top}" x2="{num(sx(bx))}" y2="{top + ph}" '
                   f'stroke="{TEXT}" stroke-dasharray="2 3"/>')
        out.append(text(sx(bx) + 4, top + 12, label, size=12))
    out.append(f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" '
               f'stroke="{TEXT}"/>')
    out.extend(swatch_legend(left, 16, legend))
    out.append("</svg>")
    data = pd.DataFrame({"Month" if is_date else "x": x_text if is_date else list(x),
                         series_label: ys})
    if band:
        data["Lower"], data["Upper"] = band
    for name, values in extra.items():
        data[name] = np.asarray(values, dtype=float)
    if isinstance(breaks, Sequence) and breaks:
        data.attrs["breaks"] = [(str(w), lab) for w, lab in breaks]
    return Chart("\n".join(out), data)


def _broken_band(xs: np.ndarray, band: tuple[np.ndarray, np.ndarray],
                 sx: Callable[[float], float], sy: Callable[[float], float]) -> list[str]:
    """One polygon per unbroken run of the band: a missing month leaves a gap, as the line
    does, rather than a band drawn across months with no interval."""
    ok = ~(np.isnan(band[0]) | np.isnan(band[1]))
    out = []
    for run in np.split(np.arange(len(xs)), np.flatnonzero(~ok)):
        run = run[ok[run]]
        if len(run) < 2:
            continue  # a lone month has no width to shade; its point and table row remain
        pts = [(sx(xs[i]), sy(band[1][i])) for i in run]
        pts += [(sx(xs[i]), sy(band[0][i])) for i in run[::-1]]
        path = " ".join(f"{num(px)},{num(py)}" for px, py in pts)
        out.append(f'<polygon points="{path}" fill="{OKABE_ITO[4]}" fill-opacity="0.35"/>')
    return out


def _broken_line(xs: np.ndarray, ys: np.ndarray, sx: Callable[[float], float],
                 sy: Callable[[float], float], colour: str, dash: str | None) -> list[str]:
    """Polylines that stop at missing values rather than bridging or dropping to zero."""
    out = []
    run: list[tuple[float, float]] = []
    for a, b in zip(xs, ys, strict=True):
        if np.isnan(b):
            if len(run) > 1:
                out.append(polyline(run, stroke=colour, dash=dash, width=2.5))
            run = []
            continue
        run.append((sx(a), sy(b)))
    if len(run) > 1:
        out.append(polyline(run, stroke=colour, dash=dash, width=2.5))
    elif len(run) == 1:
        out.append(f'<circle cx="{num(run[0][0])}" cy="{num(run[0][1])}" r="2.5" '
                   f'fill="{colour}"/>')
    return out


def lorenz_curve(labels: Sequence[str], counts: Sequence[float], *, chart_id: str, title: str,
                 desc: str, marks: Sequence[float] = (1, 5, 10), width: int = 480,
                 height: int = 420) -> Chart:
    """Concentration curve: cumulative % of the count against cumulative % of areas, areas sorted
    from the highest count down; the shares in the top ``marks`` % of areas are marked."""
    c = _finite(counts, "counts")
    if np.isnan(c).any() or (c < 0).any() or c.sum() <= 0:
        raise ValueError("lorenz_curve needs complete, non-negative counts with a positive total")
    order = np.argsort(-c, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(c[order]) / c.sum() * 100])
    share_areas = np.linspace(0, 100, len(c) + 1)
    left, right, top, bottom = 56, 20, 20, 56
    side = min(width - left - right, height - top - bottom)

    def sx(v: float) -> float:
        return left + v / 100 * side

    def sy(v: float) -> float:
        return top + side - v / 100 * side

    out = open_svg(chart_id, width, height, title, desc)
    for t in (0, 25, 50, 75, 100):
        out.append(f'<line x1="{left}" y1="{num(sy(t))}" x2="{left + side}" y2="{num(sy(t))}" '
                   f'stroke="{GRID}"/>')
        out.append(text(left - 6, sy(t) + 4, f"{t}%", anchor="end", size=12, fill=MUTED))
        out.append(text(sx(t), top + side + 18, f"{t}%", anchor="middle", size=12, fill=MUTED))
    out.append(polyline([(sx(0), sy(0)), (sx(100), sy(100))], stroke=MUTED, width=1.5,
                        dash="6 4"))
    out.append(polyline(list(zip(map(sx, share_areas), map(sy, cum), strict=True)),
                        stroke=OKABE_ITO[0], width=2.5))
    rows = []
    for m in marks:
        share = float(np.interp(m, share_areas, cum))
        rows.append({"Top % of areas": m, "% of total": round(share, 1)})
        out.append(f'<circle cx="{num(sx(m))}" cy="{num(sy(share))}" r="4" '
                   f'fill="{OKABE_ITO[3]}"/>')
        out.append(halo_text(sx(m) + 8, sy(share) + 4 + (14 if m == marks[0] else 0),
                             f"top {m:g}%: {share:.0f}%"))
    out.append(text(left + side / 2, height - 14, "Cumulative % of areas (highest first)",
                    anchor="middle", size=12))
    out.append(text(14, top + side / 2, "Cumulative % of total", anchor="middle", size=12,
                    extra=f'transform="rotate(-90 14 {num(top + side / 2)})"'))
    out.append("</svg>")
    return Chart("\n".join(out), pd.DataFrame(rows))


def small_multiples(panels: Mapping[str, tuple[Sequence[object], Sequence[float]]], *,
                    chart_id: str, title: str, desc: str, columns: int = 3,
                    panel_width: int = 200, panel_height: int = 120,
                    shared_y: bool = True) -> Chart:
    """A grid of small line charts on a common y scale, one per panel (e.g. per CSP)."""
    if not panels:
        raise ValueError("small_multiples needs at least one panel")
    all_y = np.concatenate([_finite(v, f"panel {k}") for k, (_, v) in panels.items()])
    y_top = nice_ticks(0, float(np.nanmax(all_y)))[-1] if shared_y else None
    rows_n = -(-len(panels) // columns)
    width, height = columns * panel_width, rows_n * panel_height + 8
    out = open_svg(chart_id, width, height, title, desc)
    records = []
    for k, (name, (x, y)) in enumerate(panels.items()):
        ox, oy = (k % columns) * panel_width, (k // columns) * panel_height
        xs, x_text, _ = _x_positions(x)
        ys = np.asarray(y, dtype=float)
        top_v = y_top or nice_ticks(0, float(np.nanmax(ys)))[-1]
        x_left, t, w, h = ox + 34, oy + 24, panel_width - 46, panel_height - 46
        span = (xs.max() - xs.min()) or 1.0

        def sx(v: float, x_left: float = x_left, w: float = w, x0: float = xs.min(),
               span: float = span) -> float:
            return x_left + (v - x0) / span * w

        def sy(v: float, t: float = t, h: float = h, top_v: float = top_v) -> float:
            return t + h - v / top_v * h

        out.append(text(ox + 8, oy + 16, name, size=12, weight="bold"))
        out.append(f'<rect x="{num(x_left)}" y="{num(t)}" width="{num(w)}" height="{num(h)}" '
                   f'fill="none" stroke="{GRID}"/>')
        out.append(text(x_left - 4, t + 8, tick_label(top_v), anchor="end", size=10, fill=MUTED))
        out.append(text(x_left - 4, t + h, "0", anchor="end", size=10, fill=MUTED))
        out.append(text(x_left, t + h + 14, x_text[0], size=10, fill=MUTED))
        out.append(text(x_left + w, t + h + 14, x_text[-1], anchor="end", size=10, fill=MUTED))
        out.extend(_broken_line(xs, ys, sx, sy, OKABE_ITO[0], None))
        records += [{"Panel": name, "x": xv, "Value": yv} for xv, yv in zip(x, ys, strict=True)]
    out.append("</svg>")
    return Chart("\n".join(out), pd.DataFrame(records))


def month_axis(months: Sequence[str | date]) -> list[pd.Timestamp]:
    """'2025-01' style month labels as timestamps for :func:`line_chart`."""
    return [pd.Timestamp(str(m) + ("-01" if len(str(m)) == 7 else "")) for m in months]
