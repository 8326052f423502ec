"""What the results page and the SNA show of an analysis: accepted statements only, small
counts suppressed, one rule for shares and one for what may be called consensus.

Consensus rule: a statement is listed as consensus (Polis's consensus statements, the
group-informed consensus ranking, the SNA's "What unites them") only when at least as many
people *other than its author* have voted on it as the suppression threshold (5 by default).
A statement with only its author's vote, or a handful of votes, is not yet anyone's consensus
(Issue 12 §1: a held statement with no other votes once topped the ranking at 0.333).

Shares are the raw share of votes, ``percent_of(n_success, n_trials)``
(:func:`alliance.report.wording.percent_of`): the results page and the SNA print the same
number for the same statement.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alliance import config
from alliance.privacy.suppression import MARKER
from alliance.report.wording import percent_of
from alliance.voice.opinion import OpinionAnalysis

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#6f72af")
#: alternate marks so groups differ by more than colour
SHAPES = ("circle", "square", "circle", "square", "circle", "square", "circle")
WIDTH = HEIGHT = 300
#: the margin inside the map: wider than a marker (radius 3.5) plus a group label's half
#: width, so nothing drawn at the edge of the data is cut off
PAD = 24


@dataclass
class GroupView:
    group: int
    label: str
    size: int | str
    suppressed: bool
    colour: str
    shape: str
    centre: tuple[float, float] | None
    points: list[tuple[float, float, float, float]] = field(default_factory=list)  # x, y, x-3, y-3
    repness: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """One conversation's published summary, shared by the results page and the SNA."""

    consensus: list[dict[str, Any]]
    informed: list[dict[str, Any]]
    group_views: dict[int, list[dict[str, Any]]]


def _scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    span = float(values.max() - values.min()) or 1.0
    return low + (values - values.min()) / span * (high - low)


def _row(row: dict[Hashable, Any], texts: dict[int, str]) -> dict[str, Any]:
    """Statement text and the share of votes behind it (n_success of n_trials)."""
    tid = int(row["statement_id"])
    return {"text": texts[tid], "statement_id": tid,
            "percent": percent_of(int(row["n_success"]), int(row["n_trials"]))}


def summarise(analysis: OpinionAnalysis, texts: dict[int, str], eligible: set[int]) -> Summary:
    """Consensus, group-informed consensus and each group's statements, accepted statements
    (``texts``) only; consensus only among ``eligible`` statements (the consensus rule)."""
    consensus = [_row(row, texts) | {"direction": str(row["direction"])}
                 for row in analysis.consensus.to_dict("records")
                 if int(row["statement_id"]) in texts and int(row["statement_id"]) in eligible]
    gic = analysis.group_informed_consensus
    gic = gic[[int(t) in texts and int(t) in eligible for t in gic.index]]
    top = gic.sort_values(ascending=False, kind="stable").head(5)
    informed = [{"text": texts[int(tid)], "statement_id": int(tid), "score": round(float(v), 3)}
                for tid, v in zip(top.index.tolist(), top.tolist(), strict=True)]
    views: dict[int, list[dict[str, Any]]] = {}
    for row in analysis.repness.to_dict("records"):
        if int(row["statement_id"]) in texts:
            views.setdefault(int(row["group"]), []).append(
                _row(row, texts) | {"side": str(row["repful_for"])})
    return Summary(consensus=consensus, informed=informed, group_views=views)


def build(analysis: OpinionAnalysis, texts: dict[int, str], eligible: set[int], *,
          unsuppressed: bool = False) -> dict[str, object]:
    threshold = config.load().suppression_threshold
    summary = summarise(analysis, texts, eligible)
    frame = analysis.to_frame()
    xs = _scale(frame["x"].to_numpy(dtype=float), PAD, WIDTH - PAD)
    ys = _scale(-frame["y"].to_numpy(dtype=float), PAD, HEIGHT - PAD)
    groups_of = frame["group"].to_numpy()
    views: list[GroupView] = []
    hidden = 0
    for g in sorted(int(v) for v in analysis.groups.dropna().unique()):
        members = np.flatnonzero(np.asarray([v == g for v in groups_of], dtype=bool))
        size = len(members)
        small = 0 < size < threshold and not unsuppressed
        hidden += size if small else 0
        view = GroupView(
            group=g, label=chr(ord("A") + g) if g < 26 else str(g), size=MARKER if small else size,
            suppressed=small, colour=PALETTE[g % len(PALETTE)], shape=SHAPES[g % len(SHAPES)],
            centre=None if small else (round(float(xs[members].mean()), 1),
                                       round(float(ys[members].mean()), 1)),
            points=[] if small else [(round(float(xs[i]), 1), round(float(ys[i]), 1),
                                      round(float(xs[i]) - 3, 1), round(float(ys[i]) - 3, 1))
                                     for i in members])
        if not small:
            view.repness += summary.group_views.get(g, [])
        views.append(view)
    unclustered = int(analysis.groups.isna().sum())
    return {"groups": views, "consensus": summary.consensus, "informed": summary.informed,
            "threshold": threshold, "hidden_participants": hidden,
            "unclustered": unclustered if unclustered >= threshold or unsuppressed
            or unclustered == 0 else MARKER,
            "width": WIDTH, "height": HEIGHT, "k": analysis.k}
