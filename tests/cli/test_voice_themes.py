"""`alliance voice themes`: themes of a real conversation's statements from a CSV file, and
bad input refused with the file and line named and a non-zero exit code."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from alliance.cli.main import app
from tests.conftest import require_shared


def test_themes_of_real_statements_with_csv_output(tmp_path) -> None:
    comments = require_shared("polis", "london.youth.policing") / "comments.csv"
    r = CliRunner().invoke(app, ["voice", "themes", str(comments), "--column", "comment-body",
                                 "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    print(r.stdout)
    assert "39 texts from comments.csv" in r.stdout and "Theme 0:" in r.stdout
    themes = pd.read_csv(tmp_path / "themes.csv")
    assignments = pd.read_csv(tmp_path / "assignments.csv")
    assert set(assignments["theme"]) == set(themes["theme"])
    assert set(assignments["text_id"]) <= set(range(2, 41))  # line numbers of the file
    assert themes.iloc[0]["quotes"].split(" | ")[0] in set(assignments["text"])


def test_plain_text_and_a_fixed_number_of_themes(tmp_path) -> None:
    notes = tmp_path / "workshop.txt"
    notes.write_text("\n".join([
        "Street lights in the park are broken", "The park is too dark at night",
        "No lighting on the path by the river", "Dark underpass feels unsafe",
        "Youth club should open on Fridays", "Nothing for teenagers to do in the evening",
        "More activities for young people after school", "A youth centre open at weekends",
    ]) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["voice", "themes", str(notes), "--themes", "2"])
    assert r.exit_code == 0, r.output
    assert "8 texts from workshop.txt: 2 themes." in r.stdout
    assert "fewer than 5 texts" in r.stdout  # small counts are not printed exactly


def test_bad_input_names_the_file_and_line(tmp_path) -> None:
    bad = tmp_path / "answers.csv"
    bad.write_bytes(b"id,answer\n1,fine\n2,not,fine\n")
    r = CliRunner().invoke(app, ["voice", "themes", str(bad), "--column", "answer"])
    assert r.exit_code == 1
    assert "answers.csv, line 3: 3 fields where the header has 2" in r.output
    latin = tmp_path / "notes.txt"
    latin.write_bytes("ok\ncaf\u00e9\n".encode("latin-1"))
    r = CliRunner().invoke(app, ["voice", "themes", str(latin)])
    assert r.exit_code == 1 and "notes.txt, line 2: not UTF-8" in r.output
    r = CliRunner().invoke(app, ["voice", "themes", str(tmp_path / "missing.csv")])
    assert r.exit_code == 1 and "missing.csv" in r.output
    r = CliRunner().invoke(app, ["voice", "themes", str(bad)])
    assert r.exit_code == 1 and "choose the column" in r.output


def test_formulas_and_markup_in_free_text_are_made_harmless(tmp_path) -> None:
    """A resident's text that starts like a formula reaches themes.csv and assignments.csv as
    text, and text that looks like Rich mark-up is printed as it is."""
    notes = tmp_path / "answers.txt"
    texts = ['=HYPERLINK("http://evil.example","lights")', "+street lights [/x] broken",
             "-park too dark at night", "@underpass lights [bold]out[/bold]",
             "Street lights in the park are broken", "The park is too dark at night",
             "Youth club should open on Fridays", "Nothing for teenagers to do in the evening",
             "More activities for young people after school", "A youth centre at weekends"]
    notes.write_text("\n".join(texts) + "\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["voice", "themes", str(notes), "--themes", "2",
                                 "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assignments = pd.read_csv(tmp_path / "assignments.csv")
    written = set(assignments["text"])
    assert '\'=HYPERLINK("http://evil.example","lights")' in written
    assert "'+street lights [/x] broken" in written and "'-park too dark at night" in written
    assert not any(str(t)[:1] in "=+-@" for t in written)
    themes = pd.read_csv(tmp_path / "themes.csv")
    assert not any(str(q)[:1] in "=+-@" for q in themes["quotes"])
    assert themes["n_texts"].astype(str).str.match(r"^(\d+|fewer than \d+)$").all()
