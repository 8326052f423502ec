"""Themes in real free text: the statements of real Pol.is conversations (read in place).

There is no reference implementation to equal here (theme finding is exploratory); the tests
check the properties an analyst relies on and print the themes (run with ``-s`` to read them).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from alliance.voice.themes import ThemeResult, find_themes
from tests.voice.conftest import (
    AUSTRIA,
    BIODIVERSITY,
    BOWLING_GREEN,
    LONDON,
    UBI,
    VTAIWAN,
    conversation,
)


@cache
def statements(name: str) -> pd.Series:
    comments = conversation(name).comments
    return comments.set_index("statement_id")["body"]


@cache
def themes_of(name: str) -> ThemeResult:
    return find_themes(statements(name))


def show(name: str, result: ThemeResult) -> None:
    print(f"\n=== themes in {name}: {len(result.texts)} statements, "
          f"{len(result.themes)} themes (silhouette {result.silhouette:.3f}) ===")
    for theme in result.themes:
        flag = " [suppress when published]" if theme.suppressed else ""
        print(f"[{theme.theme}] {theme.label} — {theme.n_texts} texts{flag}")
        for quote in theme.quotes[:2]:
            print(f"      “{quote[:120]}”")


def row_of(series: pd.Series, text: str) -> object:
    hits = series.index[series.str.strip() == text]
    assert len(hits) == 1, text
    return hits[0]


@pytest.mark.parametrize("name", [LONDON, BIODIVERSITY])
def test_themes_on_real_conversations(name: str) -> None:
    series = statements(name)
    result = themes_of(name)
    show(name, result)
    assert 2 <= len(result.themes) <= 15
    assert result.ids == tuple(series.index)
    assert result.membership.any(axis=1).all(), "every statement has a theme"
    frame = result.to_frame()
    np.testing.assert_array_equal(frame["n_texts"], result.membership.sum(axis=0))
    assert frame["n_primary"].sum() == len(series)
    assert (frame["n_texts"] >= frame["n_primary"]).all()
    assert all(1 <= len(quotes) <= 3 for quotes in frame["quotes"])
    assert all(label for label in frame["label"])
    assert (frame["suppressed"] == (frame["n_texts"] < 5)).all()


def test_several_themes_per_text_on_real_statements() -> None:
    """Some statements sit between two themes and are counted in both (rule: clustering)."""
    result = themes_of(BIODIVERSITY)
    several = result.membership.sum(axis=1) > 1
    assert 0 < several.mean() < 0.5
    row = int(np.flatnonzero(several)[0])
    own = result.themes_of(result.ids[row])
    assert len(own) >= 2 and own[0] == int(result.primary[row])
    assigned = result.assignments()
    assert len(assigned) == int(result.membership.sum())


@pytest.mark.slow
@pytest.mark.parametrize("name", [UBI, VTAIWAN, AUSTRIA, BOWLING_GREEN])
def test_themes_on_the_other_real_conversations(name: str) -> None:
    result = find_themes(statements(name))
    show(name, result)
    assert 2 <= len(result.themes) <= 15
    assert result.membership.any(axis=1).all()
    assert result.to_frame()["n_primary"].sum() == len(result.texts)


def test_different_statements_apart_paraphrases_together_london() -> None:
    series = statements(LONDON)
    result = themes_of(LONDON)

    def own(text: str) -> int:
        return result.themes_of(row_of(series, text))[0]

    ages = [own("I am between 20 and 25 years old."), own("I am between 20 and 24 years old.")]
    ethnicity = own("My ethnicity is Asian or British Asian.")
    gender = own("I identify as female.")
    training = own("Involve them more in training.   Involve them more in spaces were policy’s "
                   "are made.")
    assert ages[0] == ages[1]
    assert len({ages[0], ethnicity, gender, training}) == 4
    assert own("My ethnicity is Black, Black British, Caribbean or African.") == ethnicity


def test_paraphrases_together_biodiversity() -> None:
    series = statements(BIODIVERSITY)
    result = themes_of(BIODIVERSITY)
    first = series.index[series.str.startswith("I no longer accept that it is economy versus")]
    second = series.index[series.str.startswith("I no longer accept that it is economy or")]
    assert result.themes_of(first[0])[0] == result.themes_of(second[0])[0]
    poison = series.index[series.str.contains("1080 poison for pest control")][0]
    urban = row_of(series, "Town planning needs to prioritise biodiversity.")
    assert result.themes_of(poison)[0] != result.themes_of(urban)[0]


def test_plain_list_without_ids_and_same_seed_same_result() -> None:
    texts = statements(LONDON).tolist()
    result = find_themes(texts, embeddings=themes_of(LONDON).embeddings)
    assert result.ids == tuple(range(len(texts)))
    np.testing.assert_array_equal(result.primary, themes_of(LONDON).primary)
    assert result.to_frame()["label"].tolist() == themes_of(LONDON).to_frame()["label"].tolist()


def test_fixed_number_of_themes() -> None:
    result = find_themes(statements(LONDON), n_themes=3, embeddings=themes_of(LONDON).embeddings)
    assert len(result.themes) == 3


def test_few_texts_give_one_theme() -> None:
    result = find_themes(["More youth clubs.", "Fewer stop and searches.", "Safer parks."])
    assert len(result.themes) == 1
    assert result.themes[0].n_texts == 3
    assert result.themes[0].suppressed
    assert result.published_counts()["texts"].tolist() == ["[c]"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"texts": []}, "at least one text"),
    ({"texts": ["a b", "c d"], "ids": ["x", "x"]}, r"duplicated text ids: \['x'\]"),
    ({"texts": ["a b", " "], "ids": ["x", "y"]}, "text 'y' is empty"),
    ({"texts": ["a b", float("nan")], "ids": ["x", "y"]}, "text 'y' is float"),
    ({"texts": ["a b", "c d"], "ids": ["x"]}, "1 ids for 2 texts"),
    ({"texts": ["a b", "c d"], "n_themes": 5}, "n_themes must be between 1 and 2"),
    ({"texts": ["a b", "c d"], "embeddings": np.zeros((2, 3))}, "shape"),
])
def test_bad_input_is_named(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        find_themes(**kwargs)  # type: ignore[arg-type]
