"""The Welsh of the SNA's chapters on the local context and the overall picture.

:func:`sentences` gives this build's English and its Welsh for the chapters
:mod:`alliance.report.sna.context` (with :mod:`alliance.report.sna.comparators`, in
:mod:`alliance.report.sna.cymraeg_context`) and :mod:`alliance.report.sna.overall` (with
:mod:`alliance.report.sna.trend`). Each key is made by the chapter's own constants and
functions from the same context, and each Welsh sentence from the same figures, formatted by
the same functions (:mod:`alliance.report.wording`; months, years and changes through
:mod:`alliance.report.welsh`), so the numbers are the English's and a change to the English
drops its Welsh out of the table rather than leaving an out-of-date translation. Names of
places, of the partnership's categories and definition, and of publishers' datasets are left
as they are.
"""

from __future__ import annotations

import pandas as pd

from alliance.figures import counts as count_figures
from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.lattice import CellKey
from alliance.figures.monthly import BY_YEAR_ONLY, HIDDEN, NOT_HELD
from alliance.privacy.suppression import MARKER
from alliance.report.sna import cymraeg_context
from alliance.report.sna import overall as chapter
from alliance.report.sna.common import PROXY_NOTE, Context
from alliance.report.sna.cymraeg import _against, _place, trend_cy
from alliance.report.sna.cymraeg_context import status_cy
from alliance.report.sna.cymraeg_fixed import CATEGORIES
from alliance.report.sna.cymraeg_front import PROXY_NOTE_CY
from alliance.report.sna.headlines import lsoa_name
from alliance.report.sna.period import Comparison
from alliance.report.sna.spatial import month_counts
from alliance.report.welsh import counted_cy, month_cy, months_cy, soft, year_cy
from alliance.report.wording import format_count, format_percent, format_rate, is_significant
from alliance.stats.rates import FunnelLimits
from alliance.stats.trends.seasonal_kendall import MIN_MONTHS, TrendTest, trend_test

METHOD_CY = ("cymhareb cyfraddau quasi-Poisson o'r niferoedd misol, gan gymharu misoedd tebyg "
             "â'i gilydd a chaniatáu ar gyfer amrywiad ychwanegol-Poisson rhwng misoedd")
#: the chapter's fixed words, keyed by its own constants
WORDS = {
    chapter.COUNTED: "wedi'i gyfrif",
    chapter.CATEGORY_FILTER: "categori",
    chapter.LOCATED: "wedi'i leoli",
    chapter.COUNTED_YES: "ie (diffiniad lleol)",
    chapter.PLACED: "wedi'i osod yn ACEHI yr ardal",
    chapter.IN_AN_LSOA: "mewn ACEHI yn yr ardal",
    chapter.TITLE: "Y darlun cyffredinol o drais difrifol",
    chapter.TOTAL: "Pob trais a gyfrifwyd (mesur procsi)",
    chapter.CATEGORY: "Categori",
    chapter.COUNT: "Nifer",
    chapter.RESIDENTS: "Trigolion",
    chapter.RATE: "Cyfradd fesul 1,000 y flwyddyn",
    chapter.CI_LOWER: "Isaf (cyfwng hyder 95%)",
    chapter.CI_UPPER: "Uchaf (cyfwng hyder 95%)",
    chapter.BEFORE: "Nifer, misoedd cynharach",
    chapter.AFTER: "Nifer, yr un misoedd yn y cyfnod hwn",
    chapter.PERCENT: "% newid",
    chapter.CHANGE_LOWER: "Newid: isaf (cyfwng hyder 95%)",
    chapter.CHANGE_UPPER: "Newid: uchaf (cyfwng hyder 95%)",
    chapter.SIGNIFICANCE: "Arwyddocâd",
    chapter.RISE: "cynnydd arwyddocaol",
    chapter.FALL: "gostyngiad arwyddocaol",
    chapter.NO_CHANGE: "dim newid arwyddocaol",
    chapter.RISE + chapter.CORRECTED: "cynnydd arwyddocaol (wedi'i gywiro ar gyfer sawl categori)",
    chapter.FALL + chapter.CORRECTED: ("gostyngiad arwyddocaol (wedi'i gywiro ar gyfer sawl "
                                       "categori)"),
    chapter.NO_CHANGE + chapter.CORRECTED: ("dim newid arwyddocaol (wedi'i gywiro ar gyfer sawl "
                                            "categori)"),
    chapter.NOT_CALCULABLE: "ni ellir ei gyfrifo",
    chapter.MONTH: "Mis",
    chapter.LOWER: "Isaf (95%)",
    chapter.UPPER: "Uchaf (95%)",
    chapter.HELD: "Yn y data",
    chapter.YES: "ie",  # as in every other table of the SNA
    chapter.NO: "na",
    chapter.LSOA: "ACEHI",
    chapter.NAME: "Enw",
    chapter.POSITION: "Safle",
    chapter.NOT_PUBLISHED: "heb ei gyhoeddi",
    chapter.CSP: "Partneriaeth Diogelwch Cymunedol",
    chapter.TOTAL_ROW: "Cyfanswm",
    chapter.TREND_CAPTION: ("Trais (mesur procsi) fesul mis, pob mis sydd gennym (gadewir yn wag "
                            "y misoedd nad ydynt gennym)"),
    chapter.FUNNEL_CAPTION: ("Trais (mesur procsi) fesul 1,000 o drigolion y flwyddyn yn ôl ACEHI "
                             "yn erbyn ei phoblogaeth, gyda therfynau 95% a 99.8% o amgylch "
                             "cyfradd yr ardal"),
    chapter.HARM_NOTE: (
        "Gadewir allan gyfres wedi'i phwysoli yn ôl niwed (Mynegai Niwed Troseddau Caergrawnt): "
        "mae police.uk yn rhoi un categori bras ar gyfer y rhan fwyaf o drais, felly mae pob "
        "categori yn cario un pwysoliad cyfartalog a byddai'r llinell niwed yn ailadrodd y "
        "llinell niferoedd. Caiff ei thynnu pan fydd cofnodion yr heddlu ei hun, gyda chodau "
        "troseddau'r Swyddfa Gartref, wedi'u cyfuno."),
}
_POSITIONS = {"above": "uwchlaw", "below": "islaw"}
#: the funnel limits' methods (:attr:`FunnelLimits.method`), by over-dispersion allowance
_FUNNEL_METHODS = {
    "none": "terfynau Poisson union (dim lwfans ar gyfer gorwasgariad)",
    "multiplicative": ("gorwasgariad lluosol Spiegelhalter (2005): terfynau normal wedi'u "
                       "lledu â sqrt(phi)"),
    "additive": ("effeithiau hap adiol Spiegelhalter (2005): amrywiant rhwng ardaloedd tau² "
                 "(DerSimonian–Laird) wedi'i ychwanegu at amrywiant pob ardal ei hun"),
}
_SCALES = {"rate": "ail isradd", "proportion": "arcsin ail isradd"}


def _status(ctx: Context, keys: list[CellKey]) -> dict[str, str]:
    return {ctx.pub.status(keys): status_cy(ctx, keys)}


def _months_status(ctx: Context) -> dict[str, str]:
    """The monthly series' suppression line (:func:`alliance.figures.monthly.status`)."""
    return {month_counts(ctx).status: months_status_cy(ctx)}


def months_status_cy(ctx: Context) -> str:
    """:func:`alliance.figures.monthly.status` in Welsh, from the same monthly states."""
    mc = month_counts(ctx)
    if (mc.state == BY_YEAR_ONLY).any():
        return ("wedi'u cyhoeddi fesul blwyddyn yn unig: rhy ychydig o droseddau y mis i "
                "gyhoeddi cyfres fisol (byddai'r rhan fwyaf o'r misoedd yn gudd)")
    hidden, gaps = int((mc.state == HIDDEN).sum()), int((mc.state == NOT_HELD).sum())
    top = (ctx.pub.threshold or 1) - 1
    parts = ["heb ei atal: ffigurau lefel cofnod, nid i'w cyhoeddi" if ctx.pub.record_level
             else f"{hidden} mis yn gudd fel {MARKER} (niferoedd o 1 i {top}, neu ffigurau a "
                  "fyddai'n gadael i rywun gyfrifo un)" if hidden else "dim mis yn gudd"]
    if gaps:
        parts.append(f"{gaps} mis heb fod gennym, wedi'u dangos fel bylchau")
    return "; ".join(parts)


def describe_change_cy(pct: float, low: float, high: float) -> str:
    """:func:`alliance.report.wording.describe_change` in Welsh (the same figures)."""
    def p(v: float, signed: bool = False) -> str:
        return format_percent(v, dp=0, signed=signed)

    if not is_significant(low, high):
        return (f"dim newid arwyddocaol ({p(pct, True)}, cyfwng hyder 95% {p(low, True)} i "
                f"{p(high, True)})")
    if pct > 0:
        return f"cynnydd o {p(pct)} (cyfwng hyder 95% {p(low)} i {p(high)})"
    return f"gostyngiad o {p(-pct)} (cyfwng hyder 95% {p(-high)} i {p(-low)})"


def comparison_cy(comp: Comparison) -> str:
    """:meth:`alliance.report.sna.period.Comparison.describe` in Welsh."""
    if comp.kind == "none":
        return "nid oes misoedd cynharach gennym, felly ni ellir gwneud cymhariaeth"

    def span(months: tuple[str, ...]) -> str:
        return (f"{month_cy(months[0])}–{month_cy(months[-1])}" if len(months) > 1
                else month_cy(months[0]))

    if comp.kind == "full":
        return f"o gymharu â'r cyfnod blaenorol o'r un hyd ({span(comp.before)})"
    return (f"dim ond {len(comp.before)} mis o'r cyfnod blaenorol sydd gennym, felly mae'r "
            f"gymhariaeth yn un debyg at ei debyg: {span(comp.before)} o gymharu â'r un "
            f"misoedd yn y cyfnod adrodd ({span(comp.after)})")


def trend_sentence_cy(test: TrendTest) -> str:
    """The trend test's own sentence (:func:`trend_test`'s ``sentence``) in Welsh."""
    span = f"{month_cy(test.first_month)} i {soft(month_cy(test.last_month))}"
    if test.result is None or test.p_value is None:
        return (f"Mae {test.months} mis gennym ({span}): mae angen o leiaf {MIN_MONTHS} mis "
                "ar brawf tuedd, gyda phob mis calendr mewn dwy flynedd, i wahaniaethu rhwng "
                "tuedd a'r patrwm tymhorol arferol, felly nid oes prawf tuedd yn cael ei "
                "adrodd.")
    finding = ("nid yw prawf Kendall tymhorol yn canfod tuedd arwyddocaol"
               if test.trend == "no trend" else "mae prawf Kendall tymhorol yn canfod tuedd "
               f"arwyddocaol {'i fyny' if test.trend == 'increasing' else 'i lawr'}")
    return (f"Wrth gymharu pob mis â'r un mis mewn blynyddoedd eraill ({span}, {test.months} "
            f"mis), {finding} (p = {test.p_value:.3f}; "
            f"llethr tymhorol Sen {test.result.slope_per_year:+,.1f} y mis fesul blwyddyn).")


def _counts(ctx: Context) -> dict[str, str]:
    out = {chapter.counts_caption(ctx): (
        f"Trais (mesur procsi) yn ôl categori, {year_cy(ctx.fperiod.label)}: nifer a chyfradd "
        "fesul 1,000 o drigolion y flwyddyn")}
    out.update(_status(ctx, chapter.count_keys(ctx)))
    out.update({label: CATEGORIES[label] for label in ctx.labels.values() if label in CATEGORIES})
    total = ctx.count()
    if not pd.isna(total):
        r = count_figures.rate_of(total, population=int(ctx.population), period=ctx.fperiod)
        out[chapter.total_text(ctx, total, r)] = (
            f"Cafodd {format_count(total)} o droseddau a gyfrifwyd o dan y diffiniad lleol "
            f"(mesur procsi o drais difrifol) eu lleoli yng nghymdogaethau {ctx.area_name} yn "
            f"ystod {year_cy(ctx.fperiod.label)} ({format_rate(r.value, dp=1, unit=False)} "
            f"fesul 1,000 o drigolion y flwyddyn, cyfwng hyder 95% {r.lower:.1f} i "
            f"{r.upper:.1f}); mae'r rhan fwyaf yng nghategori procsi police.uk 'Trais a "
            "throseddau rhywiol'.")
    comp = ctx.comparison
    if comp.kind == "none":
        return out
    out[chapter.change_caption(comp)] = (
        f"Newid mewn trais (mesur procsi) yn ôl categori: {comparison_cy(comp)}. Caiff y "
        "categorïau eu profi gyda'i gilydd, felly mae eu harwyddocâd wedi'i gywiro ar gyfer "
        "sawl prawf (Holm); mae'r cyfanswm yn un prawf ar ei ben ei hun")
    for key, label in chapter.category_rows(ctx):
        ch = count_figures.change(ctx.pub, level=ctx.level, code=ctx.code, before=comp.before,
                                  after=comp.after, category=key)
        welsh = WORDS[label] if label == chapter.TOTAL else CATEGORIES.get(label)
        if not ch.shown or welsh is None:
            continue
        note = (" Caiff troseddau meddu ar arfau eu canfod drwy waith yr heddlu (stopio a "
                "chwilio, ymgyrchoedd), felly gall newid adlewyrchu plismona yn fwy na chario."
                if chapter.is_weapons(label) else "")
        out[chapter.change_text(label, ch, ctx)] = (
            f"{welsh}: {describe_change_cy(ch.percent, (ch.lower - 1) * 100, (ch.upper - 1) * 100)}"
            f" yn ystod {months_cy(comp.after)} {_against(comp.before)} "
            f"({format_count(ch.before)} i {format_count(ch.after)}; {METHOD_CY}).{note}")
    return out


def _trend(ctx: Context) -> dict[str, str]:
    mc = month_counts(ctx)
    counts = mc.months
    shown = counts.dropna()
    out = {chapter.too_few_months(ctx.threshold): (
        f"Mae'r niferoedd misol yn is na {ctx.threshold} (neu'n gudd i'w diogelu) ym mron pob "
        "mis, felly ni ellir cyhoeddi cyfres fisol ar gyfer yr ardal hon.")}
    if len(shown) < 2:
        return out
    out.update(_months_status(ctx))
    gaps = int((mc.state == "not held").sum())
    out[chapter.trend_description(ctx, counts, gaps)] = (
        f"Nifer misol y troseddau (trais, mesur procsi) yn {ctx.area_name} o "
        f"{soft(month_cy(counts.index[0]))} i {soft(month_cy(counts.index[-1]))}: rhwng "
        f"{shown.min():,.0f} a {shown.max():,.0f} y mis."
        + (f" Nid yw {gaps} mis gennym, ac maent yn ymddangos fel bylchau." if gaps else ""))
    test = trend_test(counts)
    low, high = str(shown.idxmin()), str(shown.idxmax())
    out[f"{chapter.trend_range(counts)} {chapter.trend_words(test)}"] = (
        f"Roedd y niferoedd misol yn amrywio o {shown.min():,.0f} ({month_cy(low)}) i "
        f"{shown.max():,.0f} ({month_cy(high)}). {trend_cy(test)}")
    out[test.sentence] = trend_sentence_cy(test)
    return out


def funnel_summary_cy(limits: FunnelLimits) -> str | None:
    """:meth:`FunnelLimits.summary` in Welsh, of LSOAs (None for limits it has no words for)."""
    if limits.overdispersion not in _FUNNEL_METHODS or limits.statistic != "rate":
        return None
    method = _FUNNEL_METHODS[limits.overdispersion]
    if limits.scale == "transformed" and limits.overdispersion != "none":
        method += f", ar y raddfa {_SCALES[limits.statistic]}"
    p = limits.overdispersion_p
    up = limits.outside["above"].astype(int).to_dict()
    down = limits.outside["below"].astype(int).to_dict()
    return (f"phi = {limits.phi:.1f} (prawf gorwasgariad p "
            + ("< 0.001" if p < 0.001 else f"= {p:.3f}") + f"); terfynau: {method}. "
            f"{up['99.8%']} ACEHI uwchlaw a {down['99.8%']} islaw'r terfynau 99.8%; "
            f"{up['95%']} uwchlaw a {down['95%']} islaw'r terfynau 95%.")


def _none(n: int) -> str:
    return "dim un" if n == 0 else f"{n:,}"


def _funnel(ctx: Context) -> dict[str, str]:
    frame = lsoa_figures.neighbourhoods(ctx.pub, level=ctx.level, code=ctx.code,
                                        period=ctx.fperiod)
    limits = lsoa_figures.funnel(ctx.pub, level=ctx.level, code=ctx.code, period=ctx.fperiod)
    if limits is None:
        return {}
    out = _status(ctx, chapter.funnel_keys(ctx, frame))
    for flag in set(limits.flag):
        side, _, level = str(flag).partition(" ")
        if side in _POSITIONS:
            out[str(flag)] = f"{_POSITIONS[side]} {level}"
        elif flag == "within limits":
            out[str(flag)] = "o fewn y terfynau"
    summary = funnel_summary_cy(limits)
    if summary is not None:
        out[chapter.funnel_description(ctx, limits)] = (
            f"Plot twmffat o drais (mesur procsi) fesul 1,000 o drigolion y flwyddyn ym mhob "
            f"ACEHI a gyhoeddwyd yn {ctx.area_name}, {year_cy(ctx.fperiod.label)}, yn erbyn y "
            "boblogaeth breswyl, gyda therfynau 95% a 99.8% o amgylch cyfradd yr ardal. "
            f"{summary}")
    above = limits.outside["above"].astype(int).to_dict()
    below = limits.outside["below"].astype(int).to_dict()
    far_up = above["99.8%"]
    first = (f"Mae {counted_cy(far_up, 'cymdogaeth')}" if far_up
             else "Nid oes yr un gymdogaeth")
    text = (f"{first} ymhell uwchlaw cyfradd yr ardal, a {_none(below['99.8%'])} ymhell islaw "
            f"(y tu allan i'r terfynau 99.8%); {_none(above['95%'])} uwchlaw a "
            f"{_none(below['95%'])} islaw'r terfynau 95%, y byddai tua 1 o bob 40 yn eu croesi "
            "ar bob ochr drwy siawns.")
    code = chapter.furthest_above(limits, frame)
    if code is not None:
        text += f" Y bellaf uwchlaw: {lsoa_name(ctx, code)} ({_place(ctx, code)})."
    out[chapter.funnel_message(ctx, limits, frame)] = text
    return out


def _csp(ctx: Context) -> dict[str, str]:
    units = chapter.csp_units(ctx)
    if len(units) < 2:
        return {}
    return {chapter.csp_caption(ctx): (
        f"Trais (mesur procsi) yn ôl Partneriaeth Diogelwch Cymunedol, "
        f"{year_cy(ctx.fperiod.label)} (troseddau a leolwyd mewn ACEHI yn yr ardal)"),
        **_status(ctx, chapter.csp_keys(ctx, units))}


def _overall(ctx: Context) -> dict[str, str]:
    out = dict(WORDS)
    out[chapter.intro(ctx)] = (
        "Mae'r bennod hon yn cyfrif y troseddau y mae'r diffiniad lleol yn eu cyfrif yn drais "
        f"difrifol yn {ctx.area_name}. {PROXY_NOTE_CY} Mae lladrata a meddu ar arfau yn cael "
        "eu cyhoeddi fel categorïau ar wahân ac yn cael eu cyfrif fel y maent. Troseddau a "
        "leolwyd yng nghymdogaethau'r ardal (ACEHI) yw'r niferoedd; nodir troseddau a "
        "gyhoeddwyd heb leoliad yn yr adran ar ba mor gyfredol yw'r data, ac nid ydynt mewn "
        "unrhyw nifer na chyfradd. Mae'r cyfraddau fesul 1,000 o drigolion y flwyddyn "
        f"(preswylwyr arferol Cyfrifiad 2021, {ctx.population:,.0f}); mae'r cyfyngau yn rhai "
        "Poisson union o dan 10 digwyddiad ac yn rhai Byar o 10 ymlaen (dull PHE); cymarebau "
        "cyfraddau yw'r newidiadau, gyda chyfwng amodol union (binomaidd).")
    out[PROXY_NOTE] = PROXY_NOTE_CY
    out[ctx.provenance().suppression] = f"dim celloedd wedi'u hatal (trothwy {ctx.threshold})"
    for code in ctx.inputs.lsoa.index:  # an LSOA's code is the same in either language
        out[str(code)] = str(code)
    out.update(_counts(ctx))
    out.update(_trend(ctx))
    out.update(_funnel(ctx))
    out.update(_csp(ctx))
    return out


def sentences(ctx: Context) -> dict[str, str]:
    """This build's English of the context and overall chapters, and its Welsh."""
    return {**cymraeg_context.sentences(ctx), **_overall(ctx)}


__all__ = ["comparison_cy", "describe_change_cy", "sentences", "trend_sentence_cy"]
