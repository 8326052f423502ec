"""Grouping sentence embeddings into themes, and the rule that gives a text several themes.

Partition
---------
Embeddings are unit vectors, so Euclidean distance between them is a function of cosine
similarity. We build one Ward hierarchical clustering tree (Ward 1963; SciPy ``linkage``) and,
for each candidate number of themes ``k``, cut it into ``k`` clusters, dissolve clusters smaller
than ``min_size`` (their texts join the nearest remaining cluster) and score the partition with
the mean silhouette width under cosine distance (Rousseeuw 1987). The best-scoring ``k`` wins.
Its partition is then polished by one k-means run started from the Ward cluster centres
(k-means moves each text to its nearest centre, which Ward's greedy merges cannot); the polished
partition is kept when its silhouette is at least as high. Both steps are deterministic. One
tree serves every ``k``, which keeps the search fast (under a second for 1,000 texts).

Why the candidate range starts above 2: with short texts embedded in 384 dimensions the
silhouette is low everywhere (0.05–0.35) and is usually highest at ``k = 2`` — a split that is
true but useless for theme analysis. So the search starts a little below the common rule of
thumb ``k ≈ sqrt(n / 2)``, at ``max(2, floor(sqrt(n) / 2))``, and runs to
``min(max_themes, n // min_size)``; pass ``n_themes`` to fix ``k`` instead.

Several themes per text
-----------------------
A text belongs to its own cluster's theme, and also to every other theme ``j`` whose centroid
(the normalised mean embedding of the theme's texts) is almost as close as the closest one::

    cos(text, centroid_j) >= max_k cos(text, centroid_k) - margin   and
    cos(text, centroid_j) >= min_similarity

Defaults ``margin = 0.05`` and ``min_similarity = 0.4`` give roughly one text in six a second
theme on real Polis statements; a larger margin gives more multi-theme texts.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score


def candidate_range(n_texts: int, *, min_size: int, max_themes: int) -> range:
    """The numbers of themes tried when none is given (see module docstring)."""
    high = min(max_themes, n_texts // max(min_size, 1))
    low = min(max(2, int(np.floor(np.sqrt(n_texts) / 2))), high)
    return range(low, high + 1)


def kmeans_labels(embeddings: np.ndarray, k: int, *, seed: int) -> np.ndarray:
    """Cluster labels 0..k-1 from k-means with 10 k-means++ restarts (used to split a theme)."""
    if k <= 1:
        return np.zeros(len(embeddings), dtype=np.int64)
    model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(embeddings)
    return np.asarray(model.labels_, dtype=np.int64)


def dissolve_small(embeddings: np.ndarray, labels: np.ndarray, *, min_size: int) -> np.ndarray:
    """Move the texts of clusters smaller than ``min_size`` to the nearest remaining cluster.

    The smallest cluster is dissolved first, one at a time, so that two small neighbours can
    still merge into one large enough. Labels are renumbered 0..k-1 by decreasing size.
    """
    labels = labels.copy()
    while True:
        values, sizes = np.unique(labels, return_counts=True)
        if len(values) <= 1 or sizes.min() >= min_size:
            break
        smallest = values[np.argmin(sizes)]
        keep = values[values != smallest]
        centroids = unit_centroids(embeddings, labels, keep)
        moving = labels == smallest
        labels[moving] = keep[np.argmax(embeddings[moving] @ centroids.T, axis=1)]
    values, sizes = np.unique(labels, return_counts=True)
    order = values[np.lexsort((values, -sizes))]
    renumber = {int(old): new for new, old in enumerate(order)}
    return np.array([renumber[int(label)] for label in labels], dtype=np.int64)


def unit_centroids(embeddings: np.ndarray, labels: np.ndarray, themes: np.ndarray) -> np.ndarray:
    """Normalised mean embedding of each theme in ``themes`` (rows in that order)."""
    centroids = np.stack([embeddings[labels == theme].mean(axis=0) for theme in themes])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    return (centroids / np.maximum(norms, 1e-12)).astype(np.float32)


def choose_partition(embeddings: np.ndarray, *, n_themes: int | None, seed: int,
                     min_size: int, max_themes: int) -> tuple[np.ndarray, float | None]:
    """Labels 0..k-1 and the silhouette of the chosen partition (None when not computable)."""
    n = len(embeddings)
    if n_themes is None and n < 2 * min_size:
        return np.zeros(n, dtype=np.int64), None
    if n_themes == 1 or n < 2:
        return np.zeros(n, dtype=np.int64), None
    vectors = embeddings.astype(np.float64)
    tree = linkage(vectors, method="ward")
    ks = [n_themes] if n_themes is not None else list(
        candidate_range(n, min_size=min_size, max_themes=max_themes))
    best: tuple[float, np.ndarray] | None = None
    for k in ks:
        labels = dissolve_small(vectors, fcluster(tree, k, criterion="maxclust") - 1,
                                min_size=min_size)
        score = _silhouette(vectors, labels)
        if best is None or (score is not None and score > best[0]):
            best = (-np.inf if score is None else score, labels)
    if best is None:  # pragma: no cover - ks is never empty
        return np.zeros(n, dtype=np.int64), None
    score, labels = best
    themes = np.unique(labels)
    if len(themes) >= 2:
        centres = np.stack([vectors[labels == t].mean(axis=0) for t in themes])
        polished = KMeans(n_clusters=len(themes), init=centres, n_init=1,
                          random_state=seed).fit(vectors).labels_
        polished = dissolve_small(vectors, np.asarray(polished, dtype=np.int64),
                                  min_size=min_size)
        polished_score = _silhouette(vectors, polished)
        if polished_score is not None and polished_score >= score:
            score, labels = polished_score, polished
    return labels, (None if not np.isfinite(score) else float(score))


def _silhouette(embeddings: np.ndarray, labels: np.ndarray) -> float | None:
    k = len(np.unique(labels))
    if k < 2 or k >= len(labels):
        return None
    return float(silhouette_score(embeddings, labels, metric="cosine"))


def multi_membership(similarity: np.ndarray, primary_column: np.ndarray, *, margin: float,
                     min_similarity: float) -> np.ndarray:
    """Boolean (texts × themes): own theme plus every theme within ``margin`` of the best.

    ``similarity`` holds cos(text, centroid); ``primary_column`` the column of each text's own
    theme (-1 for a text without one, which then gets only themes passing the rule).
    """
    best = similarity.max(axis=1, keepdims=True) if similarity.size else similarity
    member = (similarity >= best - margin) & (similarity >= min_similarity)
    rows = np.flatnonzero(primary_column >= 0)
    member[rows, primary_column[rows]] = True
    return member
