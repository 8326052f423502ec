"""Reading and writing Polis's CSV export (compdemocracy/openData layout, see SOURCES.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliance.voice.opinion import (
    PolisConversation,
    PolisExportError,
    read_polis_export,
    write_polis_export,
)
from tests.voice.conftest import (
    ALL_CONVERSATIONS,
    AUSTRIA,
    BIODIVERSITY,
    BOWLING_GREEN,
    LONDON,
    conversation,
    conversation_dir,
    polis_math,
)

# Counts from shared/data/polis/SOURCES.md ("Conversations" table).
EXPECTED = {
    LONDON: dict(vote_rows=640, cells=638, participants=26, comments=39, grouped=24),
    "scoop-hivemind.ubi": dict(vote_rows=7174, cells=7153, participants=234, comments=71,
                               grouped=234),
    BIODIVERSITY: dict(vote_rows=29802, cells=29719, participants=536, comments=316, grouped=443),
    AUSTRIA: dict(vote_rows=61936, cells=61384, participants=1116, comments=522, grouped=900),
    "vtaiwan.uberx": dict(vote_rows=49997, cells=49443, participants=1921, comments=197,
                          grouped=1219),
    BOWLING_GREEN: dict(vote_rows=225524, cells=225524, participants=2031, comments=896,
                        grouped=1581),
}


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_reads_every_real_conversation(name: str) -> None:
    """Row counts equal those documented in shared/data/polis/SOURCES.md."""
    conv = conversation(name)
    expected = EXPECTED[name]
    assert len(conv.votes) == expected["vote_rows"]
    assert len(conv.votes.drop_duplicates(["participant_id", "statement_id"])) == expected["cells"]
    assert len(conv.participants) == expected["participants"]
    assert len(conv.comments) == expected["comments"]
    assert int(conv.polis_groups.notna().sum()) == expected["grouped"]
    assert set(conv.votes["vote"].unique()) <= {-1, 0, 1}


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA])
def test_moderated_out_follows_polis_rule(name: str) -> None:
    """moderated == -1 plus meta statements equals Polis's own ``mod-out`` (SOURCES.md checks)."""
    assert list(conversation(name).moderated_out) == sorted(polis_math(name)["mod-out"])


def test_vote_counts_match_participants_table() -> None:
    """Latest votes per participant reproduce Polis's n-votes/n-agree/n-disagree columns."""
    conv = conversation(AUSTRIA)
    latest = conv.votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["participant_id", "statement_id"], keep="last"
    )
    counts = pd.DataFrame(
        latest.groupby("participant_id")["vote"].agg(
            n_votes="size",
            n_agree=lambda v: (v == 1).sum(),
            n_disagree=lambda v: (v == -1).sum(),
        )
    )
    table = conv.participants.set_index("participant_id")[["n_votes", "n_agree", "n_disagree"]]
    pd.testing.assert_frame_equal(
        counts.sort_index(), table.sort_index().astype("int64"), check_names=False
    )


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_round_trip_is_byte_identical(name: str, tmp_path: Path) -> None:
    """Writing what we read gives back Polis's own files byte for byte, and the same tables."""
    source = conversation_dir(name)
    conv = conversation(name)
    write_polis_export(conv, tmp_path)
    for file in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        if (source / file).exists():
            assert (tmp_path / file).read_bytes() == (source / file).read_bytes(), file
    again = read_polis_export(tmp_path)
    for table in ("votes", "comments", "participants"):
        pd.testing.assert_frame_equal(getattr(again, table), getattr(conv, table))
    assert again.moderated_out == conv.moderated_out
    assert again.metadata == conv.metadata


def test_conversation_is_frozen() -> None:
    conv = conversation(LONDON)
    assert isinstance(conv, PolisConversation)
    with pytest.raises(AttributeError):
        conv.moderated_out = ()  # type: ignore[misc]


def _copy_london(tmp_path: Path) -> Path:
    target = tmp_path / "conv"
    target.mkdir()
    for file in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        shutil.copy(conversation_dir(LONDON) / file, target / file)
    return target


def _edit_line(path: Path, line: int, edit: str) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = edit.encode("utf-8")
    path.write_bytes(b"\n".join(lines))


def test_truncated_row_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    _edit_line(folder / "votes.csv", 5, "1658933760180,Wed Jul 27 21:56:00 WIB 2022,1")
    with pytest.raises(PolisExportError, match=r"votes\.csv, line 5: expected 5 fields"):
        read_polis_export(folder)


def test_truncated_file_in_open_quote_is_reported(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    text = (folder / "comments.csv").read_text(encoding="utf-8")
    (folder / "comments.csv").write_text(text + '1,x,99,1,0,0,1,"unterminated', encoding="utf-8")
    with pytest.raises(PolisExportError, match=r"comments\.csv, line 41: malformed CSV"):
        read_polis_export(folder)


def test_bad_vote_value_names_line_and_field(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    _edit_line(folder / "votes.csv", 3, "1658933844092,Wed Jul 27 21:57:24 WIB 2022,1,2,7")
    with pytest.raises(PolisExportError, match=r"votes\.csv, line 3, field 'vote'"):
        read_polis_export(folder)


def test_non_integer_id_names_line_and_field(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    _edit_line(folder / "votes.csv", 4, "1658933844092,Wed Jul 27 21:57:24 WIB 2022,abc,2,1")
    with pytest.raises(PolisExportError, match=r"line 4, field 'comment-id'.*'abc'"):
        read_polis_export(folder)


def test_bad_matrix_cell_names_line_and_statement(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    path = folder / "participants-votes.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[1].split(",")
    fields[7] = "yes"  # first statement column (id 1)
    lines[1] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    (folder / "votes.csv").unlink()
    with pytest.raises(PolisExportError, match=r"participants-votes\.csv, line 2, field '1'"):
        read_polis_export(folder)


def test_mis_encoded_file_names_line(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    path = folder / "comments.csv"
    data = path.read_bytes().split(b"\n")
    data[2] = data[2].replace(b"Eliminate", b"Elimin\xe9te").replace(b"a", b"\xe9", 1)
    path.write_bytes(b"\n".join(data))
    with pytest.raises(PolisExportError, match=r"comments\.csv, line 3: not valid UTF-8"):
        read_polis_export(folder)


def test_missing_column_is_named(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    comments = pd.read_csv(folder / "comments.csv").drop(columns="moderated")
    comments.to_csv(folder / "comments.csv", index=False)
    with pytest.raises(PolisExportError, match=r"field 'moderated': required column missing"):
        read_polis_export(folder)


def test_missing_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"comments\.csv"):
        read_polis_export(tmp_path)
    folder = _copy_london(tmp_path)
    (folder / "votes.csv").unlink()
    (folder / "participants-votes.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"votes\.csv"):
        read_polis_export(folder)


def test_malformed_meta_json_is_reported(tmp_path: Path) -> None:
    folder = _copy_london(tmp_path)
    (folder / "polis-api").mkdir()
    (folder / "polis-api" / "comments.json").write_text('[{"statement_id": 1,\n', "utf-8")
    with pytest.raises(PolisExportError, match=r"comments\.json, line 2: malformed JSON"):
        read_polis_export(folder)


def test_votes_from_matrix_when_votes_csv_absent(tmp_path: Path) -> None:
    """Without votes.csv the matrix gives the latest vote per cell (as for Bowling Green)."""
    folder = _copy_london(tmp_path)
    full = read_polis_export(folder)
    (folder / "votes.csv").unlink()
    from_matrix = read_polis_export(folder)
    assert "timestamp" not in from_matrix.votes.columns
    latest = (
        full.votes.sort_values("timestamp", kind="stable")
        .drop_duplicates(["participant_id", "statement_id"], keep="last")
        .set_index(["participant_id", "statement_id"])["vote"]
        .sort_index()
    )
    pd.testing.assert_series_equal(
        from_matrix.votes.set_index(["participant_id", "statement_id"])["vote"].sort_index(),
        latest,
    )


def test_participants_derived_when_matrix_absent(tmp_path: Path) -> None:
    """Without participants-votes.csv: vote counts from votes.csv, no Polis groups."""
    folder = _copy_london(tmp_path)
    full = read_polis_export(folder)
    (folder / "participants-votes.csv").unlink()
    derived = read_polis_export(folder).participants.set_index("participant_id")
    original = full.participants.set_index("participant_id").loc[derived.index]
    assert derived["group_id"].isna().all()
    for column in ("n_votes", "n_agree", "n_disagree", "n_comments"):
        assert derived[column].tolist() == original[column].astype("int64").tolist(), column


def test_comments_that_start_like_formulas_are_quoted_and_read_back(tmp_path: Path) -> None:
    """comments.csv is opened in spreadsheets: a comment starting with = + - @ is written with a
    quote in front (alliance.privacy.csv_output) and read back as the resident wrote it."""
    import csv
    import dataclasses

    conv = conversation(LONDON)
    comments = conv.comments.copy()
    comments.loc[0, "body"] = '=HYPERLINK("http://evil.example","more police")'
    comments.loc[1, "body"] = "-1"  # a number stays a number
    write_polis_export(dataclasses.replace(conv, comments=comments), tmp_path)
    with (tmp_path / "comments.csv").open(encoding="utf-8", newline="") as handle:
        bodies = [row["comment-body"] for row in csv.DictReader(handle)]
    assert bodies[0] == '\'=HYPERLINK("http://evil.example","more police")'
    assert bodies[1] == "-1"
    again = read_polis_export(tmp_path)
    assert again.comments["body"].tolist()[:2] == comments["body"].tolist()[:2]
