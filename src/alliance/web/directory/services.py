"""The partner directory on a map: how many services reach each neighbourhood."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from alliance.report.maps import choropleth
from alliance.report.places import map_layers
from alliance.web.directory.models import Service


def coverage(services: Sequence[Service], partnership: Any) -> tuple[str, pd.DataFrame]:
    """A map (SVG) of the area's neighbourhoods shaded by how many services are offered
    there, and the table of services per place beside it. Empty without geography."""
    from alliance.web.pool.publication import NoFigures, area_geography
    from alliance.web.strategy.services import places

    try:
        geo = area_geography(partnership.area_code)
    except NoFigures:
        return "", pd.DataFrame()
    known = places(partnership)
    counts = pd.Series(0, index=list(geo.codes), dtype=float)
    rows = []
    for s in services:
        codes = [c for c in s.places if c in known] or [geo.code]
        covered: set[str] = set()
        for code in codes:
            covered |= set(geo.lsoas_of(known[code].level, code))
        counts[list(covered)] += 1
        rows.append({"Service": s.name, "Provided by": str(s.organisation),
                     "Where": ", ".join(known[c].name for c in codes)})
    top = int(counts.max()) if len(counts) else 0
    breaks = sorted({float(v) for v in counts.unique()}) if top else None
    layers = map_layers(geo.lsoa, group_column="csp_name")
    svg = choropleth(
        geo.lsoa["geometry_wkb"], counts, chart_id="directory-map",
        title="Services of the partner directory by neighbourhood",
        desc=(f"Map of {geo.name} by neighbourhood, darker where more of the directory's "
              f"{len(services)} services are offered. The list of services gives the same "
              "information."), legend_title="Services offered",
        legend_ends=("Fewer", "More"), value_format="{:,.0f}",
        breaks=breaks[-5:] if breaks and len(breaks) <= 5 else None,
        **layers.kwargs()).svg if len(services) else ""
    return svg, pd.DataFrame(rows, columns=["Service", "Provided by", "Where"])
