"""Small SVG writing helpers and colour-blind-safe palettes shared by charts and maps.

Palettes: Okabe & Ito (2008) *Color Universal Design* for categories, and a classed sampling of
viridis (van der Walt & Smith, matplotlib 2015) for ordered classes; both stay distinguishable
with the common colour-vision deficiencies and in greyscale print (viridis).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
             "#000000")
_VIRIDIS_ANCHORS = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80",
                    "#5ec962", "#addc30", "#fde725")
TEXT = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#d8dde0"
FONT = "font-family=\"Arial, Helvetica, sans-serif\""


@dataclass(frozen=True)
class Chart:
    """An SVG drawing and the table of the numbers it shows (published beside it)."""

    svg: str
    data: pd.DataFrame


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def sequential(n_classes: int, *, light_to_dark: bool = True) -> list[str]:
    """``n_classes`` colours sampled from viridis; light (yellow) for low values by default."""
    if not 2 <= n_classes <= 9:
        raise ValueError("use between 2 and 9 classes")
    anchors = [_hex_to_rgb(c) for c in _VIRIDIS_ANCHORS]
    # Trim the darkest end a little so black text and hatching stay readable on every class.
    positions = np.linspace(0.12, 1.0, n_classes)
    out = []
    for p in positions:
        x = p * (len(anchors) - 1)
        i = min(int(x), len(anchors) - 2)
        t = x - i
        rgb = [round(a + (b - a) * t) for a, b in zip(anchors[i], anchors[i + 1], strict=True)]
        out.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return out[::-1] if light_to_dark else out


def text_colour_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (WCAG relative luminance)."""
    def lin(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(v) for v in _hex_to_rgb(fill))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return TEXT if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, to keep files small."""
    r = round(float(value), 1)
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def nice_ticks(low: float, high: float, *, target: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5 or 5 times a power of ten)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("axis limits must be finite")
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    v = start
    while v <= high + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < high:
        ticks.append(round(v, 10))
    return ticks


def tick_label(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace("-", "−")
    return f"{value:,.10g}".replace("-", "−")


def open_svg(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    """The opening of an accessible SVG: role, a <title> and a <desc> it is labelled by."""
    if not title.strip() or not desc.strip():
        raise ValueError("a chart needs a title and a description (its text alternative)")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT} font-size="13">',
        f'<title id="{chart_id}-title">{esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{esc(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def text(x: float, y: float, content: object, *, anchor: str = "start", size: int | None = None,
         fill: str = TEXT, weight: str | None = None, extra: str = "") -> str:
    attrs = f'x="{num(x)}" y="{num(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    if fill != TEXT:
        attrs += f' fill="{fill}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if extra:
        attrs += " " + extra
    return f"<text {attrs}>{esc(content)}</text>"


HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" aria-hidden="true"'


def halo_text(x: float, y: float, content: object, *, size: int = 12,
              anchor: str = "start") -> str:
    """Text with a white outline drawn beneath it (not ``paint-order``, which WeasyPrint and
    some readers ignore), so labels stay legible over lines and points."""
    return (text(x, y, content, size=size, anchor=anchor, fill="#ffffff", extra=HALO)
            + text(x, y, content, size=size, anchor=anchor))


def polyline(points: Sequence[tuple[float, float]], *, stroke: str, width: float = 2,
             dash: str | None = None) -> str:
    pts = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline points="{pts}" fill="none" stroke="{stroke}" '
            f'stroke-width="{width}"{dash_attr} stroke-linejoin="round"/>')


def swatch_legend(x: float, y: float, entries: Sequence[tuple[str, str, str]]) -> list[str]:
    """A horizontal legend of (label, colour, kind) where kind is 'line', 'dash', 'dot', 'box',
    or a point marker: 'square' or 'circle'."""
    out = []
    cursor = x
    for label, colour, kind in entries:
        if kind == "box":
            out.append(f'<rect x="{num(cursor)}" y="{num(y - 9)}" width="14" height="10" '
                       f'fill="{colour}"/>')
        elif kind == "square":
            out.append(f'<rect x="{num(cursor + 4)}" y="{num(y - 8)}" width="8" height="8" '
                       f'fill="{colour}"/>')
        elif kind == "circle":
            out.append(f'<circle cx="{num(cursor + 8)}" cy="{num(y - 4)}" r="4" '
                       f'fill="{colour}"/>')
        else:
            dash = {"dash": ' stroke-dasharray="5 3"', "dot": ' stroke-dasharray="2 3"'}.get(
                kind, "")
            out.append(f'<line x1="{num(cursor)}" y1="{num(y - 4)}" x2="{num(cursor + 16)}" '
                       f'y2="{num(y - 4)}" stroke="{colour}" stroke-width="2.5"{dash}/>')
        out.append(text(cursor + 20, y, label, size=12))
        cursor += 20 + 7 * len(label) + 18
    return out
