"""The dashboard on two real months of Northamptonshire police.uk data."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.privacy.suppression import MARKER
from alliance.web.audit.models import AuditEvent
from alliance.web.dashboards.services import build

pytestmark = pytest.mark.django_db

NORTHANTS = "E23000022"


def _csv(response) -> pd.DataFrame:
    text = response.content.decode()
    return pd.read_csv(io.StringIO(text), comment="#", dtype=str)


def test_numbers_match_the_store(one_month) -> None:
    """Unsuppressed figures equal a direct count of the loaded rows; rates use Census 2021."""
    from alliance.web.pool.queries import incidents

    months = sorted(incidents(included_only=True).rows["month"].unique())
    board = build(area_code=NORTHANTS, months=months, category="", unsuppressed=True)
    rows = incidents(lsoa21=board.area.lsoa21, included_only=True, months=months).rows
    assert int(board.trend["count"].sum()) == len(rows)
    assert board.tiles[0].value == f"{len(rows):,}"
    by_lsoa = rows.groupby("lsoa21_code").size()
    top = board.top.iloc[0]
    assert int(top["count"]) == int(by_lsoa.max())
    assert "<svg" in board.trend_svg and "<svg" in board.map_svg


def test_board_viewer_sees_suppressed_figures(one_month, client_as) -> None:
    board_viewer = client_as("board_viewer")
    page = board_viewer.get("/dashboard/")
    assert page.status_code == 200
    assert b"Northamptonshire" in page.content
    lsoa = _csv(board_viewer.get("/dashboard/lsoa.csv"))
    counts = lsoa["count"]
    assert (counts == MARKER).any()
    shown = pd.to_numeric(counts[counts != MARKER])
    assert not ((shown >= 1) & (shown <= 4)).any()
    # the rate beside a hidden count is hidden too
    assert (lsoa.loc[counts == MARKER, "rate_per_1000"] == MARKER).all()
    assert board_viewer.get("/dashboard/lsoa.csv?figures=unsuppressed").status_code == 403
    assert board_viewer.get("/dashboard/?figures=unsuppressed").status_code == 403


def test_analyst_may_see_unsuppressed_figures_and_is_audited(one_month, client_as) -> None:
    analyst = client_as("analyst")
    lsoa = _csv(analyst.get("/dashboard/lsoa.csv?figures=unsuppressed"))
    assert not (lsoa["count"] == MARKER).any()
    assert AuditEvent.objects.filter(action="view_restricted").count() == 1
    assert analyst.get("/dashboard/?figures=unsuppressed").status_code == 200
    assert AuditEvent.objects.filter(action="view_restricted").count() == 2


def test_filters_area_period_category(one_month, client_as) -> None:
    from alliance.web.dashboards.services import loaded_months

    months = loaded_months()
    c = client_as("partner_lead")
    whole = _csv(c.get("/dashboard/trend.csv", {"first": months[0], "last": months[-1]}))
    assert list(whole["month"]) == months
    west = _csv(c.get("/dashboard/trend.csv", {"area": "E06000062", "first": months[0],
                                               "last": months[0]}))
    assert list(west["month"]) == months[:1]
    cats = build(area_code=NORTHANTS, months=months, category="", unsuppressed=True).categories
    one = _csv(c.get("/dashboard/trend.csv", {"category": cats[0], "first": months[0],
                                              "last": months[-1]}))
    assert len(one) == len(months)
    bad = c.get("/dashboard/", {"first": months[-1], "last": months[0]})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content
    unknown = c.get("/dashboard/", {"area": "E99999999"})
    assert unknown.status_code == 400


def test_change_tile_says_when_previous_period_is_missing(one_month) -> None:
    from alliance.web.dashboards.services import loaded_months

    months = loaded_months()
    board = build(area_code=NORTHANTS, months=months[1:], category="", unsuppressed=False)
    change = board.tiles[2]
    assert change.value.endswith("%") and "rate ratio" in change.detail
    board = build(area_code=NORTHANTS, months=months, category="", unsuppressed=False)
    assert board.tiles[2].value == "not available"


def test_dashboard_query_count_does_not_grow_with_rows(one_month, client_as) -> None:
    """A fixed number of queries per page, whatever the number of rows, LSOAs or batches."""
    c = client_as("analyst")
    c.get("/dashboard/")  # warm the geography cache
    for url, limit in (("/dashboard/", 14), ("/dashboard/top.csv", 16), ("/data/batches/", 10)):
        with CaptureQueriesContext(connection) as queries:
            assert c.get(url).status_code == 200
        sql = "\n".join(q["sql"][:150] for q in queries.captured_queries)
        assert len(queries) <= limit, f"{url}: {len(queries)} queries\n{sql}"


def test_expired_agreement_blocks_the_dataset(one_month, client_as, demo) -> None:
    from datetime import date, timedelta

    from alliance.web.partnerships.models import Agreement

    Agreement.objects.filter(title__startswith="Serious Violence Duty core").update(
        expiry_date=date.today() - timedelta(days=1))
    c = client_as("analyst")
    page = c.get("/dashboard/")
    assert b"cannot be used in new outputs" in page.content
    assert b"Northamptonshire Police can renew it" in page.content
    assert b"<svg" not in page.content
    assert c.get("/dashboard/trend.csv").status_code == 409


def test_hotspot_layer_labels_every_lsoa_as_gi_star_does(one_month) -> None:
    """The hot spot layer is Getis-Ord Gi* (alliance.stats.hotspots, equal to esda) on the
    LSOA rates with FDR control; each LSOA's label is also in the area table."""
    from alliance.web.pool.queries import incidents

    months = sorted(incidents(included_only=True).rows["month"].unique())
    board = build(area_code=NORTHANTS, months=months, category="", unsuppressed=False)
    assert "<svg" in board.hotspot_svg and "Hot and cold spots" in board.hotspot_svg
    labels = set(board.lsoa["gi_star"])
    assert labels <= {"Hot spot", "Cold spot", "Not significant", "Not tested"}
    assert len(board.lsoa) == 443 and board.lsoa["gi_star"].notna().all()
    assert "false discovery rate" in board.hotspot_note
