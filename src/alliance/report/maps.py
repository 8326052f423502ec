"""Choropleth maps of small areas as compact, accessible SVG.

Areas come as WKB polygons in EPSG:4326 (as the pool stores them) and are projected to the
British National Grid (EPSG:27700) so distances and shapes are true for England and Wales. The
boundaries are simplified together (``shapely.coverage_simplify``, so neighbours keep a shared
edge) to about half a pixel and written with coordinates rounded to 0.1 px, which keeps a map of
a county's ~450 LSOAs to around 100 KB.

Classes are quantiles or Jenks natural breaks (Fisher 1958 exact optimisation, as
``mapclassify.FisherJenks``) coloured with a classed viridis ramp (colour-blind safe, readable in
greyscale). Suppressed areas (value NaN) are hatched, never coloured as zero. An optional
point layer (e.g. survey pins) and cell layer (e.g. kernel-density grid cells) can be drawn on
top, and a note (e.g. that police.uk locations are snapped to anonymous map points) shown below.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from alliance.report.map_labels import Place, label_layer
from alliance.report.svg import (
    MUTED,
    TEXT,
    Chart,
    esc,
    num,
    open_svg,
    sequential,
    text,
)

Classing = Literal["quantile", "natural_breaks"]
_Transform = Callable[[np.ndarray], np.ndarray]
_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def quantile_breaks(values: np.ndarray, k: int) -> list[float]:
    """Upper bounds of up to ``k`` classes holding (about) equal numbers of areas."""
    v = np.sort(values[~np.isnan(values)])
    if not len(v):
        raise ValueError("no unsuppressed values to class")
    # j / k rather than linspace: 3 / 5 must be exactly 0.6 for the inverted CDF to pick the
    # 6th of 10 values, not the 7th.
    breaks = [float(np.quantile(v, j / k, method="inverted_cdf")) for j in range(1, k + 1)]
    return sorted(set(breaks))


def natural_breaks(values: np.ndarray, k: int) -> list[float]:
    """Upper bounds of ``k`` classes minimising the within-class sum of squares (Fisher 1958)."""
    v = np.sort(values[~np.isnan(values)])
    n = len(v)
    if not n:
        raise ValueError("no unsuppressed values to class")
    k = min(k, len(np.unique(v)))
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])

    def ssd(start: np.ndarray, end: int) -> np.ndarray:  # sum of squares of v[start:end]
        m = end - start
        tot = s1[end] - s1[start]
        return (s2[end] - s2[start]) - tot * tot / m

    cost = np.full((k + 1, n + 1), np.inf)
    split = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for j in range(1, k + 1):
        for end in range(j, n + 1):
            starts = np.arange(j - 1, end)
            candidates = cost[j - 1, starts] + ssd(starts, end)
            best = int(np.argmin(candidates))
            cost[j, end], split[j, end] = candidates[best], starts[best]
    bounds: list[float] = []
    end = n
    for j in range(k, 0, -1):
        bounds.append(float(v[end - 1]))
        end = int(split[j, end])
    return sorted(bounds)


def project(wkb: Sequence[bytes], codes: Sequence[str]) -> np.ndarray:
    """Areas' WKB polygons (WGS84) as shapely geometries in British National Grid metres.

    Raises ValueError naming the areas whose geometry is missing, empty or not a polygon.
    """
    try:
        geoms = shapely.from_wkb(np.asarray(list(wkb), dtype=object))
    except shapely.errors.GEOSException as exc:
        raise ValueError(f"malformed WKB among areas: {exc}") from exc
    bad = [c for c, g in zip(codes, geoms, strict=True)
           if g is None or g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon")]
    if bad:
        raise ValueError(f"areas without a polygon geometry: {bad[:10]}")
    return shapely.transform(geoms, lambda xy: np.column_stack(_TO_BNG.transform(xy[:, 0],
                                                                                 xy[:, 1])))


def svg_path(geom: shapely.Geometry, fx: _Transform, fy: _Transform) -> str:
    """SVG path data with relative moves on a 0.1 px grid (exact, no drift)."""
    parts = []
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:-1]
            if len(xy) < 3:
                continue
            px = np.round(fx(xy[:, 0]) * 10).astype(np.int64)
            py = np.round(fy(xy[:, 1]) * 10).astype(np.int64)
            keep = np.concatenate([[True], (np.diff(px) != 0) | (np.diff(py) != 0)])
            px, py = px[keep], py[keep]
            if len(px) < 3:
                continue
            dx, dy = np.diff(px), np.diff(py)
            steps = " ".join(f"{num(a / 10)} {num(b / 10)}" for a, b in zip(dx, dy, strict=True))
            parts.append(f"M{num(px[0] / 10)} {num(py[0] / 10)}l{steps}z")
    return "".join(parts)


def _legend_labels(values: np.ndarray, breaks: list[float], fmt: str,
                   words: tuple[str, str] = ("{low} to {high}", "over {low}")) -> list[str]:
    """'0 to 48', '49 to 100' for whole numbers; 'over 48 to 100' otherwise, so no value
    appears to belong to two classes. ``words`` give the span and 'over' in another language."""
    present = values[~np.isnan(values)]
    whole = bool(np.all(present == np.round(present)))
    def span(low: str, high: str) -> str:
        return low if low == high else words[0].format(low=low, high=high)

    labels = [span(fmt.format(present.min()), fmt.format(breaks[0]))]
    for lo, hi in itertools.pairwise(breaks):
        low_text = fmt.format(lo + 1) if whole else words[1].format(low=fmt.format(lo))
        labels.append(span(low_text, fmt.format(hi)))
    return labels


def choropleth(geometries: pd.Series, values: pd.Series | None, *, chart_id: str, title: str,
               desc: str, legend_title: str = "", classing: Classing = "quantile",
               k: int = 5, names: Mapping[str, str] | None = None,
               suppressed_label: str = "Suppressed (small numbers)", note: str = "",
               points: pd.DataFrame | None = None, cells: pd.DataFrame | None = None,
               cell_size: float | None = None, cells_legend_title: str = "Density (quintiles)",
               cells_labels: Sequence[str] | None = None,
               width: int = 640,
               value_format: str = "{:,.1f}", places: Sequence[Place] = (),
               boundaries: pd.Series | None = None,
               boundary_label: str = "District boundary",
               legend_ends: tuple[str, str] | None = ("Lower", "Higher"),
               legend_words: tuple[str, str] = ("{low} to {high}", "over {low}"),
               dark_low: bool = False, scale: bool = True,
               breaks: Sequence[float] | None = None) -> Chart:
    """Draw a classed choropleth.

    Parameters
    ----------
    geometries : WKB polygons (EPSG:4326) indexed by area code.
    values : the value per area code, NaN where suppressed; ``None`` draws outlines only (for a
        cell layer). Codes must match ``geometries`` exactly; mismatches raise, naming them.
    names : the name of each area, shown in its tooltip (the code only where no name is given:
        codes belong in the data table, not on the map).
    points : optional ``lon``/``lat`` columns (EPSG:4326), drawn as small circles.
    cells : optional ``x``/``y`` (BNG cell centres, metres) and ``value`` columns, drawn as
        squares of ``cell_size`` metres classed on their own viridis ramp (e.g. KDE output).
    cells_labels : words for each class of ``cells``, lowest first, listed in the legend one
        swatch a line (without them the legend is a ramp from "lower" to "higher").
    places : town and area labels (:mod:`alliance.report.places`), drawn over everything and
        left out where they would overlap.
    boundaries : outlines to draw over the areas (e.g. districts or Community Safety
        Partnerships), WKB polygons (EPSG:4326) indexed by name; ``boundary_label`` names them
        in the legend.
    legend_ends : words above the first class and below the last, saying which end is more.
    legend_words : how a class reads, '{low} to {high}' and 'over {low}' (another language's).
    cells_labels : words for each class of ``cells``, lowest first (drawn one row each); by
        default the classes run from "lower" to "higher".
    dark_low : darkest colour for the lowest class (e.g. IMD decile 1, the most deprived).
    breaks : upper bounds of the classes, when they are fixed (IMD deciles in pairs: 2, 4, 6,
        8, 10) rather than found from the values by ``classing``.
    scale : draw the north arrow and scale bar (km).
    """
    if geometries.index.has_duplicates:
        dup = list(geometries.index[geometries.index.duplicated()])[:10]
        raise ValueError(f"duplicated area codes in geometries: {dup}")
    codes = [str(c) for c in geometries.index]
    if values is not None:
        if values.index.has_duplicates:
            dup = list(values.index[values.index.duplicated()])[:10]
            raise ValueError(f"duplicated area codes in values: {dup}")
        extra = values.index.difference(geometries.index)
        missing = geometries.index.difference(values.index)
        if len(extra) or len(missing):
            raise ValueError(f"values and geometries differ: no geometry for {list(extra)[:10]}, "
                             f"no value for {list(missing)[:10]}")
        vals = values.reindex(geometries.index).to_numpy(dtype=float)
        if (vals[~np.isnan(vals)] < 0).any():
            raise ValueError("choropleth values must be non-negative")
    else:
        vals = np.full(len(codes), np.nan)
    geoms = project(list(geometries.to_numpy()), codes)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    legend_w = 200
    map_w = width - legend_w - 16
    scale_px = map_w / (maxx - minx)
    map_h = (maxy - miny) * scale_px
    top = 10
    note_lines = wrap_note(note, 95) if note else []
    height = int(top + max(map_h, 330) + 14 + 16 * len(note_lines) + 8)
    tolerance = 0.5 / scale_px
    try:
        simple = shapely.coverage_simplify(geoms, tolerance)
    except (AttributeError, shapely.errors.GEOSException):
        simple = shapely.simplify(geoms, tolerance, preserve_topology=True)

    def fx(x: np.ndarray) -> np.ndarray:
        return 8 + (x - minx) * scale_px

    def fy(y: np.ndarray) -> np.ndarray:
        return top + (maxy - y) * scale_px

    out = open_svg(chart_id, width, height, title, desc)
    out.append(f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="6" '
               f'height="6" patternTransform="rotate(45)"><rect width="6" height="6" '
               f'fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" '
               f'stroke-width="2"/></pattern></defs>')
    has_values = values is not None and not np.isnan(vals).all()
    classes = np.full(len(codes), -1)
    palette: list[str] = []
    cuts: list[float] = []
    if has_values:
        if breaks is not None:
            cuts = sorted(float(b) for b in breaks)
            if not cuts or cuts[-1] < np.nanmax(vals):
                raise ValueError(f"the class breaks {cuts} leave values above the last one")
        else:
            cuts = (quantile_breaks if classing == "quantile" else natural_breaks)(vals, k)
        palette = sequential(max(len(cuts), 2))[: len(cuts)] if len(cuts) > 1 else \
            [sequential(2)[1]]
        if dark_low:
            palette = palette[::-1]
        ok = ~np.isnan(vals)
        classes[ok] = np.minimum(np.searchsorted(cuts, vals[ok], side="left"), len(cuts) - 1)
    out.append('<g stroke="#ffffff" stroke-width="0.3" stroke-linejoin="round">')
    names = names or {}
    for i, (code, geom) in enumerate(zip(codes, simple, strict=True)):
        if values is None:
            fill = "#e6e8ea"
        elif np.isnan(vals[i]):
            fill = f"url(#{chart_id}-hatch)"
        else:
            fill = palette[classes[i]]
        label = names.get(code, code)
        shown = "suppressed" if values is not None and np.isnan(vals[i]) else (
            value_format.format(vals[i]) if values is not None else "")
        tip = f"{label}: {shown}" if shown else label
        out.append(f'<path fill="{fill}" d="{svg_path(geom, fx, fy)}"><title>{esc(tip)}</title>'
                   f"</path>")
    out.append("</g>")
    if cells is not None:
        cell_shapes, cell_palette = _cell_layer(cells, cell_size, fx, fy, scale_px)
        out.extend(cell_shapes)
    if boundaries is not None:
        out.extend(boundary_layer(boundaries, fx, fy, tolerance))
    if points is not None:
        out.extend(_point_layer(points, fx, fy))
    if places:
        out.extend(label_layer(places, fx, fy, frame=(4, top, 12 + map_w, top + map_h))[0])
    lx = width - legend_w
    y = top + 12
    if values is not None:
        for line in wrap_note(legend_title or "Value", 26):
            out.append(text(lx, y, line, weight="bold", size=12))
            y += 15
        y -= 5
    labels = _legend_labels(vals, cuts, value_format, legend_words) if has_values else []
    if labels and legend_ends:
        y += 6
        out.append(text(lx, y, legend_ends[0], size=11, fill=MUTED, extra='font-style="italic"'))
        y += 4
    for colour, label in zip(palette, labels, strict=True):
        out.append(f'<rect x="{lx}" y="{y}" width="18" height="14" fill="{colour}" '
                   f'stroke="{MUTED}" stroke-width="0.5"/>')
        out.append(text(lx + 24, y + 11, label, size=12))
        y += 20
    if labels and legend_ends:
        out.append(text(lx, y + 6, legend_ends[1], size=11, fill=MUTED,
                        extra='font-style="italic"'))
        y += 16
    if values is not None and np.isnan(vals).any():
        out.append(f'<rect x="{lx}" y="{y}" width="18" height="14" '
                   f'fill="url(#{chart_id}-hatch)" stroke="{MUTED}" stroke-width="0.5"/>')
        for j, line in enumerate(wrap_note(suppressed_label, 22)):
            out.append(text(lx + 24, y + 11 + 15 * j, line, size=12))
        y += 20 + 15 * (len(wrap_note(suppressed_label, 22)) - 1)
    if cells is not None:
        y += 12 if values is not None else -2
        for line in wrap_note(cells_legend_title, 26):
            out.append(text(lx, y, line, weight="bold", size=12))
            y += 15
        y -= 7
        if cells_labels is not None and len(cells_labels) == len(cell_palette):
            # one swatch per band, densest last, each with its words
            for colour, label in zip(cell_palette, cells_labels, strict=True):
                out.append(f'<rect x="{lx}" y="{y}" width="18" height="14" fill="{colour}" '
                           f'fill-opacity="0.75" stroke="{MUTED}" stroke-width="0.5"/>')
                out.append(text(lx + 24, y + 11, label, size=12))
                y += 20
            y += 6
        else:
            swatch = 36
            for j, colour in enumerate(cell_palette):
                out.append(f'<rect x="{lx + swatch * j}" y="{y}" width="{swatch}" '
                           f'height="14" fill="{colour}" fill-opacity="0.75"/>')
            out.append(text(lx, y + 28, "lower", size=11))
            out.append(text(lx + swatch * len(cell_palette), y + 28, "higher", size=11,
                            anchor="end"))
            y += 34
    if boundaries is not None:
        y += 4
        out.append(f'<line x1="{lx}" y1="{y + 7}" x2="{lx + 18}" y2="{y + 7}" '
                   f'stroke="{BOUNDARY}" stroke-width="1.6"/>')
        out.append(text(lx + 24, y + 11, boundary_label, size=12))
        y += 20
    if scale:
        out.extend(north_arrow(lx + 20, y + 24))
        out.extend(scale_bar(lx, y + 70, scale_px, legend_w - 20))
        y += 92
    # The note runs under both the map and the legend, so below whichever is longer.
    base = max(top + max(map_h, 330), y) + 14
    full = int(base + 16 * len(note_lines) + 8)
    if full != height:
        height = full
        out[:4] = open_svg(chart_id, width, height, title, desc)
    for j, line in enumerate(note_lines):
        out.append(text(8, base + 16 * j, line, size=12, fill=TEXT))
    out.append("</svg>")
    data = pd.DataFrame({"Area": [names.get(c, c) for c in codes],
                         "Area code": codes,
                         "Value": vals,
                         "Class": [int(c) + 1 if c >= 0 else None for c in classes]})
    data["Suppressed"] = np.isnan(vals) if values is not None else False
    return Chart("\n".join(out), data)


BOUNDARY = "#1d1d1b"


def boundary_layer(boundaries: pd.Series, fx: _Transform, fy: _Transform,
                   tolerance: float) -> list[str]:
    """District (or partnership) outlines over the areas: a dark line on a white casing, so it
    shows on every class colour. Decorative for screen readers (the legend names it)."""
    if boundaries.index.has_duplicates:
        raise ValueError(f"duplicated boundary names: "
                         f"{list(boundaries.index[boundaries.index.duplicated()])[:10]}")
    geoms = project(list(boundaries.to_numpy()), [str(n) for n in boundaries.index])
    simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    d = "".join(svg_path(g, fx, fy) for g in simple)
    return ['<g aria-hidden="true" fill="none" stroke-linejoin="round">',
            f'<path d="{d}" stroke="#ffffff" stroke-width="3.2"/>',
            f'<path d="{d}" stroke="{BOUNDARY}" stroke-width="1.3"/>', "</g>"]


def _cell_layer(cells: pd.DataFrame, cell_size: float | None, fx: _Transform, fy: _Transform,
                scale: float) -> tuple[list[str], list[str]]:
    """The cell squares, and the colours of their five quantile classes (low to high)."""
    for col in ("x", "y", "value"):
        if col not in cells.columns:
            raise ValueError(f"cells need columns x, y and value; missing {col!r}")
    if cell_size is None or cell_size <= 0:
        raise ValueError("cells need a positive cell_size in metres")
    v = cells["value"].to_numpy(dtype=float)
    breaks = quantile_breaks(v, 5)
    palette = sequential(max(len(breaks), 2), light_to_dark=False)
    side = cell_size * scale
    out = ['<g fill-opacity="0.75">']
    for x, y_, value in zip(cells["x"], cells["y"], v, strict=True):
        if np.isnan(value):
            continue
        cls = min(int(np.searchsorted(breaks, value, side="left")), len(palette) - 1)
        px = fx(np.array([x - cell_size / 2]))[0]
        py = fy(np.array([y_ + cell_size / 2]))[0]
        out.append(f'<rect x="{num(px)}" y="{num(py)}" width="{num(side)}" '
                   f'height="{num(side)}" fill="{palette[cls]}"/>')
    out.append("</g>")
    return out, palette[: len(breaks)]


def _point_layer(points: pd.DataFrame, fx: _Transform, fy: _Transform) -> list[str]:
    for col in ("lon", "lat"):
        if col not in points.columns:
            raise ValueError(f"points need lon and lat columns; missing {col!r}")
    lon, lat = points["lon"].to_numpy(dtype=float), points["lat"].to_numpy(dtype=float)
    if np.isnan(lon).any() or np.isnan(lat).any():
        raise ValueError(f"points with missing coordinates at rows "
                         f"{list(points.index[np.isnan(lon) | np.isnan(lat)])[:10]}")
    x, y = _TO_BNG.transform(lon, lat)
    px, py = fx(np.asarray(x)), fy(np.asarray(y))
    out = [f'<g fill="{TEXT}" fill-opacity="0.7" stroke="#ffffff" '
           'stroke-width="0.6">']
    out += [f'<circle cx="{num(a)}" cy="{num(b)}" r="2.2"/>' for a, b in zip(px, py, strict=True)]
    out.append("</g>")
    return out


def north_arrow(cx: float, cy: float) -> list[str]:
    """SVG elements of a small north arrow centred on (cx, cy), hidden from screen readers."""
    return [f'<g aria-hidden="true"><path d="M{num(cx)} {num(cy - 18)}l-7 20l7 -5l7 5z" '
            f'fill="{TEXT}"/>', text(cx, cy + 16, "N", anchor="middle", weight="bold"), "</g>"]


def scale_bar(x: float, y: float, px_per_m: float, max_px: float) -> list[str]:
    """SVG elements of a two-part scale bar: the longest round distance that fits ``max_px``."""
    km = max((d for d in (1, 2, 5, 10, 20, 25, 50, 100) if d * 1000 * px_per_m <= max_px),
             default=1)
    length = km * 1000 * px_per_m
    half = length / 2
    return [f'<rect x="{num(x)}" y="{num(y)}" width="{num(half)}" height="5" fill="{TEXT}"/>',
            f'<rect x="{num(x + half)}" y="{num(y)}" width="{num(half)}" height="5" '
            f'fill="#ffffff" stroke="{TEXT}"/>',
            text(x, y + 18, "0", size=11), text(x + length, y + 18, f"{km} km", size=11,
                                                 anchor="middle")]


def wrap_note(note: str, width: int) -> list[str]:
    """``note`` broken into lines of at most ``width`` characters (at spaces)."""
    words, lines, line = note.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines
