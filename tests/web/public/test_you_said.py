"""/our-area/you-said/: a consultation's findings once its results are published, and what
workshops became in the adopted strategy, never what is only proposed or still a draft."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.workspace.conftest import _fast_hashing, demo  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _consultation(demo, phase: str):  # type: ignore[no-untyped-def]  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from alliance.web.accounts.models import Partnership
    from alliance.web.consultations.models import Consultation, Finding

    c = Consultation.objects.create(
        partnership=Partnership.objects.get(name=demo.partnership), title="Feeling safe",
        summary="Where do you feel safe?", closes_at=timezone.now() - timedelta(days=1),
        phase=phase)
    Finding.objects.create(consultation=c, you_said="Better lighting in the park",
                           we_did="New lights by March", status=Finding.Status.PLANNED)
    return c


def test_published_findings_and_agreed_strategy_items_are_shown(demo) -> None:  # noqa: F811
    from django.utils.html import escape

    from alliance.web.actions.models import Action
    from alliance.web.consultations.models import Consultation
    from alliance.web.monitoring.services import you_said_we_did
    from alliance.web.strategy.models import Strategy

    consultation = _consultation(demo, Consultation.Phase.PUBLISHED)
    page = Client().get("/our-area/you-said/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Better lighting in the park" in html and "New lights by March" in html
    assert f"/have-your-say/c/{consultation.slug}/results/" in html
    strategy = Strategy.objects.get(status=Strategy.Status.ADOPTED)
    rows = you_said_we_did(strategy)
    shown = [r for r in rows if r.status != "Proposed"]
    assert shown, "the demo's adopted strategy links workshop notes to what they became"
    for row in shown:
        assert escape(row.did) in html
    # an action only proposed is not yet something the partnership does
    action = Action.objects.filter(strategy=strategy).first()
    assert action is not None
    action.status = Action.Status.PROPOSED
    action.save()
    html = Client().get("/our-area/you-said/").content.decode()
    assert escape(f"Action: {action.title}") not in html


def test_nothing_before_results_are_published_or_a_strategy_adopted(demo) -> None:  # noqa: F811
    from alliance.web.consultations.models import Consultation
    from alliance.web.strategy.models import Strategy

    _consultation(demo, Consultation.Phase.CLOSED)
    Strategy.objects.update(status=Strategy.Status.DRAFT)
    html = Client().get("/our-area/you-said/").content.decode()
    assert "Better lighting in the park" not in html
    assert "Nothing to show yet" in html and html.count("Nothing to show yet") == 2
    welsh = Client().get("/cy/our-area/you-said/").content.decode()
    assert "Dywedoch chi, gwnaethom ni" in welsh
