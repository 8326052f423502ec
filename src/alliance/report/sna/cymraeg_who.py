"""The Welsh of the chapter on who is involved (:mod:`alliance.report.sna.who`): its bands,
headings, captions, chart sentence and alt text, from the same published cells as the
English (:func:`alliance.figures.who.who_table`), so the numbers are the English's."""

from __future__ import annotations

import re

import numpy as np

from alliance.figures import who as who_figures
from alliance.figures.publication import MARKER
from alliance.report.sna import partners as pooled
from alliance.report.sna import who
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg_words import LABELS, PERSON_ONE, PERSONS, figure, lower
from alliance.report.welsh import soft, year_cy

#: the age bands as :data:`alliance.report.sna.who.BAND_WORDS` writes them, in Welsh
_BANDS = {"0-17": "Dan 18 oed", "18-24": "18 i 24 oed", "25-34": "25 i 34 oed",
          "35+": "35 oed a hŷn", "not known": "Oedran heb ei nodi",
          who_figures.UNDER_25_LABEL: "Dan 25 oed (dan 18 oed a 18 i 24 oed)",
          who_figures.ALL_AGES: "Pob oed"}
_SEXES = {"Male": "Gwryw", "Female": "Benyw", "Not known": "Heb ei nodi",
          who_figures.ALL_SEXES: "Pawb"}
#: a who table's suppression line (:meth:`alliance.figures.publication.Publication.status`)
_STATUS = (
    (re.compile(rf"(\d+) figure\(s\) hidden as {re.escape(MARKER)}: counts of 1 to (\d+), and "
                "others where they would let one be worked out from published figures"),
     rf"\1 ffigur yn gudd fel {MARKER}: niferoedd o 1 i \2, ac eraill a fyddai'n gadael i rywun "
     "gyfrifo un ohonynt o ffigurau eraill a gyhoeddwyd"),
    (re.compile(r"no figures hidden \(counts of 1 to (\d+) are hidden\)"),
     r"dim ffigur yn gudd (cuddir niferoedd o 1 i \1)"),
    (re.compile(r"not suppressed: record-level figures, not for publication"),
     "heb ei atal: ffigurau lefel cofnod, nid i'w cyhoeddi"))


def status_cy(text: str) -> str | None:
    """A who table's suppression line in Welsh, or None if its wording is not known (worded
    as :func:`alliance.report.sna.cymraeg_context.status_cy` words the police figures')."""
    for pattern, welsh in _STATUS:
        if pattern.fullmatch(text):
            return pattern.sub(welsh, text)
    return None


FIXED: dict[str, str] = {
    "Age band": "Band oedran",
    who.SHARE: "% o'r cyfan",
    **{who.BAND_WORDS[k]: v for k, v in _BANDS.items() if k in who.BAND_WORDS},
    **_SEXES,
}


def message_cy(table: who_figures.WhoTable, person: str) -> str:
    """:func:`alliance.report.sna.who.message` in Welsh (the same :func:`~alliance.report.sna.
    who.profile`)."""
    words = PERSONS[person]
    total, young, male, top = who.profile(table)
    if np.isnan(total) or total == 0:
        return f"Rhy ychydig o {soft(words)} i'w disgrifio yn ôl oedran a rhyw."
    parts = []
    if not np.isnan(young):
        parts.append(f"roedd {young:.0f}% o'r {words} dan 25 oed")
    if not np.isnan(male):
        parts.append(f"roedd {male:.0f}% yn wrywod")
    if top is not None:
        parts.append(f"y band oedran mwyaf oedd {lower(_BANDS.get(top[0], top[0]))} "
                     f"({top[1]:.0f}%)")
    if not parts:
        return (f"{total:,.0f} o {soft(words)}; mae eu bandiau oedran yn rhy fach i'w "
                "cyhoeddi fesul un.")
    return f"O'r {total:,.0f} o {soft(words)}, {'; '.join(parts)}."


def sentences(ctx: Context) -> dict[str, str]:
    """English -> Welsh for who is involved, from the pooled sources that carry age or sex."""
    sources = who.people_sources(ctx)
    out = dict(FIXED)
    for here in ([], ["istv_ae"]):
        out[who.missing_words(here)] = (
            "Ar goll o hyd, ac yn y cais isod: y sawl a ddrwgdybir, ethnigrwydd, y "
            "berthynas rhwng y dioddefwr a'r sawl a ddrwgdybir, a dioddef dro ar ôl tro"
            + ("" if "istv_ae" in here else "; oedran a rhyw cleifion adrannau brys") + ".")
    if sources and all(d.label in LABELS for d in sources):
        area = sources[0].publication.cube.geography.name
        whole = ctx.level == "area"
        out[who.intro(ctx, sources)] = (
            "Pwy y mae data cyfunol y partneriaid yn eu cyfrif, yn ôl band oedran a rhyw: "
            + "; ".join(f"{LABELS[d.label]} ({PERSONS[who.PERSON.get(d.source, 'people')]})"
                        for d in sources)
            + f". Mae'r ffigurau ar gyfer {'y cyfan o ' if not whole else ''}{area}, ar gyfer "
            "y flwyddyn adrodd gyfan ddiweddaraf sydd gan bob ffynhonnell, ac maent yn dod o'r "
            "un ffigurau cyhoeddedig â'r dangosfwrdd a'r mesurau craidd: mae niferoedd o 1 i "
            f"{ctx.threshold - 1} wedi'u cuddio fel {MARKER}, ynghyd ag unrhyw ffigur arall a "
            "fyddai'n gadael i rywun gyfrifo un ohonynt o gyfansymiau'r tabl neu o ffigurau a "
            "gyhoeddwyd mewn mannau eraill. Mae cyfraddau yn ôl oedran yn gofyn am "
            "boblogaethau preswyl yn ôl band oedran, nad ydynt wedi'u llwytho.")
    for data in sources:
        label = LABELS.get(data.label)
        person = who.PERSON.get(data.source, "people")
        if label is None:
            continue
        period = pooled.partner_period(data.publication, ctx.fperiod)
        if period is None:
            out[who.no_year_words(data.label, person)] = (
                f"{label}: nid oes blwyddyn adrodd gyfan gennym eto, felly nid yw'r "
                f"{PERSONS[person]} wedi'u disgrifio yn ôl oedran a rhyw eto.")
            continue
        table = who_figures.who_table(data.publication, period=period)
        if table is None:
            continue
        bands = list(data.publication.cube.age_bands)
        values = [table.cell(b) for b in bands]
        out[who.BY_AGE.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl band oedran, {year_cy(period.label)}")
        out[who.BY_AGE_SEX.format(label=data.label, period=period.label)] = (
            f"{label} yn ôl band oedran a rhyw, {year_cy(period.label)}")
        out[who.message(table, person)] = message_cy(table, person)
        if all(b in _BANDS for b in bands):
            out[who.chart_words(data.label, period.label, person,
                                [who.BAND_WORDS.get(b, b) for b in bands], values)] = (
                f"Siart bar o {lower(label)} yn ystod {year_cy(period.label)} yn ôl band "
                f"oedran y {PERSON_ONE[person]}, gyda'r bandiau dan 25 oed wedi'u hamlygu: "
                + "; ".join(f"{_BANDS[b]} {figure(v)}" for b, v in zip(bands, values,
                                                                       strict=True)) + ".")
        status = who_figures.status(data.publication, table)
        if (welsh := status_cy(status)) is not None:
            out[status] = welsh
    return out
