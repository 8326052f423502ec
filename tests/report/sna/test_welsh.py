"""The public summary in Welsh (summary.cy.json, summary.cy.pdf) on small synthetic inputs: the
same numbers as the English, no English words left in what the tool drafts, the partnership's
own words kept in English and marked so, and the Welsh words of changes and ratios."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from alliance.report.sna import write_sna
from alliance.report.welsh import change_cy, dates_cy, join_cy, ratio_cy, soft
from alliance.report.wording import describe_change_plainly
from tests.report.sna.conftest import make_inputs
from tests.report.sna.test_reader import _written
from tests.web.public.welsh import ENGLISH

NUMBER = re.compile(r"[−+-]?\d[\d,]*(?:\.\d+)?%?")


def _texts(document: dict) -> list[str]:  # type: ignore[type-arg]
    """Every visible string of a summary document, with its language mark."""
    out = [document["title"], document["subtitle"], document["period"]]
    for s in document["sections"]:
        out.append(s["title"])
        for b in s["blocks"]:
            if b.get("lang") == "en":
                continue
            out += [re.sub(r"<li lang=\"en\">.*?</li>", " ", b.get("html", ""), flags=re.S),
                    b.get("text", ""), "" if b.get("caption_lang") else b.get("caption", "")]
            heads = b.get("column_lang") or [""] * 99
            out += [c for c, lang in zip(b.get("columns", []), heads, strict=False) if not lang]
            for row, langs in zip(b.get("rows", []),
                                  b.get("cell_lang") or [[""] * 99] * 99, strict=False):
                out += [v for v, lang in zip(row, langs, strict=False) if not lang]
    return out


def _english_words(texts: list[str]) -> list[str]:
    text = " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts).replace("police.uk", " ")
    words = re.findall(r"[A-Za-z']+", text)  # police.uk is a name
    return sorted({w for w in words if w.lower() in ENGLISH})


@pytest.fixture(scope="module")
def both(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("welsh")
    result = write_sna(make_inputs(), out, period="2025", pdf=True)
    english = json.loads((out / "data" / "summary.json").read_text(encoding="utf-8"))
    welsh = json.loads((out / "data" / "summary.cy.json").read_text(encoding="utf-8"))
    return {"out": out, "result": result, "en": english, "cy": welsh}


def test_the_welsh_summary_has_the_english_numbers_and_no_english(both) -> None:  # type: ignore[no-untyped-def]
    en, cy = both["en"], both["cy"]
    assert cy["lang"] == "cy" and en["lang"] == "en-GB"
    assert [s["id"] for s in cy["sections"]] == [s["id"] for s in en["sections"]]
    assert cy["sections"][0]["title"] == "Crynodeb gweithredol"
    # every number is the English summary's own (formatted once, by the same functions)
    assert set(NUMBER.findall(json.dumps(en, ensure_ascii=False))) >= \
        set(NUMBER.findall(" ".join(_texts(cy))))
    head_en, head_cy = en["sections"][0]["blocks"][0], cy["sections"][0]["blocks"][0]
    assert [r[1] for r in head_en["rows"]] == [r[1] for r in head_cy["rows"]]
    assert head_cy["columns"] == ["Mesur", "Ffigur", "Cyfwng hyder 95%", "Mewn geiriau"]
    # nothing the tool drafted is left in English, and nothing is marked English
    assert _english_words(_texts(cy)) == []
    assert "lang\": \"en\"" not in json.dumps(cy)
    # the English summary, checked the same way, is full of English (the check can fail)
    assert len(_english_words(_texts(en))) > 20


def test_the_welsh_pdf_is_written_in_welsh(both) -> None:  # type: ignore[no-untyped-def]
    from alliance.report import html

    assert "summary.cy.pdf" in both["result"].files
    assert (both["out"] / "summary.cy.pdf").read_bytes().startswith(b"%PDF")
    page = html.render(dataclasses.replace(both["result"].report, lang="cy"))
    assert "Neidio i'r prif gynnwys" in page and "Tudalen" in page and "Tabl 1:" in page


def test_the_partnerships_own_words_stay_english_and_are_marked(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_sna(make_inputs(), first, period="2025", pdf=False)
    written = _written(
        first,
        ("summary", "t1-1-headlines", "Violence is concentrated in the north-west square.", {}),
        ("finding", "f-total", "Most violence is in one square.", {}))
    out = tmp_path / "again"
    write_sna(dataclasses.replace(make_inputs(), written=written), out, period="2025",
              pdf=False)
    cy = json.loads((out / "data" / "summary.cy.json").read_text(encoding="utf-8"))
    summary = {s["id"]: s for s in cy["sections"]}
    prose = [b for b in summary["summary"]["blocks"] if b["kind"] == "paragraph"]
    assert [b.get("lang") for b in prose] == ["en"]
    assert "north-west square" in prose[0]["html"]
    findings = summary["key-findings"]["blocks"][-1]["html"]
    assert '<li lang="en">Most violence is in one square.</li>' in findings
    assert "<li>Gan ystyried y tymhorau" in findings  # the drafted ones are in Welsh
    assert _english_words(_texts(cy)) == []


@pytest.mark.parametrize(("change", "low", "high"), [(-5, -8, -2), (12, 5, 19), (-5, -13, 4),
                                                      (0.2, -3, 4), (0.3, 0.1, 0.45)])
def test_a_change_in_welsh_says_what_the_english_says(change: float, low: float,
                                                      high: float) -> None:
    """Source of the wording rule: alliance.report.wording.describe_change_plainly; the Welsh
    carries the same figures and the same verdict (a clear change or not)."""
    english, welsh = describe_change_plainly(change, low, high), change_cy(change, low, high)
    assert NUMBER.findall(english) == NUMBER.findall(welsh) or "less than" in english
    assert ("no clear change" in english) == ("nid yw hyn yn newid clir" in welsh)
    assert ("fewer" in english) == (" yn llai" in welsh)


def test_welsh_words() -> None:
    assert change_cy(-5, -8, -2) == "tua 5% yn llai (o 2% i 8% yn llai)"
    assert ratio_cy(4.05, 3.9, 4.2, comparator="yn y pumed lleiaf difreintiedig") == \
        "tua 4.0 gwaith mor uchel ag yn y pumed lleiaf difreintiedig (o 3.9 i 4.2 gwaith)"
    assert join_cy(["Castle", "Spencer"]) == "Castle a Spencer"
    assert join_cy(["Spencer", "Abington", "Castle"]) == "Spencer, Abington a Castle"
    assert join_cy(["Castle", "Abington"]) == "Castle ac Abington"
    assert join_cy(["Kettering", "Wellingborough"]) == "Kettering a Wellingborough"
    assert [soft(m) for m in ("Rhagfyr", "Tachwedd", "Mawrth", "Gorffennaf", "Ionawr")] == \
        ["Ragfyr", "Dachwedd", "Fawrth", "Orffennaf", "Ionawr"]
    assert dates_cy("January 2025 to December 2025") == "Ionawr 2025 i Ragfyr 2025"
    assert dates_cy("2 Jan 2026 (imported into Alliance)") == "2 Ionawr 2026 (mewnforiwyd i " \
                                                              "Alliance)"


def test_what_people_said_stays_in_their_words_marked_english(tmp_path: Path) -> None:
    """The community voice chapter: its fixed text in Welsh, what people wrote (statements,
    titles, questions) kept in their words and marked English."""
    from alliance.report.sna.inputs import VoiceSummary

    talk = VoiceSummary(title="Safer streets", question="What would help?", participants=40,
                        groups=(30, 10), consensus=(("More youth clubs", "agree", 100),),
                        group_views=((0, "Free buses", "agree", 88),))
    inputs = dataclasses.replace(make_inputs(), conversations=(talk,), theme_sets=())
    write_sna(inputs, tmp_path, period="2025", pdf=False)
    cy = json.loads((tmp_path / "data" / "summary.cy.json").read_text(encoding="utf-8"))
    voice = next(s for s in cy["sections"] if s["id"] == "community-voice")
    assert voice["title"] == "Llais y gymuned"
    table = next(b for b in voice["blocks"] if b["kind"] == "table")
    assert table["caption"] == "Sgyrsiau datganiadau: grwpiau barn a chonsensws"
    assert "caption_lang" not in table and set(table["column_lang"]) == {""}
    assert table["rows"][0][:2] == ["Safer streets", "What would help?"]
    assert table["cell_lang"][0][:2] == ["en", "en"]
    assert any("dull Pol.is" in b["html"] for b in voice["blocks"] if not b.get("lang"))
    assert any(b.get("lang") == "en" and "Free buses" in b["html"] for b in voice["blocks"])
    assert _english_words(_texts(cy)) == []


def test_the_pooled_scorecard_in_welsh() -> None:
    """The scorecard once partners' data is pooled: its headings, states and measure names in
    Welsh, its figures and intervals unchanged but for the word between them."""
    import pandas as pd

    from alliance.report.document import Provenance, Report, Section, Table
    from alliance.report.sna.cymraeg import SENTENCES
    from alliance.report.sna.partners import CORE_MEASURES
    from alliance.report.sna.translate import welsh_report

    row = {"Measure": CORE_MEASURES[0].label, "Year": "2025", "Count": "1,204",
           "Rate per 1,000 a year (95% CI)": "1.53 (1.45 to 1.62)", "Under 25: count": "[c]",
           "Under 25: rate per 1,000 a year (95% CI)": "whole area only", "Status": "pooled"}
    card = Table(id="t5-1-scorecard", caption="Home Office core outcome measures: scorecard",
                 data=pd.DataFrame([row]), provenance=Provenance(source="ISTV"))
    report = Report(title="T", area="A", period="2025", sections=(
        Section(id="core-measures", title="Core outcome measures", blocks=(card,)),))
    welsh, english = welsh_report(report, dict(SENTENCES["cy"]))
    table = welsh.sections[0].blocks[0]
    # the source, a publisher's name the table does not hold, is reported as left in English
    assert isinstance(table, Table) and english == frozenset({"T", "ISTV"})
    assert table.data.iloc[0].tolist() == [
        "Ymweliadau ag ysbytai yn dilyn ymosodiad â chyllell neu wrthrych miniog", "2025",
        "1,204", "1.53 (1.45 i 1.62)", "[c]", "yr ardal gyfan yn unig", "wedi'i gyfuno"]
    assert list(table.data.columns)[3] == "Cyfradd fesul 1,000 y flwyddyn (cyfwng hyder 95%)"
