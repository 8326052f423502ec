"""No plumbing on screen: no rendered workspace page, for any role, shows a setting's name
(``ALLIANCE_…``, ``DATABASE_URL``) or a quality flag's code.

The pages are filled with what used to leak: batches whose quality reports carry every flag
code, a task, an SNA build and a theme set whose stored errors name settings (as an older
version stored them), and a partner upload refused for want of the pseudonym key. The codes
are read from the code's own constants (:class:`alliance.sources.schema.RowFlag`), and every
URL of the workspace is either rendered here or listed as not a page, so a new page cannot be
missed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from alliance.sources.schema import RowFlag
from alliance.web.accounts.models import Role

pytestmark = pytest.mark.django_db

ROLES = [str(r) for r in Role.values]
FLAG_CODES = sorted(f.name for f in RowFlag if f.name and f is not RowFlag.NONE)
PLUMBING = re.compile(r"ALLIANCE_[A-Z_]+|DATABASE_URL|\b(?:" + "|".join(FLAG_CODES) + r")\b")

#: every page, by its route, with the address rendered here ({...} filled by ``targets``)
PAGES = {
    "": "/",
    "accounts/sign-in/": "/accounts/sign-in/",
    "accounts/members/": "/accounts/members/",
    "accounts/members/<int:membership_id>/deactivate/": "/accounts/members/{member}/deactivate/",
    "accounts/invite/": "/accounts/invite/",
    "accounts/invitations/sent/": "/accounts/invitations/sent/",
    "accounts/invitations/<int:invitation_id>/withdraw/":
        "/accounts/invitations/{invitation}/withdraw/",
    "accounts/invitation/<str:token>/": "/accounts/invitation/not-a-real-token/",
    "accounts/password-reset/": "/accounts/password-reset/",
    "accounts/password-reset/sent/": "/accounts/password-reset/sent/",
    "accounts/reset/<uidb64>/<token>/": "/accounts/reset/MQ/not-a-token/",
    "accounts/reset/done/": "/accounts/reset/done/",
    "accounts/sign-in/code/": "/accounts/sign-in/code/",
    "accounts/two-factor/": "/accounts/two-factor/",
    "accounts/two-factor/set-up/": "/accounts/two-factor/set-up/",
    "dashboard/": "/dashboard/?first=2024-01&last=2024-02",
    "conversations/safeguarding/": "/conversations/safeguarding/",
    "sna/": "/sna/",
    "sna/builds/<int:pk>/": "/sna/builds/{failed_build}/",
    "sna/builds/<int:pk>/publish/": "/sna/builds/{failed_build}/publish/",
    "sna/builds/<int:pk>/withdraw/": "/sna/builds/{failed_build}/withdraw/",
    "sna/texts/": "/sna/texts/",
    "sna/texts/add/<str:kind>/": "/sna/texts/add/recommendation/",
    "sna/texts/<int:pk>/edit/": "/sna/texts/{sna_text}/edit/",
    "sna/texts/<int:pk>/history/": "/sna/texts/{sna_text}/history/",
    "sna/texts/<int:pk>/remove/": "/sna/texts/{sna_text}/remove/",
    "data/partner/": "/data/partner/",
    "data/partner/<str:token>/columns": "/data/partner/{token}/columns",
    "data/partner/<str:token>/confirm": "/data/partner/{token}/confirm",
    "data/batches/": "/data/batches/",
    "data/places/": "/data/places/",
    "data/places/venues/": "/data/places/venues/",
    "data/places/venues/<int:pk>/": "/data/places/venues/{venue}/",
    "data/batches/<int:batch_id>/rollback/": "/data/batches/{batch}/rollback/",
    "data/upload/": "/data/upload/",
    "agreements/": "/agreements/",
    "agreements/add/": "/agreements/add/",
    "agreements/<int:pk>/": "/agreements/{agreement}/",
    "agreements/<int:pk>/edit/": "/agreements/{agreement}/edit/",
    "agreements/<int:pk>/renew/": "/agreements/{agreement}/renew/",
    "agreements/<int:pk>/documents/add/": "/agreements/{agreement}/documents/add/",
    "audit/": "/audit/",
    "conversations/": "/conversations/",
    "conversations/new/": "/conversations/new/",
    "conversations/import/": "/conversations/import/",
    "conversations/<int:pk>/": "/conversations/{conversation}/",
    "conversations/<int:pk>/results/": "/conversations/{conversation}/results/",
    "conversations/<int:pk>/themes/": "/conversations/{conversation}/themes/",
    "themes/": "/themes/",
    "themes/upload/": "/themes/upload/",
    "themes/<int:pk>/": "/themes/{theme_set}/",
    "themes/<int:pk>/texts/": "/themes/{theme_set}/texts/",
    "have-your-say/<slug:slug>/": "/have-your-say/{slug}/",
    "have-your-say/<slug:slug>/vote/": "/have-your-say/{slug}/vote/",
    "have-your-say/<slug:slug>/add/": "/have-your-say/{slug}/add/",
    "tasks/<int:pk>/": "/tasks/{task}/",
    "consultations/": "/consultations/",
    "consultations/new/": "/consultations/new/",
    "consultations/public-pages/": "/consultations/public-pages/",
    "consultations/<int:pk>/": "/consultations/{consultation}/",
    "consultations/<int:pk>/you-said/": "/consultations/{consultation}/you-said/",
    "consultations/<int:pk>/you-said/<int:finding_pk>/":
        "/consultations/{consultation}/you-said/{finding}/",
    "have-your-say/": "/have-your-say/",
    "have-your-say/privacy/": "/have-your-say/privacy/",
    "have-your-say/c/<slug:slug>/": "/have-your-say/c/{consultation_slug}/",
    "have-your-say/c/<slug:slug>/results/": "/have-your-say/c/{consultation_slug}/results/",
    "have-your-say/s/<slug:slug>/": "/have-your-say/s/{survey_slug}/",
    "have-your-say/s/<slug:slug>/sent/": "/have-your-say/s/{survey_slug}/sent/",
    "surveys/<int:pk>/": "/surveys/{survey}/",
    "surveys/<int:pk>/versions/": "/surveys/{survey}/versions/",
    "surveys/<int:pk>/paper/": "/surveys/{survey}/paper/",
    "surveys/<int:pk>/entry/": "/surveys/{survey}/entry/",
    "surveys/<int:pk>/import/": "/surveys/{survey}/import/",
    "surveys/<int:pk>/review/": "/surveys/{survey}/review/",
    "surveys/<int:pk>/results/": "/surveys/{survey}/results/",
    "surveys/<int:pk>/themes/": "/surveys/{survey}/themes/",
    "surveys/<int:pk>/heard/": "/surveys/{survey}/heard/",
    "surveys/<int:pk>/felt-unsafe/": "/surveys/{survey}/felt-unsafe/",
    # events, the strategy, actions, the communications plan, the directory, the board
    "events/": "/events/",
    "events/new/": "/events/new/",
    "events/propose/": "/events/propose/?note={note}",
    "events/<int:pk>/": "/events/{event}/",
    "events/<int:pk>/edit/": "/events/{event}/edit/",
    "events/workshops/<int:pk>/notes/upload/": "/events/workshops/{workshop}/notes/upload/",
    "strategy/": "/strategy/",
    "strategy/new/": "/strategy/new/",
    "strategy/<int:pk>/": "/strategy/{strategy}/",
    "strategy/<int:pk>/edit/": "/strategy/{strategy}/edit/",
    "strategy/<int:pk>/priorities/add/": "/strategy/{strategy}/priorities/add/",
    "strategy/<int:pk>/priorities/<int:priority_pk>/":
        "/strategy/{strategy}/priorities/{priority}/",
    "strategy/priorities/<int:priority_pk>/interventions/add/":
        "/strategy/priorities/{priority}/interventions/add/",
    "strategy/priorities/<int:priority_pk>/interventions/<int:intervention_pk>/":
        "/strategy/priorities/{priority}/interventions/{intervention}/",
    "strategy/<int:pk>/measures/": "/strategy/{strategy}/measures/",
    "strategy/<int:pk>/measures/add/": "/strategy/{strategy}/measures/add/",
    "strategy/<int:pk>/measures/<int:measure_pk>/edit/":
        "/strategy/{strategy}/measures/{measure}/edit/",
    "strategy/measures/<int:pk>/": "/strategy/measures/{measure}/",
    "actions/": "/actions/",
    "actions/new/": "/actions/new/",
    "actions/partners/": "/actions/partners/",
    "actions/partners/<int:pk>/": "/actions/partners/{organisation}/",
    "actions/<int:pk>/": "/actions/{action}/",
    "actions/<int:pk>/edit/": "/actions/{action}/edit/",
    "comms/": "/comms/",
    "comms/<str:kind>/add/": "/comms/activity/add/",
    "comms/<str:kind>/<int:pk>/": "/comms/activity/{activity}/",
    "directory/": "/directory/",
    "directory/add/": "/directory/add/",
    "directory/<int:pk>/": "/directory/{service}/",
    "directory/<int:pk>/edit/": "/directory/{service}/edit/",
    "board/": "/board/",
    "board/priorities/<int:pk>/": "/board/priorities/{priority}/",
    "board/interventions/<int:pk>/": "/board/interventions/{intervention}/",
    "monitoring/": "/monitoring/",
    "monitoring/<int:pk>/": "/monitoring/{monitoring}/",
    "our-area/": "/our-area/",
    "our-area/assessment/": "/our-area/assessment/",
    "our-area/you-said/": "/our-area/you-said/",
    "accessibility/": "/accessibility/",
}
#: routes that are not pages: changes by POST only, downloads, JSON, redirects, the SNA report
#: itself (a document, not the workspace; its wording is the report's)
NOT_PAGES = {
    "healthz", "healthz/ready", "accounts/sign-out/", "accounts/members/<int:membership_id>/role/",
    "accounts/members/<int:membership_id>/reactivate/",
    "accounts/invitations/<int:invitation_id>/resend/", "dashboard/sna/",
    "accounts/members/<int:membership_id>/unlock/",
    "dashboard/<str:table>.csv", "sna/progress.json", "sna/builds/<int:pk>/index.html",
    "sna/builds/<int:pk>/index.cy.html",
    "sna/builds/<int:pk>/<path:name>", "data/upload/<str:token>/replace/",
    "agreements/documents/<int:pk>/", "audit/export.csv", "conversations/<int:pk>/status/",
    "conversations/<int:pk>/export.zip", "themes/<int:pk>/edit/<str:kind>/",
    "themes/<int:pk>/sna/", "themes/<int:pk>/themes.csv", "themes/<int:pk>/assignments.csv",
    "tasks/<int:pk>.json", "assets/<path:rest>",
    "events/<int:pk>/workshops/add/", "events/<int:pk>/themes/",
    "events/workshops/<int:pk>/notes/add/", "strategy/<int:pk>/adopt/",
    "strategy/<int:pk>/new-version/", "strategy/<int:pk>/measures/standard/",
    "actions/<int:pk>/progress/", "monitoring/<int:pk>/index.html",
    "monitoring/<int:pk>/<path:name>", "data/places/venues/<int:pk>/delete/",
    "data/places/venues.csv",
    # recovery codes are shown once, after they are made (tests/web/accounts renders the page)
    "accounts/two-factor/recovery-codes/", "accounts/two-factor/recovery-codes/new/",
    "accounts/two-factor/turn-off/", "accounts/members/<int:membership_id>/reset-two-factor/",
    "consultations/<int:pk>/phase/", "consultations/<int:pk>/modules/", "have-your-say/logo",
    "have-your-say/s/<slug:slug>/answer/", "have-your-say/s/<slug:slug>/send/",
    "have-your-say/s/<slug:slug>/map.svg", "surveys/<int:pk>/results.csv",
    "surveys/<int:pk>/survey.<str:kind>",
    "our-area/assessment.pdf",
}


def routes(patterns: list, prefix: str = "") -> Iterator[str]:  # type: ignore[type-arg]
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def test_every_route_is_rendered_here_or_is_not_a_page() -> None:
    from django.urls import get_resolver

    every = set(routes(get_resolver().url_patterns))
    assert not every - PAGES.keys() - NOT_PAGES, "add the new page to PAGES (or NOT_PAGES)"
    assert not (PAGES.keys() | NOT_PAGES) - every, "a listed route no longer exists"


def test_the_codes_are_the_codes_constants() -> None:
    assert set(FLAG_CODES) == set(RowFlag.__members__) - {"NONE"}
    assert "LSOA_MISMATCH" in FLAG_CODES
    assert PLUMBING.search("12397 rows LSOA_MISMATCH") and PLUMBING.search("set DATABASE_URL")
    assert not PLUMBING.search("the published LSOA differs from the map point's LSOA")


@pytest.fixture
def targets(demo, one_month, client_as, tmp_path: Path, monkeypatch) -> dict[str, object]:
    """What the pages show, with every leak we know of planted in it."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliance.web.accounts.models import Invitation, Membership, Partnership
    from alliance.web.conversations.models import Conversation
    from alliance.web.conversations.services import seed_statement
    from alliance.web.partnerships.models import Agreement
    from alliance.web.pool.models import ImportBatch
    from alliance.web.reports.models import SnaBuild, SnaText
    from alliance.web.tasks.models import Task
    from alliance.web.themes.models import ThemeSet

    analyst = get_user_model().objects.get(email=demo.emails["analyst"])
    partnership = Partnership.objects.get(name=demo.partnership)
    # a batch whose quality report names every flag (one month carries most of them)
    every_flag = {code: {"rows": 12_397, "meaning": f"{code}: old words"} for code in FLAG_CODES}
    ImportBatch.objects.create(kind="incidents", source="police_uk", status="active",
                               description="every flag", quality={"flags": every_flag})
    task = Task.objects.create(
        kind="load_partner_extract", created_by=analyst, status=Task.Status.FAILED,
        arguments={"name": "np.csv"},
        error="ALLIANCE_PSEUDONYM_KEY is not set: refusing to pseudonymise person identifiers")
    failed = SnaBuild.objects.create(
        area_code="E23000022", period="2024", status=SnaBuild.Status.FAILED,
        started_by=analyst, output_folder=str(tmp_path),
        message="OperationalError: could not connect (check DATABASE_URL)",
        finished_at=timezone.now())
    theme_set = ThemeSet.objects.create(
        partnership=partnership, title="Youth survey", source=ThemeSet.Source.SURVEY,
        created_by=analyst, status=ThemeSet.Status.FAILED,
        error="ALLIANCE_EMBEDDING_URL host 'example.com' resolves to a public address")
    conversation = Conversation.objects.create(
        partnership=partnership, title="Safer streets", question="What would help?",
        status=Conversation.Status.OPEN)
    for text in ("More youth clubs", "Better street lighting", "Police on foot"):
        seed_statement(conversation, text, None)
    board = Membership.objects.get(user__email=demo.emails["board_viewer"])
    sna_text = SnaText.objects.create(
        partnership=partnership, area_code="E23000022", kind="recommendation",
        text="Fund youth workers in Castle ward.", cites="f-total", fingerprint="0" * 64,
        cited_label="the finding “27,533 offences …”", owner=board.organisation,
        measure="Offences a year", baseline="27,533 offences (January 2025 to December 2025)")
    invitation = Invitation.objects.create(
        email="invited@x.test", partnership=partnership, organisation=board.organisation,
        role="analyst", token_sha256="e" * 64, expires_at=timezone.now() + timezone.timedelta(
            days=3))
    # a partner extract with a person identifier, checked without a pseudonym key
    monkeypatch.delenv("ALLIANCE_PSEUDONYM_KEY", raising=False)
    from alliance.voice.surveys import example_definition
    from alliance.web.consultations.models import Consultation, Finding, Module
    from alliance.web.surveys.models import Survey
    from alliance.web.surveys.services import add_version
    from tests.web.mappings.test_partner_upload import MAPPING, police_month

    consultation = Consultation.objects.create(
        partnership=partnership, title="Feeling safe", summary="Where do you feel unsafe?",
        closes_at=timezone.now() + timezone.timedelta(days=30), phase=Consultation.Phase.OPEN)
    survey = Survey.objects.create(partnership=partnership, title="Feeling safe survey")
    add_version(survey, example_definition(), filename="feeling_safe.json", user=None)
    Module.objects.create(consultation=consultation, kind=Module.Kind.SURVEY,
                          title="Feeling safe survey", survey=survey)
    finding = Finding.objects.create(consultation=consultation, you_said="Dark paths",
                                     we_did="Lighting", status="doing")

    lead = client_as("analyst")
    r = lead.post("/data/partner/", {"dataset": "Local police extract",
                                     "kind": "police_extract",
                                     "file": SimpleUploadedFile("np.csv",
                                                                police_month("2024-01").encode())})
    assert r.status_code == 302, r.content[:2000]
    refused = lead.post(r.url, MAPPING)
    assert refused.status_code == 400
    from alliance.web.actions.models import Action
    from alliance.web.comms.models import Activity
    from alliance.web.directory.models import Service
    from alliance.web.events.models import Event, Note
    from alliance.web.monitoring.models import MonitoringBuild
    from alliance.web.strategy.models import Intervention, Measure, Strategy

    strategy = Strategy.objects.get(partnership=partnership)
    monitoring = MonitoringBuild.objects.create(
        strategy=strategy, period="2025-Q3", status=MonitoringBuild.Status.FAILED,
        output_folder=str(tmp_path), message="ALLIANCE_REFERENCE folder not found")
    event = Event.objects.get(partnership=partnership)
    strategy_targets = {
        "event": event.pk, "workshop": event.workshops.first().pk,  # type: ignore[union-attr]
        "note": Note.objects.first().pk, "strategy": strategy.pk,  # type: ignore[union-attr]
        "priority": strategy.priorities.first().pk,  # type: ignore[union-attr]
        "intervention": Intervention.objects.filter(start__isnull=False).first().pk,  # type: ignore[union-attr]
        "measure": Measure.objects.first().pk, "action": Action.objects.first().pk,  # type: ignore[union-attr]
        "organisation": board.organisation_id, "service": Service.objects.first().pk,  # type: ignore[union-attr]
        "activity": Activity.objects.first().pk, "monitoring": monitoring.pk}  # type: ignore[union-attr]
    from alliance.web.places.models import Venue

    venue = Venue.objects.create(name="The Bear", kind="pub", easting=475600,
                                 northing=260700, lsoa21_code="E01027114")
    return {**strategy_targets, "venue": venue.pk,
            "member": board.pk, "invitation": invitation.pk, "failed_build": failed.pk,
            "token": r.url.split("/")[-2], "agreement": Agreement.objects.first().pk,  # type: ignore[union-attr]
            "conversation": conversation.pk, "slug": conversation.slug,
            "theme_set": theme_set.pk, "task": task.pk, "refused": refused,
            "batch": one_month.batch_id, "sna_text": sna_text.pk,
            "consultation": consultation.pk, "consultation_slug": consultation.slug,
            "survey": survey.pk, "survey_slug": survey.slug, "finding": finding.pk}


def _leaks(response) -> list[str]:  # type: ignore[no-untyped-def]
    if "text/html" not in response.get("Content-Type", ""):
        return []
    return sorted(set(PLUMBING.findall(response.content.decode())))


def test_no_page_shows_plumbing_to_any_role(client_as, targets, client: Client) -> None:
    found: dict[str, list[str]] = {}
    assert not _leaks(targets["refused"]), "the refused partner upload"
    assert "set up the pseudonym key" in targets["refused"].content.decode()
    visitors = {role: client_as(role) for role in ROLES} | {"anonymous": client}
    rendered = 0
    for who, c in visitors.items():
        for route, url in PAGES.items():
            response = c.get(url.format(**targets), follow=True)
            rendered += "text/html" in response.get("Content-Type", "")
            leaks = _leaks(response)
            if leaks:
                found[f"{who} {route}"] = leaks
    assert not found, found
    assert rendered >= len(PAGES) * len(visitors) * 0.9  # pages, not errors or downloads


def test_the_words_that_replace_them_are_on_the_pages(client_as, targets) -> None:
    c = client_as("analyst")

    def text(url: str) -> str:
        return html.unescape(c.get(url).content.decode())

    batches = text("/data/batches/")
    assert "The published LSOA differs from the map point's LSOA: 12,397 rows" in batches
    assert "kept but flagged" in batches and "What the quality words mean" in batches
    task = text(f"/tasks/{targets['task']}/")
    assert "Ask your administrator to set up the pseudonym key" in task
    sna = text(f"/sna/builds/{targets['failed_build']}/")
    assert "Alliance cannot use its database. Ask your administrator" in sna
    themes = text(f"/themes/{targets['theme_set']}/")
    assert "finding themes could not be used. Ask your administrator" in themes
