"""A categorical map of areas (e.g. Gi* hot spot / cold spot / not significant).

``alliance.report.maps`` draws classed numeric choropleths; a category map uses the same
projection, path writer, north arrow and scale bar (public there for this reason) and adds a
legend of named colours, so it looks like the other maps of the report and the dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import shapely

from alliance.report import maps
from alliance.report.map_labels import Place, label_layer
from alliance.report.svg import TEXT, esc, open_svg, text


def category_map(geometries: pd.Series, categories: pd.Series, *, chart_id: str, title: str,
                 desc: str, colours: Mapping[str, str], names: Mapping[str, str] | None = None,
                 note: str = "", width: int = 640, places: Sequence[Place] = (),
                 boundaries: pd.Series | None = None,
                 boundary_label: str = "District boundary") -> str:
    """SVG of areas filled by category; every category present must have a colour.

    ``places`` and ``boundaries`` are drawn as on :func:`alliance.report.maps.choropleth`.
    """
    codes = [str(c) for c in geometries.index]
    cats = categories.reindex(geometries.index)
    unknown = sorted(set(cats.dropna()) - set(colours))
    if unknown or cats.isna().any():
        raise ValueError(f"categories without a colour: {unknown or 'missing values'}")
    geoms = maps.project(list(geometries.to_numpy()), codes)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    legend_w = 200
    scale = (width - legend_w - 16) / (maxx - minx)
    map_h = (maxy - miny) * scale
    top = 10
    note_lines = maps.wrap_note(note, 95) if note else []
    height = int(top + max(map_h, 260) + 14 + 16 * len(note_lines) + 8)
    simple = shapely.simplify(geoms, 0.5 / scale, preserve_topology=True)

    def fx(x: np.ndarray) -> np.ndarray:
        return 8 + (x - minx) * scale

    def fy(y: np.ndarray) -> np.ndarray:
        return top + (maxy - y) * scale

    out = open_svg(chart_id, width, height, title, desc)
    out.append('<g stroke="#ffffff" stroke-width="0.3" stroke-linejoin="round">')
    names = names or {}
    for code, geom, cat in zip(codes, simple, cats, strict=True):
        out.append(f'<path fill="{colours[cat]}" d="{maps.svg_path(geom, fx, fy)}"><title>'
                   f"{esc(names.get(code, code))}: {esc(cat)}</title></path>")
    out.append("</g>")
    if boundaries is not None:
        out.extend(maps.boundary_layer(boundaries, fx, fy, 0.5 / scale))
    if places:
        out.extend(label_layer(places, fx, fy, frame=(4, top, 12 + width - legend_w - 16,
                                                      top + map_h))[0])
    lx, y = width - legend_w, top + 12
    for label, colour in colours.items():
        out.append(f'<rect x="{lx}" y="{y}" width="18" height="14" fill="{colour}" '
                   f'stroke="{TEXT}" stroke-width="0.5"/>')
        n = int((cats == label).sum())
        out.append(text(lx + 24, y + 11, f"{label} ({n})", size=12))
        y += 20
    if boundaries is not None:
        out.append(f'<line x1="{lx}" y1="{y + 7}" x2="{lx + 18}" y2="{y + 7}" '
                   f'stroke="{maps.BOUNDARY}" stroke-width="1.6"/>')
        out.append(text(lx + 24, y + 11, boundary_label, size=12))
        y += 20
    out.extend(maps.north_arrow(lx + 20, y + 30))
    out.extend(maps.scale_bar(lx, y + 76, scale, legend_w - 20))
    base = max(top + max(map_h, 260), y + 98) + 14
    full = int(base + 16 * len(note_lines) + 8)
    if full != height:
        height = full
        out[:4] = open_svg(chart_id, width, height, title, desc)
    for j, line in enumerate(note_lines):
        out.append(text(8, base + 16 * j, line, size=12, fill=TEXT))
    out.append("</svg>")
    return "\n".join(out)
