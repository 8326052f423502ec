"""The SNA's local context and overall picture chapters in Welsh (cymraeg_overall): every
title, caption and heading is Welsh, the numbers are the English's, only names are left in
English, and a changed English sentence falls out of the table (marked English) rather than
keeping an out-of-date Welsh one."""

from __future__ import annotations

import collections
import dataclasses
import re
from typing import TypeVar

import pytest

from alliance.report.document import Figure, Finding, Notice, Paragraph, Section, Table
from alliance.report.sna.build import _built
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg import sentence_table
from alliance.report.sna.cymraeg_context import (
    cell_cy,
    currency_cy,
    describe_ratio_cy,
    period_cy,
)
from alliance.report.sna.cymraeg_overall import describe_change_cy
from alliance.report.sna.inputs import SnaInputs
from alliance.report.sna.translate import Translator, _block
from alliance.report.wording import describe_change, describe_ratio
from tests.report.sna.conftest import make_inputs
from tests.web.public.welsh import ENGLISH

NUMBER = re.compile(r"[−+-]?\d+(?:,\d{3})*(?:\.\d+)?%?")
CHAPTERS = ("context", "overall")


B = TypeVar("B")
Built = tuple[dict[str, Section], Context, dict[str, str]]


def _build(inputs: SnaInputs) -> tuple[dict[str, Section], Context]:
    report, ctx = _built(inputs, period="2025", threshold=5, published="1 January 2026 09:00",
                         draft=False, seed=1)
    return {s.id: s for s in report.sections if s.id in CHAPTERS}, ctx


@pytest.fixture(scope="module")
def built() -> Built:
    sections, ctx = _build(make_inputs())
    return sections, ctx, sentence_table(ctx)


def _texts(b: object) -> list[str]:
    """The prose of a block: what must carry the English's numbers."""
    if isinstance(b, Paragraph | Notice | Finding):
        return [b.text]
    if isinstance(b, Figure):
        return [b.caption, b.message, b.alt_text]
    if isinstance(b, Table):
        return [b.caption]
    return []


def _find(sections: dict[str, Section], block_id: str, kind: type[B]) -> B:
    found = [b for b in sections["overall"].blocks if getattr(b, "id", "") == block_id]
    assert len(found) == 1 and isinstance(found[0], kind)
    return found[0]


def _names(ctx: Context) -> set[str]:
    """Names that stay as they are: the area, its LSOAs and CSPs, the partnership's definition."""
    lsoa = ctx.inputs.lsoa
    return {ctx.area_name, ctx.definition_line, *lsoa["name"], *lsoa["csp_name"],
            *(f"{n} ({t})" for n, t in zip(lsoa["name"], lsoa["csp_name"], strict=True))}


def test_the_two_chapters_leave_only_names_in_english(built: Built) -> None:
    sections, ctx, table = built
    for section in sections.values():
        cy = Translator(table)
        assert cy(section.title) != section.title
        welsh = [_block(b, cy) for b in section.blocks]
        for b, w in zip(section.blocks, welsh, strict=True):
            if isinstance(b, Table | Figure) and isinstance(w, Table | Figure):
                assert w.caption != b.caption
                assert not set(map(str, b.data.columns)) & cy.english
                assert set(w.data.columns).isdisjoint(b.data.columns)
            for text in _texts(b):
                assert text not in cy.english, text
        assert cy.english <= _names(ctx), cy.english - _names(ctx)
        prose = re.sub(r"`[^`]*`", " ", " ".join(t for w in welsh for t in _texts(w)))
        words = {w.lower() for w in re.findall(r"[A-Za-z']+", prose.replace("police.uk", " "))}
        names = {w.lower() for n in _names(ctx) for w in re.findall(r"[A-Za-z']+", n)}
        assert not words & ENGLISH - {"a", "i"} - names, sorted(words & ENGLISH)


def test_the_welsh_has_the_english_numbers(built: Built) -> None:
    sections, _, table = built
    compared = 0
    for section in sections.values():
        cy = Translator(table)
        for b in section.blocks:
            for text in _texts(b):
                welsh = cy.paragraph(text)
                assert collections.Counter(NUMBER.findall(welsh)) == \
                    collections.Counter(NUMBER.findall(text)), (text, welsh)
                compared += 1
    assert compared > 20
    f_total = _find(sections, "f-total", Finding)
    assert "975" in Translator(table)(f_total.text)


def test_a_changed_english_sentence_falls_out_of_the_table(built: Built) -> None:
    sections, _, table = built
    text = _find(sections, "f-total", Finding).text
    changed = text.replace("975", "976")
    cy = Translator(table)
    assert cy(text).startswith("Cafodd 975 o droseddau")
    assert cy(changed) == changed and changed in cy.english  # English, marked so: never stale
    funnel = _find(sections, "f4-2-funnel", Figure)
    moved = funnel.message.replace("Furthest above", "Furthest up")
    assert cy(moved) == moved and cy(funnel.message).startswith("Mae 1 gymdogaeth")


def test_a_year_without_an_earlier_one_and_too_few_months_for_a_trend() -> None:
    """No comparison and no trend test: the chapter's other sentences are Welsh too."""
    inputs = make_inputs()
    incidents = inputs.incidents[inputs.incidents["month"] >= "2025-01"]
    sections, ctx = _build(dataclasses.replace(inputs, incidents=incidents))
    table = sentence_table(ctx)
    overall = sections["overall"]
    assert not any(getattr(b, "id", "") == "t4-1b-change" for b in overall.blocks)
    cy = Translator(table)
    for b in overall.blocks:
        _block(b, cy)
    assert cy.english <= _names(ctx), cy.english - _names(ctx)
    untested = [b for b in overall.blocks if isinstance(b, Paragraph)
                and "no trend test is reported" in b.text]
    assert untested and cy(untested[0].text).startswith("Mae 12 mis gennym")


@pytest.mark.parametrize(("change", "low", "high"), [(12, 5, 19), (-20, -31, -8), (1, -9, 11),
                                                      (0.3, -29.4, 41.2)])
def test_a_change_says_in_welsh_what_it_says_in_english(change: float, low: float,
                                                        high: float) -> None:
    """Source of the wording: alliance.report.wording.describe_change (its doctests)."""
    english, welsh = describe_change(change, low, high), describe_change_cy(change, low, high)
    assert sorted(NUMBER.findall(english)) == sorted(NUMBER.findall(welsh))
    assert english.startswith("showed no") == welsh.startswith("dim newid")
    assert english.startswith("rose") == welsh.startswith("cynnydd")
    assert describe_change_cy(-20, -31, -8) == "gostyngiad o 20% (cyfwng hyder 95% 8% i 31%)"


@pytest.mark.parametrize(("ratio", "low", "high"), [(2.1, 1.8, 2.5), (1.1, 0.9, 1.3)])
def test_a_ratio_says_in_welsh_what_it_says_in_english(ratio: float, low: float,
                                                       high: float) -> None:
    english = describe_ratio(ratio, low, high, comparator="the rate")
    welsh = describe_ratio_cy(ratio, low, high, comparator="y gyfradd")
    assert NUMBER.findall(english) == NUMBER.findall(welsh)
    assert english.startswith("not significantly") == welsh.startswith("heb fod")


def test_the_partner_tables_words() -> None:
    """Periods as period_label words them, currency as published.currency words it; a cell of
    any other shape has no Welsh (it stays English, marked so)."""
    assert period_cy("year ending December 2019") == "blwyddyn yn diweddu Rhagfyr 2019"
    assert period_cy("April 2022 to March 2025") == "Ebrill 2022 i Fawrth 2025"
    assert period_cy("year ending December 2019 (out of date)") == \
        "blwyddyn yn diweddu Rhagfyr 2019 (wedi dyddio)"
    assert period_cy("Q1 2024 provisional") is None
    assert currency_cy("Out of date: ended 6 years before this SNA's period; newest held: "
                       "year ending December 2019") == (
        "Wedi dyddio: daeth i ben 6 o flynyddoedd cyn cyfnod yr asesiad hwn; y diweddaraf sydd "
        "gennym: blwyddyn yn diweddu Rhagfyr 2019")
    assert currency_cy("Out of date: ended 30 months before this SNA's period; no newer "
                       "figures held") == ("Wedi dyddio: daeth i ben 30 o fisoedd cyn cyfnod yr "
                                           "asesiad hwn; dim ffigurau mwy diweddar gennym")
    assert cell_cy("Higher (as published)") == "Uwch (fel y'i cyhoeddwyd)"
    assert cell_cy("26.0% (United Kingdom)") == "26.0% (Y Deyrnas Unedig)"
    assert cell_cy("3.0% (1.5% to 5.5%)") == "3.0% (1.5% i 5.5%)"
    assert cell_cy("April 2021 to March 2024: 8.8") == "Ebrill 2021 i Fawrth 2024: 8.8"
    assert cell_cy("per million") == "fesul miliwn"
    assert cell_cy("Police recorded crime: Robbery per 1,000 population") is None


def test_published_partner_statistics_in_welsh() -> None:
    """On the real published files (tests/report/sna/_partners.py): every heading, period,
    currency and note of the partner and comparator tables is Welsh; the publishers' names of
    their statistics and areas stay as published."""
    from alliance.report.sna import context
    from alliance.report.sna.period import parse_period
    from tests.report.sna import _partners as P

    inputs = dataclasses.replace(make_inputs(), indicators=P.northamptonshire(P.all_rows()),
                                 successors=P.successors())
    ctx = Context(inputs=inputs, period=parse_period("2025"), threshold=5)
    section = context.chapter(ctx)
    cy = Translator(sentence_table(ctx))
    tables = {b.id: (b, _block(b, cy)) for b in section.blocks if isinstance(b, Table)}
    for tid in ("t3-2-partner", "t3-3-comparators"):
        english, welsh = tables[tid]
        assert isinstance(welsh, Table) and welsh.caption != english.caption
        assert not {str(c) for c in english.data.columns} & cy.english
        for column in ("Period", "Currency", "vs England", "vs region"):
            if column in english.data.columns:
                assert not set(english.data[column]) & cy.english, column
    publishers = set(inputs.indicators["measure_label"].astype(str)) | _names(ctx)
    left = {e for e in cy.english if not any(e.startswith(p.split(" [")[0]) for p in publishers)
            and not re.fullmatch(r".+ \(E\d{8}\)", e)}
    assert left == set(), left
    notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert any("Fingertips" in n for n in notes)
    assert all(cy.paragraph(n) != n for n in notes)
    # the former districts' figures left out of the risk-factor table, and why, in Welsh
    from alliance.report.sna.requests import risk_factors

    left_out = [b.text for b in risk_factors(ctx).blocks
                if isinstance(b, Paragraph) and "Not shown:" in b.text]
    assert left_out, "the fixture's former districts' alcohol admissions are left out"
    welsh = cy.paragraph(left_out[0])
    assert "Heb eu dangos: " in welsh and "nad ydynt yn bodoli mwyach" in welsh
    assert NUMBER.findall(welsh) == NUMBER.findall(left_out[0])
