"""The Welsh of the SNA chapters built from partners' data and data requests: the core
measures, who is involved, youth justice, the health lens, risk factors, community voice and
services (:mod:`alliance.report.sna.requests`, :mod:`~alliance.report.sna.who`,
:mod:`~alliance.report.sna.partners`, :mod:`~alliance.report.sna.voice`).

The data request tables and the chapters' fixed paragraphs are in
:mod:`~alliance.report.sna.cymraeg_requests`, who is involved in
:mod:`~alliance.report.sna.cymraeg_who`; :func:`sentences` gives them all.

Every key is made by the chapter's own code: its constants, its caption templates and the
functions that write its sentences, called here with the same values from the same context
(the same lattice cells, formatted the same way), so a number reads the same in both
languages and a change to the English drops its Welsh rather than leaving it stale. Names of
places, partners' own services, publishers and Acts (the legal bases, explained in Welsh by the
key under each table) stay as they are.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

from alliance.figures import monthly as monthly_figures
from alliance.figures.publication import MARKER, Period
from alliance.geo import geocode
from alliance.pool import geocoding
from alliance.privacy.suppression import TOTAL_LABEL
from alliance.report.sna import cymraeg_requests, cymraeg_who, requests, voice
from alliance.report.sna import partner_words as words
from alliance.report.sna import partners as pooled
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg_fixed import FIXED as SUMMARY
from alliance.report.sna.cymraeg_words import LABELS, UNIT_ONE, UNITS, figure, lower
from alliance.report.welsh import and_word, month_cy, soft, year_cy
from alliance.voice import felt_unsafe

#: the core measures' definitions, by measure (the scorecard's own order and keys)
_DEFINITIONS = {
    "sharp": ("Ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV, ISB 1594) lle'r oedd "
              "dull yr ymosodiad yn gyllell neu'n wrthrych miniog (gan gynnwys gwydr wedi "
              "torri, fel y mae ICD-10 X99 yn ei gyfrif). Mae mesur y Swyddfa Gartref yn cyfrif "
              "derbyniadau (HES X99); ymweliadau yw'r rhain."),
    "knife_enabled": ("Troseddau a gofnodwyd gan yr heddlu o dan y diffiniad lleol y mae eu "
                      "cod y Swyddfa Gartref yn un o droseddau cyllyll dethol ADR 160 (gan "
                      "gynnwys dynladdiad) ac y mae eu baner cyllell wedi'i gosod."),
    "homicide_nondomestic": ("Dynladdiad a gofnodwyd gan yr heddlu (codau'r Swyddfa Gartref "
                             "1, 4.1, 4.2) heb ei nodi'n gam-drin domestig.")}
_GROUPS = {"sharp": "Cyllell neu wrthrych miniog",
           "weapon_other": "Arf arall, dim arf neu heb ei nodi"}
_MISSING = {"istv_ae": "ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV, ISB 1594) gan "
                       "yr ymddiriedolaethau acíwt",
            "police_extract": "detholiad lleol o droseddau a gofnodwyd gan yr heddlu gyda "
                              "chodau troseddau'r Swyddfa Gartref, y faner cyllell, y faner "
                              "cam-drin domestig a bandiau oedran dioddefwyr",
            "ambulance": "galwadau ambiwlans am ymosodiad"}
_METHODS = {pooled.NOT_PLACED: "heb ei leoli", geocoding.POINT_GIVEN: "pwynt wedi'i roi",
            geocoding.LSOA_GIVEN: "ACEHI wedi'i rhoi", geocode.DECISION: "penderfyniad dadansoddwr",
            geocode.POSTCODE_METHOD: "cod post", geocode.STREET: "stryd",
            geocode.STREET_TOWN: "stryd a thref",
            geocode.STREET_FUZZY: "stryd, sillafu wedi'i gywiro",
            geocode.STREET_LIKELY: "stryd, y fwyaf tebygol o sawl un",
            geocode.VENUE: "safle", geocode.JUNCTION: "cyffordd",
            geocode.NO_PLACE: "dim lle wedi'i enwi", geocode.AMBIGUOUS: "amwys: sawl lle",
            geocode.NOT_FOUND: "heb ei ganfod", geocode.UNKNOWN_POSTCODE: "cod post anhysbys"}
#: the parts of a monthly series' suppression line (:func:`alliance.figures.monthly.status`)
_MONTHS_STATUS = (
    (re.compile(r"published by year only: too few offences a month for a monthly series "
                r"\(most months would be hidden\)"),
     "wedi'u cyhoeddi fesul blwyddyn yn unig: rhy ychydig o droseddau y mis i gyhoeddi cyfres "
     "fisol (byddai'r rhan fwyaf o'r misoedd yn gudd)"),
    (re.compile(r"not suppressed: record-level figures, not for publication"),
     "heb ei atal: ffigurau lefel cofnod, nid i'w cyhoeddi"),
    (re.compile(rf"(\d+) month\(s\) hidden as {re.escape(MARKER)} \(counts of 1 to (\d+), or "
                r"figures that would let one be worked out\)"),
     rf"\1 mis yn gudd fel {MARKER} (niferoedd o 1 i \2, neu ffigurau a fyddai'n gadael i "
     "rywun gyfrifo un)"),
    (re.compile(r"no months hidden"), "dim mis yn gudd"),
    (re.compile(r"(\d+) month\(s\) not held, shown as gaps"),
     r"\1 mis heb fod gennym, wedi'u dangos fel bylchau"))
#: how the share with no police record nearby was judged (the notes the web layer gives)
_WINDOW = re.compile(r"within ([\d,]+) metres and (?:the same month|(\d+) days? either side)")
_NOTES = (
    (re.compile(r" of a police\.uk record \(its map points are anonymised, so no tighter\); "
                r"assaults without a map point, or in months police data is not held for, are "
                r"not judged"),
     " i gofnod police.uk (mae ei bwyntiau map wedi'u gwneud yn ddienw, felly dim agosach); "
     "nid aseswyd ymosodiadau heb bwynt ar y map, nac ymosodiadau mewn misoedd nad oes "
     "gennym ddata'r heddlu ar eu cyfer"),
    (re.compile(r" of a record in the local police extract; assaults without a map point or a "
                r"date, or in months the extract does not cover, are not judged"),
     " i gofnod yn y detholiad lleol o ddata'r heddlu; nid aseswyd ymosodiadau heb bwynt ar y "
     "map na dyddiad, nac ymosodiadau mewn misoedd nad yw'r detholiad yn eu cwmpasu"))

FIXED: dict[str, str] = {
    # the health lens's tables
    "Month": "Mis",
    pooled.KNIFE: "Cyllell neu wrthrych miniog",
    "Local authority": "Awdurdod lleol",
    "How the row was placed": "Sut y lleolwyd y rhes",
    "Rows": "Rhesi",
    TOTAL_LABEL: "Cyfanswm",
    "By": "Yn ôl",
    "Group": "Grŵp",
    "Whole area": "Yr ardal gyfan",
    "Area": "Ardal",
    "Unknown local authority": "Awdurdod lleol anhysbys",
    "Assaults judged": "Ymosodiadau a aseswyd",
    "No police record nearby": "Dim cofnod heddlu gerllaw",
    "95% CI": "Cyfwng hyder 95%",
    "Weapon": "Arf",
    "unsuppressed (record-level)": "heb eu hatal (lefel cofnod)",
    # community voice, once its data is pooled
    voice.CONVERSATIONS_SOURCE: "Sgyrsiau datganiadau Alliance (dull Pol.is)",
    voice.CONSULTATIONS_SOURCE: "Ymgynghoriadau Alliance",
    voice.THEME_SOURCE: ("Dadansoddiad themâu Alliance (mewnblaniadau brawddegau "
                         "all-MiniLM-L6-v2, wedi'u rhedeg yn lleol)"),
    voice.NO_COUNTS: "dim angen (dim niferoedd)",
    voice.AS_COLLECTED: "fel y'u casglwyd",
    voice.AS_RECORDED: "fel y'u cofnodwyd",
    **{pooled.method_words(m): pooled.method_words(w) for m, w in _METHODS.items()},
}

def _hidden_cy(threshold: int) -> str:
    return (f"mae niferoedd o 1 i {threshold - 1} wedi'u cuddio, ynghyd ag unrhyw ffigur a "
            "fyddai'n datgelu un")


def _missing(ctx: Context) -> dict[str, str]:
    """The 'still missing' sentences, for every order of sources a chapter may name."""
    out = {}
    for n in range(1, len(_MISSING) + 1):
        for sources in itertools.permutations(_MISSING, n):
            wanted = "; ".join(_MISSING[s] for s in sources)
            out[words.missing_words(list(sources))] = (
                f"Ar goll o hyd, ac yn y cais isod: {wanted}.")
    return out


def _core(ctx: Context) -> dict[str, str]:
    """The scorecard once partners' data is pooled: its paragraph, years and source line."""
    sources = requests.core_sources(ctx)
    if not sources or any(s not in LABELS for s in sources):
        return {}
    out = {}
    held = [m for m in pooled.CORE_MEASURES if m.source in ctx.inputs.partners]
    if all(m.key in _DEFINITIONS for m in held):
        out[requests.pooled_core_intro(ctx, sources)] = (
            "Mesurau craidd y Swyddfa Gartref, pob un gyda'i olwg ar bobl dan 25 oed, o ddata "
            f"cyfunol y partneriaid ({'; '.join(LABELS[s] for s in sources)}). Caiff pob un ei "
            "gyfrif ar gyfer y flwyddyn adrodd gyfan ddiweddaraf sydd gan ei ffynhonnell (gall "
            "data partneriaid fod ar ei hôl hi o gymharu â data'r heddlu), gyda'i gyfradd fesul "
            "1,000 o drigolion y flwyddyn a chyfwng hyder Poisson union 95%. Diffiniadau: "
            + " ".join(f"*{_measure(m.label)}*: {_DEFINITIONS[m.key]}" for m in held))
    out["; ".join(sources)] = "; ".join(LABELS[s] for s in sources)
    return out


def _measure(label: str) -> str:
    return SUMMARY.get(label, label)


def _years(ctx: Context) -> dict[str, str]:
    """Each partner's reporting year, as the scorecard and captions give it, and the SNA's
    (the scorecard's source line)."""
    out = {ctx.fperiod.label: year_cy(ctx.fperiod.label)}
    for data in ctx.inputs.partners.values():
        period = pooled.partner_period(data.publication, ctx.fperiod)
        if period is not None:
            out[period.label] = year_cy(period.label)
    return out


def _unit_words(data: pooled.PartnerData) -> dict[str, str]:
    """Headings and provenance that name a source's unit, and its label."""
    unit = UNITS.get(data.unit)
    out = {data.label: LABELS[data.label]} if data.label in LABELS else {}
    if data.publication.threshold is not None:
        out[words.hidden_words(data.publication.threshold)] = _hidden_cy(
            data.publication.threshold)
    if unit is not None:
        out[f"All {data.unit}"] = f"Pob {UNIT_ONE[data.unit]}"
        out[data.unit.capitalize()] = unit.capitalize()
        out[words.PLACED.format(unit=data.unit)] = (
            f"Sut y rhoddwyd {unit} ar y map (ansawdd geogodio)")
        out[words.not_judged_words(data.unit)] = (
            f"Ni ellir dweud eto faint o {soft(unit)} nad yw data'r heddlu yn eu dangos: nid "
            "oes gan yr un ohonynt bwynt ar y map a mis y mae gennym ddata'r heddlu ar ei "
            "gyfer. Gofynnwch am leoliad yr ymosodiad (cod post neu gyfeirnod grid) yn y "
            "ffurflen.")
    return out


def _health(ctx: Context, data: pooled.PartnerData) -> dict[str, str]:
    """The health lens of one pooled source: captions, paragraphs, messages and alt text."""
    label, unit = LABELS.get(data.label), UNITS.get(data.unit)
    if label is None or unit is None:
        return {}
    held = data.publication.cube.months
    out = {words.BY_MONTH.format(label=data.label): f"{label} fesul mis",
           words.HIDDEN.format(label=data.label): f"{label} heb gofnod heddlu gerllaw",
           words.HIDDEN_LOCAL.format(label=data.label): (
               f"{label} heb gofnod gerllaw yn y detholiad lleol o ddata'r heddlu"),
           words.pooled_words(data): (
               f"{label}: {held[0]} i {held[-1]} wedi'u cyfuno. Mae'r niferoedd yn cyfrif "
               f"{unit} a leolwyd yng nghymdogaethau'r ardal; mae misoedd rhy dawel i'w "
               "cyhoeddi fesul un yn wag.")}
    period = pooled.partner_period(data.publication, ctx.fperiod)
    if period is not None:
        out[words.BY_AREA.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl awdurdod lleol, {year_cy(period.label)}")
        out[words.BY_WEAPON.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl arf, {year_cy(period.label)}")
        out.update(_weapon(ctx, data, period))
    found = pooled.monthly_series(data, level=ctx.level, code=ctx.code)
    if found is not None:
        series, extra = found
        span, peak, count = pooled.busiest(series)
        first, last = span.split(" to ")
        out[words.monthly_alt(data, span, peak, count, knife=bool(extra))] = (
            f"Siart llinell o {lower(label)} bob mis, {first} i {last}"
            + (", gyda'r rhai a oedd yn cynnwys cyllell neu wrthrych miniog" if extra else "")
            + f"; y mis cyhoeddedig uchaf yw {month_cy(peak)} gyda {count:,.0f}. Mae misoedd "
            "cudd yn fylchau.")
        status = monthly_figures.status(series, data.publication.threshold)
        if (welsh := _months_status(status)) is not None:
            out[status] = welsh
        out[words.monthly_message(data, peak, count)] = (
            f"Y mis cyhoeddedig prysuraf oedd {month_cy(peak)} ({count:,.0f} o {soft(unit)}); "
            "ni all blwyddyn neu ddwy o fisoedd ddangos tuedd na phatrwm tymhorol yn sicr.")
    out.update(_shares(ctx, data, unit))
    for local in (False, True):
        table = pooled.hidden_table(data, ctx.threshold, local=local)
        if table is not None:
            out.update({v: v.replace(" to ", " i ") for v in table["95% CI"]})
    return out


def _months_status(text: str) -> str | None:
    """A monthly series' suppression line in Welsh, or None if a part is not known (worded as
    :func:`alliance.report.sna.cymraeg_overall.months_status_cy` words the police series')."""
    parts = []
    for part in text.split("; "):
        for pattern, welsh in _MONTHS_STATUS:
            if pattern.fullmatch(part):
                parts.append(pattern.sub(welsh, part))
                break
        else:
            return None
    return "; ".join(parts)


def _note(text: str) -> str | None:
    """How the share with no police record nearby was judged, in Welsh (None if not known)."""
    window = _WINDOW.match(text)
    if window is None:
        return None
    when = (f"o fewn {window[2]} diwrnod bob ochr" if window[2] else "yn yr un mis")
    for pattern, welsh in _NOTES:
        if pattern.fullmatch(text[window.end():]):
            return f"o fewn {window[1]} metr ac {when}{welsh}"
    return None


def _shares(ctx: Context, data: pooled.PartnerData, unit: str) -> dict[str, str]:
    """The paragraphs over the tables of the share with no police record nearby."""
    out = {}
    the = "yr" if and_word(unit) == "ac" else "y"
    note = _note(data.hidden_note)
    if note is not None:
        out[words.share_words(data, ctx.threshold)] = (
            f"Mae cyfran {the} {unit} heb gofnod heddlu gerllaw ({note}) yn drais nad yw data'r "
            "heddlu yn ei ddangos. Dim ond lleoedd a dyddiadau a gymherir, byth pobl. Mae "
            f"cyfrannau wedi'u cuddio lle'r oedd gan lai na {ctx.threshold} o {soft(unit)} "
            "gofnod heddlu gerllaw, neu lle'r oedd llai na hynny hebddo.")
    local = _note(data.hidden_local_note)
    if local is not None:
        out[words.local_share_words(data)] = (
            "Yr un peth o gymharu â detholiad lleol y bartneriaeth o ddata'r heddlu, y mae gan "
            f"ei gofnodion ddyddiad a lle ({local}): cymhariaeth fanylach nag y mae police.uk "
            "yn ei chaniatáu. Mae cyfrannau wedi'u cuddio fel uchod.")
    return out


def _weapon(ctx: Context, data: pooled.PartnerData, period: Period) -> dict[str, str]:
    found = pooled.weapon_counts(data, level=ctx.level, code=ctx.code, period=period)
    if found is None:
        return {}
    labels, values, share = found
    groups = data.publication.cube.groups
    welsh = {groups[k].label: v for k, v in _GROUPS.items() if k in groups}
    unit = UNITS[data.unit]
    out = {**welsh, words.weapon_message(data, share): (
        f"Roedd {share:.0f}% o'r {unit} yn cynnwys cyllell neu wrthrych miniog."
        if not np.isnan(share) else
        "Rhy ychydig i ddweud pa gyfran a oedd yn cynnwys cyllell neu wrthrych miniog.")}
    if all(lab in welsh for lab in labels):
        label = LABELS[data.label]
        out[words.weapon_alt(data, period.label, labels, values)] = (
            f"Siart bar o {lower(label)} yn ystod {year_cy(period.label)} yn ôl arf: "
            + "; ".join(f"{welsh[lab]} {figure(v)}" for lab, v in zip(labels, values,
                                                                      strict=True)) + ".")
    return out


#: how feeling unsafe compares with recorded violence in a ward (alliance.voice.felt_unsafe)
_VERDICTS = {felt_unsafe.FELT: "teimlo'n anniogel, ychydig wedi'i gofnodi",
             felt_unsafe.RECORDED: "wedi'i gofnodi, heb deimlo'n anniogel",
             felt_unsafe.AS_EXPECTED: "fel y disgwylid"}


def _voice(ctx: Context) -> dict[str, str]:
    t = ctx.threshold
    out = {voice.sizes_words(t): f"dangosir grwpiau o lai na {t} fel {MARKER}",
           voice.theme_counts_words(t): (f"dangosir themâu o lai na {t} fel {MARKER}, heb eu "
                                         "dyfyniadau"),
           voice.counts_words(t): f"dangosir niferoedd o lai na {t} fel {MARKER}"}
    for c in ctx.inputs.consultations:
        if c.differing and all(v in _VERDICTS for _, v in c.differing[:8]):
            places = "; ".join(f"{ward} ({_VERDICTS[v]})" for ward, v in c.differing[:8])
            out[voice.differing_words(c.differing)] = (
                f"Lle mae teimlo'n anniogel a thrais a gofnodwyd yn gwahaniaethu fwyaf: {places}.")
        if c.you_said:
            out[voice.YOU_SAID.format(title=c.title)] = f"Dywedoch chi, gwnaethom ni: {c.title}"
    return out


def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for the partner-data and data-request chapters of this build."""
    table = dict(FIXED)
    table.update(cymraeg_requests.sentences(ctx))
    table.update(_missing(ctx))
    table.update(_years(ctx))
    t = ctx.threshold
    table.update({words.hidden_words(t): _hidden_cy(t),
                  words.placed_words(t): (f"mae niferoedd o 1 i {t - 1} wedi'u cuddio, ynghyd "
                                           "ag unrhyw un a fyddai'n datgelu un"),
                  words.shares_words(t): (f"cyfrannau wedi'u cuddio lle mae'r naill ran neu'r "
                                           f"llall rhwng 1 a {t - 1}")})
    for data in ctx.inputs.partners.values():
        table.update(_unit_words(data))
        if data.source in pooled.HEALTH_SOURCES:
            table.update(_health(ctx, data))
    table.update(_core(ctx))
    table.update(cymraeg_who.sentences(ctx))
    table.update(_voice(ctx))
    return table

