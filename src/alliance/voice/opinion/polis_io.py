"""Read and write Pol.is's CSV conversation export (the compdemocracy/openData layout).

Files in a conversation folder (``shared/data/polis/SOURCES.md`` describes each):

* ``comments.csv`` — ``timestamp, datetime, comment-id, author-id, agrees, disagrees,
  moderated, comment-body`` (columns matched by name, any order);
* ``votes.csv`` — one row per vote *event* (re-votes included): ``timestamp, datetime,
  comment-id, voter-id, vote``; optional when ``participants-votes.csv`` is present;
* ``participants-votes.csv`` — ``participant, [xid], group-id, n-comments, n-votes, n-agree,
  n-disagree`` then one column per voted statement (1 / −1 / 0, empty = not seen);
* ``summary.csv`` — ``key,value`` rows (optional);
* ``polis-api/comments.json`` (optional) — only ``is_meta`` is taken from it, because the CSV
  export has no meta flag and Polis treats meta statements as moderated out.

Votes use +1 = agree in every export file. A file that is mis-encoded, truncated or holds a bad
value raises :class:`PolisExportError` naming the file, line and field.
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alliance.privacy.csv_output import restore, rows_writer

COMMENT_COLUMNS = {
    "timestamp": "timestamp", "datetime": "datetime", "comment-id": "statement_id",
    "author-id": "author_id", "agrees": "agrees", "disagrees": "disagrees",
    "moderated": "moderated", "comment-body": "body",
}
VOTE_COLUMNS = {
    "timestamp": "timestamp", "datetime": "datetime", "comment-id": "statement_id",
    "voter-id": "participant_id", "vote": "vote",
}
PARTICIPANT_COLUMNS = {
    "participant": "participant_id", "xid": "xid", "group-id": "group_id",
    "n-comments": "n_comments", "n-votes": "n_votes", "n-agree": "n_agree",
    "n-disagree": "n_disagree",
}
INTEGER_FIELDS = {
    "timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "voter-id",
    "vote", "participant", "n-comments", "n-votes", "n-agree", "n-disagree",
}
VOTE_CELLS = {"": np.nan, "1": 1.0, "-1": -1.0, "0": 0.0, "1.0": 1.0, "-1.0": -1.0, "0.0": 0.0}


class PolisExportError(ValueError):
    """A Polis export file could not be read; says which file, line and field."""

    def __init__(self, path: Path, line: int | None, field_name: str | None, problem: str):
        where = f"{path}" + (f", line {line}" if line else "") + (
            f", field {field_name!r}" if field_name else ""
        )
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.field, self.problem = path, line, field_name, problem


@dataclass(frozen=True)
class PolisConversation:
    """One Pol.is conversation as found in its CSV export.

    Attributes
    ----------
    votes
        ``participant_id, statement_id, vote`` (+1 agree, −1 disagree, 0 pass) and, when read
        from ``votes.csv``, ``timestamp`` (ms) and ``datetime``; every vote event, re-votes too.
        Read from ``participants-votes.csv`` only, it holds the latest vote per pair and no
        timestamps. Pass it straight to :func:`alliance.voice.opinion.analyse`.
    comments
        ``statement_id, author_id, timestamp, datetime, agrees, disagrees, moderated, body,
        is_meta``.
    participants
        ``participant_id, [xid], group_id`` (Polis's own group, ``<NA>`` if not clustered),
        ``n_comments, n_votes, n_agree, n_disagree``, in file order.
    moderated_out
        Statement ids with ``moderated == -1`` or ``is_meta`` (Polis's ``mod-out`` rule).
    metadata
        ``summary.csv`` key → value, in file order.
    """

    votes: pd.DataFrame
    comments: pd.DataFrame
    participants: pd.DataFrame
    moderated_out: tuple[int, ...]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def polis_groups(self) -> pd.Series:
        """Polis's group id per participant id (``<NA>`` when not clustered)."""
        return self.participants.set_index("participant_id")["group_id"]


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (starting line, fields) of every record; strict about encoding and quoting."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise PolisExportError(
            path, line, None, f"not valid UTF-8 (byte {error.start}: {error.reason})"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            rows.append((start, record))
            start = reader.line_num + 1
    except StopIteration:
        raise PolisExportError(path, 1, None, "file is empty (no header row)") from None
    except csv.Error as error:
        raise PolisExportError(path, start, None, f"malformed CSV ({error})") from None
    for line, record in rows:
        if len(record) != len(header):
            raise PolisExportError(
                path, line, None,
                f"expected {len(header)} fields as in the header, found {len(record)} "
                "(truncated or malformed row)",
            )
    return header, rows


def _column(path: Path, header: list[str], rows: list[tuple[int, list[str]]], name: str,
            *, required: bool = True) -> list[str] | None:
    if name not in header:
        if required:
            raise PolisExportError(path, 1, name, f"required column missing; header is {header}")
        return None
    j = header.index(name)
    return [record[j] for _, record in rows]


def _integers(path: Path, rows: list[tuple[int, list[str]]], name: str, values: list[str],
              *, nullable: bool = False) -> pd.Series:
    text = np.array(values, dtype=str)
    blank = text == ""
    if nullable:
        text = np.where(blank, "0", text)
    try:
        # Fast path: every field is a plain integer literal.
        numbers = text.astype(np.int64)
    except (ValueError, OverflowError):
        numbers = None
    if numbers is None or (blank.any() and not nullable):
        for (line, _), value in zip(rows, values, strict=True):
            stripped = value.strip()
            if stripped == "" and nullable:
                continue
            try:
                int(stripped)
            except ValueError:
                raise PolisExportError(
                    path, line, name, f"expected an integer, got {value!r}"
                ) from None
        raise AssertionError("unreachable: every field parsed as an integer")
    if nullable:
        return pd.Series(numbers, dtype="Int64").mask(pd.Series(blank))
    return pd.Series(numbers, dtype="int64")


def _read_table(
    path: Path,
    columns: dict[str, str],
    optional: set[str],
    parsed: tuple[list[str], list[tuple[int, list[str]]]] | None = None,
) -> pd.DataFrame:
    header, rows = parsed if parsed is not None else _read_rows(path)
    data: dict[str, object] = {}
    for source, target in columns.items():
        values = _column(path, header, rows, source, required=source not in optional)
        if values is None:
            continue
        if source in INTEGER_FIELDS:
            data[target] = _integers(path, rows, source, values)
        elif source == "group-id":
            data[target] = _integers(path, rows, source, values, nullable=True)
        else:
            data[target] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def _read_matrix_votes(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    header, rows = _read_rows(path)
    participants = _read_table(path, PARTICIPANT_COLUMNS, {"xid"}, (header, rows))
    statement_columns = [name for name in header if name not in PARTICIPANT_COLUMNS]
    for name in statement_columns:
        if not name.strip().lstrip("-").isdigit():
            raise PolisExportError(path, 1, name, "statement column names must be integer ids")
    positions = [header.index(name) for name in statement_columns]
    text = np.array([[record[p] for p in positions] for _, record in rows], dtype=str)
    text = text.reshape(len(rows), len(positions))
    cells = np.full(text.shape, np.nan)
    known = np.zeros(text.shape, dtype=bool)
    for token, value in VOTE_CELLS.items():
        match = text == token
        cells[match] = value
        known |= match
    if not known.all():
        i, j = (int(x[0]) for x in np.nonzero(~known))
        raise PolisExportError(
            path, rows[i][0], statement_columns[j],
            f"vote must be 1, -1, 0 or empty, got {text[i, j]!r}",
        )
    voted_row, voted_col = np.nonzero(~np.isnan(cells))
    statement_ids = np.array([int(name) for name in statement_columns], dtype=np.int64)
    votes = pd.DataFrame(
        {
            "participant_id": participants["participant_id"].to_numpy()[voted_row],
            "statement_id": statement_ids[voted_col],
            "vote": cells[voted_row, voted_col].astype(np.int64),
        }
    )
    return votes, participants


def _read_meta_flags(path: Path) -> dict[int, bool]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise PolisExportError(path, None, None, f"not valid UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise PolisExportError(path, error.lineno, None, f"malformed JSON ({error.msg})") from None
    if not isinstance(records, list):
        raise PolisExportError(path, 1, None, "expected a JSON list of statement records")
    flags: dict[int, bool] = {}
    for i, record in enumerate(records):
        key = "statement_id" if "statement_id" in record else "tid"
        if key not in record or "is_meta" not in record:
            raise PolisExportError(path, None, key, f"record {i} lacks 'statement_id'/'is_meta'")
        flags[int(record[key])] = bool(record["is_meta"])
    return flags


def _participants_from_votes(votes: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    """Participants table when the export has no participants-votes.csv: no Polis groups."""
    latest = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["participant_id", "statement_id"], keep="last"
    )
    by_voter = latest.groupby("participant_id", sort=True)["vote"]
    authored = comments["author_id"].value_counts()
    ids = by_voter.size().index
    return pd.DataFrame({
        "participant_id": ids.to_numpy(dtype=np.int64),
        "group_id": pd.Series([pd.NA] * len(ids), dtype="Int64"),
        "n_comments": authored.reindex(ids, fill_value=0).to_numpy(dtype=np.int64),
        "n_votes": by_voter.size().to_numpy(dtype=np.int64),
        "n_agree": by_voter.apply(lambda v: int((v == 1).sum())).to_numpy(dtype=np.int64),
        "n_disagree": by_voter.apply(lambda v: int((v == -1).sum())).to_numpy(dtype=np.int64),
    })


def read_polis_export(folder: str | Path) -> PolisConversation:
    """Read a Polis CSV export folder into a :class:`PolisConversation`.

    Votes come from ``votes.csv`` when present (every event, with timestamps), otherwise from
    the ``participants-votes.csv`` matrix. Raises :class:`PolisExportError` on unreadable files
    and ``FileNotFoundError`` when ``comments.csv`` or both vote files are missing.
    """
    folder = Path(folder)
    comments_path = folder / "comments.csv"
    if not comments_path.exists():
        raise FileNotFoundError(f"{comments_path}: not found (a Polis export needs comments.csv)")
    comments = _read_table(comments_path, COMMENT_COLUMNS, {"datetime"})
    # our own exports quote comment text that a spreadsheet would run as a formula
    comments["body"] = comments["body"].map(restore)
    meta_path = folder / "polis-api" / "comments.json"
    meta = _read_meta_flags(meta_path) if meta_path.exists() else {}
    comments["is_meta"] = comments["statement_id"].map(lambda tid: meta.get(int(tid), False))
    comments["is_meta"] = comments["is_meta"].astype(bool)

    matrix_path, votes_path = folder / "participants-votes.csv", folder / "votes.csv"
    if not matrix_path.exists() and not votes_path.exists():
        raise FileNotFoundError(f"{folder}: neither votes.csv nor participants-votes.csv found")
    participants = None
    if matrix_path.exists():
        votes, participants = _read_matrix_votes(matrix_path)
    if votes_path.exists():
        votes = _read_table(votes_path, VOTE_COLUMNS, {"datetime"})
        votes = votes[["participant_id", "statement_id", "vote", "timestamp"]
                      + (["datetime"] if "datetime" in votes.columns else [])]
        bad = ~votes["vote"].isin([-1, 0, 1]).to_numpy()
        if bad.any():
            _, rows = _read_rows(votes_path)
            first = int(np.flatnonzero(bad)[0])
            raise PolisExportError(votes_path, rows[first][0], "vote",
                                   f"vote must be 1, -1 or 0, got {votes['vote'].iloc[first]}")
    if participants is None:
        participants = _participants_from_votes(votes, comments)

    metadata: dict[str, str] = {}
    summary_path = folder / "summary.csv"
    if summary_path.exists():
        header, rows = _read_rows(summary_path)
        metadata = dict([(header[0], header[1])] + [(r[0], r[1]) for _, r in rows])
    moderated = comments.loc[(comments["moderated"] == -1) | comments["is_meta"], "statement_id"]
    return PolisConversation(
        votes=votes.reset_index(drop=True),
        comments=comments,
        participants=participants.reset_index(drop=True),
        moderated_out=tuple(sorted(int(t) for t in moderated)),
        metadata=metadata,
    )


def _datetime_text(stamp: int) -> str:
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(stamp / 1000))


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = rows_writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _cell(value: object) -> object:
    missing = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
    return "" if missing else value


def write_polis_export(conversation: PolisConversation, folder: str | Path) -> None:
    """Write ``conversation`` in Polis's CSV export layout (``read_polis_export`` reads it back).

    ``votes.csv`` is written only when the votes carry timestamps; ``participants-votes.csv``
    holds the latest vote per pair; meta flags go to ``polis-api/comments.json``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    comments = conversation.comments
    stamps = comments["timestamp"].astype(int).tolist()
    texts = comments["datetime"].tolist() if "datetime" in comments else [None] * len(comments)
    _write_csv(folder / "comments.csv", list(COMMENT_COLUMNS), [
        [stamp, text if text is not None else _datetime_text(stamp), *rest]
        for stamp, text, *rest in zip(
            stamps, texts, *(comments[c].tolist() for c in list(COMMENT_COLUMNS.values())[2:]),
            strict=True,
        )
    ])
    if comments["is_meta"].any():
        (folder / "polis-api").mkdir(exist_ok=True)
        records = [{"statement_id": int(t), "is_meta": bool(m), "moderated": int(mod)}
                   for t, m, mod in zip(comments["statement_id"], comments["is_meta"],
                                        comments["moderated"], strict=True)]
        (folder / "polis-api" / "comments.json").write_text(json.dumps(records), "utf-8")

    votes = conversation.votes
    if "timestamp" in votes.columns:
        texts = votes["datetime"].tolist() if "datetime" in votes else [None] * len(votes)
        _write_csv(folder / "votes.csv", list(VOTE_COLUMNS), [
            [stamp, text if text is not None else _datetime_text(stamp), tid, pid, vote]
            for stamp, text, tid, pid, vote in zip(
                votes["timestamp"].tolist(), texts, votes["statement_id"].tolist(),
                votes["participant_id"].tolist(), votes["vote"].tolist(), strict=True,
            )
        ])
        latest = votes.sort_values("timestamp", kind="stable").drop_duplicates(
            ["participant_id", "statement_id"], keep="last")
    else:
        latest = votes
    participants = conversation.participants
    statement_ids = np.unique(latest["statement_id"].to_numpy())
    row_of = pd.Index(participants["participant_id"]).get_indexer(latest["participant_id"])
    if (row_of < 0).any():
        missing = latest["participant_id"].to_numpy()[row_of < 0][:5].tolist()
        raise ValueError(f"votes: participant ids {missing} are not in the participants table")
    cells = np.full((len(participants), len(statement_ids)), "", dtype=object)
    tokens = np.array(["-1", "0", "1"], dtype=object)
    cells[row_of, np.searchsorted(statement_ids, latest["statement_id"].to_numpy())] = tokens[
        latest["vote"].to_numpy(dtype=np.int64) + 1
    ]
    fixed = [c for c in PARTICIPANT_COLUMNS if PARTICIPANT_COLUMNS[c] in participants.columns]
    fixed_rows = participants[[PARTICIPANT_COLUMNS[c] for c in fixed]].astype(object)
    _write_csv(folder / "participants-votes.csv", fixed + [str(c) for c in statement_ids], [
        [_cell(v) for v in fixed_row] + cell_row
        for fixed_row, cell_row in zip(
            fixed_rows.to_numpy().tolist(), cells.tolist(), strict=True
        )
    ])
    if conversation.metadata:
        items = list(conversation.metadata.items())
        _write_csv(folder / "summary.csv", list(items[0]), [list(item) for item in items[1:]])
