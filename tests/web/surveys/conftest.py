"""Survey fixtures: the demo partnership, an open consultation with the example survey."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from typing import Any

import pytest
from django.test import Client

from tests.web.workspace.conftest import (  # noqa: F401
    DEMO_PASSWORD,
    _fast_hashing,
    client_as,
    demo,
)
from tests.web.workspace.test_browser import browser_page, geography_snapshot  # noqa: F401


def example() -> dict[str, Any]:
    return json.loads(resources.files("alliance.voice.surveys").joinpath(
        "examples/feeling_safe.json").read_text())


def open_consultation(demo):  # type: ignore[no-untyped-def]  # noqa: F811
    """An open consultation of the demo partnership with the example survey as its module."""
    from django.utils import timezone

    from alliance.web.accounts.models import Partnership
    from alliance.web.consultations.models import Consultation, Module
    from alliance.web.surveys.models import Survey
    from alliance.web.surveys.services import add_version

    partnership = Partnership.objects.get(name=demo.partnership)
    c = Consultation.objects.create(
        partnership=partnership, title="Feeling safe in Northamptonshire",
        summary="Tell us where you feel safe and unsafe.", youth_friendly=True,
        closes_at=timezone.now() + timedelta(days=30), phase=Consultation.Phase.OPEN)
    survey = Survey.objects.create(partnership=partnership, title="Feeling safe survey")
    add_version(survey, example(), filename="feeling_safe.json", user=None)
    Module.objects.create(consultation=c, kind=Module.Kind.SURVEY, title="Feeling safe survey",
                          survey=survey)
    return c, survey


@pytest.fixture
def consultation(demo):  # noqa: F811
    return open_consultation(demo)[0]


@pytest.fixture
def survey(consultation):
    return consultation.modules.get().survey


class Respondent:
    """A resident's browser without JavaScript: posts each page with its hidden state."""

    def __init__(self, survey: Any, client: Client | None = None,
                 address: str = "203.0.113.9") -> None:
        self.survey = survey
        self.client = client or Client(REMOTE_ADDR=address)
        self.state = ""
        self.last: Any = None

    def _state_of(self, response: Any) -> None:
        import re

        self.last = response
        found = re.search(rb'name="state" value="([^"]+)"', response.content)
        if found:
            self.state = found.group(1).decode()

    def start(self, age: str = "adult", **extra: str) -> Any:
        data = {"age": age, "consent": "yes", **extra}
        response = self.client.post(f"/have-your-say/s/{self.survey.slug}/", data)
        self._state_of(response)
        return response

    def answer(self, go: str = "next", **fields: Any) -> Any:
        data: dict[str, Any] = {"state": self.state, "go": go}
        for key, value in fields.items():
            data[key.replace("__", "-")] = value
        response = self.client.post(f"/have-your-say/s/{self.survey.slug}/answer/", data)
        self._state_of(response)
        return response

    def send(self, **extra: str) -> Any:
        return self.client.post(f"/have-your-say/s/{self.survey.slug}/send/",
                                {"state": self.state, **extra}, follow=True)


@pytest.fixture(autouse=True)
def _fresh_survey_cache():
    """Each test sees its surveys as the database holds them (the public views keep a survey
    for a few seconds per process)."""
    from alliance.web.surveys import public_views

    public_views._recent.clear()
    yield
    public_views._recent.clear()
