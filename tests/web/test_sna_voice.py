"""The SNA's community voice chapter is built from the partnership's statement conversations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_shared

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_real_conversation_reaches_the_community_voice_chapter(tmp_path: Path, reference):
    from alliance.voice.opinion import analyse, read_polis_export
    from alliance.web.accounts.demo import seed_demo
    from alliance.web.accounts.models import Partnership
    from alliance.web.conversations.models import Conversation
    from alliance.web.conversations.polis_transfer import import_conversation
    from alliance.web.pool import services
    from alliance.web.reports.services import build_sna

    street = require_shared("policeuk", "street", "northamptonshire")
    services.load_police_uk(sorted(street.glob("2025-0*-street.csv.gz")), reference_dir=reference)
    seed_demo(password="a-long-demo-password-1")
    partnership = Partnership.objects.get()
    folder = require_shared("polis", "london.youth.policing")
    conv = import_conversation(read_polis_export(folder), partnership=partnership,
                               title="Youth and policing", user=None, source=folder.name)
    assert isinstance(conv, Conversation)
    themes = _themes_for(conv, partnership)
    out = build_sna("E23000022", tmp_path / "sna", period="2025-01:2025-06", pdf=False,
                    draft=True)
    table = pd.read_csv(tmp_path / "sna" / "data" / "t14-2-voice.csv")
    row = table.iloc[0]
    assert row["Conversation"] == "Youth and policing"
    # the SNA sees what the results page sees: votes on accepted statements only
    from alliance.web.conversations.services import votes_frame

    direct = analyse(votes_frame(conv)[["participant_id", "statement_id", "vote"]])
    assert row["Opinion groups (sizes)"].startswith(f"{direct.k} (")
    html = (tmp_path / "sna" / "index.html").read_text()
    assert "Pol.is method" in html and "Data request: community voice" not in html
    assert out.report is not None
    _check_theme_table(tmp_path / "sna", themes)
    assert "Themes in what people said" in html


def _themes_for(conv, partnership):  # type: ignore[no-untyped-def]
    """The conversation's themes (renamed, one split so that a theme is small), a statement
    quoted there then flagged and another rejected, and an uploaded survey's themes."""
    from django.contrib.auth import get_user_model

    from alliance.voice.themes.reading import read_free_text
    from alliance.web.conversations.models import Statement
    from alliance.web.themes import services
    from alliance.web.themes.store import load_result

    analyst = get_user_model().objects.filter(membership__role="analyst").get()
    older = services.create_from_conversation(conv, analyst)
    latest = services.create_from_conversation(conv, analyst)
    services.edit(older, "rename", user=analyst, version=0, theme=0, label="Out of date")
    result = load_result(latest)
    services.edit(latest, "rename", user=analyst, version=0, theme=result.theme_ids[0],
                  label="Trust in the police")
    services.edit(latest, "split", user=analyst, version=1, theme=result.theme_ids[0], n=2)
    result = load_result(latest)
    flagged, rejected = result.themes[0].quote_ids[:2]
    Statement.objects.filter(conversation=conv, number=int(flagged)).update(
        flagged="phone number")
    Statement.objects.filter(conversation=conv, number=int(rejected)).update(
        state=Statement.State.REJECTED)
    answers = "answer\n" + "\n".join([
        "The park is dark at night and I do not feel safe walking home",
        "Street lights in the park are broken so it feels unsafe after dark",
        "There is nowhere for teenagers to go in the evening",
        "We need a youth club that is open late on Fridays",
        "Call me on 07700 900123 about the youth club",
        "The youth centre should open at weekends",
        "More activities for young people after school",
        "Somewhere warm for teenagers to meet in the evenings",
        "The underpass has no lighting and feels dangerous at night",
        "Dark alleys near the park are scary after sunset",
    ]) + "\n"
    survey = services.create_from_upload(
        partnership, analyst, read_free_text(answers.encode(), name="survey.csv",
                                             column="answer"),
        title="Youth survey 2025", source="survey", n_themes=2)
    hidden = services.create_from_upload(
        partnership, analyst, read_free_text(answers.encode(), name="survey.csv",
                                             column="answer"),
        title="Not for the SNA", source="survey", include_in_sna=False)
    assert {survey.status, hidden.status} == {"ready"}
    assert "6" not in services.quotable_ids(survey), "line 6 holds a phone number"
    return {"conversation": result, "texts": {str(t): s for t, s in zip(
        result.ids, result.texts, strict=True)}, "flagged": str(flagged),
            "rejected": str(rejected)}


def _check_theme_table(folder: Path, themes) -> None:  # type: ignore[no-untyped-def]
    table = pd.read_csv(folder / "data" / "t14-3-themes.csv", keep_default_na=False)
    print("\n", table[["Source", "Theme", "Count"]].to_string())
    mine = table[table["Source"] == "Youth and policing"]
    result = themes["conversation"]
    assert list(mine["Theme"]) == [t.label for t in result.themes]
    assert "Out of date" not in set(table["Theme"]), "only the latest theme set is shown"
    assert "Trust in the police" not in set(mine["Theme"]), "the renamed theme was split"
    small = [t for t in result.themes if t.n_texts < 5]
    assert small, "the split leaves a small theme"
    for theme, (_, row) in zip(result.themes, mine.iterrows(), strict=True):
        if theme.n_texts < 5:
            assert (row["Count"], row["In their words"]) == ("[c]", "")
        else:
            assert int(row["Count"]) == theme.n_texts and row["In their words"]
    quoted = " ".join(mine["In their words"])
    for key in ("flagged", "rejected"):
        assert themes["texts"][themes[key]] not in quoted, key
    survey = table[table["Source"] == "Youth survey 2025"]
    assert len(survey) == 2 and set(survey["Texts"]) == {"Survey answers"}
    assert any(row["In their words"] for _, row in survey.iterrows())
    assert "07700" not in " ".join(table["In their words"]), "personal data never quoted"
    assert "Not for the SNA" not in set(table["Source"])
