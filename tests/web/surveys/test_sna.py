"""The SNA's community-voice chapter carries the engagement log, whom we heard, the map
comparison and "you said, we did" from the partnership's consultations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import require_reference, require_shared

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_consultations_reach_the_community_voice_chapter(tmp_path: Path, consultation,
                                                          survey) -> None:
    from alliance.web.consultations.models import Finding, Module
    from alliance.web.pool import services
    from alliance.web.reports.services import build_sna
    from alliance.web.surveys.models import Pin, Response
    from alliance.web.surveys.places import area_places

    street = require_shared("policeuk", "street", "northamptonshire")
    services.load_police_uk(sorted(street.glob("2025-*-street.csv.gz")),
                            reference_dir=require_reference())
    wards = list(area_places("E23000022").places.areas.items())
    for k in range(60):
        code, (_name, x, y) = wards[0] if k < 30 else wards[k % len(wards)]
        response = Response.objects.create(
            survey=survey, version=survey.current, submission_key=f"s{k}",
            channel="paper" if k < 3 else "online",
            answers={"feel_safe_day": "very_unsafe",
                     "age_band": ["16_24", "25_44", "45_64", "65_plus"][k % 4]})
        Pin.objects.create(response=response, survey=survey, question="unsafe_place", lat=y,
                           lon=x, how="list", ward_code=code)
    Module.objects.create(consultation=consultation, kind=Module.Kind.WORKSHOP,
                          title="Youth forum", attendees=14)
    Finding.objects.create(consultation=consultation, you_said="The park is dark at night",
                           we_did="Lights are being fitted", status="doing")
    build_sna("E23000022", tmp_path / "sna", period="2025", pdf=False)
    log = pd.read_csv(tmp_path / "sna" / "data" / "t14-1-engagement.csv")
    row = log.iloc[0]
    assert row["Consultation"] == consultation.title
    assert "Workshop notes: Youth forum (14 attended)" in row["Ways to take part"]
    assert "Paper form [c]" in row["Responses"]  # three paper forms: a small count
    assert "Online 57" in row["Responses"]
    html = (tmp_path / "sna" / "index.html").read_text()
    assert "The places people marked as unsafe and the places where violence is recorded" \
        in html
    assert "Where feeling and recorded violence differ most" in html
    assert "By age" in html  # whom we heard
    assert "Lights are being fitted" in html
