"""`alliance load police-uk --force ... --months ...`: the download path, on recorded responses.

The responses are real data.police.uk answers saved by third parties
(shared/data/policeuk/api: crimes-street/all-crime for Greenwich, 2014-08, and the
crime-categories list) served through httpx.MockTransport: no network.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from alliance.sources.police_api import LeakyBucket, PoliceApi
from alliance.web.pool.download import download_police_uk, month_range
from alliance.web.pool.models import Incident, SourceFile
from tests.conftest import require_shared

pytestmark = pytest.mark.django_db


def _recorded_api(requests: list[httpx.Request]) -> PoliceApi:
    api_dir = require_shared("policeuk", "api")
    crimes = json.loads((api_dir / "crimes-street" /
                         "crimes-street_all-crime_lat51.501384_lng0.004727_2014-08.json")
                        .read_text())
    categories = json.loads((api_dir / "crime-categories" / "crime-categories.json").read_text())

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        path = request.url.path.removeprefix("/api/")
        if path == "crime-last-updated":
            return httpx.Response(200, json={"date": "2014-09-01"})
        if path == "crime-categories":
            return httpx.Response(200, json=categories)
        if path == "crimes-street/all-crime":
            return httpx.Response(200, json=crimes)
        if path == "crimes-no-location":
            return httpx.Response(200, json=[])
        return httpx.Response(404, json={"error": path})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    return PoliceApi(client=client, limiter=LeakyBucket(rate=1e6, burst=1e6), sleep=lambda s: None)


def test_a_downloaded_month_loads_like_a_file_and_only_once(reference: Path):
    requests: list[httpx.Request] = []
    result = download_police_uk(force="metropolitan", months="2014-08", reference_dir=reference,
                                api=_recorded_api(requests))
    assert result.rows == 376
    assert Incident.objects.filter(partition="metropolitan", month="2014-08").count() == 376
    assert SourceFile.objects.get(batch_id=result.batch_id).name.startswith("data.police.uk")
    # every crime is placed in an LSOA, or flagged: the clipped (BSC) boundaries leave the
    # Thames out, and a snap point on the river falls in no polygon
    from alliance.sources.schema import RowFlag

    placed = Incident.objects.filter(lsoa21_code__startswith="E01").count()
    unplaced = [f for f in Incident.objects.filter(lsoa21_code__isnull=True)
                .values_list("flags", flat=True)]
    assert placed + len(unplaced) == 376 and placed > 370
    assert all(f & RowFlag.NO_POINT_IN_LSOA for f in unplaced)
    assert any(r.url.path.endswith("crimes-street/all-crime") for r in requests)
    again = download_police_uk(force="metropolitan", months="2014-08",
                               reference_dir=reference, api=_recorded_api([]))
    assert again.nothing_new


def test_months_outside_the_window_are_refused_before_any_download(reference: Path):
    from alliance.sources.police_api_frame import PoliceApiError

    with pytest.raises(PoliceApiError, match="not published yet"):
        download_police_uk(force="metropolitan", months="2014-10", reference_dir=reference,
                           api=_recorded_api([]))
    with pytest.raises(PoliceApiError, match="older than"):
        download_police_uk(force="metropolitan", months="2011-01", reference_dir=reference,
                           api=_recorded_api([]))
    with pytest.raises(PoliceApiError, match="2010-01 is before December 2010"):
        download_police_uk(force="metropolitan", months="2010-01", reference_dir=reference,
                           api=_recorded_api([]))


def test_month_ranges():
    assert month_range("2024-11:2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert month_range("2025-03") == ["2025-03"]
    with pytest.raises(ValueError):
        month_range("2025-02:2025-01")
    from alliance.sources.police_api_frame import PoliceApiError

    with pytest.raises(PoliceApiError, match="2025-13 is not a month"):
        month_range("2025-13")
    with pytest.raises(PoliceApiError, match="write it as YYYY-MM"):
        month_range("25-01")
