"""Export a conversation as Polis CSVs and import a Polis export into a new conversation."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from alliance.sources.errors import SourceFileError
from alliance.sources.limits import check_archive, read_member
from alliance.voice.opinion import PolisConversation, read_polis_export, write_polis_export
from alliance.voice.screening import normalise, screen
from alliance.web.accounts.models import Partnership
from alliance.web.conversations.models import Conversation, Participant, Statement, Vote
from alliance.web.conversations.services import STAFF_AUTHOR, run_analysis, votes_frame

POLIS_FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
MAX_UNZIPPED = 200 * 1024 * 1024
MODERATED = {Statement.State.ACCEPTED: 1, Statement.State.PENDING: 0,
             Statement.State.REJECTED: -1, Statement.State.META: -1,
             Statement.State.REFERRED: -1}


class ImportProblem(ValueError):
    """The upload is not a Polis export we can read; the message says which file and why."""


def to_polis(conversation: Conversation) -> PolisConversation:
    """The conversation in :class:`PolisConversation` form (votes: latest per pair).

    Only accepted statements and the votes on them are exported: a pending, rejected, set
    aside or referred statement's text never leaves the workspace this way.
    """
    votes = votes_frame(conversation)
    statements = list(conversation.statements.filter(state=Statement.State.ACCEPTED)
                      .select_related("author_participant"))
    counts = votes.groupby(["statement_id", "vote"]).size()
    comments = pd.DataFrame({
        "timestamp": [int(s.created_at.timestamp() * 1000) for s in statements],
        "statement_id": [s.number for s in statements],
        "author_id": [s.author_participant.number if s.author_participant else STAFF_AUTHOR
                      for s in statements],
        "agrees": [int(counts.get((s.number, 1), 0)) for s in statements],
        "disagrees": [int(counts.get((s.number, -1), 0)) for s in statements],
        "moderated": [MODERATED[s.state] for s in statements],
        "body": [s.text for s in statements],
        "is_meta": [s.state == Statement.State.META for s in statements],
    })
    outcome = run_analysis(conversation)
    groups = outcome.analysis.groups if outcome.analysis is not None else pd.Series(dtype="Int64")
    numbers = sorted(set(conversation.participants.values_list("number", flat=True))
                     | set(votes["participant_id"].tolist()))
    by_voter = votes.groupby("participant_id")["vote"]
    authored = pd.Series([a for a in comments["author_id"] if a != STAFF_AUTHOR],
                         dtype="int64").value_counts()
    participants = pd.DataFrame({
        "participant_id": numbers,
        "group_id": pd.array([groups.get(n, pd.NA) for n in numbers], dtype="Int64"),
        "n_comments": [int(authored.get(n, 0)) for n in numbers],
        "n_votes": [int(by_voter.size().get(n, 0)) for n in numbers],
        "n_agree": [int((votes["vote"][votes["participant_id"] == n] == 1).sum())
                    for n in numbers],
        "n_disagree": [int((votes["vote"][votes["participant_id"] == n] == -1).sum())
                       for n in numbers],
    })
    return PolisConversation(
        votes=votes, comments=comments, participants=participants,
        moderated_out=tuple(int(t) for t in comments.loc[comments["moderated"] == -1,
                                                          "statement_id"]),
        metadata={"topic": conversation.title, "conversation-description": conversation.question},
    )


def export_zip(conversation: Conversation) -> bytes:
    """A zip of ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` and ``summary.csv``."""
    with tempfile.TemporaryDirectory() as scratch:
        write_polis_export(to_polis(conversation), scratch)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(scratch).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(scratch).as_posix())
        return buffer.getvalue()


def _unpack(uploads: list[UploadedFile], folder: Path) -> None:
    """Write the uploaded zip or CSVs into ``folder`` under their Polis names."""
    for upload in uploads:
        name = PurePosixPath(upload.name or "").name
        if name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(upload)
            except (zipfile.BadZipFile, OSError, EOFError):
                raise ImportProblem(f"{name}: not a readable zip file") from None
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise ImportProblem(f"{name}: too large once unzipped")
            wanted = [i for i in archive.infolist() if not i.is_dir() and PurePosixPath(
                i.filename).name in (*POLIS_FILES, "comments.json")]
            try:
                # judged by the directory first (expansion ratio), then each member read with
                # its CRC checked: damage is a message naming the member, not an error page
                check_archive(archive, file=name, members=wanted)
                for info in wanted:
                    member = PurePosixPath(info.filename)
                    target = folder / ("polis-api" if member.name == "comments.json" else "")
                    target.mkdir(exist_ok=True)
                    (target / member.name).write_bytes(read_member(archive, info, file=name))
            except SourceFileError as problem:
                raise ImportProblem(str(problem)) from None
        elif name in POLIS_FILES:
            (folder / name).write_bytes(upload.read())
        else:
            raise ImportProblem(f"{name}: expected a .zip or one of {', '.join(POLIS_FILES)}")


def read_upload(uploads: list[UploadedFile]) -> PolisConversation:
    with tempfile.TemporaryDirectory() as scratch:
        _unpack(uploads, Path(scratch))
        try:
            return read_polis_export(scratch)
        except (FileNotFoundError, ValueError) as error:
            raise ImportProblem(str(error).replace(scratch + "/", "")) from None


@transaction.atomic
def import_conversation(polis: PolisConversation, *, partnership: Partnership, title: str,
                        user: Any, source: str = "") -> Conversation:
    """A new (closed) conversation holding the export's statements and latest votes."""
    question = polis.metadata.get("conversation-description", "") or polis.metadata.get(
        "topic", "") or title
    conversation = Conversation.objects.create(
        partnership=partnership, title=title, question=question, created_by=user,
        status=Conversation.Status.CLOSED, imported_from=source[:200])
    votes = polis.votes
    if "timestamp" in votes.columns:
        votes = votes.sort_values("timestamp", kind="stable")
    votes = votes.drop_duplicates(["participant_id", "statement_id"], keep="last")
    numbers = np.union1d(polis.participants["participant_id"].to_numpy(dtype=np.int64),
                         votes["participant_id"].to_numpy(dtype=np.int64))
    participants = {int(n): Participant(conversation=conversation, number=int(n))
                    for n in numbers}
    Participant.objects.bulk_create(participants.values())
    statements: dict[int, Statement] = {}
    for row in polis.comments.to_dict("records"):
        state = (Statement.State.META if row["is_meta"] else
                 Statement.State.REJECTED if row["moderated"] == -1 else
                 Statement.State.ACCEPTED if row["moderated"] == 1 else Statement.State.PENDING)
        number, found = int(row["statement_id"]), screen(str(row["body"]))
        if found.held and state == Statement.State.ACCEPTED:
            state = Statement.State.PENDING  # screened as ours are: a moderator looks first
        statements[number] = Statement(
            conversation=conversation, number=number, text=found.text,
            normalised=normalise(found.text), flagged=found.reason[:200],
            author_participant=participants.get(int(row["author_id"])), state=state)
    Statement.objects.bulk_create(statements.values())
    unknown = set(votes["statement_id"].astype(int)) - set(statements)
    if unknown:
        raise ImportProblem(f"votes refer to statements not in comments.csv: "
                            f"{sorted(unknown)[:5]}")
    Vote.objects.bulk_create([
        Vote(participant=participants[int(p)], statement=statements[int(s)], value=int(v))
        for p, s, v in zip(votes["participant_id"].tolist(), votes["statement_id"].tolist(),
                           votes["vote"].tolist(), strict=True)
    ], batch_size=2000)
    return conversation
