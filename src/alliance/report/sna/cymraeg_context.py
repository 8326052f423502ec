"""The Welsh of the SNA's local context chapter (:mod:`alliance.report.sna.context`) and of its
tables of published partner statistics and comparators.

Every key is the English the chapter prints, made by the chapter's own constants and functions
(never retyped), and every Welsh sentence is written from the same values, formatted by the
same functions, so a number reads the same in both languages. The cells of the partner and
comparator tables are put into Welsh one by one from the tables the chapter builds: the fixed
words by their constants, periods, units and currency by the shape the formatting functions
give them (:mod:`alliance.report.wording`, :mod:`alliance.report.sna.published`); a cell of any
other shape, and the publishers' own names of their statistics and areas, stay English (the
translator marks them so).
"""

from __future__ import annotations

import re

import pandas as pd

from alliance.figures import neighbourhoods as lsoa_figures
from alliance.figures.lattice import CellKey
from alliance.privacy.suppression import MARKER
from alliance.report.document import Table
from alliance.report.sna import comparators as cmp
from alliance.report.sna import context as chapter
from alliance.report.sna import published
from alliance.report.sna.common import IMD, Context
from alliance.report.sna.cymraeg import _towns_by_count
from alliance.report.sna.published import STALE_AFTER_MONTHS
from alliance.report.welsh import MONTHS, dates_cy, join_cy, month_cy, soft, with_cy, year_cy
from alliance.report.wording import describe_ratio, format_number, is_significant, period_label
from alliance.stats.rates import comparators as stats

IMD_CY = "Mynegeion Amddifadedd Lloegr 2025 MHCLG (ACEHI 2021)"
GEO_SOURCE_CY = "Ffiniau a thablau cyfatebol ACEHI 2021 ONS"
NATIONS_CY = {"England": "Lloegr", "England and Wales": "Cymru a Lloegr",
              "United Kingdom": "Y Deyrnas Unedig", "Great Britain": "Prydain Fawr",
              "Wales": "Cymru"}
REASONS_CY = {
    stats.NOT_A_RATE: "nifer neu sgôr ydyw, nid cyfradd na chanran",
    stats.NO_DENOMINATOR: "ni chyhoeddwyd nifer ac enwadur na chyfwng",
    stats.NOT_COUNT_OVER_DENOMINATOR: ("nid nifer wedi'i rhannu â'r enwadur yw'r gwerth a "
                                       "gyhoeddwyd (e.e. cyfradd safonedig) ac ni chyhoeddwyd "
                                       "cyfwng"),
    stats.NUMERATOR_ABOVE: "mae'r rhifiadur yn fwy na'r enwadur",
}
#: the comparator and partner tables' fixed words
WORDS = {
    chapter.NEWEST_PERIOD: ("y cyfnod diweddaraf sydd gennym ar gyfer pob ffigur (a roddir yn y "
                            "tabl), gyda'r un cyn hynny"),
    cmp.EACH_ROWS_PERIOD: "cyfnod pob rhes ei hun (a roddir yn y tabl)",
    chapter.TITLE: "Cyd-destun lleol",
    chapter.USUAL_RESIDENTS: "Preswylwyr arferol (Cyfrifiad 2021)",
    chapter.LSOAS: "ACEHI (2021)",
    chapter.CSPS: "Partneriaethau Diogelwch Cymunedol",
    chapter.YOUNG: "Preswylwyr 10–24 oed (amcangyfrif canol 2020 ONS, wedi'i gario i ACEHI 2021)",
    chapter.YOUNG_SHARE: "% 10–24 oed",
    chapter.DEPRIVED_SHARE: "% o'r preswylwyr yn yr 20% mwyaf difreintiedig o ACEHI Lloegr "
                            "(IMD 2025)",
    chapter.IMD_CAPTION: "Degradd IMD 2025 cenedlaethol yn ôl ACEHI",
    chapter.DECILE: "Degradd IMD 2025",
    chapter.GRADIENT_CAPTION: ("Trais (mesur procsi) fesul 1,000 o drigolion y flwyddyn yn ôl "
                               "degradd IMD 2025 yr ACEHI"),
    chapter.GRADIENT_DESC: ("Siart bar o drais (mesur procsi) fesul 1,000 o drigolion y "
                            "flwyddyn yn ôl degradd IMD 2025 cenedlaethol yr ACEHI lle "
                            "digwyddodd (1 = mwyaf difreintiedig)."),
    chapter.GRADIENT_SOURCE: f"troseddau lefel stryd police.uk (data.police.uk); {IMD_CY}",
    chapter.PARTNER_CAPTION: ("Ystadegau cyhoeddedig ar gyfer yr ardal: tlodi plant, "
                              "dynladdiad a thrais a gofnodwyd gan yr heddlu (y cyfnod "
                              "diweddaraf sydd gennym, gyda ffigurau sydd wedi dyddio wedi'u "
                              "nodi)"),
    chapter.NO_PARTNER_STATISTICS: (
        "Nid oes ystadegau cyhoeddedig gan bartneriaid (gwaharddiadau ac absenoldeb o'r ysgol, "
        "NEET, ffactorau gofal cymdeithasol plant, dynladdiad a throseddau cyllyll fesul ardal "
        "heddlu) wedi'u llwytho eto. Llwythwch nhw gyda `alliance load indicators --from PATH` "
        "a byddant yn ymddangos yma."),
    IMD: IMD_CY,
    "Area": "Ardal",
    "Area code": "Cod ardal",
    "Value": "Gwerth",
    "Indicator": "Dangosydd",
    "Period": "Cyfnod",
    "Unit": "Uned",
    "Previous": "Blaenorol",
    "Currency": "Pa mor gyfredol",
    "Value (95% CI)": "Gwerth (cyfwng hyder 95%)",
    "vs England": "o gymharu â Lloegr",
    "Region": "Rhanbarth",
    "vs region": "o gymharu â'r rhanbarth",
    "Similar areas": "Ardaloedd tebyg",
    "vs similar areas": "o gymharu ag ardaloedd tebyg",
    "Current": "Cyfredol",
    "period end not published": "diwedd y cyfnod heb ei gyhoeddi",
    "count": "nifer",
    "%": "%",
    cmp.CAPTION: "Cyfraddau pennawd wrth ochr Lloegr a'r rhanbarth, gydag arwyddocâd",
    cmp.NO_COMPARATOR: "Dim cymharydd wedi'i gyhoeddi yn y data sydd gennym",
    cmp.NOT_COMPARED: "Heb ei gymharu",
    cmp.NOT_PUBLISHED: "Heb ei gyhoeddi ar gyfer y cyfnod hwn",
    cmp.NO_LIST: "Dim rhestr gennym",
    cmp.PROXY_LABEL: ("Trais difrifol o dan y diffiniad lleol (procsi police.uk), fesul 1,000 o "
                      "drigolion y flwyddyn"),
    cmp.SOURCE: ("ystadegau cyhoeddedig partneriaid (rhesi Lloegr, y rhanbarth a'r ardal o'r "
                 "un datganiad); troseddau lefel stryd police.uk ar gyfer y gyfradd leol"),
    **NATIONS_CY,
}
NO_SIMILAR_CY = ("Nid oes gennym restr gyhoeddedig o ardaloedd tebyg (grwpiau mwyaf tebyg "
                 "HMICFRS ar gyfer heddluoedd; cymdogion agosaf CIPFA neu ONS ar gyfer "
                 "cynghorau), felly caiff yr ardal ei chymharu â Lloegr a'i rhanbarth yn unig.")
FINGERTIPS_CY = ("Uwch neu is: mae cyfwng hyder 95% yr ardal yn gyfan gwbl uwchlaw neu islaw "
                 "gwerth y cymharydd (dull Fingertips); ni wneir cywiriad ar gyfer y "
                 "cymariaethau niferus, felly ystyriwch wahaniaeth yn rheswm i edrych "
                 "ymhellach.")
VERDICTS_CY = {"Higher": "Uwch", "Similar": "Tebyg", "Lower": "Is"}
_NUMBER = r"[−+-]?[\d,]+(?:\.\d+)?%?"
_INTERVAL = re.compile(rf"({_NUMBER}) \(({_NUMBER}) to ({_NUMBER})\)")
_CURRENCY = re.compile(r"Out of date: ended (\d+) (years?|months) before this SNA's period; "
                       r"(?:newest held: (.+)|no newer figures held)")
_WELSH_DATE = re.compile(rf"^(?:blwyddyn yn diweddu |{'|'.join(MONTHS)}|[\d/–,]| i | |"
                         rf"{'|'.join(soft(m) for m in MONTHS)})+$")
_UNIT = re.compile(r"^(DSR )?per ([\d,]+|million)$")


def period_cy(text: str) -> str | None:
    """A publisher's period as :func:`alliance.report.wording.period_label` words it, in Welsh
    ('year ending December 2019' -> 'blwyddyn yn diweddu Rhagfyr 2019'), or None."""
    out = dates_cy(text.replace("year ending ", "blwyddyn yn diweddu "))
    stale = out.endswith(cmp.OUT_OF_DATE)
    out = out.removesuffix(cmp.OUT_OF_DATE)
    if not _WELSH_DATE.match(out):
        return None
    return out + (" (wedi dyddio)" if stale else "")


def currency_cy(text: str) -> str | None:
    """:func:`alliance.report.sna.published.currency`'s words in Welsh, or None."""
    if text in WORDS:
        return WORDS[text]
    hit = _CURRENCY.fullmatch(text)
    if hit is None:
        return None
    n, unit, newest = int(hit[1]), hit[2], hit[3]
    age = f"{n} o {'flynyddoedd' if unit.startswith('year') else 'fisoedd'}"
    if n == 1:
        age = "blwyddyn" if unit.startswith("year") else "mis"
    held = "dim ffigurau mwy diweddar gennym"
    if newest is not None:
        when = period_cy(newest)
        if when is None:
            return None
        held = f"y diweddaraf sydd gennym: {when}"
    return f"Wedi dyddio: daeth i ben {age} cyn cyfnod yr asesiad hwn; {held}"


def cell_cy(text: str) -> str | None:
    """One cell of a partner or comparator table in Welsh, or None (it stays English)."""
    if text in WORDS:
        return WORDS[text]
    word, _, rest = text.partition(" (")
    if word in VERDICTS_CY and rest in ("", cmp.AS_PUBLISHED.removeprefix(" (")):
        return VERDICTS_CY[word] + (" (fel y'i cyhoeddwyd)" if rest else "")
    if text.startswith("Region: "):
        return "Rhanbarth: " + text.removeprefix("Region: ")
    if _INTERVAL.fullmatch(text):
        return text.replace(" to ", " i ")
    value, _, nation = text.partition(" (")
    if nation.removesuffix(")") in NATIONS_CY and re.fullmatch(_NUMBER, value):
        return f"{value} ({NATIONS_CY[nation.removesuffix(')')]})"
    unit = _UNIT.match(text)
    if unit:
        per = "miliwn" if unit[2] == "million" else unit[2]
        return f"{unit[1] or ''}fesul {per}"
    when, _, shown = text.rpartition(": ")  # 'Previous': 'year ending December 2018: 8.8'
    if when and re.fullmatch(rf"{_NUMBER}|\[c\]", shown):
        period = period_cy(when)
        return f"{period}: {shown}" if period else None
    return currency_cy(text) or period_cy(text)


def table_cells(table: Table) -> dict[str, str]:
    """The Welsh of a table's headings and cells that :func:`cell_cy` knows."""
    out: dict[str, str] = {}
    texts = [str(c) for c in table.data.columns]
    texts += [v for v in table.data.to_numpy().ravel() if isinstance(v, str)]
    for text in texts:
        welsh = cell_cy(text)
        if welsh is not None:
            out[text] = welsh
    return out


def _partner_tables(ctx: Context) -> dict[str, str]:
    """Partner statistics tables (this chapter's, and the youth and risk tables built by the
    same function), their source lines and notes."""
    out = {chapter.partner_suppression(ctx.threshold): (
        f"fel y'u cyhoeddwyd gan y partner; cuddir niferoedd o dan {ctx.threshold}")}
    for measures in (chapter.CONTEXT_MEASURES, chapter.YOUTH_MEASURES, chapter.RISK_MEASURES):
        stats_ = chapter.partner_statistics(ctx, measures, table_id="t-welsh", caption="")
        if stats_.table is None:
            continue
        out.update(table_cells(stats_.table))
        source = stats_.table.provenance.source
        sources = source.removeprefix(chapter.partner_source("")[:-1]).removesuffix(")")
        if source == chapter.partner_source(sources):  # the publishers' dataset ids stay
            out[source] = f"ystadegau cyhoeddedig partneriaid ({sources})"
        note, welsh = stats_.note(), note_cy(stats_, ctx)
        if note is not None and welsh is not None:
            out[note.text] = welsh
    return out


def note_cy(stats_: chapter.PartnerStatistics, ctx: Context) -> str | None:
    """:meth:`PartnerStatistics.note` in Welsh (None when a part of it has no Welsh)."""
    parts = [stale_cy(chapter.sna_end(ctx))] if stats_.stale else []
    if stats_.left_out:
        said = [left_out_cy(x) for x in stats_.left_out]
        if any(x is None for x in said):
            return None
        parts.append("Heb eu dangos: " + " ".join(x for x in said if x))
    return " ".join(parts) if parts else None


def _reason_cy(reason: str) -> str | None:
    fixed = {published.SPLIT: ("rhannwyd yr ardal rhwng y cynghorau a ddaeth yn ei lle, a dim "
                               "ond rhan ohoni yw ardal yr asesiad hwn"),
             published.STANDARDISED: ("ni ellir adio cyfradd safonedig i'r cynghorau a ddaeth "
                                      "yn eu lle"),
             published.NOT_EVERY_PART: ("nid oes ffigur ar gyfer y cyfnod gan bob un o hen "
                                        "ardaloedd cyngor a ddaeth yn eu lle")}
    if reason in fixed:
        return fixed[reason]
    head, tail = published.not_additive("\0").split("\0")
    if reason.startswith(head) and reason.endswith(tail):
        unit = reason[len(head):-len(tail)]
        return ("ni ellir adio ffigur a gyhoeddwyd heb ei nifer a'i enwadur "
                f"({unit}) i'r cynghorau a ddaeth yn eu lle")
    return None


def left_out_cy(x: published.LeftOut) -> str | None:
    """:meth:`alliance.report.sna.published.LeftOut.sentence` in Welsh, or None."""
    reason, when = _reason_cy(x.reason), period_cy(period_label(x.period))
    if reason is None or when is None:
        return None
    exist = "nad yw" if len(x.areas) == 1 else "nad ydynt"
    return (f"{x.label}: wedi'i gyhoeddi ar gyfer {join_cy(x.areas)} yn unig, {exist} yn "
            f"bodoli mwyach (y ffigurau diweddaraf: {when}); nis dangosir, oherwydd {reason}.")


def stale_cy(end: pd.Timestamp) -> str:
    """:func:`alliance.report.sna.published.stale_note` in Welsh."""
    return (f"Mae'r ffigurau sydd wedi'u nodi fel rhai wedi dyddio yn dod i ben fwy na "
            f"{STALE_AFTER_MONTHS} mis cyn i gyfnod yr asesiad hwn ddod i ben "
            f"({month_cy(pd.Period(end, freq='M'))}); nodir y cyfnod diweddaraf sydd gennym ar "
            "gyfer pob un. Llwythwch ddatganiad mwy diweddar gan y cyhoeddwr os oes un.")


def _comparator_table(ctx: Context) -> dict[str, str]:
    result = cmp.comparator_result(ctx)
    if result is None:
        return {}
    out = table_cells(result.table)
    out[cmp.comparator_suppression(ctx.threshold)] = (
        "fel y'u cyhoeddwyd; ni ddangosir y gyfradd leol pan fo'i nifer yn is na "
        f"{ctx.threshold}")
    notes = []
    reasons = {cmp.not_compared_note(en): cy for en, cy in REASONS_CY.items()}
    for text, labels in result.row_notes:
        if text in reasons:
            said = f"heb {'eu' if len(labels) > 1 else 'ei'} cymharu, oherwydd {reasons[text]}."
        else:
            current = currency_cy(text.removesuffix("."))
            if current is None:
                return out  # a note with no Welsh: the notes stay English, marked so
            said = current + "."
        names = "; ".join(labels[:-1]) + f" a {labels[-1]}" if len(labels) > 1 else labels[0]
        notes.append(f"{names}: {said}")
    if cmp.NO_SIMILAR in result.notes:
        notes.append(NO_SIMILAR_CY)
    notes.append(FINGERTIPS_CY)
    out[" ".join(result.notes)] = " ".join(notes)
    return out


def describe_ratio_cy(ratio: float, low: float, high: float, *, comparator: str) -> str:
    """:func:`alliance.report.wording.describe_ratio` in Welsh (the same figures)."""
    ci = f"cyfwng hyder 95% {format_number(low, dp=1)} i {format_number(high, dp=1)}"
    if not is_significant(low, high, null=1.0):
        return (f"heb fod yn wahanol mewn modd arwyddocaol i {comparator} (cymhareb "
                f"{format_number(ratio, dp=1)}, {ci})")
    return f"{format_number(ratio, dp=1)} gwaith {comparator} ({ci})"


def _imd(ctx: Context) -> dict[str, str]:
    lsoa = ctx.inputs.lsoa
    most = lsoa.index[lsoa["imd_decile"].isin([1, 2])]
    n = len(lsoa)
    if not len(most):
        message = (f"Nid yw'r un o'r {n} cymdogaeth yn {ctx.area_name} ymhlith yr 20% mwyaf "
                   "difreintiedig yn Lloegr.")
    else:
        share = lsoa.loc[most, "population"].sum() / ctx.population * 100
        message = (f"Mae {len(most)} o'r {n} cymdogaeth yn {ctx.area_name}, sy'n gartref i "
                   f"{share:.0f}% o'r trigolion, ymhlith yr 20% mwyaf difreintiedig yn Lloegr "
                   f"(y lliwiau tywyllaf): {_towns_by_count(ctx, list(most))}.")
    return {
        chapter.imd_message(ctx): message,
        chapter.imd_description(ctx): (
            f"Map o ACEHI {ctx.area_name} wedi'u lliwio yn ôl eu degradd IMD 2025 "
            "cenedlaethol (1 = y 10% mwyaf difreintiedig o ACEHI yn Lloegr, 10 = y lleiaf "
            f"difreintiedig). Mae {chapter.most_deprived(ctx)} ACEHI yn negraddau 1–2."),
    }


def status_cy(ctx: Context, keys: list[CellKey]) -> str:
    """:meth:`alliance.figures.publication.Publication.status` in Welsh (the same count)."""
    pub = ctx.pub
    if pub.record_level:
        return "heb ei atal: ffigurau lefel cofnod, nid i'w cyhoeddi"
    n = sum(1 for k in keys if pub.hidden(k))
    top = (pub.threshold or 1) - 1
    if not n:
        return f"dim ffigur yn gudd (cuddir niferoedd o 1 i {top})"
    return (f"{n} ffigur yn gudd fel {MARKER}: niferoedd o 1 i {top}, ac eraill a fyddai'n "
            "gadael i rywun gyfrifo un ohonynt o ffigurau eraill a gyhoeddwyd")


def _gradient(ctx: Context) -> dict[str, str]:
    figures = lsoa_figures.deciles(ctx.pub, period=ctx.fperiod)
    table = figures.table
    out: dict[str, str] = {}
    shown = table[~table["hidden"]].sort_values("decile")
    if len(shown) < 2:
        out[chapter.gradient_message(table)] = ("Mae rhy ychydig o ddegraddau amddifadedd "
                                                "wedi'u cyhoeddi i'w cymharu.")
    else:
        first, last = shown.iloc[0], shown.iloc[-1]
        words = ("Mae trais yn amlach lle mae amddifadedd yn uwch"
                 if first["rate"] > last["rate"] else
                 "Nid yw trais yn codi gydag amddifadedd yma")
        other = f"{last['rate']:,.1f}"
        out[chapter.gradient_message(table)] = (
            f"{words}: {first['rate']:,.1f} o droseddau fesul 1,000 o drigolion y flwyddyn "
            f"yng nghymdogaethau degradd {int(first['decile'])} o gymharu {with_cy(other)} "
            f"{other} yn negradd {int(last['decile'])} (degradd 1 yw degfed mwyaf "
            "difreintiedig Lloegr).")
    out[ctx.pub.status(chapter.decile_keys(ctx, table))] = status_cy(
        ctx, chapter.decile_keys(ctx, table))
    rr = figures.most_vs_least
    if rr is not None:
        english = (chapter.DEPRIVED_RATE + describe_ratio(
            rr.ratio, rr.lower, rr.upper, comparator=chapter.LEAST_DEPRIVED) + ".")
        out[english] = (
            "Mae cyfradd trais (mesur procsi) yn yr ACEHI ymhlith yr 20% mwyaf difreintiedig "
            "yn Lloegr (degraddau IMD 2025 1–2) yn " + describe_ratio_cy(
                rr.ratio, rr.lower, rr.upper,
                comparator="y gyfradd yn yr 20% lleiaf difreintiedig (degraddau 9–10)") + ".")
    return out


def sentences(ctx: Context) -> dict[str, str]:
    """The local context chapter's English and its Welsh, for this build."""
    out = dict(WORDS)
    out[chapter.small_population_notice(ctx)] = (
        f"Dim ond {ctx.population:,.0f} o breswylwyr arferol sydd gan {ctx.area_name}, ond mae "
        "llawer mwy o bobl yn gweithio yno neu'n ymweld â'r ardal bob dydd. Felly mae "
        "cyfraddau fesul preswylydd yn gamarweiniol yma: maent yn rhannu troseddau sy'n "
        "ymwneud yn bennaf â chymudwyr, ymwelwyr a'r economi liw nos â phoblogaeth breswyl "
        "fach. Darllenwch y niferoedd, y tueddiadau a'r mapiau, nid y cyfraddau fesul "
        "preswylydd, a chymharwch ag ardaloedd o gymeriad tebyg.")
    if not ctx.inputs.area.note:  # the partnership's own note on its area stays in its words
        out[chapter.intro(ctx)] = (
            f"Mae {ctx.area_name} ({chapter.area_code_words(ctx)}) yn cwmpasu "
            f"{len(ctx.inputs.lsoa)} ACEHI (2021). Mae amddifadedd yn cael ei fesur gan "
            "Fynegai Amddifadedd Lluosog 2025 MHCLG, sy'n cael ei gyhoeddi ar gyfer ACEHI "
            "2021 ac sy'n rhestru pob ACEHI yn Lloegr yn ôl trefn.")
    out[chapter.population_caption(ctx)] = f"{ctx.area_name}: poblogaeth ac amddifadedd"
    out[chapter.population_source(ctx)] = (
        f"{GEO_SOURCE_CY}; {ctx.inputs.population_source}; {IMD_CY}")
    out[ctx.geo_provenance().suppression] = ("amherthnasol (dim niferoedd o bobl na "
                                             "digwyddiadau)")
    out[ctx.fperiod.label] = year_cy(ctx.fperiod.label)
    out.update(_imd(ctx))
    out.update(_gradient(ctx))
    out.update(_partner_tables(ctx))
    out.update(_comparator_table(ctx))
    return out


__all__ = ["cell_cy", "describe_ratio_cy", "period_cy", "sentences", "status_cy", "table_cells"]
