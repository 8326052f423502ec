"""The partnership's recommendations, as written in the workspace.

Each recommendation rests on a finding (or table or figure) of the report, names the
organisation that owns it, says how progress will be measured and from which baseline (the
cited figure's value and period when the recommendation was written). One whose numbers have
changed since, or whose finding is no longer in the report, is flagged above it, as a stale
narrative is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alliance.report.document import Block, Notice, Paragraph, Section
from alliance.report.written import Checked, label_of

NONE_YET = ("The partnership has not written its recommendations yet. They are written in the "
            "workspace (SNA, then Summary, findings and recommendations): each rests on a "
            "finding of this report and names an owner, a measure and a baseline.")
INTRO = ("The partnership's recommendations. Each rests on a finding of this report, names the "
         "organisation that owns it and says how progress will be measured, from the baseline "
         "given (the figure when the recommendation was written).")


def _rests_on(w: Checked, entries: Mapping[str, Mapping[str, Any]]) -> str:
    entry = entries.get(w.text.cites)
    if entry is None:
        return (w.text.cited_label or "an item no longer in this report") + \
            " (no longer in this report)"
    words = str(entry.get("plain") or "").rstrip(".")
    if not words:
        return f"[{_md(label_of(entry))}](#{w.text.cites})"
    where = entry.get("section_title")
    return f"[{_md(words)}](#{w.text.cites})" + (f" ({where})" if where else "")


def _md(text: str) -> str:
    """Text set inside a Markdown link: brackets would end it early."""
    return text.replace("[", "(").replace("]", ")")


def recommendations(written: list[Checked],
                    entries: Mapping[str, Mapping[str, Any]]) -> Section:
    """The recommendations section: each recommendation with what it rests on (a finding in
    its plain words), its owner, measure and baseline, in the order the partnership gave
    them."""
    recs = [w for w in written if w.text.kind == "recommendation"]
    if not recs:
        return Section(id="recommendations", title="Recommendations",
                       blocks=(Paragraph(text=NONE_YET, drafted=False),))
    blocks: list[Block] = [Paragraph(text=INTRO, drafted=False)]
    for number, w in enumerate(recs, start=1):
        if w.flagged:
            blocks.append(Notice(text=f"Recommendation {number}: {w.notice()}"))
        t = w.text
        details = "\n".join([
            f"- **Rests on:** {_rests_on(w, entries)}",
            f"- **Owner:** {_md(t.owner)}",
            f"- **Measure:** {_md(t.measure)}",
            f"- **Baseline:** {t.baseline}"])
        blocks.append(Paragraph(text=f"**Recommendation {number}**\n\n{t.text.strip()}\n\n"
                                     f"{details}", drafted=False))
    return Section(id="recommendations", title="Recommendations", blocks=tuple(blocks))
