"""A client for the data.police.uk API that respects its documented limits.

What the API imposes (see docs/research and https://data.police.uk/docs/):

* a leaky-bucket rate limit of 15 requests a second with bursts of 30; above it, HTTP 429.
  :class:`LeakyBucket` paces requests client-side; 429 and 5xx answers are retried with
  exponential back-off (honouring ``Retry-After``).
* ``crimes-street`` over a custom polygon answers HTTP 503 when the area holds more than
  10,000 crimes: the polygon is split in two across the longer side of its bounding box and
  each half asked for separately (recursively); crimes on the cut appear in both halves and are
  de-duplicated by the API ``id`` (unique per record; ``persistent_id`` is *not* unique: police.uk
  puts one Crime ID on several records, and anti-social behaviour has none).
* a GET longer than 4094 characters is answered 400, so long polygons go by POST.
* only about the last 36 months are served, up to ``crime-last-updated``: months outside that
  window are refused here with a clear message instead of the API's bare 500 or empty list.
* an empty list for a month can mean "not published yet for this force", not zero crime: a
  force-wide download that comes back empty raises :class:`UnpublishedMonthError`.

Two differences from the bulk CSV a user should know: ``poly`` is a single ring, so holes in a
boundary are not honoured (we send the exterior); and a polygon query returns every crime
snapped inside it whichever force reported it, while the CSV holds what one force reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx
import pandas as pd
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from alliance.sources.police_api_frame import (
    DEFAULT_CATEGORY_NAMES,
    PoliceApiError,
    UnpublishedMonthError,
    api_crimes_to_frame,
    check_month_text,
    shift_month,
)

BASE_URL = "https://data.police.uk/api/"
MAX_GET_URL = 4094
MAX_SPLIT_DEPTH = 10
WINDOW_MONTHS = 36

__all__ = [
    "BASE_URL",
    "LeakyBucket",
    "PoliceApi",
    "PoliceApiError",
    "TooManyCrimesError",
    "UnpublishedMonthError",
    "api_crimes_to_frame",
    "download_force_months",
    "poly_param",
]


class TooManyCrimesError(PoliceApiError):
    """crimes-street answered 503 for a polygon (more than 10,000 crimes in it)."""


class LeakyBucket:
    """Client-side pacing that matches police.uk's leaky bucket (15/s, bursts of 30).

    The bucket drains at ``rate`` requests a second; a request that would overflow ``burst``
    waits until there is room. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        *,
        rate: float = 15.0,
        burst: int = 30,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._level = 0.0
        self._last = clock()

    def acquire(self) -> float:
        """Take one slot, sleeping if needed; returns the seconds waited."""
        now = self._clock()
        self._level = max(0.0, self._level - (now - self._last) * self.rate)
        self._last = now
        waited = 0.0
        if self._level + 1 > self.burst:
            waited = (self._level + 1 - self.burst) / self.rate
            self._sleep(waited)
            now = self._clock()
            self._level = max(0.0, self._level - (now - self._last) * self.rate)
            self._last = now
        self._level += 1
        return waited


def poly_param(polygon: Polygon) -> str:
    """The API's ``lat,lng:lat,lng`` form of a polygon's exterior ring (x = lng, y = lat)."""
    coords = list(polygon.exterior.coords)[:-1]
    return ":".join(f"{lat:.6f},{lng:.6f}" for lng, lat in coords)


def _as_polygon(poly: BaseGeometry | Sequence[tuple[float, float]]) -> BaseGeometry:
    if isinstance(poly, BaseGeometry):
        return poly
    return Polygon([(lng, lat) for lat, lng in poly])  # API order is (lat, lng)


def _split(geometry: BaseGeometry) -> list[Polygon]:
    """Two halves across the longer side of the bounding box, as simple polygons."""
    minx, miny, maxx, maxy = geometry.bounds
    if maxx - minx >= maxy - miny:
        mid = (minx + maxx) / 2
        halves = [box(minx, miny, mid, maxy), box(mid, miny, maxx, maxy)]
    else:
        mid = (miny + maxy) / 2
        halves = [box(minx, miny, maxx, mid), box(minx, mid, maxx, maxy)]
    return [p for half in halves for p in _polygons(geometry.intersection(half))]


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiPolygon):
        return [p for p in geometry.geoms if not p.is_empty]
    parts = getattr(geometry, "geoms", [])
    return [p for g in parts for p in _polygons(g)]


class PoliceApi:
    """data.police.uk client. Pass ``client=httpx.Client(transport=MockTransport(...))`` in tests.

    Parameters
    ----------
    client
        The httpx client to use (a default one with a 120 s timeout otherwise: some answers
        take over a minute).
    limiter
        Request pacing (default :class:`LeakyBucket` at 15/s, bursts of 30).
    max_retries
        Retries after a 429 or 5xx answer before giving up.
    backoff
        First retry delay in seconds; doubled at each retry (``Retry-After`` wins when given).
    sleep
        Used for back-off waits (injectable for tests).
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        base_url: str = BASE_URL,
        limiter: LeakyBucket | None = None,
        max_retries: int = 5,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        window_months: int = WINDOW_MONTHS,
    ) -> None:
        self.client = client or httpx.Client(timeout=120.0)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.limiter = limiter or LeakyBucket()
        self.max_retries = max_retries
        self.backoff = backoff
        self._sleep = sleep
        self.window_months = window_months
        self._last_updated: str | None = None
        self._category_names: dict[str, str] | None = None
        self.requests_sent = 0

    # -- transport ---------------------------------------------------------------------------
    def get(self, path: str, params: Sequence[tuple[str, str]] = (), *,
            raise_on_503: bool = False) -> Any:
        """JSON of ``path``; POST when the GET URL would exceed 4094 characters."""
        url = self.base_url + path
        query = urlencode(list(params))
        use_post = len(url) + 1 + len(query) > MAX_GET_URL
        for attempt in range(self.max_retries + 1):
            self.limiter.acquire()
            self.requests_sent += 1
            try:
                if use_post:
                    response = self.client.post(url, data=dict(params))
                else:
                    response = self.client.get(url + ("?" + query if query else ""))
            except httpx.TransportError as exc:
                if attempt == self.max_retries:
                    raise PoliceApiError(f"{path}: network error ({exc})") from exc
                self._sleep(self.backoff * 2**attempt)
                continue
            status = response.status_code
            if status == 503 and raise_on_503:
                raise TooManyCrimesError(f"{path}: 503, more than 10,000 crimes in the area")
            if status == 429 or status >= 500:
                if attempt == self.max_retries:
                    raise PoliceApiError(
                        f"{path}: HTTP {status} after {self.max_retries} retries")
                self._sleep(_retry_after(response) or self.backoff * 2**attempt)
                continue
            if status != 200:
                raise PoliceApiError(f"{path}: HTTP {status}: {response.text[:200]}")
            try:
                return response.json()
            except ValueError as exc:
                raise PoliceApiError(f"{path}: answer is not JSON ({exc})") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # -- reference lists ---------------------------------------------------------------------
    def last_updated(self) -> str:
        """Month (YYYY-MM) of the latest crime data (``crime-last-updated``), cached."""
        if self._last_updated is None:
            answer = self.get("crime-last-updated")
            stamp = str(answer.get("date", "")) if isinstance(answer, dict) else ""
            self._last_updated = check_month_text(stamp[:7], what="crime-last-updated date")
        return self._last_updated

    def street_dates(self) -> list[dict[str, Any]]:
        """``crimes-street-dates``: months served, with the forces that supplied stop and search."""
        return list(self.get("crimes-street-dates"))

    def crime_categories(self, *, month: str | None = None) -> list[dict[str, str]]:
        params = [("date", self.check_month(month))] if month else []
        return list(self.get("crime-categories", params))

    def category_names(self) -> dict[str, str]:
        """slug -> CSV 'Crime type' wording, from ``crime-categories`` (cached)."""
        if self._category_names is None:
            self._category_names = {c["url"]: c["name"] for c in self.crime_categories()}
        return self._category_names

    def forces(self) -> list[dict[str, str]]:
        return list(self.get("forces"))

    # -- the date window ---------------------------------------------------------------------
    def check_month(self, month: str) -> str:
        """``month`` if the API serves it; a clear error otherwise."""
        check_month_text(month, what="month")
        last = self.last_updated()
        earliest = shift_month(last, -(self.window_months - 1))
        if month > last:
            raise UnpublishedMonthError(
                f"{month} is not published yet: police.uk crime data run to {last} "
                "(crime-last-updated); asking for it would return an empty list, not zero crime")
        if month < earliest:
            raise PoliceApiError(
                f"{month} is older than the {self.window_months} months the API serves "
                f"({earliest}..{last}); use the bulk CSV archive for older months")
        return month

    # -- data --------------------------------------------------------------------------------
    def crimes_street(
        self,
        category: str = "all-crime",
        *,
        month: str,
        poly: BaseGeometry | Sequence[tuple[float, float]] | None = None,
        lat: float | None = None,
        lng: float | None = None,
    ) -> list[dict[str, Any]]:
        """Street-level crimes in a polygon (split on 503) or within a mile of a point."""
        self.check_month(month)
        if poly is not None:
            found: dict[object, dict[str, Any]] = {}
            self._crimes_in(category, month, _as_polygon(poly), 0, found)
            return list(found.values())
        if lat is None or lng is None:
            raise ValueError("give poly=..., or lat= and lng=")
        return list(self.get(f"crimes-street/{category}",
                             [("lat", f"{lat:.6f}"), ("lng", f"{lng:.6f}"), ("date", month)]))

    def _crimes_in(self, category: str, month: str, area: BaseGeometry, depth: int,
                   found: dict[object, dict[str, Any]]) -> None:
        for polygon in _polygons(area):
            try:
                records = self.get(f"crimes-street/{category}",
                                   [("poly", poly_param(polygon)), ("date", month)],
                                   raise_on_503=True)
            except TooManyCrimesError:
                if depth >= MAX_SPLIT_DEPTH:
                    raise TooManyCrimesError(
                        f"crimes-street/{category} {month}: still over 10,000 crimes after "
                        f"{depth} splits of the polygon") from None
                for half in _split(polygon):
                    self._crimes_in(category, month, half, depth + 1, found)
                continue
            for record in records:
                found.setdefault(_identity(record), record)

    def crimes_no_location(self, category: str, force: str, month: str) -> list[dict[str, Any]]:
        self.check_month(month)
        return list(self.get("crimes-no-location",
                             [("category", category), ("force", force), ("date", month)]))

    def stops_force(self, force: str, month: str) -> list[dict[str, Any]]:
        """All stops reported by ``force`` in ``month``; refuses months it did not supply."""
        self.check_month(month)
        supplied = {
            entry.get("date"): set(entry.get("stop-and-search", []))
            for entry in self.street_dates()
        }
        if month in supplied and force not in supplied[month]:
            raise UnpublishedMonthError(
                f"{force} has not supplied stop and search data for {month} "
                "(crimes-street-dates); this is missing data, not zero stops")
        records = list(self.get("stops-force", [("force", force), ("date", month)]))
        if not records:
            raise UnpublishedMonthError(
                f"stops-force returned no records for {force} {month}: treated as not "
                "published, not as zero stops")
        return records


def _identity(record: dict[str, Any]) -> object:
    # `id` is unique per API record; persistent_id is shared by several records (and empty
    # for anti-social behaviour), so it is only the fallback
    if record.get("id") not in (None, ""):
        return ("id", record["id"])
    return ("persistent_id", record.get("persistent_id"), repr(sorted(record.items())))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def download_force_months(
    api: PoliceApi,
    *,
    force: str,
    months: Sequence[str],
    boundary_polygon: BaseGeometry | Sequence[tuple[float, float]],
) -> Iterator[tuple[str, pd.DataFrame]]:
    """(month, canonical frame) for each month: crimes in the boundary plus no-location ones.

    Raises :class:`UnpublishedMonthError` when a month comes back with no crime at all.
    """
    names = api.category_names() or DEFAULT_CATEGORY_NAMES
    for month in months:
        api.check_month(month)
        located = api.crimes_street("all-crime", month=month, poly=boundary_polygon)
        unlocated = api.crimes_no_location("all-crime", force, month)
        if not located and not unlocated:
            raise UnpublishedMonthError(
                f"police.uk returned no crimes at all for {force} in {month}: probably not "
                "published for this force yet (not zero crime)")
        yield month, api_crimes_to_frame(located + unlocated, force=force, month=month,
                                         category_names=names)
