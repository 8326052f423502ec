"""Analyst edits of themes — rename, merge, split, re-code — and counts that follow them."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.voice.themes import ThemeResult
from tests.voice.themes.test_find import BIODIVERSITY, statements, themes_of


@pytest.fixture(scope="module")
def result() -> ThemeResult:
    return themes_of(BIODIVERSITY)


def test_rename_keeps_counts_and_survives_other_edits(result: ThemeResult) -> None:
    first, third = result.theme_ids[0], result.theme_ids[2]
    renamed = result.rename(first, "Biodiversity strategy")
    assert renamed.theme(first).label == "Biodiversity strategy"
    assert renamed.theme("Biodiversity strategy").theme == first
    assert renamed.theme(first).label_edited
    assert renamed.to_frame()["n_texts"].tolist() == result.to_frame()["n_texts"].tolist()
    assert result.theme(first).label != "Biodiversity strategy", "original unchanged"
    assert renamed.merge(first, third).theme(first).label == "Biodiversity strategy"
    with pytest.raises(ValueError, match="non-empty"):
        result.rename(first, " ")


def test_merge_moves_every_text(result: ThemeResult) -> None:
    a, b = result.theme_ids[1], result.theme_ids[2]
    merged = result.merge(a, b)
    assert b not in merged.theme_ids
    assert len(merged.themes) == len(result.themes) - 1
    assert merged.theme(a).n_primary == result.theme(a).n_primary + result.theme(b).n_primary
    assert merged.to_frame()["n_primary"].sum() == len(result.texts)
    assert merged.membership.any(axis=1).all()
    with pytest.raises(ValueError, match="itself"):
        result.merge(a, a)
    with pytest.raises(KeyError, match="unknown theme 999"):
        result.merge(a, 999)


def test_split_divides_a_theme(result: ThemeResult) -> None:
    target = result.theme_ids[0]
    split = result.split(target, n=2)
    assert target not in split.theme_ids
    new = [t for t in split.theme_ids if t not in result.theme_ids]
    assert len(new) == 2 and min(new) > max(result.theme_ids)
    assert sum(split.theme(t).n_primary for t in new) == result.theme(target).n_primary
    assert split.to_frame()["n_primary"].sum() == len(result.texts)
    with pytest.raises(ValueError, match="cannot split"):
        result.split(target, n=10_000)


def test_recode_sets_exact_themes_and_counts_follow(result: ThemeResult) -> None:
    series = statements(BIODIVERSITY)
    text_id = series.index[series.str.contains("1080 poison for pest control")][0]
    before = result.themes_of(text_id)
    others = [t for t in result.theme_ids if t not in before][:2]
    recoded = result.recode(text_id, others)
    assert recoded.themes_of(text_id) == tuple(others)
    for theme in others:
        assert recoded.theme(theme).n_texts >= result.theme(theme).n_texts
        assert text_id in recoded.assignments().query("theme == @theme")["text_id"].tolist()
    assert recoded.assignments().query("text_id == @text_id")["recoded"].all()
    # The analyst's coding survives a merge of one of its themes into another.
    kept = next(t for t in recoded.theme_ids if t not in others)
    assert recoded.merge(kept, others[1]).themes_of(text_id) == (others[0], kept)
    # And an empty coding takes the text out of every theme.
    uncoded = result.recode(text_id, ())
    assert uncoded.themes_of(text_id) == ()
    assert uncoded.to_frame()["n_primary"].sum() == len(result.texts) - 1
    with pytest.raises(KeyError, match="unknown text id"):
        result.recode("no such id", others)


def test_result_is_immutable(result: ThemeResult) -> None:
    with pytest.raises(ValueError):
        result.membership[0, 0] = not result.membership[0, 0]
    with pytest.raises(AttributeError):
        result.themes = ()  # type: ignore[misc]
    assert not result.primary.flags.writeable


def test_published_counts_hide_small_themes(result: ThemeResult) -> None:
    split = result
    while not any(t.suppressed for t in split.themes):
        smallest = min(split.themes, key=lambda t: t.n_primary)
        split = split.split(smallest.theme, n=smallest.n_primary - 1)
    published = split.published_counts()
    small = [t.theme for t in split.themes if t.suppressed]
    assert (published.loc[small, "texts"] == "[c]").all()
    shown = [t for t in split.themes if not t.suppressed]
    assert all(published.loc[t.theme, "texts"] == t.n_texts for t in shown)
    assert np.all(split.to_frame().loc[small, "n_texts"] < 5)
