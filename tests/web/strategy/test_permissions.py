"""The permission matrix of events, the strategy, actions, communications, the directory and
the board: every page and every change, for every role, with the object checks (a partner
lead updates only the actions and directory entries of their own organisation)."""

from __future__ import annotations

import pytest

from alliance.web.accounts.models import Role
from alliance.web.accounts.rules import role_can

pytestmark = pytest.mark.django_db
ROLES = [str(r) for r in Role.values]
EVERYONE = set(ROLES)
DATA = {"administrator", "analyst"}
LEADS = {"administrator", "analyst", "partner_lead"}

#: (url, roles that get the page): written out by hand; each must agree with its rule
PAGES = [
    ("/events/{event}/", EVERYONE), ("/events/{event}/edit/", LEADS),
    ("/events/workshops/{workshop}/notes/upload/", LEADS),
    ("/events/propose/?note={note}", DATA),
    ("/strategy/{strategy}/", EVERYONE), ("/strategy/{strategy}/measures/", EVERYONE),
    ("/strategy/measures/{measure}/", EVERYONE),
    ("/strategy/{strategy}/measures/add/", DATA),
    ("/strategy/{strategy}/priorities/add/", DATA),
    ("/strategy/priorities/{priority}/interventions/add/", DATA),
    ("/actions/{action}/", EVERYONE), ("/actions/{action}/edit/", DATA),
    ("/actions/partners/{organisation}/", EVERYONE),
    ("/comms/audience/add/", LEADS), ("/directory/{service}/", EVERYONE),
    ("/directory/{own_service}/edit/", LEADS), ("/directory/{other_service}/edit/", DATA),
    ("/board/", EVERYONE), ("/board/priorities/{priority}/", EVERYONE),
    ("/board/interventions/{intervention}/", EVERYONE), ("/monitoring/", EVERYONE),
]

#: (url, form data, audit action, roles whose change is made)
CHANGES = [
    ("/events/{event}/workshops/add/", {"title": "Extra", "question": "What else?"},
     "event_change", LEADS),
    ("/events/workshops/{workshop}/notes/add/", {"text": "More lighting near the station"},
     "event_change", LEADS),
    ("/strategy/{strategy}/new-version/", {}, "strategy_change", DATA),
    ("/actions/{own_action}/progress/", {"status": "in_progress", "text": "Sent to schools"},
     "action_change", LEADS),
    ("/actions/{other_action}/progress/", {"status": "done", "text": "Agreed"},
     "action_change", DATA),
    ("/comms/channel/add/", {"kind": "schools"}, "strategy_change", LEADS),
]


@pytest.fixture
def targets(partnership, user_of):  # type: ignore[no-untyped-def]
    from alliance.web.actions.models import Action
    from alliance.web.directory.models import Service
    from alliance.web.events.models import Event, Note
    from alliance.web.strategy.models import Intervention, Measure, Strategy

    lead_org = user_of("partner_lead").membership.organisation
    event = Event.objects.get(partnership=partnership)
    strategy = Strategy.objects.get(partnership=partnership)
    own = Service.objects.create(partnership=partnership, organisation=lead_org,
                                 name="Council youth hub")
    return {"event": event.pk, "workshop": event.workshops.first().pk,  # type: ignore[union-attr]
            "note": Note.objects.first().pk, "strategy": strategy.pk,  # type: ignore[union-attr]
            "measure": Measure.objects.first().pk,  # type: ignore[union-attr]
            "priority": strategy.priorities.first().pk,  # type: ignore[union-attr]
            "intervention": Intervention.objects.first().pk,  # type: ignore[union-attr]
            "action": Action.objects.first().pk,  # type: ignore[union-attr]
            "own_action": Action.objects.get(organisation=lead_org).pk,
            "other_action": Action.objects.exclude(organisation=lead_org).first().pk,  # type: ignore[union-attr]
            "organisation": lead_org.pk, "service": own.pk, "own_service": own.pk,
            "other_service": Service.objects.exclude(organisation=lead_org).first().pk}  # type: ignore[union-attr]


@pytest.mark.parametrize("role", ROLES)
def test_pages(client_as, targets, role: str) -> None:
    c = client_as(role)
    for url, allowed in PAGES:
        response = c.get(url.format(**targets))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_changes_are_made_and_audited_only_for_their_roles(client_as, targets,
                                                           role: str) -> None:
    from alliance.web.audit.models import AuditEvent

    c = client_as(role)
    for url, data, action, allowed in CHANGES:
        before = AuditEvent.objects.filter(action=action).count()
        response = c.post(url.format(**targets), data)
        made = AuditEvent.objects.filter(action=action).count() > before
        if role in allowed:
            assert (response.status_code, made) == (302, True), (role, url,
                                                                  response.status_code)
        else:
            assert (response.status_code, made) == (403, False), (role, url,
                                                                   response.status_code)


def test_the_rules_agree_with_the_matrix() -> None:
    for rule, roles in (("view_strategy", EVERYONE), ("record_events", LEADS),
                        ("manage_strategy", DATA), ("assign_actions", DATA),
                        ("update_actions", LEADS), ("manage_comms", LEADS),
                        ("manage_directory", LEADS), ("build_monitoring", DATA)):
        assert {r for r in ROLES if role_can(r, rule)} == roles, rule


@pytest.mark.parametrize("namespace", ["events", "strategy", "actions", "comms", "directory",
                                       "monitoring"])
def test_every_view_is_guarded_by_a_rule(namespace: str) -> None:
    from django.urls import get_resolver

    resolver = get_resolver().namespace_dict[namespace][1]
    unguarded = [p.name for p in resolver.url_patterns
                 if not hasattr(p.callback, "alliance_rule")]
    assert unguarded == []


def test_anonymous_is_sent_to_sign_in(client, targets) -> None:  # type: ignore[no-untyped-def]
    for url, _ in PAGES:
        response = client.get(url.format(**targets))
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/sign-in/"), url
