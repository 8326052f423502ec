"""The Welsh of the chapters on where and when serious violence happens, and of the key
findings' items, on the small synthetic inputs (nine squares, one of them hidden)."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from alliance.figures import hotspots as hotspot_figures
from alliance.report.document import Figure, Finding, Paragraph, Section, Table
from alliance.report.sna import cymraeg_where, when, where
from alliance.report.sna.build import _built
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg import sentence_table
from alliance.report.sna.summary import LISTED, finding_item, plain_findings
from alliance.report.sna.translate import Translator, _block, welsh_report
from tests.report.sna.conftest import CODES, make_inputs

NUMBER = re.compile(r"[−+-]?\d[\d,]*(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def built() -> tuple[object, Context, dict[str, str]]:
    report, ctx = _built(make_inputs(), period="2025", threshold=5,
                         published="1 January 2026 09:00", draft=False, seed=1)
    return report, ctx, sentence_table(ctx)


def _section(report: object, sid: str) -> Section:
    return next(s for s in report.sections if s.id == sid)  # type: ignore[attr-defined]


def _english_left(section: Section, table: dict[str, str]) -> set[str]:
    cy = Translator(table)
    cy(section.title)
    for b in section.blocks:
        _block(b, cy)
    return cy.english


def _names(ctx: Context) -> set[str]:
    """Names as published (LSOA and partnership names): they stay as they are."""
    lsoa = ctx.inputs.lsoa
    return {*lsoa["name"].astype(str), *lsoa["csp_name"].astype(str)}


@pytest.mark.parametrize("sid", ["where", "when"])
def test_every_title_caption_heading_and_sentence_of_the_chapter_is_welsh(built, sid) -> None:  # type: ignore[no-untyped-def]
    report, ctx, table = built
    section = _section(report, sid)
    left = _english_left(section, table) - _names(ctx) - {ctx.definition_line}
    assert left == set()
    # the check can fail: without the chapters' Welsh, their English is all left
    bare = {k: v for k, v in table.items() if k not in cymraeg_where.sentences(ctx)}
    assert len(_english_left(section, bare)) > (15 if sid == "where" else 10)


def test_the_welsh_chapters_carry_the_english_numbers(built) -> None:  # type: ignore[no-untyped-def]
    report, _, table = built
    welsh, _ = welsh_report(report, table)
    for sid in ("where", "when"):
        en, cy = _section(report, sid), _section(welsh, sid)
        assert cy.title != en.title
        for b_en, b_cy in zip(en.blocks, cy.blocks, strict=True):
            texts = [(b_en.text, b_cy.text)] if isinstance(b_en, Paragraph | Finding) else []
            if isinstance(b_en, Figure):
                texts += [(b_en.message, b_cy.message), (b_en.alt_text, b_cy.alt_text)]
            if isinstance(b_en, Table | Figure):
                texts.append((b_en.caption, b_cy.caption))
                # the cells are the same numbers; the headings are Welsh, none left English
                assert b_en.data.to_numpy().shape == b_cy.data.to_numpy().shape
                assert list(b_cy.data.columns) != list(b_en.data.columns)
                for col_en, col_cy in zip(b_en.data.columns, b_cy.data.columns, strict=True):
                    if pd.api.types.is_numeric_dtype(b_en.data[col_en]):
                        pd.testing.assert_series_equal(b_en.data[col_en], b_cy.data[col_cy],
                                                       check_names=False, check_index=False)
                p_en, p_cy = b_en.provenance, b_cy.provenance
                texts.append((p_en.suppression, p_cy.suppression))
            for text_en, text_cy in texts:
                assert text_cy != text_en
                # the Welsh 'Ionawr 2025 i Ragfyr 2025' is the English months' numbers
                assert sorted(NUMBER.findall(text_cy)) == sorted(NUMBER.findall(text_en)), \
                    (text_en, text_cy)


def test_the_seasons_and_the_hot_spot_labels_are_welsh(built) -> None:  # type: ignore[no-untyped-def]
    report, _, table = built
    welsh, _ = welsh_report(report, table)
    season = next(b for b in _section(welsh, "when").blocks if isinstance(b, Table))
    assert list(season.data.index) == ["Gaeaf (Rhag–Chwef)", "Gwanwyn (Maw–Mai)",
                                       "Haf (Meh–Awst)", "Hydref (Medi–Tach)", "Cyfanswm"]
    assert season.data.index.names == ["Tymor"]
    top = next(b for b in _section(welsh, "where").blocks if isinstance(b, Table))
    assert "Clwstwr" not in top.data.columns and "Gi*" in top.data.columns
    labels = (hotspot_figures.HOT, hotspot_figures.COLD, hotspot_figures.NOT_SIGNIFICANT,
              hotspot_figures.NOT_PUBLISHED, hotspot_figures.NOT_TESTED,
              hotspot_figures.UNDECIDED)
    assert all(table[label] != label for label in labels)
    assert set(top.data["Gi*"]) <= {table[label] for label in labels}
    # the hidden neighbourhood is hatched on the map and said so in Welsh, with its number
    rate = next(b for b in _section(welsh, "where").blocks if getattr(b, "id", "") == "f6-1-map")
    assert "mae 2 ACEHI y cuddiwyd eu nifer" in rate.alt_text


def test_a_changed_english_sentence_falls_out_of_the_table(built) -> None:  # type: ignore[no-untyped-def]
    """A chapter whose English changes (another year, other figures) is not given the Welsh of
    the old English: the new English is left, and marked English."""
    report, ctx, table = built
    section = _section(report, "where")
    intro = next(b for b in section.blocks if isinstance(b, Paragraph))
    changed = dataclasses.replace(intro, text=intro.text.replace("975", "976"))
    cy = Translator(table)
    out = _block(changed, cy)
    assert out == changed and changed.text in cy.english
    caption = where.top_caption(ctx).replace("ten", "twenty")
    assert caption not in table
    months = when.month_message(pd.Series([5.0, 9.0], index=["2025-01", "2025-02"]))
    assert months not in table  # other months' figures: no Welsh for them


def test_hot_and_cold_spots_in_welsh_name_the_same_places_and_numbers(built) -> None:  # type: ignore[no-untyped-def]
    """The fixture has no hot spot; the sentences for some are worded from the same places."""
    _, ctx, _ = built
    hot, cold = list(CODES[:3]), list(CODES[6:8])
    english = where.gi_message(ctx, hot, cold)
    welsh = cymraeg_where.gi_message_cy(ctx, hot, cold)
    assert english.startswith("3 neighbourhoods are in hot spots")
    assert welsh.startswith("Mae 3 cymdogaeth mewn mannau poeth")
    assert "pob un yn North Testshire" in welsh and "pob un o'r 2 yn South Testshire" in welsh
    assert NUMBER.findall(english) == NUMBER.findall(welsh)
    finding = cymraeg_where.hotspot_text_cy(ctx, hot)
    assert NUMBER.findall(where.hotspot_text(ctx, hot)) == NUMBER.findall(finding)
    assert cymraeg_where.gi_message_cy(ctx, [], cold[:1]).endswith(
        "mae 1 gymdogaeth mewn man oer, yn South Testshire.")


def test_the_rate_map_names_the_darkest_class_in_welsh(built) -> None:  # type: ignore[no-untyped-def]
    _, ctx, _ = built
    leaders = where.RateLeaders(top=list(CODES[:3]), lowest=12.345, highest=CODES[0])
    english, welsh = where.rate_message(ctx, leaders), cymraeg_where.rate_message_cy(ctx, leaders)
    assert "12.3 per 1,000" in english and "(12.3 fesul 1,000" in welsh
    assert "i gyd yn North Testshire" in welsh and "Testshire 000A (North Testshire)" in welsh
    several = dataclasses.replace(leaders, top=[CODES[0], CODES[6]])
    assert "yn North Testshire (1) a South Testshire (1)" in cymraeg_where.rate_message_cy(
        ctx, several)
    assert cymraeg_where.rate_message_cy(ctx, None) == \
        cymraeg_where.FIXED[where.rate_message(ctx, None)]


def test_key_findings_items_are_welsh_once_their_chapter_title_is(built) -> None:  # type: ignore[no-untyped-def]
    report, ctx, table = built
    listed = ctx.__dict__[LISTED]
    plain = plain_findings(ctx)
    assert {fid for _, _, fid in listed} >= {"f-concentration", "f-total"}
    item = next(finding_item(t, title, fid) for t, title, fid in listed
                if fid == "f-concentration")
    assert item in _section(report, "key-findings").blocks[-1].text
    assert table[item] == finding_item(table[plain["f-concentration"]],
                                       "Ble mae trais difrifol yn digwydd", "f-concentration")
    # a chapter whose title has no Welsh yet leaves its findings' items English, whole
    total = next((t, title) for t, title, fid in listed if fid == "f-total")
    assert finding_item(*total, "f-total") not in cymraeg_where.key_findings_cy(
        ctx, {k: v for k, v in table.items() if k != total[1]})
    named = cymraeg_where.key_findings_cy(ctx, {**table, total[1]: "Y darlun cyffredinol"})
    assert named[finding_item(*total, "f-total")].endswith("([Y darlun cyffredinol](#f-total))")


def test_the_chapters_read_the_same_with_the_welsh_helpers(built) -> None:  # type: ignore[no-untyped-def]
    """The chapter's sentences are built by the functions the Welsh keys on: the built report
    holds exactly them."""
    report, ctx, _ = built
    section = _section(report, "where")
    assert section.blocks[0].text == where.intro(ctx)
    figures = {b.id: b for b in section.blocks if isinstance(b, Figure)}
    assert figures["f6-1-map"].alt_text == where.rate_desc(ctx)
    assert figures["f6-1-map"].message == where.rate_message(ctx, where.rate_leaders(ctx))
    conc = where.concentration(ctx)
    assert conc is not None and figures["f6-4-lorenz"].message == where.lorenz_message(conc)
    assert list(figures["f6-4-lorenz"].data.columns) == list(where.LORENZ_COLUMNS)
