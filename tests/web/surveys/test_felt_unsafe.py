"""Felt unsafe against recorded violence on the real Northamptonshire 2025 police.uk year:
pins on the map page placed in LSOAs and wards, published by ward only (suppressed), and
compared with the published figures of recorded violence."""

from __future__ import annotations

import pytest

from tests.conftest import require_reference, require_shared
from tests.web.surveys.conftest import Respondent

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(db):
    from alliance.web.pool.services import load_police_uk

    folder = require_shared("policeuk", "street", "northamptonshire")
    files = sorted(folder.glob("2025-*-street.csv.gz"))
    return load_police_uk(files, reference_dir=require_reference(), created_by="tests")


def test_map_click_then_refine_places_the_pin(survey) -> None:
    from alliance.web.surveys.models import Pin
    from alliance.web.surveys.places import area_places, county_frame

    area = area_places(survey.partnership.area_code)
    frame = county_frame(area)
    x, y = frame.to_pixels(-0.8939, 52.2367)  # Northampton town centre
    r = Respondent(survey)
    r.start()
    r.answer(feel_safe_day="very_unsafe")
    r.answer()
    page = r.answer(**{"unsafe_place-map.x": str(round(x)),
                       "unsafe_place-map.y": str(round(y))}).content.decode()
    assert "Your place is marked in red on the close-up map" in page
    assert "map.svg?at=" in page
    svg = r.client.get(f"/have-your-say/s/{survey.slug}/map.svg?at=-0.8939,52.2367")
    assert svg["Content-Type"] == "image/svg+xml" and b"<circle" in svg.content
    r.answer(unsafe_place__time="evening")
    while "Check your answers" not in r.last.content.decode():
        r.answer()
    assert "the place marked on the map (Evening)" in r.last.content.decode()
    r.send()
    pin = Pin.objects.get()
    assert abs(pin.lat - 52.2367) < 0.01 and abs(pin.lon + 0.8939) < 0.01
    assert pin.lsoa21_code.startswith("E01") and pin.ward_code.startswith("E05")


def test_typed_place_and_list_use_the_gazetteer(survey) -> None:
    from alliance.web.surveys.models import Pin
    from alliance.web.surveys.places import area_places

    area = area_places(survey.partnership.area_code)
    code, (name, _x, _y) = next((c, v) for c, v in area.places.areas.items()
                                if "," not in v[0].split(", ")[0] and " and " not in v[0])
    for fields in ({"unsafe_place__area": code},
                   {"unsafe_place__typed": f"near the shops in {name.split(',')[0]}"}):
        r = Respondent(survey, address=f"10.0.0.{len(fields)}")
        r.start()
        r.answer(feel_safe_day="very_unsafe")
        r.answer()
        r.answer(**fields)
        while "Check your answers" not in r.last.content.decode():
            r.answer()
        r.send()
    assert set(Pin.objects.values_list("ward_code", flat=True)) == {code}


def test_felt_unsafe_page_compares_with_published_figures(client_as, survey,
                                                          year_2025) -> None:
    from alliance.web.surveys.models import Pin, Response, SurveyVersion
    from alliance.web.surveys.places import area_places

    area = area_places(survey.partnership.area_code)
    version = SurveyVersion.objects.get(survey=survey)
    wards = list(area.places.areas.items())
    # 300 pins: most in the first ward (felt unsafe far beyond its recorded share)
    for k in range(300):
        code, (_name, x, y) = wards[0] if k < 120 else wards[k % len(wards)]
        response = Response.objects.create(survey=survey, version=version,
                                           answers={"feel_safe_day": "very_unsafe"},
                                           submission_key=f"k{k}")
        Pin.objects.create(response=response, survey=survey, question="unsafe_place",
                           lat=y, lon=x, how="list", ward_code=code)
    page = client_as("board_viewer").get(f"/surveys/{survey.pk}/felt-unsafe/").content.decode()
    assert "rank correlation" in page
    assert "felt unsafe, little recorded" in page
    assert "Map of wards" in page  # the map has a text alternative, and the table follows
    assert "published figures for calendar year 2025" in page
