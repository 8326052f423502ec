"""Downloading from the publishers, replayed from recorded responses (no network).

Fixtures (tests/geo/fixtures/) are tiny real extracts in the publishers' formats: two pages of
the ONS ArcGIS GeoJSON answer for LSOA 2021 BSC (E01026949, E01027305; geometry simplified),
the ArcGIS JSON answer of LAD24_CSP24_PFA24_EW_LU for the six Northamptonshire rows, the first
three rows of MHCLG IoD2025 File 7 with its published header, and two Northamptonshire rows of
IoD2019 in File 7's published headings (the columns this reader uses).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pandas as pd
import pytest

from alliance.geo.deprivation import read_imd2019, read_imd2025
from alliance.geo.download import (
    PUBLISHED_FILES,
    DownloadError,
    PublishedFile,
    download_geography_folder,
)
from alliance.geo.layout import FILES, read_boundaries, read_table

FIXTURES = Path(__file__).parent / "fixtures"


def _by_target(key: str) -> PublishedFile:
    return next(f for f in PUBLISHED_FILES if key in f.targets)


def _recorded(request: httpx.Request) -> httpx.Response:
    url = str(request.url)
    if "Lower_layer_Super_Output_Areas_December_2021" in url:
        page = "1" if request.url.params["resultOffset"] == "0" else "2"
        fixture = FIXTURES / f"ons_lsoa21_bsc_page{page}.geojson"
        return httpx.Response(200, text=fixture.read_text())
    if "LAD24_CSP24_PFA24_EW_LU" in url:
        return httpx.Response(200, text=(FIXTURES / "ons_lad24_csp24_pfa24.json").read_text())
    if "IoD2025" in url:
        return httpx.Response(200, text=(FIXTURES / "mhclg_iod2025_file7_head.csv").read_text())
    if "IoD2019" in url:
        return httpx.Response(200, text=(FIXTURES / "mhclg_iod2019_file7_head.csv").read_text())
    return httpx.Response(404, text="not recorded")


def test_every_layout_file_has_a_source_or_a_reason() -> None:
    from alliance.geo.download import NOT_PUBLISHED_AS_FILES

    covered = {t for f in PUBLISHED_FILES for t in f.targets} | set(NOT_PUBLISHED_AS_FILES)
    assert covered == set(FILES)


def test_download_writes_the_reader_layout(tmp_path: Path) -> None:
    files = tuple(_by_target(k) for k in ("lsoa21_boundaries", "lad24_csp24_pfa24", "imd2025",
                                          "imd2019"))
    with httpx.Client(transport=httpx.MockTransport(_recorded)) as client:
        report = download_geography_folder(tmp_path, client=client, files=files, page_size=1)
    assert [k for k, _ in report.written] == ["lsoa21_boundaries", "lad24_csp24_pfa24",
                                              "imd2025", "imd2025_subdomains", "imd2019"]
    assert "mye2020" in set(report.to_frame()["file"])

    boundaries, _ = read_boundaries(tmp_path, "lsoa21_boundaries")
    assert list(boundaries["code"]) == ["E01026949", "E01027305"]
    lookup, _ = read_table(tmp_path, "lad24_csp24_pfa24",
                           ["lad24_code", "csp24_code", "pfa24_code"])
    assert len(lookup) == 6 and set(lookup["pfa24_code"]) == {"E23000022"}

    issues: list[dict[str, str]] = []
    imd2025 = read_imd2025(tmp_path, set(pd.read_csv(FIXTURES / "mhclg_iod2025_file7_head.csv")
                                         ["LSOA code (2021)"]), issues)
    published = pd.read_csv(FIXTURES / "mhclg_iod2025_file7_head.csv")
    assert list(imd2025["imd_rank"]) == list(published[
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"])
    assert "sub_outdoors_score" in imd2025.columns and not issues
    imd2019 = read_imd2019(tmp_path, {"E01026949", "E01026950", "E01026951"}, issues)
    northants = pd.read_csv(Path(__file__).parent / "fixtures" / "mhclg_iod2019_file7_head.csv")
    assert list(imd2019["lsoa11_code"]) == list(northants["LSOA code (2011)"])
    assert imd2019["income_score_pct"].iloc[0] == pytest.approx(
        100 * northants["Income Score (rate)"].iloc[0])


def test_service_errors_name_the_url(tmp_path: Path) -> None:
    def arcgis_error(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=json.dumps({"error": {"code": 400, "message": "Invalid"}}))

    source = _by_target("lad24_csp24_pfa24")
    with httpx.Client(transport=httpx.MockTransport(arcgis_error)) as client, \
            pytest.raises(DownloadError, match=r"LAD24_CSP24_PFA24_EW_LU.*error"):
        download_geography_folder(tmp_path, client=client, files=(source,))
    with httpx.Client(transport=httpx.MockTransport(_recorded)) as client, \
            pytest.raises(DownloadError, match="404"):
        download_geography_folder(tmp_path, client=client, files=(_by_target("lsoa21_icb24"),))


def test_missing_published_field_is_named(tmp_path: Path) -> None:
    def renamed(request: httpx.Request) -> httpx.Response:
        text = (FIXTURES / "ons_lad24_csp24_pfa24.json").read_text().replace("CSP24CD", "CSPCD")
        return httpx.Response(200, text=text)

    with httpx.Client(transport=httpx.MockTransport(renamed)) as client, \
            pytest.raises(DownloadError, match="CSP24CD"):
        download_geography_folder(tmp_path, client=client,
                                  files=(_by_target("lad24_csp24_pfa24"),))
