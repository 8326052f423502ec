"""The themes found in a set of texts, and the analyst's edits (rename, merge, split, re-code).

A :class:`ThemeResult` is immutable. Every edit returns a new result in which centroids,
keyword labels, quotes, multi-theme membership and counts are recomputed from the edited
assignment, so the counts always follow the analyst's decisions:

* ``rename(theme, label)`` — the label is kept through later edits of that theme's texts.
* ``merge(a, b)`` — every text of ``b`` joins ``a``; ``a`` keeps its id (and its label if it was
  renamed; otherwise new keywords are computed).
* ``split(theme, n=2)`` — k-means (``seed`` of the result) on that theme's texts; the parts get
  new ids. Texts the analyst had re-coded into the theme go to the nearest part.
* ``recode(text_id, themes)`` — the text belongs to exactly these themes from now on (its first
  theme is its own theme; an empty tuple removes it from every theme). The rule for several
  themes per text (see :mod:`alliance.voice.themes.clustering`) no longer applies to it.

Counts of 1–4 texts (below ``alliance.config`` ``suppression_threshold``) are flagged
``suppressed``: publish them as ``[c]`` (:meth:`ThemeResult.published_counts`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from alliance.privacy.suppression import MARKER
from alliance.voice.themes.clustering import kmeans_labels, multi_membership, unit_centroids
from alliance.voice.themes.keywords import theme_keywords

ThemeRef = int | str


@dataclass(frozen=True)
class ThemeSettings:
    """How themes are described and shared out; kept so edits recompute with the same rules."""

    margin: float = 0.05
    min_similarity: float = 0.4
    n_quotes: int = 3
    n_keywords: int = 5
    seed: int = 0
    suppression_threshold: int = 5


@dataclass(frozen=True)
class Theme:
    """One theme: its label, keywords, counts and representative quotes (closest to centre)."""

    theme: int
    label: str
    keywords: tuple[str, ...]
    n_texts: int  # texts in the theme, counting texts that have several themes in each
    n_primary: int  # texts whose own (closest) theme this is
    quote_ids: tuple[Hashable, ...]
    quotes: tuple[str, ...]
    suppressed: bool  # 0 < n_texts < suppression threshold: publish as [c]
    label_edited: bool


@dataclass(frozen=True, eq=False)
class ThemeResult:
    """Themes of ``texts`` (one per id). Arrays are read-only; edit with the methods below.

    Attributes
    ----------
    ids, texts : the input, in order.
    embeddings : (texts × 384) unit sentence embeddings.
    primary : each text's own theme id (-1: none, after ``recode(text_id, ())``).
    themes : the themes, largest first.
    membership : (texts × themes) bool — every theme each text belongs to.
    similarity : (texts × themes) cosine similarity of each text to each theme centre.
    silhouette : mean cosine silhouette of the automatic partition (None if not computed).
    """

    ids: tuple[Hashable, ...]
    texts: tuple[str, ...]
    embeddings: np.ndarray
    primary: np.ndarray
    themes: tuple[Theme, ...]
    membership: np.ndarray
    similarity: np.ndarray
    settings: ThemeSettings
    silhouette: float | None = None
    recoded: tuple[tuple[int, tuple[int, ...]], ...] = ()
    label_overrides: tuple[tuple[int, str], ...] = ()
    _position: dict[Hashable, int] = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------------- reading
    @property
    def theme_ids(self) -> tuple[int, ...]:
        return tuple(theme.theme for theme in self.themes)

    def theme(self, ref: ThemeRef) -> Theme:
        """A theme by id or by (unique) label."""
        return self.themes[self._column(ref)]

    def themes_of(self, text_id: Hashable) -> tuple[int, ...]:
        """Ids of every theme the text belongs to, its own theme first."""
        row = self._row(text_id)
        columns = np.flatnonzero(self.membership[row])
        own = int(self.primary[row])
        ids = [self.themes[c].theme for c in columns]
        return tuple(sorted(ids, key=lambda t: (t != own, -self.similarity[row, ids.index(t)])))

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: label, keywords, counts, share of texts, suppression, quotes."""
        rows = [{"theme": t.theme, "label": t.label, "keywords": ", ".join(t.keywords),
                 "n_texts": t.n_texts, "n_primary": t.n_primary,
                 "share": t.n_texts / len(self.texts) if self.texts else 0.0,
                 "suppressed": t.suppressed, "label_edited": t.label_edited,
                 "quote_ids": t.quote_ids, "quotes": t.quotes} for t in self.themes]
        columns = ["theme", "label", "keywords", "n_texts", "n_primary", "share", "suppressed",
                   "label_edited", "quote_ids", "quotes"]
        return pd.DataFrame(rows, columns=columns).set_index("theme")

    def assignments(self) -> pd.DataFrame:
        """Long table: one row per (text, theme) membership, with similarity and provenance."""
        recoded = dict(self.recoded)
        rows, columns = np.nonzero(self.membership)
        return pd.DataFrame({
            "text_id": [self.ids[r] for r in rows],
            "theme": [self.themes[c].theme for c in columns],
            "label": [self.themes[c].label for c in columns],
            "similarity": self.similarity[rows, columns].astype(float),
            "own_theme": [int(self.primary[r]) == self.themes[c].theme
                          for r, c in zip(rows, columns, strict=True)],
            "recoded": [int(r) in recoded for r in rows],
        })

    def published_counts(self) -> pd.DataFrame:
        """Label and count per theme with counts of 1–4 shown as ``[c]`` (ONS symbol)."""
        frame = self.to_frame()[["label", "n_texts", "suppressed"]]
        published = frame["n_texts"].astype(object).where(~frame["suppressed"], MARKER)
        return pd.DataFrame({"label": frame["label"], "texts": published})

    # ------------------------------------------------------------------- edits
    def rename(self, theme: ThemeRef, label: str) -> ThemeResult:
        """A new result in which ``theme`` is called ``label``."""
        if not isinstance(label, str) or not label.strip():
            raise ValueError("a theme label must be a non-empty string")
        target = self.theme(theme).theme
        overrides = dict(self.label_overrides)
        overrides[target] = label.strip()
        return self._rebuilt(self.primary, dict(self.recoded), overrides)

    def merge(self, a: ThemeRef, b: ThemeRef) -> ThemeResult:
        """A new result in which all texts of ``b`` belong to ``a`` (``b`` disappears)."""
        keep, gone = self.theme(a).theme, self.theme(b).theme
        if keep == gone:
            raise ValueError(f"cannot merge theme {keep} with itself")
        primary = np.where(self.primary == gone, keep, self.primary)
        recoded = {row: tuple(dict.fromkeys(keep if t == gone else t for t in themes))
                   for row, themes in self.recoded}
        overrides = {t: label for t, label in self.label_overrides if t != gone}
        return self._rebuilt(primary, recoded, overrides)

    def split(self, theme: ThemeRef, n: int = 2) -> ThemeResult:
        """A new result in which ``theme`` is split into ``n`` themes by k-means on its texts."""
        target = self.theme(theme).theme
        recoded = dict(self.recoded)
        rows = np.flatnonzero((self.primary == target)
                              & ~np.isin(np.arange(len(self.ids)), list(recoded)))
        if n < 2:
            raise ValueError(f"split needs n >= 2, got {n}")
        if len(rows) < n:
            raise ValueError(f"theme {target} has {len(rows)} texts of its own; "
                             f"cannot split it into {n}")
        parts = kmeans_labels(self.embeddings[rows], n, seed=self.settings.seed)
        if len(np.unique(parts)) < n:
            raise ValueError(f"theme {target}: its texts are too alike to split into {n}")
        first_new = max(self.theme_ids) + 1
        primary = self.primary.copy()
        primary[rows] = first_new + parts
        new_ids = np.arange(first_new, first_new + n)
        centres = unit_centroids(self.embeddings[rows], parts, np.arange(n))
        for row, themes in list(recoded.items()):
            if target in themes:
                nearest = int(new_ids[np.argmax(centres @ self.embeddings[row])])
                recoded[row] = tuple(dict.fromkeys(nearest if t == target else t for t in themes))
                if int(primary[row]) == target:
                    primary[row] = recoded[row][0]
        overrides = {t: label for t, label in self.label_overrides if t != target}
        return self._rebuilt(primary, recoded, overrides)

    def recode(self, text_id: Hashable, themes: Sequence[ThemeRef]) -> ThemeResult:
        """A new result in which text ``text_id`` belongs to exactly ``themes`` (first = own)."""
        if isinstance(themes, (str, int, np.integer)):
            themes = [themes]
        row = self._row(text_id)
        chosen = tuple(dict.fromkeys(self.theme(ref).theme for ref in themes))
        primary = self.primary.copy()
        primary[row] = chosen[0] if chosen else -1
        recoded = dict(self.recoded)
        recoded[row] = chosen
        return self._rebuilt(primary, recoded, dict(self.label_overrides))

    # ---------------------------------------------------------------- internals
    def _rebuilt(self, primary: np.ndarray, recoded: dict[int, tuple[int, ...]],
                 overrides: dict[int, str]) -> ThemeResult:
        return build_result(self.ids, self.texts, self.embeddings, primary,
                            settings=self.settings, recoded=recoded, label_overrides=overrides,
                            silhouette=self.silhouette)

    def _row(self, text_id: Hashable) -> int:
        if not self._position:
            self._position.update({text_id: i for i, text_id in enumerate(self.ids)})
        try:
            return self._position[text_id]
        except (KeyError, TypeError):
            raise KeyError(f"unknown text id {text_id!r}") from None

    def _column(self, ref: ThemeRef) -> int:
        if isinstance(ref, str):
            hits = [i for i, t in enumerate(self.themes) if t.label == ref]
            if len(hits) != 1:
                problem = "no theme" if not hits else f"{len(hits)} themes"
                raise KeyError(f"{problem} labelled {ref!r}; use the theme id")
            return hits[0]
        for i, theme in enumerate(self.themes):
            if theme.theme == ref:
                return i
        raise KeyError(f"unknown theme {ref!r}; themes are {list(self.theme_ids)}")


def _read_only(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array


def build_result(ids: Sequence[Hashable], texts: Sequence[str], embeddings: np.ndarray,
                 primary: np.ndarray, *, settings: ThemeSettings,
                 recoded: dict[int, tuple[int, ...]] | None = None,
                 label_overrides: dict[int, str] | None = None,
                 silhouette: float | None = None) -> ThemeResult:
    """Centroids, membership, keywords, quotes and counts from each text's own theme.

    A theme's texts ("anchors") are the texts whose own theme it is, plus texts the analyst
    re-coded into it; its centre is their normalised mean embedding.
    """
    recoded = dict(recoded or {})
    overrides = dict(label_overrides or {})
    n = len(texts)
    anchors: dict[int, np.ndarray] = {}
    theme_set = {int(t) for t in primary if t >= 0} | {t for ts in recoded.values() for t in ts}
    for theme in theme_set:
        mask = (primary == theme)
        for row, themes in recoded.items():
            mask[row] = theme in themes
        if mask.any():
            anchors[theme] = mask
    # Largest first; ties by id so the order is reproducible.
    order = sorted(anchors, key=lambda t: (-int(anchors[t].sum()), t))
    if order:
        sums = np.stack([embeddings[anchors[t]].mean(axis=0) for t in order])
        centres = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        similarity = (embeddings @ centres.T).astype(np.float32)
    else:
        similarity = np.zeros((n, 0), dtype=np.float32)
    column_of = {t: c for c, t in enumerate(order)}
    primary_column = np.array([column_of.get(int(t), -1) for t in primary], dtype=np.int64)
    membership = multi_membership(similarity, primary_column, margin=settings.margin,
                                  min_similarity=settings.min_similarity)
    for row, themes in recoded.items():
        membership[row] = False
        membership[row, [column_of[t] for t in themes]] = True
    keywords = theme_keywords({t: [texts[int(i)] for i in np.flatnonzero(anchors[t])]
                               for t in order},
                              n_keywords=settings.n_keywords)
    themes_out = []
    for column, theme in enumerate(order):
        rows = np.flatnonzero(anchors[theme])
        closest = rows[np.argsort(-similarity[rows, column], kind="stable")][:settings.n_quotes]
        n_texts = int(membership[:, column].sum())
        label = overrides.get(theme) or ", ".join(keywords[theme][:3]) or f"theme {theme}"
        themes_out.append(Theme(
            theme=theme, label=label, keywords=keywords[theme], n_texts=n_texts,
            n_primary=int((primary == theme).sum()),
            quote_ids=tuple(ids[i] for i in closest), quotes=tuple(texts[i] for i in closest),
            suppressed=0 < n_texts < settings.suppression_threshold,
            label_edited=theme in overrides))
    return ThemeResult(
        ids=tuple(ids), texts=tuple(texts), embeddings=_read_only(embeddings),
        primary=_read_only(np.asarray(primary, dtype=np.int64)), themes=tuple(themes_out),
        membership=_read_only(membership), similarity=_read_only(similarity), settings=settings,
        silhouette=silhouette, recoded=tuple(sorted(recoded.items())),
        label_overrides=tuple(sorted((t, lab) for t, lab in overrides.items() if t in column_of)))


__all__ = ["Theme", "ThemeRef", "ThemeResult", "ThemeSettings", "build_result"]
