"""The strategy's logic model: priority -> intervention -> outputs -> outcomes.

Drawn as an accessible SVG diagram (boxes in four labelled columns joined by arrows, a
``<title>`` and a ``<desc>``, text that scales) and given as a text equivalent (a nested list
in Markdown) that says everything the diagram says, so that a screen-reader user, a printed
black-and-white copy and a Word document all carry the whole model (WCAG 2.2, 1.1.1 non-text
content: "a text alternative that serves the equivalent purpose").
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from alliance.report.svg import MUTED, TEXT, esc, num

COLUMNS = ("Priority", "Intervention", "Outputs", "Outcomes")
BOX_W, GAP, CHARS, LINE_H, PAD = 190, 44, 27, 15, 8


@dataclass(frozen=True, kw_only=True)
class LogicIntervention:
    title: str
    evidence: str = ""  # e.g. "YEF Toolkit: Mentoring, moderate impact"
    outputs: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LogicPriority:
    title: str
    interventions: tuple[LogicIntervention, ...] = ()


def _lines(items: tuple[str, ...], *, bullet: bool) -> list[str]:
    out: list[str] = []
    for item in items:
        wrapped = textwrap.wrap(item, CHARS - (2 if bullet else 0)) or [""]
        out += [("• " if bullet and i == 0 else "  " if bullet else "") + w
                for i, w in enumerate(wrapped)]
    return out


def _box(x: float, y: float, h: float, lines: list[str], *, fill: str, bold: bool = False,
         muted_from: int | None = None) -> list[str]:
    out = [f'<rect x="{num(x)}" y="{num(y)}" width="{BOX_W}" height="{num(h)}" rx="4" '
           f'fill="{fill}" stroke="{TEXT}" stroke-width="1"/>']
    for i, line in enumerate(lines):
        colour = MUTED if muted_from is not None and i >= muted_from else TEXT
        weight = ' font-weight="bold"' if bold and (muted_from is None or i < muted_from) else ""
        out.append(f'<text x="{num(x + PAD)}" y="{num(y + PAD + LINE_H * (i + 0.8))}" '
                   f'font-size="12" fill="{colour}"{weight}>{esc(line)}</text>')
    return out


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2 - 2)}" y2="{num(y2)}" '
            f'stroke="{TEXT}" stroke-width="1.2" marker-end="url(#lm-arrow)"/>')


def logic_model_svg(priorities: tuple[LogicPriority, ...], *, chart_id: str = "logic-model",
                    title: str = "Logic model") -> str:
    """The diagram. Each intervention is a row: its outputs and outcomes beside it, its
    priority's box spanning its interventions."""
    if not priorities:
        raise ValueError("a logic model needs at least one priority")
    width = 4 * BOX_W + 3 * GAP + 20
    xs = [10 + i * (BOX_W + GAP) for i in range(4)]
    body: list[str] = []
    y = 40.0
    n_boxes = 0
    for priority in priorities:
        top = y
        rows = priority.interventions or (LogicIntervention(title="No interventions yet"),)
        starts = []
        for item in rows:
            head = _lines((item.title,), bullet=False)
            cells = [head + (_lines((item.evidence,), bullet=False) if item.evidence else []),
                     _lines(item.outputs or ("None recorded",), bullet=bool(item.outputs)),
                     _lines(item.outcomes or ("None recorded",), bullet=bool(item.outcomes))]
            h = max(len(c) for c in cells) * LINE_H + 2 * PAD
            for col, lines in zip(xs[1:], cells, strict=True):
                muted = len(head) if col == xs[1] and item.evidence else None
                body += _box(col, y, h, lines, fill="#f3f2f1" if col == xs[1] else "#ffffff",
                             bold=col == xs[1], muted_from=muted)
                n_boxes += 1
            body.append(_arrow(xs[1] + BOX_W, y + h / 2, xs[2], y + h / 2))
            body.append(_arrow(xs[2] + BOX_W, y + h / 2, xs[3], y + h / 2))
            starts.append(y + h / 2)
            y += h + 12
        title_lines = _lines((priority.title,), bullet=False)
        ph = max(y - 12 - top, len(title_lines) * LINE_H + 2 * PAD)
        body += _box(xs[0], top, ph, title_lines, fill="#e8f1f8", bold=True)
        n_boxes += 1
        body += [_arrow(xs[0] + BOX_W, top + ph / 2, xs[1], s) for s in starts]
        y = max(y, top + ph + 12) + 14
    height = int(y + 10)
    n_int = sum(len(p.interventions) for p in priorities)
    desc = (f"{len(priorities)} priorities and {n_int} interventions, each joined to its "
            "outputs and then to its outcomes. The same content is given as a list beside "
            "the diagram.")
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{esc(chart_id)}" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
            'font-family="Arial, Helvetica, sans-serif">',
            f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
            f'<desc id="{esc(chart_id)}-desc">{esc(desc)}</desc>',
            '<defs><marker id="lm-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{TEXT}"/></marker></defs>']
    head += [f'<text x="{num(x)}" y="22" font-size="14" font-weight="bold" fill="{TEXT}">'
             f"{name}</text>" for x, name in zip(xs, COLUMNS, strict=True)]
    return "\n".join([*head, *body, "</svg>"])


def logic_model_text(priorities: tuple[LogicPriority, ...]) -> str:
    """The text equivalent: a nested Markdown list with everything the diagram shows."""
    lines: list[str] = []
    for priority in priorities:
        lines.append(f"- **Priority: {priority.title}**")
        if not priority.interventions:
            lines.append("    - No interventions yet")
        for item in priority.interventions:
            evidence = f" ({item.evidence})" if item.evidence else ""
            lines.append(f"    - Intervention: {item.title}{evidence}")
            outputs = "; ".join(item.outputs) or "none recorded"
            outcomes = "; ".join(item.outcomes) or "none recorded"
            lines.append(f"        - Outputs: {outputs}")
            lines.append(f"        - Outcomes: {outcomes}")
    return "\n".join(lines)
