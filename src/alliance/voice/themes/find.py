"""Find themes in free text: statements, survey answers or workshop notes alike.

Method
------
1. Embed every text with all-MiniLM-L6-v2 (:mod:`alliance.voice.themes.embed`), offline.
2. Group the embeddings (Ward tree cut, polished by k-means), the number of themes chosen by
   cosine silhouette unless given, clusters under ``min_size`` dissolved
   (:mod:`alliance.voice.themes.clustering`).
3. Label each theme by its c-TF-IDF keywords (:mod:`alliance.voice.themes.keywords`), pick the
   texts closest to its centre as quotes, and give each text every theme within ``margin`` of
   its best (several themes per text), then count.

This is exploratory grouping to help an analyst read many texts, not a statistical test: there
is no null hypothesis or p-value. The same input gives the same themes; ``seed`` is kept for the
k-means runs (the polishing step and :meth:`ThemeResult.split`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from alliance import config
from alliance.voice.themes.clustering import choose_partition
from alliance.voice.themes.embed import EMBEDDING_DIMENSION
from alliance.voice.themes.endpoint import embed_configured
from alliance.voice.themes.result import ThemeResult, ThemeSettings, build_result


def find_themes(texts: Sequence[str] | pd.Series, *, ids: Sequence[Hashable] | None = None,
                n_themes: int | None = None, seed: int = 0, min_size: int = 3,
                max_themes: int = 15, margin: float = 0.05, min_similarity: float = 0.4,
                n_quotes: int = 3, n_keywords: int = 5,
                embeddings: np.ndarray | None = None) -> ThemeResult:
    """Themes of ``texts`` with keyword labels, quotes, several themes per text and counts.

    Parameters
    ----------
    texts : the texts (a list, or a Series whose index is used as ids when ``ids`` is None).
    ids : one unique id per text (default: 0, 1, 2, ...).
    n_themes : fix the number of themes; by default chosen by silhouette.
    seed : k-means random state (polishing and later splits).
    min_size : smallest theme kept; smaller clusters join the nearest theme.
    max_themes : upper end of the automatic search.
    margin, min_similarity : the several-themes-per-text rule (see ``clustering``).
    n_quotes, n_keywords : quotes and keywords kept per theme.
    embeddings : precomputed unit embeddings (texts × 384); by default computed by the
        bundled model, or by ``ALLIANCE_EMBEDDING_URL`` when set (see ``endpoint``).

    Raises
    ------
    ValueError naming the offending text id: no texts, blank or non-text entries, duplicated
    ids, ids of the wrong length, bad option values, embeddings of the wrong shape.
    """
    if isinstance(texts, str):
        raise TypeError("find_themes() takes a sequence of texts, not a single str")
    if ids is None and isinstance(texts, pd.Series):
        ids = list(texts.index)
    items = list(texts)
    id_list: list[Hashable] = list(range(len(items))) if ids is None else list(ids)
    _validate(items, id_list, n_themes=n_themes, min_size=min_size, max_themes=max_themes,
              margin=margin, n_quotes=n_quotes)
    if embeddings is None:
        # the bundled model, or the local model server the partnership configured
        vectors = embed_configured(items)
    else:
        vectors = np.asarray(embeddings, dtype=np.float32)
        if vectors.shape != (len(items), EMBEDDING_DIMENSION) or not np.isfinite(vectors).all():
            raise ValueError(f"embeddings must be finite with shape ({len(items)}, "
                             f"{EMBEDDING_DIMENSION}); got {vectors.shape}")
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    labels, silhouette = choose_partition(vectors, n_themes=n_themes, seed=seed,
                                          min_size=min_size, max_themes=max_themes)
    settings = ThemeSettings(margin=margin, min_similarity=min_similarity, n_quotes=n_quotes,
                             n_keywords=n_keywords, seed=seed,
                             suppression_threshold=config.load().suppression_threshold)
    return build_result(id_list, items, vectors, labels, settings=settings,
                        silhouette=silhouette)


def _validate(items: list[object], id_list: list[Hashable], *, n_themes: int | None,
              min_size: int, max_themes: int, margin: float, n_quotes: int) -> None:
    if not items:
        raise ValueError("find_themes() needs at least one text")
    if len(id_list) != len(items):
        raise ValueError(f"{len(id_list)} ids for {len(items)} texts")
    for text_id, text in zip(id_list, items, strict=True):
        if not isinstance(text, str):
            raise ValueError(f"text {text_id!r} is {type(text).__name__} ({text!r}), not text")
        if not text.strip():
            raise ValueError(f"text {text_id!r} is empty or blank")
    duplicated = pd.Index(id_list)[pd.Index(id_list).duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"duplicated text ids: {duplicated[:10]}")
    if n_themes is not None and not 1 <= n_themes <= len(items):
        raise ValueError(f"n_themes must be between 1 and {len(items)}, got {n_themes}")
    if min_size < 1 or max_themes < 1 or n_quotes < 0 or margin < 0:
        raise ValueError("min_size and max_themes must be >= 1, n_quotes and margin >= 0")
