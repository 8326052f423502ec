"""One-shot Pol.is opinion analysis: groups, map, representative and consensus statements.

The pipeline is Polis's (``shared/research/polis-method.md`` §1), computed from one snapshot of
the votes so that anyone holding the same data gets the same answer:

vote matrix → moderated-out columns zeroed → mean imputation → 2-component PCA with Polis's
sparsity-aware scaling → participant filter (≥ min(7, n_statements) votes, topped up to 15) →
100 base clusters → groups for k = 2…5 (lowest within-group sum of squares of many starts),
k chosen by silhouette and Polis's k-smoother → per-group statistics,
representative statements, consensus and group-informed consensus.

Participants who do not pass the filter are still placed on the map (``projection``) but have
no group: their entry in ``groups`` is ``<NA>``. Statistics per group use clustered
participants only; consensus uses everyone who voted.

Product decisions (``polis-method.md`` §4.3): computed from a snapshot (no sticky membership,
no warm start; Polis's k-smoother only when the caller passes the previous state); vote
threshold min(7, n_statements) as Polis; meta statements count as moderated out
(``read_polis_export`` adds them to ``moderated_out``); there is no minimum group size, so a
very small group can appear (as in Polis and red-dwarf, #97) — check
``groups.value_counts()`` before publishing a group's statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.voice.opinion.clustering import KSmoother, clustered_mask, group_participants
from alliance.voice.opinion.consensus import select_consensus
from alliance.voice.opinion.projection import Projection, project
from alliance.voice.opinion.representative import select_representative
from alliance.voice.opinion.statement_stats import (
    count_group_votes,
    group_informed_consensus,
    statement_statistics,
)
from alliance.voice.opinion.vote_matrix import VoteMatrix, build_vote_matrix


@dataclass(frozen=True)
class OpinionAnalysis:
    """Result of :func:`analyse` or :func:`analyse_with_groups`.

    Attributes
    ----------
    groups
        Group id per participant (``Int64``, indexed by participant id, every participant who
        voted); ``<NA>`` for participants the Polis filter leaves out of clustering.
    projection
        PCA of the vote matrix: participant and statement coordinates, axes, variance.
    statement_stats
        Every Polis repness quantity per (group, statement): counts, smoothed rates, z-scores
        and one-sided p-values, ``repful_for``.
    repness
        The selected representative statements per group in Polis's display order.
    consensus
        The selected consensus statements (``direction`` agree/disagree, best first).
    group_informed_consensus
        Polis's group-aware consensus (agree) per statement; ``..._disagree`` is the
        disagree variant red-dwarf also reports.
    k
        Number of groups.
    silhouette
        Silhouette score per k tried (empty when groups were given).
    moderated_out
        Statement ids treated as moderated out (those that appear in the votes).
    base_clusters
        Base-cluster id per clustered participant (``Int64``; empty when groups were given).
    within_ss
        Within-group sum of squares per k tried (base centres weighted by members).
    k_smoother
        Polis's k-smoother after this update: pass it as ``smoother`` to the next analysis
        of the same conversation (None when k was forced or groups were given).
    """

    groups: pd.Series
    projection: Projection
    statement_stats: pd.DataFrame
    repness: pd.DataFrame
    consensus: pd.DataFrame
    group_informed_consensus: pd.Series
    group_informed_consensus_disagree: pd.Series
    k: int
    silhouette: dict[int, float] = field(default_factory=dict)
    moderated_out: tuple[object, ...] = ()
    base_clusters: pd.Series | None = None
    within_ss: dict[int, float] = field(default_factory=dict)
    k_smoother: KSmoother | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per participant: ``x``, ``y``, ``clustered``, ``group``, ``base_cluster``."""
        frame = self.projection.to_frame()
        frame["clustered"] = self.groups.notna().to_numpy()
        frame["group"] = self.groups
        if self.base_clusters is not None:
            frame["base_cluster"] = self.base_clusters.reindex(frame.index)
        return frame

    def statements_frame(self) -> pd.DataFrame:
        """One row per statement: PCA geometry, group-informed consensus, moderation flag."""
        frame = self.projection.statements_frame()
        frame["group_informed_consensus"] = self.group_informed_consensus
        frame["group_informed_consensus_disagree"] = self.group_informed_consensus_disagree
        frame["moderated_out"] = frame.index.isin(list(self.moderated_out))
        return frame

    def silhouette_frame(self) -> pd.DataFrame:
        """Silhouette per k tried, with the chosen k flagged."""
        ks = sorted(self.silhouette)
        return pd.DataFrame(
            {"silhouette": [self.silhouette[k] for k in ks], "chosen": [k == self.k for k in ks]},
            index=pd.Index(ks, name="k"),
        )


def _group_statistics(
    matrix: VoteMatrix,
    projection: Projection,
    clustered: NDArray[np.bool_],
    labels: NDArray[np.intp],
    group_names: NDArray[np.int64],
    moderated_out: NDArray[np.bool_],
    **extra: object,
) -> OpinionAnalysis:
    k = len(group_names)
    row_groups = np.full(matrix.shape[0], -1, dtype=np.intp)
    row_groups[clustered] = labels
    counts = count_group_votes(matrix.votes, matrix.seen, row_groups, k)
    stats = statement_statistics(counts, matrix.statement_ids)
    repness = select_representative(stats, moderated_out=moderated_out)
    # Report groups under their public ids (the caller's labels when groups were given).
    internal = stats.index.get_level_values("group").to_numpy(dtype=np.intp)
    stats.index = pd.MultiIndex.from_arrays(
        [group_names[internal], stats.index.get_level_values("statement_id")],
        names=["group", "statement_id"],
    )
    repness["group"] = group_names[repness["group"].to_numpy(dtype=np.intp)]
    gac = group_informed_consensus(counts, matrix.statement_ids)
    groups = pd.Series(
        pd.array([pd.NA] * matrix.shape[0], dtype="Int64"),
        index=pd.Index(matrix.participant_ids, name="participant_id"),
        name="group",
    )
    groups.iloc[np.flatnonzero(clustered)] = group_names[labels]
    return OpinionAnalysis(
        groups=groups,
        projection=projection,
        statement_stats=stats,
        repness=repness,
        consensus=select_consensus(matrix, moderated_out=moderated_out),
        group_informed_consensus=gac["agree"].rename("group_informed_consensus"),
        group_informed_consensus_disagree=gac["disagree"].rename(
            "group_informed_consensus_disagree"
        ),
        k=k,
        moderated_out=tuple(matrix.statement_ids[moderated_out].tolist()),
        **extra,  # type: ignore[arg-type]
    )


def analyse(
    votes: pd.DataFrame,
    *,
    moderated_out: Iterable[object] = (),
    seed: int = 0,
    group_count: int | None = None,
    smoother: KSmoother | None = None,
) -> OpinionAnalysis:
    """Polis opinion analysis of ``votes``, grouping participants ourselves.

    Parameters
    ----------
    votes
        Long table with ``participant_id``, ``statement_id``, ``vote`` (+1 agree, −1 disagree,
        0 pass) and optionally ``timestamp`` (latest vote per pair wins).
    moderated_out
        Statement ids moderated out (Polis: ``moderated == -1`` plus meta statements). Their
        columns are zeroed before PCA and they are never selected as representative or
        consensus. Ids of statements nobody voted on have no column and are ignored.
    seed
        Seeds the random start of the eigensolver and the k-means++ starts of the group
        level; results do not depend on it beyond floating-point noise (the lowest
        within-group sum of squares is kept, see :mod:`alliance.voice.opinion.clustering`).
    group_count
        Force k instead of choosing it by silhouette.
    smoother
        Polis's k-smoother state from the previous analysis of the same conversation
        (``OpinionAnalysis.k_smoother``); None for a one-off analysis, where the k with the
        highest silhouette is shown.
    """
    matrix = build_vote_matrix(votes)
    mod_mask = matrix.column_mask(moderated_out)
    projection = project(matrix, moderated_out=mod_mask, seed=seed)
    clustered = clustered_mask(matrix.seen.sum(axis=1), matrix.shape[1])
    grouping = group_participants(projection.participant_xy[clustered], k=group_count,
                                  seed=seed, previous=smoother)
    base = pd.Series(
        grouping.base_labels,
        index=pd.Index(matrix.participant_ids[clustered], name="participant_id"),
        name="base_cluster",
        dtype="Int64",
    )
    return _group_statistics(
        matrix, projection, clustered, grouping.labels, np.arange(grouping.k),
        mod_mask, silhouette=grouping.silhouette, base_clusters=base,
        within_ss=grouping.within_ss, k_smoother=grouping.smoother,
    )


def analyse_with_groups(
    votes: pd.DataFrame,
    groups: pd.Series,
    *,
    moderated_out: Iterable[object] = (),
    seed: int = 0,
) -> OpinionAnalysis:
    """Polis statistics for given opinion groups (e.g. Polis's own ``group-id`` labels).

    Parameters
    ----------
    groups
        Non-negative integer group id per participant id; ``NaN``/``<NA>`` means "not
        clustered". Every labelled id must appear in ``votes``.
    """
    matrix = build_vote_matrix(votes)
    given = pd.Series(groups).dropna()
    unknown = given.index.difference(pd.Index(matrix.participant_ids))
    if len(unknown):
        raise ValueError(
            f"groups: participant ids {unknown[:5].tolist()} have no votes in the vote table"
        )
    values = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        bad = given[np.isnan(values) | (values < 0) | (values != np.round(values))]
        raise ValueError(f"groups: labels must be non-negative integers; got {bad[:5].to_dict()}")
    if not given.index.is_unique:
        dup = given.index[given.index.duplicated()][:5].tolist()
        raise ValueError(f"groups: participant ids {dup} are listed more than once")
    group_names, codes = np.unique(values.astype(np.int64), return_inverse=True)
    position = pd.Index(matrix.participant_ids).get_indexer(given.index)
    clustered = np.zeros(matrix.shape[0], dtype=bool)
    clustered[position] = True
    labels = np.empty(matrix.shape[0], dtype=np.intp)
    labels[position] = codes
    mod_mask = matrix.column_mask(moderated_out)
    projection = project(matrix, moderated_out=mod_mask, seed=seed)
    return _group_statistics(
        matrix, projection, clustered, labels[clustered], group_names, mod_mask
    )
