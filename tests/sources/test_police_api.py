"""The data.police.uk client against recorded real responses served by httpx.MockTransport.

Recorded responses: shared/data/policeuk/api (crimes-street 2014-08 Greenwich, crime-categories,
stops-force Metropolitan 2024-09, single-record fixtures). Limits and behaviour tested here are
those documented at https://data.police.uk/docs/ (see shared/research/policeuk-api.md).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from shapely.geometry import Point, Polygon

from alliance.sources.police_api import (
    LeakyBucket,
    PoliceApi,
    PoliceApiError,
    TooManyCrimesError,
    UnpublishedMonthError,
    api_crimes_to_frame,
    download_force_months,
    poly_param,
)
from alliance.sources.schema import INCIDENT_COLUMN_NAMES, RowFlag
from tests.conftest import require_shared

CRIMES = ("crimes-street", "crimes-street_all-crime_lat51.501384_lng0.004727_2014-08.json")


def load(*parts: str) -> Any:
    path = require_shared("policeuk", "api", *parts)
    data = path.read_bytes()
    return json.loads(gzip.decompress(data) if path.name.endswith(".gz") else data)


class FakeClock:
    """time.monotonic/time.sleep stand-ins: sleeping advances the clock, nobody waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def make_api(handler: Handler, *, last: str = "2014-10", clock: FakeClock | None = None,
             **kwargs: Any) -> PoliceApi:
    clock = clock or FakeClock()

    def routed(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/")
        if path == "crime-last-updated":
            return httpx.Response(200, json={"date": f"{last}-01"})
        if path == "crime-categories":
            return httpx.Response(200, json=load("crime-categories", "crime-categories.json"))
        return handler(request)

    client = httpx.Client(transport=httpx.MockTransport(routed))
    limiter = LeakyBucket(clock=clock, sleep=clock.sleep)
    return PoliceApi(client=client, limiter=limiter, sleep=clock.sleep, **kwargs)


def params(request: httpx.Request) -> dict[str, str]:
    if request.method == "POST":
        return dict(parse_qsl(request.content.decode()))
    return dict(request.url.params)


def test_point_query_replays_the_recorded_answer() -> None:
    recorded = load(*CRIMES)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=recorded)

    api = make_api(handler)
    crimes = api.crimes_street("all-crime", lat=51.501384, lng=0.004727, month="2014-08")
    assert len(crimes) == 376
    assert seen[0].url.path == "/api/crimes-street/all-crime"
    assert params(seen[0]) == {"lat": "51.501384", "lng": "0.004727", "date": "2014-08"}


def test_api_frame_uses_csv_wording_and_canonical_columns() -> None:
    recorded = load(*CRIMES)
    names = {c["url"]: c["name"] for c in load("crime-categories", "crime-categories.json")}
    frame = api_crimes_to_frame(recorded, force="metropolitan", month="2014-08",
                                category_names=names)
    assert tuple(frame.columns) == INCIDENT_COLUMN_NAMES
    assert len(frame) == 376 and frame["record_key"].is_unique
    assert set(frame["source_category"]) <= set(names.values()) - {"All crime"}
    asb = frame["source_category"] == "Anti-social behaviour"
    assert asb.sum() == sum(r["category"] == "anti-social-behaviour" for r in recorded)
    assert frame.loc[asb, "source_ref"].isna().all()
    first = recorded[0]
    assert frame["location"].iloc[0] == first["location"]["street"]["name"]
    assert frame["longitude"].iloc[0] == float(first["location"]["longitude"])
    violent = [i for i, r in enumerate(recorded) if r["category"] == "violent-crime"]
    assert frame["source_category"].iloc[violent[0]] == "Violence and sexual offences"
    with_outcome = next(i for i, r in enumerate(recorded) if r["outcome_status"])
    assert frame["outcome"].iloc[with_outcome] == \
        recorded[with_outcome]["outcome_status"]["category"]
    assert frame["source_ref"].iloc[with_outcome] == recorded[with_outcome]["persistent_id"]


def test_single_crime_fixture() -> None:
    crime = load("single-records", "crime.json")
    frame = api_crimes_to_frame([crime], force="leicestershire", month="2020-02")
    row = frame.iloc[0]
    assert row["source_category"] == "Violence and sexual offences"
    assert row["location"] == "On or near Marquis Street"
    assert row["outcome"] == "Status update unavailable"
    assert row["source_ref"] == crime["persistent_id"]
    assert json.loads(row["extra"])["street_id"] == 883345
    no_location = dict(crime, location=None, location_type=None)
    flagged = api_crimes_to_frame([no_location], force="leicestershire", month="2020-02")
    assert flagged["flags"].iloc[0] & int(RowFlag.NO_LOCATION)
    assert math.isnan(flagged["longitude"].iloc[0])
    with pytest.raises(PoliceApiError, match="filed under '2020-02', not 2020-03"):
        api_crimes_to_frame([crime], force="leicestershire", month="2020-03")
    with pytest.raises(PoliceApiError, match="unknown crime category 'made-up'"):
        api_crimes_to_frame([dict(crime, category="made-up")], force="x", month="2020-02")


def test_retries_429_honouring_retry_after_and_5xx_with_backoff() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}),
                    httpx.Response(502), httpx.Response(500),
                    httpx.Response(200, json=[{"id": "leicestershire", "name": "L"}])])
    clock = FakeClock()
    api = make_api(lambda request: next(answers), clock=clock, backoff=0.5)
    assert api.forces() == [{"id": "leicestershire", "name": "L"}]
    assert clock.sleeps == [7.0, 1.0, 2.0]  # Retry-After, then 0.5 * 2**1, 0.5 * 2**2


def test_gives_up_after_max_retries() -> None:
    api = make_api(lambda request: httpx.Response(503), max_retries=3)
    with pytest.raises(PoliceApiError, match="HTTP 503 after 3 retries"):
        api.forces()
    assert api.requests_sent == 4


def test_client_error_is_not_retried() -> None:
    api = make_api(lambda request: httpx.Response(404, text="Not found"))
    with pytest.raises(PoliceApiError, match="HTTP 404"):
        api.forces()
    assert api.requests_sent == 1


def test_leaky_bucket_paces_to_15_per_second_after_a_burst_of_30() -> None:
    clock = FakeClock()
    bucket = LeakyBucket(clock=clock, sleep=clock.sleep)
    for _ in range(30):
        bucket.acquire()
    assert clock.sleeps == []  # a burst of 30 goes straight out
    for _ in range(30):
        bucket.acquire()
    assert clock.now == pytest.approx(2.0)  # 30 more at 15 a second
    assert all(s == pytest.approx(1 / 15) for s in clock.sleeps)
    clock.now += 10  # idle: the bucket drains
    bucket.acquire()
    assert clock.now == pytest.approx(12.0)


def test_requests_go_through_the_limiter() -> None:
    clock = FakeClock()
    api = make_api(lambda request: httpx.Response(200, json=[]), clock=clock)
    for _ in range(45):
        api.forces()
    assert clock.now == pytest.approx(15 / 15)


def test_month_window() -> None:
    """Months after crime-last-updated, or more than 36 months before it, are refused."""
    api = make_api(lambda request: httpx.Response(200, json=[]), last="2025-12")
    assert api.check_month("2025-12") == "2025-12"
    assert api.check_month("2023-01") == "2023-01"
    with pytest.raises(UnpublishedMonthError, match=r"2026-01 is not published yet.*2025-12"):
        api.check_month("2026-01")
    with pytest.raises(PoliceApiError, match=r"older than the 36 months.*2023-01\.\.2025-12"):
        api.check_month("2022-12")
    with pytest.raises(PoliceApiError, match="2025-13 is not a month: the month must be 01 to 12"):
        api.check_month("2025-13")
    assert api.requests_sent == 1  # crime-last-updated asked once, then cached


def area_server(records: list[dict[str, Any]], *, limit: int,
                log: list[httpx.Request]) -> Handler:
    """A stand-in for crimes-street?poly=: the recorded crimes inside the polygon, or 503."""

    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request)
        pairs = [tuple(map(float, p.split(","))) for p in params(request)["poly"].split(":")]
        polygon = Polygon([(lng, lat) for lat, lng in pairs])
        inside = [r for r in records if polygon.covers(
            Point(float(r["location"]["longitude"]), float(r["location"]["latitude"])))]
        if len(inside) > limit:
            return httpx.Response(503)
        return httpx.Response(200, json=inside)

    return handler


def test_503_splits_the_polygon_and_deduplicates() -> None:
    recorded = load(*CRIMES)
    square = Polygon([(-0.05, 51.46), (0.06, 51.46), (0.06, 51.54), (-0.05, 51.54)])
    log: list[httpx.Request] = []
    api = make_api(area_server(recorded, limit=60, log=log))
    crimes = api.crimes_street("all-crime", month="2014-08", poly=square)
    expected = {r["id"] for r in recorded}
    assert sorted(r["id"] for r in crimes) == sorted(expected)  # each crime once
    assert len(log) > 7  # it had to split several times


def test_crimes_returned_by_both_halves_are_kept_once() -> None:
    """Crimes on the cut come back from both halves: de-duplicated by the API id."""
    recorded = load(*CRIMES)
    calls = iter([httpx.Response(503)] + [httpx.Response(200, json=recorded)] * 2)
    api = make_api(lambda request: next(calls))
    square = Polygon([(-0.05, 51.46), (0.06, 51.46), (0.06, 51.54), (-0.05, 51.54)])
    crimes = api.crimes_street("all-crime", month="2014-08", poly=square)
    assert len(crimes) == 376 == len({r["id"] for r in recorded})


def test_503_that_never_clears_is_reported() -> None:
    api = make_api(lambda request: httpx.Response(503))
    square = Polygon([(-0.05, 51.46), (0.06, 51.46), (0.06, 51.54), (-0.05, 51.54)])
    with pytest.raises(TooManyCrimesError, match="still over 10,000 crimes after 10 splits"):
        api.crimes_street("all-crime", month="2014-08", poly=square)


def test_long_polygon_goes_by_post() -> None:
    recorded = load(*CRIMES)
    circle = Point(0.004727, 51.501384).buffer(0.02, quad_segs=80)
    assert len(poly_param(circle)) > 4094
    log: list[httpx.Request] = []
    api = make_api(area_server(recorded, limit=10_000, log=log))
    crimes = api.crimes_street("all-crime", month="2014-08", poly=circle)
    assert [r.method for r in log] == ["POST"]
    assert 0 < len(crimes) <= len(recorded)


def test_stops_force_and_availability() -> None:
    recorded = load("stops-force", "stops-force_metropolitan_2024-09.json.gz")
    dates = [{"date": "2024-09", "stop-and-search": ["metropolitan", "kent"]},
             {"date": "2024-10", "stop-and-search": ["kent"]}]

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/")
        if path == "crimes-street-dates":
            return httpx.Response(200, json=dates)
        month = params(request)["date"]
        return httpx.Response(200, json=recorded if month == "2024-09" else [])

    api = make_api(handler, last="2025-04")
    assert len(api.stops_force("metropolitan", "2024-09")) == 3253
    with pytest.raises(UnpublishedMonthError, match="metropolitan has not supplied stop and"):
        api.stops_force("metropolitan", "2024-10")
    with pytest.raises(UnpublishedMonthError, match="not as zero stops"):
        api.stops_force("metropolitan", "2024-11")  # not in the availability list, empty


def test_download_force_months(tmp_path: Path) -> None:
    recorded = load(*CRIMES)
    crime = load("single-records", "crime.json")
    unlocated = dict(crime, month="2014-08", location=None, location_type=None, id=1)
    square = Polygon([(-0.05, 51.46), (0.06, 51.46), (0.06, 51.54), (-0.05, 51.54)])
    log: list[httpx.Request] = []
    serve_area = area_server(recorded, limit=200, log=log)

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/")
        month = params(request).get("date")
        if path == "crimes-no-location":
            return httpx.Response(200, json=[unlocated] if month == "2014-08" else [])
        if month != "2014-08":
            return httpx.Response(200, json=[])
        return serve_area(request)

    api = make_api(handler, last="2014-09")
    downloads = download_force_months(api, force="metropolitan", months=["2014-08", "2014-09"],
                                      boundary_polygon=square)
    month, frame = next(downloads)
    assert month == "2014-08" and len(frame) == 377
    assert tuple(frame.columns) == INCIDENT_COLUMN_NAMES
    assert ((frame["flags"] & int(RowFlag.NO_LOCATION)) > 0).sum() == 1
    assert set(frame["partition"]) == {"metropolitan"}
    with pytest.raises(UnpublishedMonthError, match="no crimes at all for metropolitan"):
        next(downloads)
