"""Gather the pooled partner sources an SNA reads (``alliance.report.sna.partners.PartnerData``).

Each source's figures are its own published lattice (the dashboard's,
:func:`alliance.web.pool.publication.publication` with ``source=...``); beside it, how its rows
were placed, and for health sources how many had no police record nearby
(:mod:`alliance.stats.hidden_share`, places and months only, never people). A source whose
agreement has expired is left out (its rows are out of every output): the SNA then asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from django.db.models import Count

from alliance import config
from alliance.figures.publication import Publication
from alliance.pool import measures
from alliance.report.sna.partners import HEALTH_SOURCES, PartnerData
from alliance.stats import hidden_share
from alliance.web.pool import ownership
from alliance.web.pool.publication import NoFigures, pooled_partner_sources, publication
from alliance.web.pool.queries import current_incidents


def partner_data(pub: Publication, *, lsoas: Sequence[str],
                 police: pd.DataFrame) -> dict[str, PartnerData]:
    """Every pooled partner source with figures for ``pub``'s area (the publication area).

    ``lsoas``: the SNA's own area (where the hidden share is judged); ``police``: its
    police.uk rows (``month``, ``easting``, ``northing``), the police records compared with."""
    area = pub.cube.geography.code
    stopped = set(ownership.withheld_sources())
    reference = config.load().reference
    out: dict[str, PartnerData] = {}
    for source in pooled_partner_sources():
        scheme = measures.scheme_for(source, reference_dir=reference)
        if source in stopped or scheme is None:
            continue
        try:
            mine = publication(area, source=source)
        except NoFigures:
            continue
        rows = current_incidents().filter(source=source)
        placement = pd.DataFrame(list(rows.order_by().values("place_method")
                                      .annotate(rows=Count("id"))),
                                 columns=["place_method", "rows"]).rename(
            columns={"place_method": "method"})
        hidden, note = (_hidden(source, mine, lsoas=lsoas, police=police)
                        if source in HEALTH_SOURCES else (None, ""))
        local, local_note = (_hidden_local(source, mine, lsoas=lsoas)
                             if source in HEALTH_SOURCES and "police_extract" not in stopped
                             else (None, ""))
        out[source] = PartnerData(source=source, label=scheme.label, unit=scheme.unit,
                                  publication=mine, placement=placement, hidden=hidden,
                                  hidden_note=note, hidden_local=local,
                                  hidden_local_note=local_note)
    return out


def _hidden(source: str, pub: Publication, *, lsoas: Sequence[str],
            police: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """Events judged and events with no police.uk record nearby: for the whole area, by month
    and by local authority. Only events with a map point in a month police data is held for
    are judged; police.uk's points are anonymised, so the window is its own (same month,
    :data:`alliance.stats.hidden_share.SNAP_METRES`)."""
    held = sorted(set(police["month"].astype(str)))
    events = pd.DataFrame(list(current_incidents().filter(
        source=source, lsoa21_code__in=list(lsoas), month__in=held, easting__isnull=False,
        northing__isnull=False).order_by().values_list("month", "easting", "northing",
                                                       "lsoa21_code")),
        columns=["month", "easting", "northing", "lsoa21_code"])
    if events.empty:
        return None, ""
    theirs = police.dropna(subset=["easting", "northing"])
    window = hidden_share.Window(metres=hidden_share.SNAP_METRES, days=None)
    missed = hidden_share.without_police_record(events, theirs, window=window)
    note = (f"{window.describe()} of a police.uk record (its map points are anonymised, so "
            "no tighter); assaults without a map point, or in months police data is not "
            "held for, are not judged")
    return _judged(events, missed, pub), note


def _hidden_local(source: str, pub: Publication, *,
                  lsoas: Sequence[str]) -> tuple[pd.DataFrame | None, str]:
    """As :func:`_hidden`, against the pooled local police extract: its records have a date
    and a point, so the window is the tighter default (:data:`hidden_share.DEFAULT_METRES`,
    :data:`hidden_share.DEFAULT_DAYS` either side). Only events with a point and a date, in
    months the extract holds, are judged."""
    extract = current_incidents().filter(source="police_extract", easting__isnull=False,
                                         northing__isnull=False, occurred_date__isnull=False)
    held = sorted({str(m) for m in extract.order_by().values_list("month", flat=True)
                   .distinct()})
    if not held:
        return None, ""
    events = pd.DataFrame(list(current_incidents().filter(
        source=source, lsoa21_code__in=list(lsoas), month__in=held, easting__isnull=False,
        northing__isnull=False, occurred_date__isnull=False).order_by().values_list(
            "month", "easting", "northing", "lsoa21_code", "occurred_date")),
        columns=["month", "easting", "northing", "lsoa21_code", "occurred_date"])
    if events.empty:
        return None, ""
    theirs = pd.DataFrame(list(extract.order_by().values_list(
        "easting", "northing", "occurred_date")), columns=["easting", "northing",
                                                           "occurred_date"])
    window = hidden_share.Window()
    missed = hidden_share.without_police_record(events, theirs, window=window)
    note = (f"{window.describe()} of a record in the local police extract; assaults without "
            "a map point or a date, or in months the extract does not cover, are not judged")
    return _judged(events, missed, pub), note


def _judged(events: pd.DataFrame, missed: np.ndarray, pub: Publication) -> pd.DataFrame:
    """Events judged and events with no police record nearby: for the whole area, by month
    and by local authority."""
    lads = pub.cube.geography.lsoa["lad_name"]
    parts = [("whole area", pd.Series(pub.cube.geography.name, index=events.index)),
             ("month", events["month"].astype(str)),
             ("area", events["lsoa21_code"].map(lads).fillna("Unknown local authority"))]
    frames = []
    for by, groups in parts:
        counted = hidden_share.shares(missed, groups).reset_index()
        frames.append(pd.DataFrame({"by": by, "group": counted["group"],
                                    "events": counted["events"],
                                    "hidden": counted["hidden"]}))
    return pd.concat(frames, ignore_index=True)
