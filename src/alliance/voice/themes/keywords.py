"""Keyword labels for themes by class-based TF-IDF (c-TF-IDF).

What it computes
----------------
For each theme, the words that are frequent in that theme's texts *and* rare across the other
themes, following Grootendorst (2022), *BERTopic: Neural topic modeling with a class-based
TF-IDF procedure*, eq. 1::

    weight(t, c) = tf(t, c) * log(1 + A / f(t))

where ``tf(t, c)`` is the frequency of word ``t`` in the texts of theme ``c`` divided by the
number of words in theme ``c`` (BERTopic normalises by L1 the same way), ``f(t)`` the frequency
of ``t`` over all themes and ``A`` the average number of words per theme. Words are lower-cased
unigrams of at least two letters; scikit-learn's English stop-word list is removed. Ties are
broken alphabetically so labels are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer


def theme_keywords(texts_by_theme: Mapping[int, Sequence[str]], *, n_keywords: int = 5
                   ) -> dict[int, tuple[str, ...]]:
    """The ``n_keywords`` highest c-TF-IDF words of each theme (an empty tuple if none)."""
    themes = list(texts_by_theme)
    documents = [" ".join(texts_by_theme[theme]) for theme in themes]
    if not themes:
        return {}
    vectorizer = CountVectorizer(stop_words="english", lowercase=True,
                                 token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    try:
        counts = vectorizer.fit_transform(documents).toarray().astype(np.float64)
    except ValueError:  # only stop words / no words at all
        return {theme: () for theme in themes}
    vocabulary = vectorizer.get_feature_names_out()
    words_per_theme = counts.sum(axis=1, keepdims=True)
    tf = counts / np.maximum(words_per_theme, 1.0)
    average_words = float(words_per_theme.mean())
    idf = np.log(1.0 + average_words / np.maximum(counts.sum(axis=0), 1.0))
    weights = tf * idf
    result: dict[int, tuple[str, ...]] = {}
    for row, theme in enumerate(themes):
        positive = np.flatnonzero(weights[row] > 0)
        # Sort by weight descending, then alphabetically (vocabulary is already sorted).
        ranked = positive[np.lexsort((positive, -weights[row, positive]))]
        result[theme] = tuple(str(vocabulary[i]) for i in ranked[:n_keywords])
    return result
