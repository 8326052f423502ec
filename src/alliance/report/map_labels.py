"""Place labels on a map: where each goes, and which are left out so none overlap.

Labels are placed greedily in rank order (the most important first, as cartographers do): a
town's name is tried to the right of its dot, then left, above and below; an area's name is
centred on its point. A label is left out when every position would overlap a label or dot
already drawn, or run off the map. Text sizes are estimated from the font (Arial's average
character is about 0.55 em wide), which is close enough for a collision test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from alliance.report.svg import TEXT, esc, num

_Transform = Callable[[np.ndarray], np.ndarray]
#: Average character width of Arial / Helvetica as a share of the font size.
CHAR_WIDTH = 0.55
TOWN_SIZE, BIG_TOWN_SIZE, AREA_SIZE = 11, 13, 11
#: Towns with at least this many residents get the larger label.
BIG_TOWN = 50_000.0
DOT = 2.6


@dataclass(frozen=True, kw_only=True)
class Place:
    """A label on a map: ``x``/``y`` in British National Grid metres (EPSG:27700).

    ``kind`` 'town' draws a dot and the name beside it; 'area' draws the name alone, centred,
    in the style of a district name. Lower ``rank`` is drawn first (wins any overlap).
    """

    name: str
    x: float
    y: float
    kind: Literal["town", "area"] = "town"
    rank: int = 0
    population: float = 0.0


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: Area names longer than this many characters are broken over lines.
AREA_LINE = 16
LEADING = 1.15


def _lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [text]


def _text_box(x: float, y: float, lines: list[str], size: int, anchor: str) -> Box:
    """Box of ``lines`` whose first baseline is at ``y``."""
    width = max(len(line) for line in lines) * size * CHAR_WIDTH
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    bottom = y + (len(lines) - 1) * size * LEADING + size * 0.25
    return (left - 2, y - size * 0.8 - 1, left + width + 2, bottom + 1)


def _candidates(place: Place, px: float, py: float, size: int, n_lines: int
                ) -> list[tuple[float, float, str]]:
    if place.kind == "area":
        first = py + size * 0.35 - (n_lines - 1) * size * LEADING / 2
        return [(px, first + dy, "middle") for dy in (0, -size, size, -2 * size, 2 * size)]
    gap = DOT + 3
    return [(px + gap, py + size * 0.35, "start"), (px - gap, py + size * 0.35, "end"),
            (px, py - gap - 1, "middle"), (px, py + gap + size * 0.8, "middle")]


def label_layer(places: Sequence[Place], fx: _Transform, fy: _Transform, *,
                frame: Box) -> tuple[list[str], list[str]]:
    """SVG elements of the labels that fit, and the names drawn (in rank order).

    ``frame`` is the drawable map area in pixels; labels must stay inside it.
    """
    ordered = sorted(places, key=lambda p: (p.rank, p.name))
    xy = [(float(fx(np.array([p.x]))[0]), float(fy(np.array([p.y]))[0])) for p in ordered]
    # Every town's dot is an obstacle from the start, so a big town's name never covers a
    # smaller town's dot (which would then have to be left out).
    pending = {i: (px - DOT - 2, py - DOT - 2, px + DOT + 2, py + DOT + 2)
               for i, (p, (px, py)) in enumerate(zip(ordered, xy, strict=True))
               if p.kind == "town"}
    taken: list[Box] = []
    dots: list[str] = []
    labels: list[str] = []
    drawn: list[str] = []
    for i, (place, (px, py)) in enumerate(zip(ordered, xy, strict=True)):
        pending.pop(i, None)
        if not (frame[0] <= px <= frame[2] and frame[1] <= py <= frame[3]):
            continue
        if place.kind == "area":
            size, lines = AREA_SIZE, _lines(place.name.upper(), AREA_LINE)
        else:
            size = BIG_TOWN_SIZE if place.population >= BIG_TOWN else TOWN_SIZE
            lines = [place.name]
        dot: Box = (px - DOT, py - DOT, px + DOT, py + DOT)
        if place.kind == "town" and any(_overlaps(dot, t) for t in taken):
            continue
        obstacles = taken + list(pending.values())
        for x, y, anchor in _candidates(place, px, py, size, len(lines)):
            box = _text_box(x, y, lines, size, anchor)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] \
                and box[3] <= frame[3]
            if inside and not any(_overlaps(box, t) for t in obstacles):
                taken.append(box)
                if place.kind == "town":
                    taken.append(dot)
                    dots.append(f'<circle cx="{num(px)}" cy="{num(py)}" r="{DOT}"/>')
                labels.append(_label(x, y, lines, size, anchor, area=place.kind == "area",
                                     bold=size == BIG_TOWN_SIZE))
                drawn.append(place.name)
                break
    if not drawn:
        return [], []
    out = ['<g aria-hidden="true" class="place-labels">']
    if dots:
        out.append(f'<g fill="{TEXT}" stroke="#ffffff" stroke-width="1">')
        out.extend(dots)
        out.append("</g>")
    out.extend(labels)
    out.append("</g>")
    return out, drawn


def _label(x: float, y: float, lines: list[str], size: int, anchor: str, *, area: bool,
           bold: bool) -> str:
    """Text with a white halo drawn beneath it (not ``paint-order``, which some renderers
    ignore), so names stay legible over any fill."""
    attrs = f'font-size="{size}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if area:
        attrs += ' font-style="italic" letter-spacing="0.8"'
    elif bold:
        attrs += ' font-weight="bold"'
    fill = "#383f43" if area else TEXT
    spans = "".join(f'<tspan x="{num(x)}" y="{num(y + j * size * LEADING)}">{esc(line)}</tspan>'
                    for j, line in enumerate(lines))
    return (f'<text {attrs} fill="#ffffff" stroke="#ffffff" stroke-width="3.2" '
            f'stroke-linejoin="round">{spans}</text><text {attrs} fill="{fill}">{spans}</text>')
