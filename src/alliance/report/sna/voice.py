"""The community voice chapter when the partnership holds conversations or themed free text.

Two tables: the statement conversations (opinion groups and what unites them, Pol.is method;
accepted statements only, consensus only where enough people besides the author voted, shares
by the results page's rule — ``alliance.web.conversations.results``)
and the themes found in free text, both the conversations' statements and uploaded survey
answers or workshop notes. Small numbers are suppressed with the report's threshold: a group
size or theme count from 1 to threshold-1 is shown as ``[c]``, and a suppressed theme's quotes
are left out, since a quote from a theme of two texts says too much about two people.
"""

from __future__ import annotations

import pandas as pd

from alliance.privacy.suppression import MARKER
from alliance.report.document import Block, Paragraph, Section, Table
from alliance.report.sna.common import Context
from alliance.report.sna.inputs import ConsultationSummary, ThemeLine

THEME_SOURCE = "Alliance theme analysis (all-MiniLM-L6-v2 sentence embeddings, run locally)"
CONVERSATIONS_SOURCE = "Alliance statement conversations (Pol.is method)"
CONSULTATIONS_SOURCE = "Alliance consultations"
NO_COUNTS = "none needed (no counts)"
#: the periods of the chapter's tables: what people said, whenever they said it
AS_COLLECTED, AS_RECORDED = "as collected", "as recorded"
#: the caption of a consultation's "you said, we did" table
YOU_SAID = "You said, we did: {title}"


def sizes_words(threshold: int) -> str:
    return f"group sizes below {threshold} shown as {MARKER}"


def theme_counts_words(threshold: int) -> str:
    return f"theme counts below {threshold} shown as {MARKER}, their quotes omitted"


def counts_words(threshold: int) -> str:
    return f"counts below {threshold} shown as {MARKER}"


def conversations_intro(threshold: int) -> str:
    return ("Residents and young people proposed short statements and voted on each other's "
            "(the Pol.is method: opinion groups from the votes, representative statements per "
            f"group, and statements every group agrees on). Group sizes below {threshold} are "
            f"shown as {MARKER}.")


def themes_intro(threshold: int) -> str:
    return ("Themes group free text by meaning: the conversations' accepted statements and "
            "uploaded survey answers and workshop notes. A language model run on the "
            "partnership's own server places each text by meaning; texts close together form "
            "a theme, labelled by its most distinctive words unless an analyst renamed it, "
            "and an analyst checked, merged, split or re-coded them. A text may belong to "
            "more than one theme, so counts can add up to more than the texts. Quotes are "
            "participants' own words (accepted statements only, texts with no personal data "
            f"found). Counts below {threshold} are shown as {MARKER} and their quotes left "
            "out.")


def engagement_intro(threshold: int) -> str:
    return ("The partnership asked residents and young people directly: consultations with "
            "surveys (online, on paper and at workshops), maps of where people feel unsafe, "
            f"statement conversations and workshops. Counts below {threshold} are shown as "
            f"{MARKER}.")


def differing_words(differing: tuple[tuple[str, str], ...]) -> str:
    """The wards where feeling unsafe and recorded violence differ most (eight at most)."""
    places = "; ".join(f"{ward} ({verdict})" for ward, verdict in differing[:8])
    return f"Where feeling and recorded violence differ most: {places}."


def _small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def _conversations(ctx: Context) -> list[Block]:
    blocks: list[Block] = [Paragraph(text=conversations_intro(ctx.threshold))]
    rows = []
    views_paragraphs: list[Block] = []
    for conv in ctx.inputs.conversations:
        sizes = ", ".join(MARKER if _small(n, ctx.threshold) else str(n) for n in conv.groups)
        unites = "; ".join(f"“{text}” ({direction} {percent}%)"
                           for text, direction, percent in conv.consensus[:3]) or "—"
        rows.append({"Conversation": conv.title, "Question": conv.question,
                     "Participants": (MARKER if _small(conv.participants, ctx.threshold)
                                      else conv.participants),
                     "Opinion groups (sizes)": f"{len(conv.groups)} ({sizes})",
                     "What unites them": unites})
        # a small group's statements say too much about a few people: left out, as on the
        # results page
        views = "; ".join(f"group {g + 1}: “{text}” ({direction} {percent}%)"
                          for g, text, direction, percent in conv.group_views
                          if g < len(conv.groups) and not _small(conv.groups[g], ctx.threshold))
        if views:
            views_paragraphs.append(Paragraph(
                text=f"**{conv.title}** — what each group thinks: {views}."))
    blocks.append(Table(
        id="t14-2-voice", caption="Statement conversations: opinion groups and consensus",
        data=pd.DataFrame(rows), row_header=True,
        provenance=ctx.provenance(source=CONVERSATIONS_SOURCE,
                                  suppression=sizes_words(ctx.threshold))))
    return blocks + views_paragraphs


def _theme_rows(source: str, what: str, themes: tuple[ThemeLine, ...],
                threshold: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for theme in themes:
        small = _small(theme.texts, threshold)
        rows.append({"Source": source, "Texts": what, "Theme": theme.label,
                     "Count": MARKER if small else theme.texts,
                     "In their words": "" if small else
                     " / ".join(f"“{q}”" for q in theme.quotes[:2])})
    return rows


def _themes(ctx: Context) -> list[Block]:
    rows: list[dict[str, object]] = []
    for conv in ctx.inputs.conversations:
        rows += _theme_rows(conv.title, "Conversation statements", conv.themes, ctx.threshold)
    for found in ctx.inputs.theme_sets:
        rows += _theme_rows(found.title, found.source, found.themes, ctx.threshold)
    if not rows:
        return []
    return [
        Paragraph(text=themes_intro(ctx.threshold)),
        Table(id="t14-3-themes", caption="Themes in what people said", data=pd.DataFrame(rows),
              row_header=False,
              provenance=ctx.provenance(source=THEME_SOURCE, period=AS_COLLECTED,
                                        batches=(),
                                        suppression=theme_counts_words(ctx.threshold)))]


def _count(n: int, threshold: int) -> object:
    return MARKER if _small(n, threshold) else n


def _engagement(ctx: Context) -> list[Block]:
    """The engagement log, whom each consultation heard, where people feel unsafe beside
    recorded violence, and what the partnership is doing about what it heard."""
    found: tuple[ConsultationSummary, ...] = ctx.inputs.consultations
    rows = [{"Consultation": c.title, "When": c.period, "Ways to take part": "; ".join(c.ways),
             "Responses": ", ".join(f"{label} {_count(n, ctx.threshold)}"
                                    for label, n in c.responses) or "none yet"}
            for c in found]
    blocks: list[Block] = [
        Paragraph(text=engagement_intro(ctx.threshold)),
        Table(id="t14-1-engagement", caption="Engagement log: consultations and how people "
              "took part", data=pd.DataFrame(rows), row_header=True,
              provenance=ctx.provenance(source=CONSULTATIONS_SOURCE, period=AS_COLLECTED,
                                        batches=(), suppression=counts_words(ctx.threshold)))]
    for c in found:
        said = [s for s in (*c.heard, c.weighting, c.felt_unsafe) if s]
        if said:
            blocks.append(Paragraph(text=f"**{c.title}**: " + " ".join(said)))
        if c.differing:
            blocks.append(Paragraph(text=differing_words(c.differing)))
        if c.you_said:
            blocks.append(Table(
                id=f"t14-1-you-said-{found.index(c) + 1}",
                caption=YOU_SAID.format(title=c.title),
                data=pd.DataFrame([{"You said": s, "Status": st, "We did": d or "—"}
                                   for s, st, d in c.you_said]), row_header=False,
                provenance=ctx.provenance(source=CONSULTATIONS_SOURCE, period=AS_RECORDED,
                                          batches=(), suppression=NO_COUNTS)))
    return blocks


def voice_chapter(ctx: Context) -> Section:
    """The chapter from the consultations, conversations and theme sets in ``ctx.inputs``."""
    blocks: list[Block] = []
    if ctx.inputs.consultations:
        blocks += _engagement(ctx)
    if ctx.inputs.conversations:
        blocks += _conversations(ctx)
    blocks += _themes(ctx)
    return Section(id="community-voice", title="Community voice", blocks=tuple(blocks))
