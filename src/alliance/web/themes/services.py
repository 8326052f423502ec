"""Theme sets: create one (from a conversation or an upload), find its themes, edit, read.

Views and the task handler call these; the maths is :mod:`alliance.voice.themes`. Every edit
runs in one transaction that locks the theme set's row, checks the version the analyst was
looking at, applies the core's edit, saves the new state and appends to the edit log, so the
stored assignments and the log never disagree and two analysts never overwrite each other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction

from alliance.voice.themes import (
    EmbeddingEndpointError,
    EmbeddingModelError,
    ThemeResult,
    find_themes,
)
from alliance.voice.themes.reading import FreeText
from alliance.web.tasks.services import Progress, submit
from alliance.web.themes.models import ThemeEdit, ThemeSet, ThemeText
from alliance.web.themes.store import load_result, save_result

#: fewer texts than this are not worth grouping (and every theme would be suppressed)
MIN_TEXTS = 5
#: options of find_themes an analyst may set, with their defaults
DEFAULT_OPTIONS: dict[str, Any] = {"n_themes": None, "seed": 0, "min_size": 3, "max_themes": 15}


class ThemeError(ValueError):
    """A refused request (too few texts, a stale form, an impossible edit); shown as is."""


# ------------------------------------------------------------------------------- creating
def _options(n_themes: int | None) -> dict[str, Any]:
    return DEFAULT_OPTIONS | {"n_themes": n_themes}


def _start(theme_set: ThemeSet, rows: list[ThemeText], user: Any) -> ThemeSet:
    if len(rows) < MIN_TEXTS:
        raise ThemeError(f"there are {len(rows)} texts; finding themes needs at least "
                         f"{MIN_TEXTS}")
    with transaction.atomic():
        theme_set.save()
        for position, row in enumerate(rows):
            row.theme_set, row.position = theme_set, position
        ThemeText.objects.bulk_create(rows, batch_size=500)
    task = submit("find_themes", created_by=user, theme_set=theme_set.pk)
    ThemeSet.objects.filter(pk=theme_set.pk).update(task=task)
    theme_set.refresh_from_db()
    return theme_set


def create_from_conversation(conversation: Any, user: Any, *,
                             n_themes: int | None = None) -> ThemeSet:
    """A theme set of the conversation's accepted statements; themes are found by a task."""
    from alliance.web.conversations.models import Statement

    statements = list(conversation.statements.filter(state=Statement.State.ACCEPTED)
                      .order_by("number"))
    rows = [ThemeText(text_id=str(s.number), text=s.text, statement=s) for s in statements]
    return _start(ThemeSet(partnership=conversation.partnership, conversation=conversation,
                           title=conversation.title, source=ThemeSet.Source.STATEMENTS,
                           source_name=f"{len(rows)} accepted statements", created_by=user,
                           options=_options(n_themes)), rows, user)


def create_from_upload(partnership: Any, user: Any, free_text: FreeText, *, title: str,
                       source: str, include_in_sna: bool = True,
                       n_themes: int | None = None) -> ThemeSet:
    """A theme set of uploaded free text (survey answers, workshop notes)."""
    if source not in ThemeSet.Source.values or source == ThemeSet.Source.STATEMENTS:
        raise ThemeError(f"unknown kind of free text {source!r}")
    where = f"{free_text.name} (column {free_text.column})" if free_text.column \
        else free_text.name
    from alliance.voice.screening import screen

    screened = [screen(t) for t in free_text.texts]
    rows = [ThemeText(text_id=i, text=found.text, flagged=found.reason[:200])
            for i, found in zip(free_text.ids, screened, strict=True)]
    return _start(ThemeSet(partnership=partnership, title=title, source=source,
                           source_name=where[:255], include_in_sna=include_in_sna,
                           created_by=user, options=_options(n_themes)), rows, user)


def refer_concerns(theme_set: ThemeSet, user: Any) -> tuple[list[Any], int]:
    """Refer every uploaded text in which the screen found a safeguarding concern to the
    partnership's safeguarding lead (uploads have no moderation queue). Such texts are
    already withheld from quotes and from readers who do not moderate (``flagged``).

    Returns the referrals made and how many concerns could not be referred because no lead
    is named yet.
    """
    from alliance.voice.screening import CHILD_KIND, SELF_HARM_KIND, THREAT_KIND
    from alliance.web.conversations import safeguarding

    concerns = [t for t in theme_set.texts.order_by("position")
                if any(k in t.flagged for k in (CHILD_KIND, THREAT_KIND, SELF_HARM_KIND))]
    if concerns and safeguarding.contact_for(theme_set.partnership) is None:
        return [], len(concerns)
    where = f"the upload \"{theme_set.title}\" ({theme_set.source_name})"
    return [safeguarding.refer_text(theme_set.partnership, text=t.text, user=user,
                                    concern=f"{t.flagged} (text {t.text_id})", where=where)
            for t in concerns], 0


def find(theme_set: ThemeSet, progress: Progress) -> ThemeResult:
    """Run the core on the stored texts and save the result (the ``find_themes`` task)."""
    texts = list(theme_set.texts.order_by("position").values_list("text_id", "text"))
    progress(f"Reading {len(texts)} texts with the language model", 0, 3)
    try:
        options = {k: v for k, v in theme_set.options.items() if k in DEFAULT_OPTIONS}
        if options.get("n_themes") is not None:
            options["n_themes"] = min(int(options["n_themes"]), len(texts))
        result = find_themes([t for _, t in texts], ids=[i for i, _ in texts], **options)
    except (ValueError, EmbeddingModelError, EmbeddingEndpointError) as exc:
        ThemeSet.objects.filter(pk=theme_set.pk).update(status=ThemeSet.Status.FAILED,
                                                       error=str(exc)[:2000])
        raise ThemeError(str(exc)) from exc
    progress("Saving the themes", 2, 3)
    with transaction.atomic():
        save_result(theme_set, result, embeddings=True)
        theme_set.status, theme_set.error = ThemeSet.Status.READY, ""
        theme_set.save(update_fields=["status", "error"])
    progress("Themes found", 3, 3)
    return result


# -------------------------------------------------------------------------------- editing
def _summary(result: ThemeResult, theme: int) -> dict[str, Any]:
    t = result.theme(theme)
    return {"theme": t.theme, "label": t.label, "n_texts": t.n_texts}


def _themes_of(result: ThemeResult, text_id: str) -> list[dict[str, Any]]:
    return [{"theme": t, "label": result.theme(t).label} for t in result.themes_of(text_id)]


def edit(theme_set: ThemeSet, kind: str, *, user: Any, version: int,
         **arguments: Any) -> ThemeEdit:
    """Apply one analyst edit (rename, merge, split, recode) and log it; counts follow.

    ``version`` is the edit count the analyst's page showed: if someone edited since, the edit
    is refused rather than applied to themes the analyst has not seen.
    """
    with transaction.atomic():
        locked = ThemeSet.objects.select_for_update().get(pk=theme_set.pk)
        if locked.status != ThemeSet.Status.READY:
            raise ThemeError("the themes have not been found yet")
        if locked.version != version:
            raise ThemeError("someone else changed these themes while you were looking; "
                             "nothing was changed: check the themes below and try again")
        result = load_result(locked)
        try:
            new, before, after = _apply(result, kind, arguments)
        except (ValueError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise ThemeError(str(message)) from None
        save_result(locked, new, embeddings=False)
        locked.version += 1
        locked.save(update_fields=["version"])
        logged = ThemeEdit.objects.create(
            theme_set=locked, number=locked.version, kind=kind, editor=user,
            arguments=arguments, before=before, after=after)
    theme_set.refresh_from_db()
    return logged


def _apply(result: ThemeResult, kind: str, arguments: dict[str, Any]
           ) -> tuple[ThemeResult, dict[str, Any], dict[str, Any]]:
    if kind == ThemeEdit.Kind.RENAME:
        theme = int(arguments["theme"])
        before = _summary(result, theme)
        new = result.rename(theme, str(arguments["label"]))
        return new, before, _summary(new, theme)
    if kind == ThemeEdit.Kind.MERGE:
        keep, gone = int(arguments["keep"]), int(arguments["into_it"])
        before = {"themes": [_summary(result, keep), _summary(result, gone)]}
        new = result.merge(keep, gone)
        return new, before, {"themes": [_summary(new, keep)]}
    if kind == ThemeEdit.Kind.SPLIT:
        theme, n = int(arguments["theme"]), int(arguments["n"])
        before = {"themes": [_summary(result, theme)]}
        new = result.split(theme, n)
        parts = [t for t in new.theme_ids if t not in result.theme_ids]
        return new, before, {"themes": [_summary(new, t) for t in sorted(parts)]}
    if kind == ThemeEdit.Kind.RECODE:
        text_id = str(arguments["text_id"])
        themes = [int(t) for t in arguments["themes"]]
        before = {"text_id": text_id, "themes": _themes_of(result, text_id)}
        new = result.recode(text_id, themes)
        return new, before, {"text_id": text_id, "themes": _themes_of(new, text_id)}
    raise ValueError(f"unknown edit {kind!r}")


# -------------------------------------------------------------------------------- reading
def quotable_ids(theme_set: ThemeSet) -> set[str]:
    """Texts that may be quoted: statements now accepted and never flagged for personal data;
    uploaded texts in which the screen finds no personal data."""
    from alliance.web.conversations.models import Statement

    texts = theme_set.texts.all()
    if theme_set.source == ThemeSet.Source.STATEMENTS:
        texts = texts.filter(statement__state=Statement.State.ACCEPTED, statement__flagged="")
    else:
        texts = texts.filter(flagged="")
    return set(texts.values_list("text_id", flat=True))


#: what a reader who does not moderate sees in place of a text that may not be shown
WITHHELD = "[Withheld: held back by moderation or the personal-data screen]"


def shown_texts(theme_set: ThemeSet, result: ThemeResult, *, moderator: bool) -> list[str]:
    """The texts in ``result`` order as a reader may see them on record-level pages: in full
    for moderators; for everyone else only texts that may be quoted (accepted, screened),
    the rest (rejected, referred, flagged) replaced by :data:`WITHHELD`."""
    if moderator:
        return list(result.texts)
    allowed = quotable_ids(theme_set)
    return [text if str(text_id) in allowed else WITHHELD
            for text_id, text in zip(result.ids, result.texts, strict=True)]


def quotes(result: ThemeResult, theme: int, allowed: set[str], n: int) -> list[str]:
    """Up to ``n`` quotable texts of ``theme`` (its own texts and those re-coded into it),
    closest to its centre first."""
    column = result.theme_ids.index(theme)
    mine = result.primary == theme
    mine[[row for row, themes in result.recoded if theme in themes]] = True
    own = np.flatnonzero(mine)
    order = own[np.argsort(-result.similarity[own, column], kind="stable")]
    chosen = [result.texts[i] for i in order if str(result.ids[i]) in allowed]
    return chosen[:n]


def latest_for_conversation(conversation: Any) -> ThemeSet | None:
    return (ThemeSet.objects.filter(conversation=conversation, status=ThemeSet.Status.READY)
            .order_by("-created_at", "-id").first())
