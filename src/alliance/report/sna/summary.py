"""The SNA's first pages: the executive summary and the key findings, in plain English.

The summary is drafted from the headline figures (:mod:`alliance.report.sna.headlines`): how
much, what changed, where, for whom, and how sure the figures are, each uncertainty in words
("about 5% fewer (between 2% and 8% fewer)"). A summary the partnership writes in the
workspace takes the drafted text's place; the headline table stays, so the numbers the
summary rests on are always beside it (and a change in them flags the partnership's text).

Key findings list every finding of the chapters, reworded plainly and linked to where it comes
from; a finding the partnership wrote in its own words replaces the drafted one it rests on.
"""

from __future__ import annotations

import math

import pandas as pd

from alliance.figures.counts import Change
from alliance.report.document import Block, Finding, Notice, Paragraph, Section, Table
from alliance.report.sna.common import Context
from alliance.report.sna.headlines import (
    Headlines,
    counted,
    headlines,
    lsoa_name,
    place_of,
    places_of,
    towns_by_count,
    towns_of,
    trend_words,
    year_words,
)
from alliance.report.sna.overall import months_text
from alliance.report.wording import (
    describe_change_plainly,
    describe_ratio_plainly,
    format_count,
    format_percent,
    format_rate,
)
from alliance.report.written import Checked

HEADLINE_TABLE = "t1-1-headlines"
LEAST = "in the least deprived fifth"
#: the order in which the drafted findings are listed (others follow in chapter order)
ORDER = ("f-total", "f-change-all", "f-trend", "f-concentration", "f-hotspots",
         "f-deprivation")


def plainly(c: Change) -> str:
    """A change of :mod:`alliance.figures.counts` in words (see describe_change_plainly)."""
    return describe_change_plainly(c.percent, (c.lower - 1) * 100, (c.upper - 1) * 100)


def what_words(h: Headlines, ctx: Context) -> str:
    if math.isnan(h.total) or h.rate is None:
        return (f"Too few offences were recorded in {ctx.area_name} in {year_words(ctx)} "
                "for the total to be published without risk of identifying anyone.")
    return (f"In {year_words(ctx)}, {format_count(h.total)} offences that the partnership's "
            f"definition counts as serious violence were recorded in {ctx.area_name}: "
            f"{format_rate(h.rate.value)} residents a year (between {h.rate.lower:,.1f} and "
            f"{h.rate.upper:,.1f}). They are police.uk figures, which "
            "give only broad categories: most are 'Violence and sexual offences', which also "
            "holds common assault, harassment and sexual offences, so they stand in for "
            "serious violence (a proxy) rather than count it.")


def change_words(h: Headlines) -> str:
    if h.change is None:
        return ("No earlier months are held to compare with, so the report cannot yet say "
                "whether violence is rising or falling.")
    c = h.change
    text = (f"Offences in {months_text(h.after)} numbered {format_count(c.after)}, against "
            f"{format_count(c.before)} in {months_text(h.before)}: {plainly(c)}.")
    if h.partial:
        text += (f" Only {len(h.before)} months of the year before are held, so the "
                 "comparison covers those months only.")
    moved = [x for x in h.categories if x.significant]
    if moved:
        text += " Of the categories, tested together: " + "; ".join(
            f"{x.label.lower()}, {plainly(x.change)}" for x in moved) + "."
    elif h.categories:
        text += " No category on its own changed clearly either."
    if h.trend is not None and h.trend.p_value is not None:
        text += " " + trend_words(h.trend)
    return text


def where_words(h: Headlines, ctx: Context) -> str:
    parts = []
    if h.top_shares:
        parts.append(f"Violence is concentrated: the busiest 10% of neighbourhoods hold "
                     f"{format_percent(h.top_shares[0.1], dp=0)} of the offences placed on the "
                     f"map, and the busiest 1% hold {format_percent(h.top_shares[0.01], dp=0)}.")
    if h.hot:
        parts.append(f"{counted(len(h.hot), 'neighbourhood', ('is', 'are'))} in hot spots, "
                     f"clusters of high rates that chance alone would rarely produce: "
                     f"{places_of(ctx, h.hot)}.")
    elif h.top_shares:
        parts.append("No cluster of high rates stands out from chance (no hot spot).")
    if h.highest:
        parts.append(f"The highest rates are in {towns_of(ctx, h.highest[:10])}, "
                     f"led by {_place(ctx, h.highest[0])}.")
    return " ".join(parts)


def _place(ctx: Context, code: str) -> str:
    return f"{lsoa_name(ctx, code)} ({place_of(ctx, code)})"


def whom_words(h: Headlines) -> str:
    text = ""
    if h.deprivation is not None:
        rr = h.deprivation
        text = ("People living in England's most deprived fifth of neighbourhoods (IMD 2025) "
                "face a rate of violence "
                f"{describe_ratio_plainly(rr.ratio, rr.lower, rr.upper, comparator=LEAST)}. ")
    return text + (
        "Who the victims and suspects are (their age, sex and ethnicity), and whether a knife "
        "was involved, cannot be told from police.uk data: the force's records and hospital "
        "data that would tell it are requested in the chapters on who is involved and the "
        "core outcome measures.")


def how_sure_words() -> str:
    return ("How sure the figures are: each rate and change has a 95% interval, the range "
            "the true value is likely to lie in; a change is only called a rise or a fall when "
            "that range rules out no change. Counts from 1 to 4 are hidden to protect the "
            "people behind them. The methods, data quality and definitions are in the "
            "annexes.")


def headline_table(ctx: Context, h: Headlines) -> Table:
    """The numbers the summary rests on, side by side (each a published figure)."""
    rows = []
    if h.rate is not None:
        rows.append({"Measure": f"Offences counted (proxy measure), {year_words(ctx)}",
                     "Figure": format_count(h.total), "95% interval": "",
                     "In words": "placed in the area's neighbourhoods"})
        rows.append({"Measure": "Rate per 1,000 residents a year",
                     "Figure": f"{h.rate.value:,.1f}",
                     "95% interval": f"{h.rate.lower:,.1f} to {h.rate.upper:,.1f}",
                     "In words": ""})
    if h.change is not None:
        c = h.change
        low = format_percent((c.lower - 1) * 100, dp=0, signed=True)
        high = format_percent((c.upper - 1) * 100, dp=0, signed=True)
        rows.append({"Measure": f"Change, {months_text(h.after)} against "
                                f"{months_text(h.before)}",
                     "Figure": format_percent(c.percent, dp=0, signed=True),
                     "95% interval": f"{low} to {high}", "In words": plainly(c)})
    if h.top_shares:
        rows.append({"Measure": "Share in the busiest 10% of neighbourhoods",
                     "Figure": format_percent(h.top_shares[0.1], dp=0), "95% interval": "",
                     "In words": f"busiest 1%: {format_percent(h.top_shares[0.01], dp=0)}"})
        hot = towns_by_count(ctx, list(h.hot)) if h.hot else "none"
        rows.append({"Measure": "Neighbourhoods in hot spots", "Figure": f"{len(h.hot):,}",
                     "95% interval": "",
                     "In words": f"{hot}; {counted(len(h.cold), 'neighbourhood')} in cold "
                                 "spots"})
    if h.deprivation is not None:
        rr = h.deprivation
        rows.append({"Measure": "Rate in the most deprived fifth of neighbourhoods against "
                                "the least deprived",
                     "Figure": f"{rr.ratio:,.1f} times",
                     "95% interval": f"{rr.lower:,.1f} to {rr.upper:,.1f}",
                     "In words": describe_ratio_plainly(rr.ratio, rr.lower, rr.upper,
                                                        comparator=LEAST)})
    data = pd.DataFrame(rows, columns=["Measure", "Figure", "95% interval", "In words"])
    return Table(id=HEADLINE_TABLE, caption=f"{ctx.area_name} at a glance, "
                 f"{ctx.fperiod.label}", data=data, row_header=True,
                 provenance=ctx.provenance(suppression="as in the chapters each figure comes "
                                                       "from"))


def executive_summary(ctx: Context, written: Checked | None = None) -> Section:
    """The summary drafted from the numbers, or the partnership's own (flagged if its numbers
    have changed since it was written), with the headline table."""
    h = headlines(ctx)
    # the headline figures first, as a reader scans them; then the words
    blocks: list[Block] = [headline_table(ctx, h)]
    if written is not None:
        if written.flagged:
            blocks.insert(0, Notice(text=written.notice()))
        blocks.append(Paragraph(text=written.text.text, drafted=False))
    else:
        blocks += [Paragraph(text=t) for t in
                   (what_words(h, ctx), change_words(h), where_words(h, ctx), whom_words(h),
                    how_sure_words()) if t]
    return Section(id="summary", title="Executive summary", blocks=tuple(blocks))


# ------------------------------------------------------------------------------ key findings


def plain_findings(ctx: Context) -> dict[str, str]:
    """Plain-English wording of the drafted findings, by finding id."""
    h = headlines(ctx)
    out: dict[str, str] = {}
    if h.rate is not None:
        out["f-total"] = (f"{format_count(h.total)} offences counted as serious violence "
                          f"(police.uk proxy) in {year_words(ctx)}: "
                          f"{format_rate(h.rate.value)} residents a year.")
    changes = {"all": h.change, **{x.key.replace("_", "-"): x.change for x in h.categories}}
    labels = {"all": "All offences counted",
              **{x.key.replace("_", "-"): x.label for x in h.categories}}
    for key, c in changes.items():
        if c is not None:
            out[f"f-change-{key}"] = (f"{labels[key]}, {months_text(h.after)} against "
                                      f"{months_text(h.before)}: {plainly(c)}.")
    if h.top_shares:
        out["f-concentration"] = (
            f"The busiest 10% of neighbourhoods hold {format_percent(h.top_shares[0.1], dp=0)}"
            f" of offences, the busiest 1% {format_percent(h.top_shares[0.01], dp=0)}.")
    if h.hot:
        out["f-hotspots"] = (f"{counted(len(h.hot), 'neighbourhood', ('is', 'are'))} in "
                             f"hot spots: {places_of(ctx, h.hot)}.")
    if h.trend is not None and h.trend.p_value is not None:
        out["f-trend"] = trend_words(h.trend)
    if h.deprivation is not None:
        rr = h.deprivation
        out["f-deprivation"] = (
            "In the most deprived fifth of neighbourhoods the rate is "
            f"{describe_ratio_plainly(rr.ratio, rr.lower, rr.upper, comparator=LEAST)}.")
    return out


def finding_item(text: str, title: str, finding_id: str) -> str:
    """One key finding as listed: its words and a link to the chapter it comes from."""
    return f"{text} ([{title}](#{finding_id}))"


#: where :func:`key_findings` leaves, on the build's context, the drafted findings it listed
#: as (words, chapter title, finding id): the Welsh edition words the same items
LISTED = "_key_findings_listed"


def _flat(text: str) -> str:
    return " ".join(text.split())


def key_findings(ctx: Context, chapters: list[Section],
                 written: list[Checked]) -> Section:
    """Every finding of the chapters, plainly worded, most telling first, each linked to where
    it comes from; the partnership's own findings take the place of those they rest on."""
    found = [(s, b) for s in chapters for b in s.blocks if isinstance(b, Finding)]
    rank = {fid: i for i, fid in enumerate(ORDER)}
    found.sort(key=lambda sb: rank.get(sb[1].id, len(ORDER)))
    mine = {w.text.cites: w for w in written}
    items, notices = [], []
    drafted: list[tuple[str, str, str]] = []
    for section, f in found:
        w = mine.pop(f.id, None)
        text = _flat(w.text.text) if w is not None else (f.plain or f.text)
        items.append(finding_item(text, section.title, f.id))
        if w is None:
            drafted.append((text, section.title, f.id))
        if w is not None and w.flagged:
            notices.append(f"Finding {len(items)}: {w.notice()}")
    titles = {b.id: s.title for s in chapters for b in s.blocks if hasattr(b, "id")}
    for w in written:  # the partnership's findings resting on a table, figure or no finding
        if w.text.cites in mine:
            where = titles.get(w.text.cites)
            link = f" ([{where}](#{w.text.cites}))" if where else ""
            items.append(f"{_flat(w.text.text)}{link}")
            if w.flagged:
                notices.append(f"Finding {len(items)}: {w.notice()}")
    ctx.__dict__[LISTED] = tuple(drafted)
    blocks: list[Block] = [Notice(text=n) for n in notices]
    if items:
        blocks.append(Paragraph(text="\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)),
                                drafted=False))
    else:
        blocks.append(Paragraph(text="The figures held give no finding yet.", drafted=False))
    return Section(id="key-findings", title="Key findings", blocks=tuple(blocks))
