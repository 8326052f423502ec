"""Turn an :class:`OpinionAnalysis` into what the results page shows, small counts suppressed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alliance import config
from alliance.privacy.suppression import MARKER
from alliance.voice.opinion import OpinionAnalysis

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#6f72af")
#: alternate marks so groups differ by more than colour
SHAPES = ("circle", "square", "circle", "square", "circle", "square", "circle")
WIDTH = HEIGHT = 300
PAD = 16


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


def _scale(values: np.ndarray, low: float, high: float) -> np.ndarray:
    span = float(values.max() - values.min()) or 1.0
    return low + (values - values.min()) / span * (high - low)


def _row(row: dict[Hashable, Any], texts: dict[int, str]) -> dict[str, object]:
    """Statement text and the share of votes behind it (n_success of n_trials)."""
    tid = int(row["statement_id"])
    return {"text": texts.get(tid, f"Statement {tid}"), "statement_id": tid,
            "percent": round(100 * float(row["n_success"]) / max(int(row["n_trials"]), 1))}


def build(analysis: OpinionAnalysis, texts: dict[int, str], *,
          unsuppressed: bool = False) -> dict[str, object]:
    threshold = config.load().suppression_threshold
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
            chosen = analysis.repness[analysis.repness["group"] == g].to_dict("records")
            view.repness += [_row(row, texts) | {"side": row["repful_for"]} for row in chosen]
        views.append(view)
    consensus = [_row(row, texts) | {"direction": row["direction"]}
                 for row in analysis.consensus.to_dict("records")]
    gic = analysis.group_informed_consensus.sort_values(ascending=False).head(5)
    informed = [{"text": texts.get(int(tid), f"Statement {tid}"), "score": round(float(v), 3)}
                for tid, v in zip(gic.index.tolist(), gic.tolist(), strict=True)]
    unclustered = int(analysis.groups.isna().sum())
    return {"groups": views, "consensus": consensus, "informed": informed,
            "threshold": threshold, "hidden_participants": hidden,
            "unclustered": unclustered if unclustered >= threshold or unsuppressed
            or unclustered == 0 else MARKER,
            "width": WIDTH, "height": HEIGHT, "k": analysis.k}
