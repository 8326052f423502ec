"""The SNA's public summary in Welsh, from the same figures as the English one.

The sentences drafted from the headline figures (:mod:`alliance.report.sna.summary`) are
written again here in Welsh from the same :class:`Headlines` (read once per build and cached
on the context, so no number is computed twice) and formatted by the same functions. The
English and Welsh of each generated sentence make this build's sentence table; the fixed
sentences (section titles, the fixed notes of the summary's sections, the scorecard's fixed
cells) are in :data:`SENTENCES`. :func:`welsh_summary` puts the Welsh in place of each English
sentence of the built summary it knows, and returns the English it does not know (the
partnership's own words, analysts' narratives, findings of the chapters that have no plain
wording yet, names from publishers) so that the page marks it ``lang="en"``.
"""

from __future__ import annotations

import math

import pandas as pd

from alliance.figures.counts import Change
from alliance.report.sna import cymraeg_front, cymraeg_partners
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg_fixed import CATEGORIES, FIXED, voice_intros
from alliance.report.sna.headlines import (
    Headlines,
    headlines,
    lsoa_name,
    place_of,
    town_of,
    ward_of,
)
from alliance.report.sna.summary import (
    change_words,
    headline_table,
    how_sure_words,
    plain_findings,
    what_words,
    where_words,
    whom_words,
)
from alliance.report.welsh import (
    change_cy,
    counted_cy,
    join_cy,
    month_cy,
    months_cy,
    ratio_cy,
    soft,
    with_cy,
    year_cy,
)
from alliance.report.wording import format_count, format_percent, format_rate
from alliance.stats.trends.seasonal_kendall import TrendTest

#: the fixed sentences of the public summary, by language, keyed by their English
SENTENCES: dict[str, dict[str, str]] = {"cy": FIXED}
LEAST = "yn y pumed lleiaf difreintiedig"


def _plainly(c: Change) -> str:
    return change_cy(c.percent, (c.lower - 1) * 100, (c.upper - 1) * 100)


def _year(ctx: Context) -> str:
    return year_cy(ctx.fperiod.label.split(" (", 1)[0])


def _rate(value: float) -> str:
    return f"{format_rate(value, unit=False)} fesul 1,000 o drigolion y flwyddyn"


def _against(months: tuple[str, ...]) -> str:
    """'o gymharu ag Ionawr–Rhagfyr 2024'."""
    text = months_cy(months)
    return f"o gymharu {with_cy(text)} {text}"


def _category(label: str) -> str:
    return CATEGORIES.get(label, label)


def trend_cy(test: TrendTest) -> str:
    span = (f"y {test.months} mis sydd gennym ({month_cy(test.first_month)} i "
            f"{soft(month_cy(test.last_month))})")
    if test.p_value is None:
        return (f"Gyda {span}, ni ellir eto wahaniaethu rhwng tuedd a'r patrwm tymhorol "
                "arferol: mae angen dwy flynedd gyfan o fisoedd ar gyfer hynny.")
    if test.trend == "no trend":
        return f"Gan ystyried y tymhorau, nid oes tuedd glir dros {span}."
    way = "i fyny" if test.trend == "increasing" else "i lawr"
    return f"Gan ystyried y tymhorau, mae tuedd glir {way} dros {span}."


def _place(ctx: Context, code: str) -> str:
    """'ward Castle, Northampton' (:func:`place_of` in Welsh)."""
    return place_of(ctx, code, ward_words="ward {ward}")


def _places(ctx: Context, codes: tuple[str, ...], *, wards_each: int = 3) -> str:
    """:func:`alliance.report.sna.headlines.places_of` in Welsh: 'pob un yn Northampton
    (wardiau Castle, St. George a Spencer)'."""
    towns = town_of(ctx).reindex(list(codes))
    wards = ward_of(ctx)
    order = towns.value_counts(sort=False)
    order = order.iloc[sorted(range(len(order)), key=lambda i: (-order.iloc[i], order.index[i]))]
    parts = []
    for town, n in order.items():
        text = f"pob un yn {town}" if len(order) == 1 and n > 1 else f"{n} yn {town}"
        if wards is not None:
            named = [w for w in dict.fromkeys(wards.reindex(towns.index[towns == town]))
                     if w and w != town]
            if named:
                shown = named if len(named) <= wards_each + 1 else named[:wards_each]
                more = len(named) - len(shown)
                words = f"{', '.join(shown)} a {more} arall" if more else join_cy(shown)
                text += f" ({'wardiau' if len(named) > 1 else 'ward'} {words})"
        parts.append(text)
    return join_cy(parts)


def _towns(ctx: Context, codes: tuple[str, ...], *, most: int = 3) -> str:
    towns = town_of(ctx).reindex(list(codes)).value_counts(sort=False)
    names = sorted(towns.index, key=lambda t: (-towns[t], t))
    return join_cy(names[:most])


def _towns_by_count(ctx: Context, codes: list[str], *, most: int = 4) -> str:
    towns = town_of(ctx).reindex(codes).value_counts(sort=False)
    names = sorted(towns.index, key=lambda t: (-towns[t], t))
    if len(names) == 1:
        n = int(towns[names[0]])
        return f"pob un o'r {n} yn {names[0]}" if n > 1 else f"yn {names[0]}"
    rest = int(sum(towns[t] for t in names[most:]))
    return join_cy([*(f"{t} ({int(towns[t])})" for t in names[:most]),
                    *([f"{rest} mewn mannau eraill"] if rest else [])])


def _in_hot_spots(n: int) -> str:
    return (f"Mae {counted_cy(n, 'cymdogaeth')} mewn {'man poeth' if n == 1 else 'mannau poeth'}")


# ----------------------------------------------------------------- the executive summary


def _what_cy(h: Headlines, ctx: Context) -> str:
    if math.isnan(h.total) or h.rate is None:
        return (f"Cofnodwyd rhy ychydig o droseddau yn {ctx.area_name} yn ystod {_year(ctx)} i "
                "gyhoeddi'r cyfanswm heb risg o adnabod unrhyw un.")
    return (f"Yn ystod {_year(ctx)}, cofnodwyd {format_count(h.total)} o droseddau yn "
            f"{ctx.area_name} y mae diffiniad y bartneriaeth yn eu cyfrif yn drais difrifol: "
            f"{_rate(h.rate.value)} (cyfwng hyder 95%: {h.rate.lower:,.1f} i "
            f"{h.rate.upper:,.1f}). Ffigurau police.uk ydynt, sy'n rhoi categorïau bras yn "
            "unig: mae'r rhan fwyaf yn 'Trais a throseddau rhywiol', sydd hefyd yn cynnwys "
            "ymosodiadau cyffredin, aflonyddu a throseddau rhywiol, felly maent yn sefyll yn "
            "lle trais difrifol (mesur procsi) yn hytrach na'i gyfrif.")


def _changed_cy(h: Headlines) -> str:
    if h.change is None:
        return ("Nid oes misoedd cynharach i gymharu â nhw, felly ni all yr adroddiad ddweud "
                "eto a yw trais yn cynyddu neu'n lleihau.")
    c = h.change
    text = (f"Nifer y troseddau yn {months_cy(h.after)} oedd {format_count(c.after)}, o "
            f"gymharu â {format_count(c.before)} yn {months_cy(h.before)}: {_plainly(c)}.")
    if h.partial:
        text += (f" Dim ond {len(h.before)} mis o'r flwyddyn flaenorol sydd gennym, felly "
                 "mae'r gymhariaeth yn cwmpasu'r misoedd hynny yn unig.")
    moved = [x for x in h.categories if x.significant]
    if moved:
        text += " O'r categorïau, wedi'u profi gyda'i gilydd: " + "; ".join(
            f"{_category(x.label).lower()}, {_plainly(x.change)}" for x in moved) + "."
    elif h.categories:
        text += " Ni newidiodd yr un categori ar ei ben ei hun yn glir chwaith."
    if h.trend is not None and h.trend.p_value is not None:
        text += " " + trend_cy(h.trend)
    return text


def _where_cy(h: Headlines, ctx: Context) -> str:
    parts = []
    if h.top_shares:
        parts.append(f"Mae trais wedi'i grynhoi: mae'r 10% prysuraf o gymdogaethau yn cynnwys "
                     f"{format_percent(h.top_shares[0.1], dp=0)} o'r troseddau a roddwyd ar y "
                     f"map, a'r 1% prysuraf yn cynnwys "
                     f"{format_percent(h.top_shares[0.01], dp=0)}.")
    if h.hot:
        parts.append(f"{_in_hot_spots(len(h.hot))}, sef clystyrau o gyfraddau uchel na fyddai "
                     f"siawns yn unig yn eu creu ond yn anaml: {_places(ctx, h.hot)}.")
    elif h.top_shares:
        parts.append("Nid oes clwstwr o gyfraddau uchel sy'n sefyll allan o siawns (dim man "
                     "poeth).")
    if h.highest:
        first = h.highest[0]
        parts.append(f"Mae'r cyfraddau uchaf yn {_towns(ctx, h.highest[:10])}, gyda "
                     f"{lsoa_name(ctx, first)} ({_place(ctx, first)}) ar y brig.")
    return " ".join(parts)


def _whom_cy(h: Headlines) -> str:
    text = ""
    if h.deprivation is not None:
        rr = h.deprivation
        text = ("Mae pobl sy'n byw yn y pumed mwyaf difreintiedig o gymdogaethau Lloegr "
                "(IMD 2025) yn wynebu cyfradd trais sydd "
                f"{ratio_cy(rr.ratio, rr.lower, rr.upper, comparator=LEAST)}. ")
    return text + (
        "Ni ellir dweud o ddata police.uk pwy yw'r dioddefwyr a'r sawl a ddrwgdybir (eu "
        "hoedran, eu rhyw a'u hethnigrwydd), nac a oedd cyllell dan sylw: gofynnir am "
        "gofnodion yr heddlu a data ysbytai a fyddai'n dangos hynny yn y penodau ar bwy sy'n "
        "gysylltiedig ac ar y mesurau canlyniad craidd.")


HOW_SURE = ("Pa mor sicr yw'r ffigurau: mae gan bob cyfradd a phob newid gyfwng hyder 95%, yr "
            "ystod y mae'r gwir werth yn debygol o fod ynddi; dim ond pan fydd yr ystod honno'n "
            "diystyru dim newid y gelwir newid yn gynnydd neu'n ostyngiad. Mae niferoedd o 1 i "
            "4 yn gudd i ddiogelu'r bobl y tu ôl iddynt. Mae'r dulliau, ansawdd y data a'r "
            "diffiniadau yn yr atodiadau.")


def headline_table_cy(ctx: Context, h: Headlines) -> pd.DataFrame:
    """The headline table's cells in Welsh, row for row as :func:`headline_table`."""
    rows = []
    if h.rate is not None:
        rows.append([f"Troseddau a gyfrifwyd (mesur procsi), {_year(ctx)}", format_count(h.total),
                     "", "wedi'u lleoli yng nghymdogaethau'r ardal"])
        rows.append(["Cyfradd fesul 1,000 o drigolion y flwyddyn", f"{h.rate.value:,.1f}",
                     f"{h.rate.lower:,.1f} i {h.rate.upper:,.1f}", ""])
    if h.change is not None:
        c = h.change
        low = format_percent((c.lower - 1) * 100, dp=0, signed=True)
        high = format_percent((c.upper - 1) * 100, dp=0, signed=True)
        rows.append([f"Newid, {months_cy(h.after)} {_against(h.before)}",
                     format_percent(c.percent, dp=0, signed=True), f"{low} i {high}",
                     _plainly(c)])
    if h.top_shares:
        rows.append(["Cyfran yn y 10% prysuraf o gymdogaethau",
                     format_percent(h.top_shares[0.1], dp=0), "",
                     f"y 1% prysuraf: {format_percent(h.top_shares[0.01], dp=0)}"])
        hot = _towns_by_count(ctx, list(h.hot)) if h.hot else "dim"
        rows.append(["Cymdogaethau mewn mannau poeth", f"{len(h.hot):,}", "",
                     f"{hot}; {counted_cy(len(h.cold), 'cymdogaeth')} mewn mannau oer"])
    if h.deprivation is not None:
        rr = h.deprivation
        rows.append(["Cyfradd yn y pumed mwyaf difreintiedig o gymdogaethau o gymharu â'r "
                     "lleiaf difreintiedig", f"{rr.ratio:,.1f} gwaith",
                     f"{rr.lower:,.1f} i {rr.upper:,.1f}",
                     ratio_cy(rr.ratio, rr.lower, rr.upper, comparator=LEAST)])
    return pd.DataFrame(rows, columns=["Mesur", "Ffigur", "Cyfwng hyder 95%", "Mewn geiriau"])


def plain_findings_cy(ctx: Context) -> dict[str, str]:
    """:func:`alliance.report.sna.summary.plain_findings` in Welsh, by finding id."""
    h = headlines(ctx)
    out: dict[str, str] = {}
    if h.rate is not None:
        out["f-total"] = (f"{format_count(h.total)} o droseddau wedi'u cyfrif yn drais difrifol "
                          f"(procsi police.uk) yn ystod {_year(ctx)}: {_rate(h.rate.value)}.")
    changes = {"all": h.change, **{x.key.replace("_", "-"): x.change for x in h.categories}}
    labels = {"all": "Pob trosedd a gyfrifwyd",
              **{x.key.replace("_", "-"): _category(x.label) for x in h.categories}}
    for key, c in changes.items():
        if c is not None:
            out[f"f-change-{key}"] = (f"{labels[key]}, {months_cy(h.after)} "
                                      f"{_against(h.before)}: {_plainly(c)}.")
    if h.top_shares:
        out["f-concentration"] = (
            "Mae'r 10% prysuraf o gymdogaethau yn cynnwys "
            f"{format_percent(h.top_shares[0.1], dp=0)} o'r troseddau, a'r 1% prysuraf "
            f"{format_percent(h.top_shares[0.01], dp=0)}.")
    if h.hot:
        out["f-hotspots"] = f"{_in_hot_spots(len(h.hot))}: {_places(ctx, h.hot)}."
    if h.trend is not None and h.trend.p_value is not None:
        out["f-trend"] = trend_cy(h.trend)
    if h.deprivation is not None:
        rr = h.deprivation
        out["f-deprivation"] = (
            "Yn y pumed mwyaf difreintiedig o gymdogaethau, mae'r gyfradd "
            f"{ratio_cy(rr.ratio, rr.lower, rr.upper, comparator=LEAST)}.")
    return out


def sentence_table(ctx: Context) -> dict[str, str]:
    """This build's English sentences and their Welsh: the fixed ones and those drafted from
    the headline figures (the same :class:`Headlines`, formatted by the same functions)."""
    h = headlines(ctx)
    table = dict(SENTENCES["cy"])
    table.update({what_words(h, ctx): _what_cy(h, ctx), change_words(h): _changed_cy(h),
                  where_words(h, ctx): _where_cy(h, ctx), whom_words(h): _whom_cy(h),
                  how_sure_words(): HOW_SURE})
    english = headline_table(ctx, h)
    welsh = headline_table_cy(ctx, h)
    table.update(zip(english.data.columns, welsh.columns, strict=True))
    table.update(zip(english.data.to_numpy().ravel(), welsh.to_numpy().ravel(), strict=True))
    table[english.caption] = f"{ctx.area_name} yn gryno, {year_cy(ctx.fperiod.label)}"
    plain, plain_cy = plain_findings(ctx), plain_findings_cy(ctx)
    table.update({plain[k]: plain_cy[k] for k in plain if k in plain_cy})
    table[f"{ctx.inputs.area.name}: {ctx.fperiod.label.split(' (', 1)[0]}"] = (
        f"{ctx.inputs.area.name}: {_year(ctx)}")
    table[ctx.period.span()] = year_cy(ctx.period.span())
    table.update(voice_intros(ctx.threshold))
    # imported here: the chapters' Welsh modules use this module's words and place names
    from alliance.report.sna import cymraeg_overall, cymraeg_where

    table.update(cymraeg_front.sentences(ctx))
    table.update(cymraeg_overall.sentences(ctx))
    table.update(cymraeg_where.sentences(ctx))
    table.update(cymraeg_partners.sentences(ctx))
    # last: a key finding's item is Welsh once its words and its chapter's title both are
    table.update(cymraeg_where.key_findings_cy(ctx, table))
    return table
