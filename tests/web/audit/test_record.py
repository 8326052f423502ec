"""The audit service's API: events from requests, from services acting for a user, and from
background tasks, each with the client's address (issue 12 item 11)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from alliance.web.audit.models import AuditEvent
from alliance.web.audit.services import origin, record, record_for_task

pytestmark = pytest.mark.django_db

PROXY, CLIENT = "127.0.0.1", "203.0.113.9"

MODERATION = ("conversation_create", "conversation_status", "moderate",
              "safeguarding_referral")


@pytest.fixture
def behind_nginx(settings):
    settings.ALLIANCE_TRUSTED_PROXIES = (PROXY,)


def _request(user=None, *, forwarded: str = CLIENT):
    request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    request.user = user or SimpleNamespace(is_authenticated=False)
    return request


@pytest.mark.parametrize("action", MODERATION)
def test_moderation_actions_are_known(demo, action: str) -> None:
    moderator = get_user_model().objects.get(email=demo.emails["moderator"])
    event = record(None, action, target="conversation 7", actor=moderator, state="rejected")
    assert (event.actor, event.actor_email, event.ip) == (moderator, moderator.email, None)
    assert event.get_action_display() != action  # a label for the audit page


def test_a_request_gives_the_actor_and_the_client_address(demo, behind_nginx) -> None:
    moderator = get_user_model().objects.get(email=demo.emails["moderator"])
    event = record(_request(moderator), "moderate", target="statement 3")
    assert (event.actor, event.ip) == (moderator, CLIENT)


def test_explicit_actor_and_address_win_and_a_bad_address_is_not_stored(demo,
                                                                          behind_nginx) -> None:
    admin = get_user_model().objects.get(email=demo.emails["administrator"])
    event = record(_request(), "safeguarding_referral", actor=admin, ip="198.51.100.4")
    assert (event.actor, event.ip) == (admin, "198.51.100.4")
    # a malformed explicit address falls back to the request's, never reaches the database
    event = record(_request(), "conversation_create", actor=admin, ip="not-an-address")
    assert event.ip == CLIENT
    event = record(None, "conversation_create", actor=admin, ip="999.1.1.1")
    assert event.ip is None


def test_a_task_records_who_started_it_and_from_where(demo, behind_nginx) -> None:
    analyst = get_user_model().objects.get(email=demo.emails["analyst"])
    arguments = {"path": "x", **origin(_request(analyst))}
    task = SimpleNamespace(pk=41, created_by=analyst, arguments=arguments)
    event = record_for_task(task, "upload", target="file.csv", rows=10)
    assert (event.actor, event.actor_email, event.ip) == (analyst, analyst.email, CLIENT)
    assert event.detail == {"task": 41, "rows": 10}


def test_a_real_upload_records_the_client_address(client_as, behind_nginx,
                                                  northants_files: list[Path]) -> None:
    """Through the upload page and the load task (inline here, as on a laptop): the upload
    event carries the address the file came from, not the proxy's and not nothing."""
    lead = client_as("analyst")  # police.uk is the police's data: the council's lead may not
    path = northants_files[0]
    r = lead.post("/data/upload/", {"file": SimpleUploadedFile(path.name, path.read_bytes())},
                  REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    assert r.status_code == 302, r.content.decode()[:1000]
    event = AuditEvent.objects.get(action="upload")
    assert event.ip == CLIENT
    assert event.actor is not None and event.actor.membership.role == "analyst"
    assert event.detail["task"] and event.detail["rows"] > 1000
