"""The SNA reads pooled partner data: a synthetic year of A&E attendances
(tests/web/partner_year.py) fills the core measures scorecard and the health lens, every figure
a cell of the A&E publication the dashboard shows, so the two agree figure for figure."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.web.partner_year import AREA, load_istv_year

pytestmark = pytest.mark.django_db


def _csv(out, name: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.read_csv(out / "data" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_a_pooled_ae_year_fills_the_scorecard_and_health_lens_as_the_dashboard_shows_it(
        demo, one_month, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.dashboards.services import Unit, build
    from alliance.web.reports.services import build_sna

    truth = load_istv_year(reference)
    out = tmp_path / "sna"
    build_sna(AREA, out, period="2024-01:2024-02", pdf=False, draft=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "None is pooled yet" not in html
    card = _csv(out, "t5-1-scorecard").set_index("Measure")
    sharp = card.loc["Hospital attendances for assault with a knife or sharp object"]
    assert sharp["Status"] == "pooled" and sharp["Year"].startswith("calendar year 2024")
    assert sharp["Count"] == f"{truth['sharp']:,}"
    assert sharp["Under 25: count"] == f"{truth['sharp_u25']:,}"
    # the police extract's measures are not pooled: said, and asked for
    knife = card.loc["Knife or sharp instrument enabled serious violence"]
    assert knife["Status"] == "not pooled" and knife["Count"] == ""
    request = _csv(out, "t5-2-request")
    assert list(request["Partner holding the data"]) == ["Police force"]
    assert "local police recorded crime extract" in html

    whole = Unit("area", AREA, "Northamptonshire (whole area)")
    year = tuple(f"2024-{m:02d}" for m in range(1, 13))
    for category, column in (("sharp", "Count"), ("sharp_u25", "Under 25: count")):
        board = build(area_code=AREA, unit=whole, period_months=year, category=category,
                      record_level=False, source="istv_ae", draw=False)
        assert board.tiles[0].value == sharp[column]
        rate = board.tiles[1]
        column = "Rate per 1,000 a year (95% CI)" if category == "sharp" else \
            "Under 25: rate per 1,000 a year (95% CI)"
        low, high = rate.detail.split("CI ")[1].split(";")[0].split(" to ")
        assert sharp[column] == f"{rate.value} ({low} to {high})"
    # by month: the dashboard's monthly series, cell for cell (blank: by year only)
    months = _csv(out, "t11-month-istv-ae")
    board = build(area_code=AREA, unit=whole, period_months=year, category="",
                  record_level=False, source="istv_ae", draw=False)
    assert dict(zip(months["Month"], months["All attendances"], strict=True)) == \
        dict(zip(board.trend["month"], board.trend["count"].astype(str), strict=True))
    # by local authority, from the lattice: the two add up to the area's placed attendances
    by_area = _csv(out, "t11-area-istv-ae")
    assert len(by_area) == 2
    shown = [int(v.replace(",", "")) for v in by_area["Attendances"] if v != "[c]"]
    assert sum(shown) <= truth["rows"] - truth["unplaced"]
    # how rows were placed: the LSOA given for every placed row, small counts hidden
    placed = _csv(out, "t11-placed-istv-ae").set_index("How the row was placed")
    assert placed.loc["Total", "Rows"] == f"{truth['rows']}"
    # no A&E row has a map point: the hidden share cannot be judged, and the SNA says so
    assert "How many attendances police data misses cannot be said yet" in html
    assert not (out / "data" / "t11-hidden-istv-ae.csv").exists()


def test_without_partner_data_the_chapters_say_what_would_fill_them(
        demo, one_month, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alliance.web.reports.services import build_sna

    out = tmp_path / "sna"
    build_sna(AREA, out, period="2024-01:2024-02", pdf=False, draft=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "None is pooled yet" in html
    card = _csv(out, "t5-1-scorecard")
    assert set(card["Status"]).isdisjoint({"pooled"})


def test_the_hidden_share_is_the_stats_function_over_the_pooled_points(
        demo, one_month, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Attendances given map points in the months police.uk holds are judged against the
    pooled police.uk records of the same month within 500 metres
    (:func:`alliance.stats.hidden_share.without_police_record`, Wilson interval by
    statsmodels); the SNA's whole-area share is that, and none other is judged."""
    from statsmodels.stats.proportion import proportion_confint

    from alliance.stats.hidden_share import SNAP_METRES, Window, without_police_record
    from alliance.web.pool.publication import area_geography
    from alliance.web.pool.queries import incidents
    from alliance.web.reports.services import build_sna

    codes = list(area_geography(AREA).codes)
    police = incidents(lsoa21=codes, columns=("source", "month", "easting", "northing")).rows
    police = police[police["source"] == "police_uk_street"].dropna(subset=["easting"])
    police["month"] = police["month"].astype(str)
    truth = load_istv_year(reference, points=police)
    assert truth["pointed"] > 20
    out = tmp_path / "sna"
    build_sna(AREA, out, period="2024-01:2024-02", pdf=False, draft=True)
    table = _csv(out, "t11-hidden-istv-ae")
    whole = table[table["By"] == "Whole area"].iloc[0]
    ae = incidents(lsoa21=codes, columns=("source", "month", "easting", "northing")).rows
    events = ae[(ae["source"] == "istv_ae") & ae["easting"].notna()].copy()
    events["month"] = events["month"].astype(str)
    assert len(events) == truth["pointed"]
    missed = without_police_record(events, police, window=Window(metres=SNAP_METRES,
                                                                  days=None))
    hidden = int(missed.sum())
    if 0 < hidden < 5 or 0 < len(events) - hidden < 5:
        assert whole["No police record nearby"] == "[c]"
    else:
        low, high = proportion_confint(hidden, len(events), method="wilson")
        assert whole["Assaults judged"] == f"{len(events):,}"
        assert whole["No police record nearby"] == f"{hidden / len(events):.0%}"
        assert whole["95% CI"] == f"{low:.0%} to {high:.0%}"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "within 500 metres and the same month" in html


def test_the_who_chapter_and_health_charts_come_from_the_pooled_ae_year(
        demo, one_month, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Patients by age band and sex (F8.1 and T8.1): each shown cell is the true count, small
    ones hidden, the whole year is the dashboard's year total and the under-25s its under-25
    tile; the health lens charts the months and the weapons it tabulates."""
    from alliance.web.dashboards.services import Unit, build
    from alliance.web.reports.services import build_sna

    truth = load_istv_year(reference, sex=True)
    out = tmp_path / "sna"
    build_sna(AREA, out, period="2024-01:2024-02", pdf=False, draft=True)
    html = (out / "index.html").read_text(encoding="utf-8")
    table = _csv(out, "t8-1-who-istv-ae").set_index("Age band")
    people = truth["people"]
    words = {"18-24": "18 to 24", "35+": "35 and over"}
    for (band, sex), count in people.items():
        shown = table.loc[words[band], sex.capitalize()]
        assert shown in ("[c]", f"{count:,}")
        assert not (1 <= count < 5 and shown != "[c]")
    assert table.loc["Under 18", "All"] == "0"  # no patient under 18: zeros are shown
    whole = Unit("area", AREA, "Northamptonshire (whole area)")
    year = tuple(f"2024-{m:02d}" for m in range(1, 13))
    for category, row in (("", "All ages"), ("under_25", "Under 25 (under 18 and 18 to 24)")):
        board = build(area_code=AREA, unit=whole, period_months=year, category=category,
                      record_level=False, source="istv_ae", draw=False)
        assert table.loc[row, "All"] in (board.tiles[0].value, "[c]")
    assert table.loc["All ages", "All"] == f"{truth['rows'] - truth['unplaced']:,}"
    chart = _csv(out, "f8-1-who-istv-ae")
    assert list(chart["Age band"])[:2] == ["Under 18", "18 to 24"]
    assert 'id="f8-1-who-istv-ae"' in html and "were under 25" in html
    assert "t8-1-request" not in html and "Data request: victims and suspects" in html
    # the health lens: a monthly chart beside its table, and the year by weapon
    assert 'id="f11-1-istv-ae"' in html and 'id="f11-2-istv-ae"' in html
    monthly = _csv(out, "f11-1-istv-ae")
    assert monthly.equals(_csv(out, "t11-month-istv-ae"))
    weapons = _csv(out, "f11-2-istv-ae").set_index("Weapon")
    assert weapons.loc["Knife or sharp object", "Attendances"] == f"{truth['sharp']:,}"


def test_the_hidden_share_against_a_local_police_extract_uses_its_dates_and_points(
        demo, one_month, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A local police extract pooled beside the A&E year: every other attendance with a map
    point has a police record at its place on its day; the SNA's whole-area share against the
    extract is the stats function's over the pooled rows (250 metres, a day either side), and
    the matched attendances are never counted as hidden."""
    from alliance.sources.partner_extract import map_extract
    from alliance.stats.hidden_share import Window, without_police_record
    from alliance.web.mappings.loading import pieces
    from alliance.web.pool import services
    from alliance.web.pool.publication import area_geography
    from alliance.web.pool.queries import incidents
    from alliance.web.reports.services import build_sna

    codes = list(area_geography(AREA).codes)
    police = incidents(lsoa21=codes, columns=("source", "month", "easting", "northing")).rows
    police = police[police["source"] == "police_uk_street"].dropna(subset=["easting"])
    police["month"] = police["month"].astype(str)
    load_istv_year(reference, points=police)
    columns = ("source", "month", "easting", "northing", "occurred_date")
    ae = incidents(lsoa21=codes, columns=columns).rows
    events = ae[(ae["source"] == "istv_ae") & ae["easting"].notna()].reset_index(drop=True)
    matched = events.iloc[::2]
    lines = ["Crime Ref,Committed Date,HO Code,Offence Description,Knife Flag,Easting,"
             "Northing,Outcome,Victim Age,Victim Sex"]
    for i, r in enumerate(matched.itertuples()):
        lines.append(f"NP/{i},{pd.Timestamp(r.occurred_date):%Y-%m-%d},8N,Assault with injury,"
                     f"N,{r.easting:.0f},{r.northing:.0f},Charged,30,M")
    text = "\n".join(lines) + "\n"
    mapping = {"reference": "Crime Ref", "date": "Committed Date", "offence_code": "HO Code",
               "source_category": "Offence Description", "knife_flag": "Knife Flag",
               "easting": "Easting", "northing": "Northing", "outcome": "Outcome",
               "age": "Victim Age", "sex": "Victim Sex"}
    extract = map_extract(text.encode(), mapping, file="np-extract-2024.csv",
                          source="police_extract", partition="northamptonshire-police/local")
    services.load_pieces(pieces(extract, len(text)), reference_dir=reference,
                         created_by="tests", description="Police extract 2024",
                         source="police_extract")
    out = tmp_path / "sna"
    build_sna(AREA, out, period="2024-01:2024-02", pdf=False, draft=True)
    table = _csv(out, "t11-hidden-local-istv-ae")
    whole = table[table["By"] == "Whole area"].iloc[0]
    theirs = incidents(lsoa21=None, columns=columns).rows
    theirs = theirs[theirs["source"] == "police_extract"]
    held = set(theirs["month"].astype(str))
    judged = events[events["month"].astype(str).isin(held)]
    missed = without_police_record(judged, theirs, window=Window())
    hidden = int(missed.sum())
    assert hidden <= len(judged) - len(matched[matched["month"].astype(str).isin(held)])
    if 0 < hidden < 5 or 0 < len(judged) - hidden < 5:
        assert whole["No police record nearby"] == "[c]"
    else:
        assert whole["Assaults judged"] == f"{len(judged):,}"
        assert whole["No police record nearby"] == f"{hidden / len(judged):.0%}"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "within 250 metres and 1 day either side of a record in the local police" in html
