"""What the pages, the CSV downloads and the SNA show of a theme set, small counts suppressed.

Who sees what: roles that may see record-level data (``view_record_level``) see exact counts;
everyone else sees counts of 1 to threshold-1 as ``[c]`` (``alliance.privacy.suppression``,
threshold from ``alliance.config``), and no quotes for those themes, since a quote from a theme
of two texts says much about two people. Quotes are only ever drawn from
:func:`alliance.web.themes.services.quotable_ids`.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from alliance import config
from alliance.privacy.csv_output import rows_writer, write_frame
from alliance.privacy.suppression import MARKER, suppress_counts
from alliance.report.sna.inputs import ThemeLine
from alliance.voice.themes import ThemeResult
from alliance.web.themes.services import quotes


def published_counts(result: ThemeResult, *, unsuppressed: bool) -> dict[int, object]:
    """Theme id -> count of texts, or ``[c]`` when small and not ``unsuppressed``."""
    exact = {t.theme: t.n_texts for t in result.themes}
    if unsuppressed or not exact:
        return dict(exact)
    table = suppress_counts(pd.Series(exact, dtype="int64", name="texts"),
                            threshold=config.load().suppression_threshold)
    published = table.published["texts"].tolist()
    return dict(zip(exact, published, strict=True))


def theme_rows(result: ThemeResult, *, unsuppressed: bool, allowed: set[str],
               n_quotes: int = 3) -> list[dict[str, Any]]:
    """One dict per theme, largest first: id, label, keywords, count, quotes."""
    counts = published_counts(result, unsuppressed=unsuppressed)
    rows = []
    for theme in result.themes:
        hidden = counts[theme.theme] == MARKER
        rows.append({"theme": theme.theme, "label": theme.label,
                     "keywords": list(theme.keywords), "count": counts[theme.theme],
                     "suppressed": hidden, "label_edited": theme.label_edited,
                     "quotes": [] if hidden else quotes(result, theme.theme, allowed, n_quotes)})
    return rows


def themes_csv(result: ThemeResult, *, unsuppressed: bool, allowed: set[str]) -> str:
    buffer = io.StringIO()
    writer = rows_writer(buffer, lineterminator="\n")
    writer.writerow(["theme", "label", "keywords", "texts", "label_edited", "quote_1",
                     "quote_2", "quote_3"])
    for row in theme_rows(result, unsuppressed=unsuppressed, allowed=allowed):
        chosen = (row["quotes"] + ["", "", ""])[:3]
        writer.writerow([row["theme"], row["label"], ", ".join(row["keywords"]), row["count"],
                         row["label_edited"], *chosen])
    return buffer.getvalue()


def assignments_csv(result: ThemeResult, texts: list[str]) -> str:
    """Record level: every (text, theme) membership with the text as the reader may see it
    (``texts`` in result order, from :func:`alliance.web.themes.services.shown_texts`)."""
    frame = result.assignments()
    text_of = dict(zip(result.ids, texts, strict=True))
    frame.insert(1, "text", frame["text_id"].map(text_of))
    frame["similarity"] = frame["similarity"].round(4)
    return str(write_frame(frame, index=False, lineterminator="\n"))


def sna_lines(result: ThemeResult, allowed: set[str], *, n_quotes: int = 2
              ) -> tuple[ThemeLine, ...]:
    """Exact counts and quotable quotes; the chapter suppresses with the report's threshold."""
    return tuple(ThemeLine(label=t.label, texts=t.n_texts,
                           quotes=tuple(quotes(result, t.theme, allowed, n_quotes)))
                 for t in result.themes)


def describe_edit(edit: Any, *, unsuppressed: bool) -> str:
    """One line for the edit history; counts below the threshold shown as ``[c]`` unless
    ``unsuppressed``."""
    threshold = config.load().suppression_threshold

    def count(n: int) -> str:
        return MARKER if 0 < n < threshold and not unsuppressed else str(n)

    def theme(item: dict[str, Any]) -> str:
        return f"“{item['label']}” ({count(int(item['n_texts']))} texts)"

    before, after = edit.before, edit.after
    if edit.kind == "rename":
        return f"Theme {before['theme']}: “{before['label']}” renamed “{after['label']}”"
    if edit.kind == "merge":
        kept, gone = before["themes"]
        return (f"{theme(gone)} merged into {theme(kept)}; it now has "
                f"{count(int(after['themes'][0]['n_texts']))} texts")
    if edit.kind == "split":
        parts = ", ".join(theme(t) for t in after["themes"])
        return f"{theme(before['themes'][0])} split into {parts}"
    if edit.kind == "recode":
        def names(items: list[dict[str, Any]]) -> str:
            return ", ".join(f"“{t['label']}”" for t in items) or "no theme"
        return (f"Text {before['text_id']} moved from {names(before['themes'])} to "
                f"{names(after['themes'])}")
    return str(edit.kind)
