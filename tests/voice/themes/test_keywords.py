"""c-TF-IDF keyword labels (Grootendorst 2022, BERTopic eq. 1)."""

from __future__ import annotations

import math

from alliance.voice.themes.keywords import theme_keywords


def test_distinctive_words_rank_first_and_stop_words_dropped() -> None:
    themes = {
        0: ["The police stop and search us", "police search young people too often"],
        1: ["more youth clubs please", "youth clubs closed and the police are not the answer"],
    }
    words = theme_keywords(themes, n_keywords=3)
    assert words[0][0] == "search"
    assert words[1][:2] == ("clubs", "youth")
    assert not {"the", "and", "are", "us"} & set(words[0] + words[1])


def test_weights_follow_bertopic_formula() -> None:
    """Hand computation of tf(t, c) * log(1 + A / f(t)) for a two-theme example."""
    themes = {0: ["knife knife crime"], 1: ["crime clubs"]}
    words = theme_keywords(themes, n_keywords=5)
    # Theme 0: knife tf=2/3, f=2; crime tf=1/3, f=2. A = (3 + 2) / 2 = 2.5.
    knife = 2 / 3 * math.log(1 + 2.5 / 2)
    crime = 1 / 3 * math.log(1 + 2.5 / 2)
    assert knife > crime
    assert words[0] == ("knife", "crime")
    # Theme 1: crime and clubs tie on weight -> alphabetical.
    assert words[1] == ("clubs", "crime")


def test_no_words_gives_empty_labels() -> None:
    assert theme_keywords({0: ["the and of"], 1: ["it is"]}) == {0: (), 1: ()}
    assert theme_keywords({}) == {}
