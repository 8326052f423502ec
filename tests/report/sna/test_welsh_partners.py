"""The Welsh of the partner-data and data-request chapters (alliance.report.sna.cymraeg_partners)
on the SNA's test inputs, without and with a pooled A&E source: every title, caption, column
heading and fixed cell is Welsh, the numbers are the English's, and a changed English string
falls out of the table (marked English, never left with out-of-date Welsh)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from alliance.figures import monthly as monthly_figures
from alliance.figures import who as who_figures
from alliance.figures.publication import publish
from alliance.geo import geocode
from alliance.pool import geocoding
from alliance.report.document import DataRequest, Figure, Finding, Paragraph, Table
from alliance.report.sna import (
    cymraeg_context,
    cymraeg_overall,
    cymraeg_partners,
    cymraeg_who,
    overall,
    partner_words,
    requests,
    who,
)
from alliance.report.sna import partners as pooled
from alliance.report.sna.build import _built
from alliance.report.sna.common import Context
from alliance.report.sna.cymraeg import sentence_table
from alliance.report.sna.cymraeg_fixed import FIXED as SUMMARY
from alliance.report.sna.inputs import ConsultationSummary, VoiceSummary
from alliance.report.sna.partners import PartnerData
from alliance.report.sna.period import parse_period
from alliance.report.sna.spatial import month_counts
from alliance.report.sna.translate import Translator, _block, welsh_report
from alliance.report.sna.voice import voice_chapter
from alliance.voice import felt_unsafe
from tests.figures.people import people_rows
from tests.report.sna.conftest import make_inputs
from tests.report.sna.test_who import _data

MINE = ("core-measures", "who", "youth-justice", "health", "risk-factors", "community-voice",
        "services")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _build(partners: bool) -> tuple[Any, Any, Context]:
    inputs = make_inputs()
    if partners:
        inputs = dataclasses.replace(inputs, partners={"istv_ae": _data(4, 3.0)})
    report, ctx = _built(inputs, period="2025", threshold=5, published="1 January 2026 09:00",
                         draft=False, seed=1)
    return report, ctx, ctx


@pytest.fixture(scope="module", params=[False, True], ids=["open-data", "pooled-ae"])
def built(request: pytest.FixtureRequest) -> dict[str, Any]:
    report, _, ctx = _build(request.param)
    welsh, english = welsh_report(report, sentence_table(ctx))
    return {"en": report, "cy": welsh, "english": english, "ctx": ctx}


def _sections(report: Any) -> dict[str, Any]:
    return {s.id: s for s in report.sections if s.id in MINE}


def _pieces(section: Any) -> list[tuple[str, str]]:
    """(kind, text) of every piece of a section that the translator replaces."""
    out = [("title", section.title)]
    for b in section.blocks:
        if isinstance(b, Paragraph):
            out.append(("paragraph", b.text))
        if isinstance(b, Table | Figure | Finding):
            out += [("source", b.provenance.source), ("suppression", b.provenance.suppression)]
        if isinstance(b, Table | Figure):
            out.append(("caption", b.caption))
            out += [("heading", str(c)) for c in b.data.columns]
            out += [("cell", v) for v in b.data.to_numpy().ravel() if isinstance(v, str)]
        if isinstance(b, Figure):
            out += [("message", b.message), ("alt", b.alt_text)]
        if isinstance(b, DataRequest):
            out.append(("caption", b.caption))
    return out


def _place_names(ctx: Context) -> set[str]:
    """Names of places the report prints as they are (the fixture's local authorities)."""
    names = set()
    for data in ctx.inputs.partners.values():
        names |= set(data.publication.cube.geography.units("lad").values())
    return names


def test_every_title_caption_heading_and_paragraph_is_welsh(built: dict[str, Any]) -> None:
    english, ctx = built["english"], built["ctx"]
    assert set(_sections(built["en"])) == set(MINE)
    left = set()
    for section in _sections(built["en"]).values():
        for kind, text in _pieces(section):
            if text and re.search(r"[A-Za-z]", text) and text in english:
                left.add((kind, text))
    # what stays English: names of places, and the fixture's made-up placement method (a
    # real upload's methods are geocoding's own, all in the table)
    assert {t for _, t in left} <= _place_names(ctx) | {"Lsoa"}, sorted(left)
    cy = _sections(built["cy"])
    assert cy["who"].title == "Pwy sy'n gysylltiedig: dioddefwyr a'r sawl a ddrwgdybir"
    request = next(b for b in cy["services"].blocks if isinstance(b, Table))
    assert list(request.data.columns) == ["Dangosyddion", "Partner sy'n dal y data",
                                          "Set ddata", "Meysydd sydd eu hangen", "Cyfnod",
                                          "Sail gyfreithiol"]


def test_the_welsh_has_the_english_numbers(built: dict[str, Any]) -> None:
    en, cy = _sections(built["en"]), _sections(built["cy"])
    compared = 0
    for sid in MINE:
        for (kind, english), (_, welsh) in zip(_pieces(en[sid]), _pieces(cy[sid]), strict=True):
            if english != welsh:
                compared += 1
                assert Counter(NUMBER.findall(english)) == Counter(NUMBER.findall(welsh)), (
                    kind, english, welsh)
    assert compared > 60


def test_the_pooled_chapters_speak_welsh_of_their_figures() -> None:
    report, _, ctx = _build(True)
    welsh, _ = welsh_report(report, sentence_table(ctx))
    figure = next(b for b in _sections(welsh)["who"].blocks if isinstance(b, Figure))
    assert figure.message.startswith("O'r ") and "dan 25 oed" in figure.message
    assert figure.alt_text.startswith("Siart bar o ymweliadau")
    assert figure.caption.startswith("Ymweliadau ag adrannau brys yn dilyn ymosodiad (ISTV) "
                                     "yn ôl band oedran, blwyddyn galendr 2024")
    core = _sections(welsh)["core-measures"].blocks[0]
    assert isinstance(core, Paragraph) and core.text.startswith("Mesurau craidd y Swyddfa")


@pytest.mark.parametrize(("seed", "mean"), [(1, 0.2), (2, 0.6), (3, 1.5), (4, 3.0), (5, 8.0)])
def test_the_who_sentence_says_in_welsh_what_it_says_in_english(seed: int,
                                                                 mean: float) -> None:
    """Across quiet and busy sources (cells hidden or not), the Welsh sentence carries the
    English's numbers in the English's order and says the same parts."""
    data = _data(seed, mean)
    pub = data.publication
    table = who_figures.who_table(pub, period=pub.year("2024"))
    assert table is not None
    english = who.message(table, "patients")
    welsh = cymraeg_who.message_cy(table, "patients")
    assert NUMBER.findall(english) == NUMBER.findall(welsh)
    assert ("under 25" in english) == ("dan 25 oed" in welsh)
    assert ("male" in english) == ("wrywod" in welsh)
    assert english.startswith("Too few") == welsh.startswith("Rhy ychydig")


def test_a_changed_english_string_falls_out_of_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = dataclasses.replace(make_inputs(), partners={"istv_ae": dataclasses.replace(
        _data(4, 3.0), label="A&E assault attendances (ISTV, trust returns)")})
    monkeypatch.setattr(requests, "WHO_NOT_POOLED", "Victims are not described here.")
    report, ctx = _built(inputs, period="2025", threshold=5, published="1 January 2026 09:00",
                         draft=False, seed=1)
    welsh, english = welsh_report(report, sentence_table(ctx))
    # a source the table does not know: its captions, source lines and sentences stay English
    assert "A&E assault attendances (ISTV, trust returns)" in english
    assert any(e.startswith("A&E assault attendances (ISTV, trust returns) by age band")
               for e in english)
    who_cy = _sections(welsh)["who"]
    assert all("Ymweliadau ag adrannau brys" not in getattr(b, "caption", "")
               for b in who_cy.blocks)
    # the fixed words around them are still Welsh
    assert who_cy.title.startswith("Pwy sy'n gysylltiedig")
    # and the not-pooled chapter's changed paragraph is English, not the old Welsh
    report, ctx = _built(make_inputs(), period="2025", threshold=5,
                         published="1 January 2026 09:00", draft=False, seed=1)
    welsh, english = welsh_report(report, sentence_table(ctx))
    assert "Victims are not described here." in english
    assert _sections(welsh)["who"].blocks[0].text == "Victims are not described here."


def test_a_threshold_changes_the_welsh_with_the_english() -> None:
    inputs = make_inputs()
    report, ctx = _built(inputs, period="2025", threshold=10, published="1 January 2026 09:00",
                         draft=False, seed=1)
    welsh, english = welsh_report(report, sentence_table(ctx))
    request = next(b for b in _sections(welsh)["services"].blocks if isinstance(b, Table))
    assert request.provenance.suppression == ("niferoedd o dan 10 mewn ffurflenni cyfanredol "
                                              "i'w hatal pan ddônt i law")
    mine = {t for section in _sections(report).values() for _, t in _pieces(section)}
    assert any("below 10" in t for t in mine)
    assert not any("below 10" in e for e in english & mine)


def test_the_community_voice_chapters_source_lines_are_welsh() -> None:
    summary = VoiceSummary(title="Safer streets", question="What would help?", participants=40,
                           groups=(30, 10), consensus=(), group_views=())
    heard = ConsultationSummary(
        title="Feeling safe 2026", period="closed 31 March 2026", ways=("Survey: Feeling safe",),
        responses=(("online", 40),), differing=(("Castle", felt_unsafe.FELT),
                                                ("Spencer", felt_unsafe.RECORDED)),
        you_said=(("More lighting", "Planned", "Lights on Abington Street"),))
    inputs = dataclasses.replace(make_inputs(), conversations=(summary,), theme_sets=(),
                                 consultations=(heard,))
    ctx = Context(inputs=inputs, period=parse_period("2025"), threshold=5)
    table = cymraeg_partners.sentences(ctx)
    blocks = voice_chapter(ctx).blocks
    conversations = next(b for b in blocks if isinstance(b, Table) and b.id == "t14-2-voice")
    assert table[conversations.provenance.source] == "Sgyrsiau datganiadau Alliance (dull Pol.is)"
    assert table[conversations.provenance.suppression] == "dangosir grwpiau o lai na 5 fel [c]"
    differing = next(b.text for b in blocks if isinstance(b, Paragraph)
                     and b.text.startswith("Where feeling"))
    assert table[differing] == ("Lle mae teimlo'n anniogel a thrais a gofnodwyd yn "
                                "gwahaniaethu fwyaf: Castle (teimlo'n anniogel, ychydig wedi'i "
                                "gofnodi); Spencer (wedi'i gofnodi, heb deimlo'n anniogel).")
    said = next(b for b in blocks if isinstance(b, Table) and b.id.startswith("t14-1-you"))
    assert table[said.caption] == "Dywedoch chi, gwnaethom ni: Feeling safe 2026"
    assert table[said.provenance.suppression] == "dim angen (dim niferoedd)"
    assert table[said.provenance.period] == "fel y'u cofnodwyd"


def test_every_band_and_data_request_cell_has_its_welsh() -> None:
    _, _, ctx = _build(False)
    table = cymraeg_partners.sentences(ctx)
    assert all(w in table for w in who.BAND_WORDS.values())
    needs = [*requests.core_needs(ctx), *requests.who_needs(ctx), *requests.youth_needs(ctx),
             *requests.health_needs(ctx), *requests.risk_needs(ctx), *requests.VOICE_NEEDS,
             *requests.SERVICES_NEEDS, *requests.CORE_NEEDS.values(),
             *requests.HEALTH_NEEDS.values(),
             *(n for here in ([], ["istv_ae"], ["police_extract"])
               for n in who.still_missing(ctx, here))]
    for need in needs:
        for text in (need.partner, need.dataset, need.fields, need.period, need.basis):
            assert text in table, text
        assert table[need.fields] != need.fields


def _pooled_health(data: PartnerData) -> tuple[list[Any], dict[str, str]]:
    """The health lens of ``data`` for its whole area, and the Welsh table for it."""
    pub = data.publication
    geo = pub.cube.geography
    ctx = SimpleNamespace(level="area", code=geo.code, fperiod=pub.year("2024"),
                          period=SimpleNamespace(last="2025-12"), threshold=5,
                          inputs=SimpleNamespace(partners={data.source: data}, consultations=()))
    blocks = pooled.health_blocks(data, level="area", code=geo.code, wanted=pub.year("2024"),
                                  threshold=5)
    return blocks, {**SUMMARY, **cymraeg_partners.sentences(ctx)}  # type: ignore[arg-type]


def test_a_pooled_health_source_with_every_table_is_welsh() -> None:
    """A busy A&E source: its monthly and weapon charts, the placement table with geocoding's
    methods, and both tables of the share with no police record nearby (with the notes the
    web layer writes)."""
    judged = pd.DataFrame({"by": ["whole area", "month", "month", "area", "area"],
                           "group": ["Testshire", "2024-01", "2024-02", "LA 61", "LA 62"],
                           "events": [100, 40, 60, 50, 50], "hidden": [40, 15, 25, 20, 20]})
    window = "within 200 metres and the same month"
    data = dataclasses.replace(
        _data(4, 6.0), hidden=judged, hidden_local=judged,
        hidden_note=(f"{window} of a police.uk record (its map points are anonymised, so no "
                     "tighter); assaults without a map point, or in months police data is not "
                     "held for, are not judged"),
        hidden_local_note=("within 100 metres and 3 days either side of a record in the local "
                           "police extract; assaults without a map point or a date, or in "
                           "months the extract does not cover, are not judged"),
        placement=pd.DataFrame({"method": ["postcode", geocode.STREET_FUZZY, "",
                                           geocoding.POINT_GIVEN], "rows": [50, 30, 7, 20]}))
    blocks, table = _pooled_health(data)
    assert {type(b).__name__ for b in blocks} == {"Paragraph", "Figure", "Table"}
    assert sum(isinstance(b, Figure) for b in blocks) == 2  # by month and by weapon
    cy = Translator(table)
    welsh = [_block(b, cy) for b in blocks]
    assert cy.english <= {"LA 61", "LA 62", "Testshire"}, sorted(cy.english)
    for en, w in zip(blocks, welsh, strict=True):
        for field in ("text", "caption", "message", "alt_text"):
            if hasattr(en, field):
                assert Counter(NUMBER.findall(getattr(en, field))) == \
                    Counter(NUMBER.findall(getattr(w, field)))
    weapon = next(b for b in welsh if isinstance(b, Figure) and "arf" in b.caption)
    assert weapon.message.startswith("Roedd ") and "cyllell" in weapon.message


def test_an_unknown_note_leaves_its_paragraph_english() -> None:
    judged = pd.DataFrame({"by": ["whole area"], "group": ["Testshire"], "events": [100],
                           "hidden": [40]})
    data = dataclasses.replace(_data(4, 6.0), hidden=judged,
                               hidden_note="within 200 metres of a record somewhere new")
    blocks, table = _pooled_health(data)
    cy = Translator(table)
    for b in blocks:
        _block(b, cy)
    assert partner_words.share_words(data, 5) in cy.english


@pytest.mark.parametrize(("mean", "threshold", "start"), [(3.0, None, "heb ei atal"),
                                                          (3.0, 5, "15 ffigur yn gudd"),
                                                          (60.0, 2, "dim ffigur yn gudd")])
def test_a_who_tables_suppression_line_is_welsh(mean: float, threshold: int | None,
                                                start: str) -> None:
    """Each wording of Publication.status (record-level, some hidden, none hidden)."""
    cube, _ = people_rows(4, mean=mean)
    pub = publish(cube, threshold=threshold)
    table = who_figures.who_table(pub, period=pub.year("2024"))
    assert table is not None
    english = who_figures.status(pub, table)
    welsh = cymraeg_who.status_cy(english)
    assert welsh is not None and welsh.startswith(start), (english, welsh)
    assert NUMBER.findall(english) == NUMBER.findall(welsh)
    assert cymraeg_who.status_cy(english + " (changed)") is None


@pytest.mark.parametrize(("states", "threshold"), [
    (("held", "hidden", "hidden", "not held"), 5), (("held", "held"), 5),
    (("held", "not held"), None), (("by year only", "held"), 5)])
def test_a_monthly_suppression_line_is_welsh(states: tuple[str, ...],
                                             threshold: int | None) -> None:
    """Each part of alliance.figures.monthly.status, with its numbers."""
    english = monthly_figures.status(pd.DataFrame({"state": list(states)}), threshold)
    welsh = cymraeg_partners._months_status(english)
    assert welsh is not None, english
    assert NUMBER.findall(english) == NUMBER.findall(welsh)
    assert welsh.count("; ") == english.count("; ")
    assert cymraeg_partners._months_status(english + "; and something new") is None


def test_a_suppression_line_has_one_welsh_whichever_chapter_prints_it() -> None:
    """The police figures' lines (cymraeg_context, cymraeg_overall) and a partner source's
    (here) are the same English: the table must hold one Welsh for each."""
    _, _, ctx = _build(False)
    for keys in (overall.count_keys(ctx), []):
        english = ctx.pub.status(keys)
        assert cymraeg_who.status_cy(english) == cymraeg_context.status_cy(ctx, keys)
    months = month_counts(ctx)
    assert cymraeg_partners._months_status(months.status) == \
        cymraeg_overall.months_status_cy(ctx)
