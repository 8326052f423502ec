"""The SNA's introduction and annexes in Welsh (:mod:`alliance.report.sna.cymraeg_front`) on
small synthetic inputs: every title, caption, column heading, paragraph and list item the
tool writes is Welsh; the Welsh carries the English's numbers; the partnership's own words
stay English and are marked so; English the table was not made for falls out of it."""

from __future__ import annotations

import collections
import dataclasses
import re
from typing import Any

import pandas as pd
import pytest

from alliance.pool.definition import REAL_MEASURE_NEEDS
from alliance.report.document import Paragraph, Report, Section, Table
from alliance.report.sna import cymraeg_front, front
from alliance.report.sna.build import _built
from alliance.report.sna.common import Context, no_cells_suppressed
from alliance.report.sna.cymraeg import sentence_table
from alliance.report.sna.inputs import SnaInputs
from alliance.report.sna.period import Comparison, parse_period
from alliance.report.sna.translate import welsh_report
from alliance.stats.harm import load_harm_weights
from tests.conftest import require_reference
from tests.report.sna.conftest import make_inputs
from tests.web.public.welsh import ENGLISH

NUMBER = re.compile(r"[−+-]?\d+(?:[.,]\d+)*%?")
MINE = ("about", "annexes", "methods", "data-currency", "definition", "suppression",
        "licences", "batches", "glossary")
HARM = "CCHI CCHI 2026 update, days imprisonment (guideline starting point, first offender)"


def _rich(inputs: SnaInputs) -> SnaInputs:
    """``inputs`` with what the test fixture lacks: offence codes in the definition, the
    default 'what gives the real measure', a partner-statistics batch with its files, and a
    harm description as the SNA service writes it."""
    d = inputs.definition
    codes = pd.DataFrame([{"match": "offence_code", "value": v, "category": "x", "label": v,
                           "counted": c, "proxy": False}
                          for v, c in (("1", True), ("4.1", True), ("8N", True), ("49", False))])
    definition = dataclasses.replace(d, rules=pd.concat([d.rules, codes], ignore_index=True),
                                     real_measure_needs=REAL_MEASURE_NEEDS)
    batches = pd.concat([inputs.batches, pd.DataFrame([{
        "id": 9, "kind": "indicators", "source": "partners",
        "description": "partner statistics: 2 file(s)",
        "created_at": pd.Timestamp("2026-02-03 10:15"),
        "finished_at": pd.Timestamp("2026-02-03 10:16"), "rows_loaded": 4,
        "rows_set_aside": 1}])], ignore_index=True)
    indicators = pd.DataFrame([{"area_code": "E22000001", "area_name": "Testshire",
                                "period": p, "measure": "fte", "measure_label": "First-time "
                                "entrants", "breakdown": "", "numerator": 12, "denominator":
                                1000, "value": 12.0, "unit": "per 1,000", "source": "MoJ/YJB",
                                "batch_id": 9} for p in ("2023", "2024")])
    files = pd.DataFrame({"batch_id": [7, 9], "name": ["2025-01-testshire-street.csv",
                                                       "fte.csv"],
                          "month": ["2025-01", ""], "rows": [120, 2]})
    return dataclasses.replace(inputs, definition=definition, batches=batches,
                               indicators=indicators, source_files=files,
                               harm_description=HARM)


def _context(inputs: SnaInputs, *, period: str = "2025", threshold: int = 5,
             draft: bool = False) -> Context:
    return Context(inputs=inputs, period=parse_period(period), threshold=threshold,
                   draft=draft, seed=3)


def _mine(ctx: Context) -> Report:
    """Only this module's sections, built as the SNA builds them."""
    return Report(title="", area="", period="", sections=(front.about(ctx), *front.annexes(ctx)))


def _texts(report: Report) -> list[str]:
    """Every title, caption, heading, cell, paragraph part and list item of ``report``."""
    out: list[str] = []
    for s in report.sections:
        out.append(s.title)
        for b in s.blocks:
            if isinstance(b, Paragraph):
                for part in b.text.split("\n\n"):
                    lines = part.split("\n")
                    out += ([line.removeprefix("- ") for line in lines]
                            if all(line.startswith("- ") for line in lines) else [part])
            if isinstance(b, Table):
                out += [b.caption, b.provenance.source, *map(str, b.data.columns),
                        *(str(v) for v in b.data.to_numpy().ravel())]
    return out


def _english_words(texts: list[str]) -> list[str]:
    """Common English words in ``texts``, the names police.uk and data.police.uk aside."""
    return [w for t in texts for w in re.findall(r"[A-Za-z']+", re.sub(r"\S*police\.uk", "", t))
            if w.lower() in ENGLISH]


def _numbers(text: str) -> list[str]:
    return sorted(NUMBER.findall(text))


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    report, ctx = _built(make_inputs(), period="2025", threshold=5,
                         published="1 January 2026 09:00", draft=False, seed=1)
    welsh, left = welsh_report(report, sentence_table(ctx))
    return {"report": report, "ctx": ctx, "welsh": welsh, "left": left}


def test_the_introduction_and_annexes_of_the_built_sna_are_welsh(built: dict[str, Any]) -> None:
    report, welsh, left = built["report"], built["welsh"], built["left"]
    en = {s.id: s for s in report.sections if s.id in MINE}
    cy = {s.id: s for s in welsh.sections if s.id in MINE}
    assert sorted(cy) == sorted(MINE)
    assert cy["about"].title == "Ynglŷn â'r asesiad hwn"
    assert cy["methods"].title == "Atodiad A: dulliau"
    for sid, section in en.items():  # every title, caption and heading is Welsh
        assert section.title not in left and cy[sid].title != section.title
        for b in section.blocks:
            if isinstance(b, Table):
                assert b.caption not in left, b.caption
                assert not set(map(str, b.data.columns)) & left, b.data.columns
    # what stays English is the fixture's own words: its 'what gives the real measure', its
    # harm weights' name (no Welsh for an unknown unit) and the import batches' descriptions
    inputs = built["ctx"].inputs
    mine = set(_texts(Report(title="t", area="a", period="p", sections=tuple(en.values()))))
    assert (left & mine) == {
        "What gives the real measure: force records", *inputs.batches["description"],
        "**Harm**: not drawn while only police.uk categories are pooled (see the overall "
        "chapter); weights available: CCHI 2026 (test)."}
    # the Welsh has no common English word but in what stays English
    words = _english_words([t for t in _texts(Report(title="t", area="a", period="p",
                                                     sections=tuple(cy.values())))
                            if t not in left])
    assert words == []


def test_shared_source_and_suppression_lines_are_welsh(built: dict[str, Any]) -> None:
    ctx, left = built["ctx"], built["left"]
    assert no_cells_suppressed(ctx.threshold) not in left
    assert ctx.definition_line not in left
    assert sentence_table(ctx)[no_cells_suppressed(5)] == (
        "dim celloedd wedi'u hatal (trothwy 5)")
    sources = {b.provenance.suppression for _, b in built["welsh"].blocks()
               if isinstance(b, Table)}
    assert "amherthnasol (dim niferoedd o bobl na digwyddiadau)" in sources


@pytest.mark.parametrize(("period", "draft", "threshold"),
                         [("2025", False, 5), ("2025", False, 10),
                          ("2025-03:2025-08", True, 5)])
def test_every_welsh_sentence_carries_the_english_numbers(period: str, draft: bool,
                                                         threshold: int) -> None:
    ctx = _context(_rich(make_inputs()), period=period, threshold=threshold, draft=draft)
    ctx.rows_outside_months = 1234  # rows of other forces' months, left out
    table = cymraeg_front.sentences(ctx)
    assert table[front.suppression(ctx)].count(f"{threshold - 1}:") == 1
    for en, cy in table.items():
        assert _numbers(en) == _numbers(cy), (en, cy)
    report, left = welsh_report(_mine(ctx), sentence_table(ctx))
    texts = _texts(report)
    # all of it Welsh (the default 'real measure', the harm unit, the partner batch's row) but
    # the import record's own words: batch descriptions, file names, the publisher named
    inputs = ctx.inputs
    assert left == {*inputs.batches["description"], *inputs.source_files["name"], "MoJ/YJB"}
    assert _english_words([t for t in texts if t not in left]) == []
    joined = "\n".join(texts)
    assert "Beth sy'n rhoi'r gwir fesur: Cofnodion" in joined
    assert "diwrnodau o garchar" in joined and "3 Chwefror 2026" in joined
    assert "1,234 o resi a gyhoeddwyd gan heddluoedd eraill" in joined
    assert ("Drafft yw hwn" in joined) is draft
    # the numbers of the whole section are the English section's
    english = "\n".join(_texts(_mine(ctx)))
    assert collections.Counter(NUMBER.findall(joined)) == \
        collections.Counter(NUMBER.findall(english))


def test_months_not_held_and_a_partial_comparison_in_welsh() -> None:
    ctx = _context(make_inputs())
    ctx.period = parse_period("2025-06:2026-02")  # two months of it not held
    ctx.comparison = Comparison(kind="partial", before=("2024-06", "2024-07"),
                                after=("2025-06", "2025-07"))
    table = cymraeg_front.sentences(ctx)
    parts = front.about_parts(ctx)
    welsh = [table[p] for p in parts]
    assert welsh[-1] == ("Nid oes gennym 2 mis o'r cyfnod (2026-01, 2026-02); mae ffigurau'r "
                         "cyfnod yn cwmpasu'r misoedd sydd gennym yn unig.")
    assert "dim ond 2 mis o'r cyfnod blaenorol sydd gennym" in welsh[1]
    assert "Mehefin 2024–Gorffennaf 2024" in welsh[1]
    assert all(_numbers(p) == _numbers(w) for p, w in zip(parts, welsh, strict=True))
    none = Comparison(kind="none", before=(), after=())
    assert cymraeg_front.comparison_cy(none).startswith("nid oes gennym fisoedd cynharach")


def test_english_the_table_was_not_made_for_stays_english_and_is_marked() -> None:
    ctx = _context(make_inputs())
    report = _mine(ctx)
    about = report.sections[0].blocks[0]
    assert isinstance(about, Paragraph)
    changed = about.text.replace("is refreshed every year", "is refreshed every two years")
    sections = (dataclasses.replace(report.sections[0], blocks=(Paragraph(text=changed),)),
                *report.sections[1:])
    welsh, left = welsh_report(dataclasses.replace(report, sections=sections),
                               cymraeg_front.sentences(ctx))
    first = changed.split("\n\n")[0]
    assert first in left
    block = welsh.sections[0].blocks[0]
    assert isinstance(block, Paragraph)
    text = block.text
    assert first in text and "bob blwyddyn" not in text
    assert "Dangosir newid lle mae'r data'n caniatáu hynny" in text  # the rest still Welsh
    # a table built for another threshold does not know this report's suppression annex
    other = cymraeg_front.sentences(_context(make_inputs(), threshold=10))
    assert front.suppression(ctx) not in other
    _, left = welsh_report(report, other)
    assert front.suppression(ctx) in left


def test_a_definitions_own_words_stay_english_and_the_default_is_welsh() -> None:
    own = _context(make_inputs())
    default = _context(_rich(make_inputs()))
    assert front.definition_parts(own)[1] not in cymraeg_front.sentences(own)
    assert cymraeg_front.sentences(default)[front.definition_parts(default)[1]].startswith(
        "Beth sy'n rhoi'r gwir fesur: Cofnodion o system droseddau'r heddlu")
    assert cymraeg_front.harm_cy("no harm weights available") == "nid oes pwysau niwed ar gael"
    assert cymraeg_front.harm_cy("CCHI 2026 (test)") is None
    assert cymraeg_front.harm_cy(HARM) == ("CCHI diweddariad CCHI 2026, diwrnodau o garchar "
                                           "(man cychwyn y canllawiau, troseddwr cyntaf)")
    # a unit or edition with no Welsh here leaves the item English rather than half-Welsh
    assert cymraeg_front.harm_cy(HARM.replace("2026", "2030")) is None
    assert cymraeg_front.harm_cy(HARM.replace("first offender", "any offender")) is None


def test_the_summary_table_holds_the_front_matter(built: dict[str, Any]) -> None:
    ctx = built["ctx"]
    table = sentence_table(ctx)
    mine = cymraeg_front.sentences(ctx)
    assert all(table[k] == v for k, v in mine.items())
    assert table[front.TITLES["glossary"]] == "Atodiad G: geirfa"
    assert isinstance(built["welsh"].sections[0], Section)


@pytest.mark.parametrize("kind", ["cchi_policeuk_category", "ons_css"])
def test_the_reference_tables_harm_weights_are_named_in_welsh(kind: str) -> None:
    """The SNA service names its harm weights '{scheme} {edition}, {unit}' from the shipped
    reference table (alliance.web.reports.services); each edition of it has Welsh here."""
    path = require_reference("crime_harm_weights.csv")
    table = pd.read_csv(path)
    scheme = {"cchi_policeuk_category": "CCHI", "ons_css": "ONS CSS"}[kind]
    editions = sorted(table.loc[table["scheme"] == scheme, "edition"].dropna().unique())
    for edition in editions:
        try:
            harm = load_harm_weights(kind, edition=edition, path=path)
        except ValueError:  # no rows of this kind in that edition
            continue
        english = f"{harm.scheme} {harm.edition}, {harm.unit}"
        welsh = cymraeg_front.harm_cy(english)
        assert welsh is not None, harm.edition
        assert _english_words([welsh]) == [] and _numbers(welsh) == _numbers(english)
