"""The audit trail is append-only; administrators filter and export it."""

from __future__ import annotations

import pytest

from alliance.web.audit.models import AuditEvent, AuditImmutableError
from alliance.web.audit.services import record

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted() -> None:
    event = record(None, "export", target="something")
    event.target = "else"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(target="else")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).target == "something"


def test_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(None, "sign_inn")


def test_admin_filters_and_exports(client_as, demo) -> None:
    admin = client_as("administrator")
    record(None, "rollback", target="batch 7", actor_email="analyst@demo.alliance.test")
    record(None, "export", target="=HYPERLINK(\"http://x\")", actor_email="board@x.test")
    page = admin.get("/audit/", {"action": "rollback"})
    assert page.status_code == 200
    assert b"batch 7" in page.content and b"HYPERLINK" not in page.content
    csv_response = admin.get("/audit/export.csv", {"actor": "board@"})
    body = csv_response.content.decode()
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body  # formula injection neutralised
    assert "batch 7" not in body
    assert AuditEvent.objects.filter(action="export", target="audit trail").exists()


def test_restricted_views_and_refusals_are_audited(client_as) -> None:
    client_as("board_viewer").get("/dashboard/?figures=unsuppressed")
    refusal = AuditEvent.objects.get(action="refused")
    assert refusal.detail == {"rule": "view_record_level"}
    assert refusal.actor_email == "board@demo.alliance.test"
