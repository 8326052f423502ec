"""Save a :class:`ThemeResult` into a :class:`ThemeSet` and load it back, exactly.

Only the inputs of :func:`alliance.voice.themes.result.build_result` are stored (see the notes in
:mod:`alliance.web.themes.models`); loading calls ``build_result`` on them, so a loaded result
equals the saved one in every field: ids, texts, embeddings (bit for bit), each text's own
theme, membership, similarity, keywords, quotes, counts, labels and re-codings.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from alliance.voice.themes import EMBEDDING_DIMENSION, ThemeResult, ThemeSettings
from alliance.voice.themes.result import build_result
from alliance.web.themes.models import ThemeSet, ThemeText

#: little-endian float32, whatever the machine
DTYPE = np.dtype("<f4")


class StoreError(RuntimeError):
    """The stored theme set is incomplete (it has not finished, or its rows were damaged)."""


def encode(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=DTYPE).tobytes()


def decode(payload: bytes | memoryview) -> np.ndarray:
    vector = np.frombuffer(bytes(payload), dtype=DTYPE)
    if vector.shape != (EMBEDDING_DIMENSION,):
        raise StoreError(f"a stored embedding has {vector.size} numbers, not "
                         f"{EMBEDDING_DIMENSION}")
    return vector


def save_result(theme_set: ThemeSet, result: ThemeResult, *, embeddings: bool) -> None:
    """Write ``result``'s state into ``theme_set`` (and its texts' embeddings when asked).

    The caller holds the transaction. Texts must already be stored, in the result's order.
    """
    if result.embeddings.dtype != np.float32:
        raise StoreError(f"embeddings are {result.embeddings.dtype}, expected float32")
    if embeddings:
        rows = list(ThemeText.objects.filter(theme_set=theme_set).order_by("position"))
        if [r.text_id for r in rows] != [str(i) for i in result.ids]:
            raise StoreError("the stored texts are not the texts of this result")
        for row, vector in zip(rows, result.embeddings, strict=True):
            row.embedding = encode(vector)
        ThemeText.objects.bulk_update(rows, ["embedding"], batch_size=500)
    theme_set.theme_settings = dataclasses.asdict(result.settings)
    theme_set.silhouette = result.silhouette
    theme_set.primary = [int(t) for t in result.primary]
    theme_set.recoded = [[int(row), [int(t) for t in themes]] for row, themes in result.recoded]
    theme_set.labels = [[int(t), str(label)] for t, label in result.label_overrides]
    theme_set.save(update_fields=["theme_settings", "silhouette", "primary", "recoded", "labels"])


def load_result(theme_set: ThemeSet) -> ThemeResult:
    """The theme set's current result, rebuilt from what is stored."""
    if theme_set.status != ThemeSet.Status.READY:
        raise StoreError(f"theme set {theme_set.pk} is {theme_set.get_status_display().lower()}")
    rows = list(ThemeText.objects.filter(theme_set=theme_set).order_by("position")
                .values_list("text_id", "text", "embedding"))
    if any(payload is None for _, _, payload in rows):
        raise StoreError(f"theme set {theme_set.pk} has texts without embeddings")
    if len(rows) != len(theme_set.primary):
        raise StoreError(f"theme set {theme_set.pk}: {len(rows)} texts but "
                         f"{len(theme_set.primary)} assignments")
    vectors = (np.stack([decode(payload) for _, _, payload in rows]) if rows
               else np.zeros((0, EMBEDDING_DIMENSION), dtype=DTYPE))
    return build_result(
        [text_id for text_id, _, _ in rows], [text for _, text, _ in rows],
        vectors.astype(np.float32), np.asarray(theme_set.primary, dtype=np.int64),
        settings=ThemeSettings(**theme_set.theme_settings),
        recoded={int(row): tuple(int(t) for t in themes) for row, themes in theme_set.recoded},
        label_overrides={int(t): str(label) for t, label in theme_set.labels},
        silhouette=theme_set.silhouette)
