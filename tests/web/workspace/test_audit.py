"""The audit trail is append-only; administrators filter and export it."""

from __future__ import annotations

import csv
import io

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
    # the person column too (an account named to attack whoever opens the export)
    record(None, "export", target="t", actor_email="@SUM(1+1)*cmd|' /C calc'!A0@board.test")
    rows = list(csv.reader(io.StringIO(admin.get("/audit/export.csv",
                                                 {"actor": "board."}).content.decode())))
    assert rows[1][1] == "'@SUM(1+1)*cmd|' /C calc'!A0@board.test"
    assert AuditEvent.objects.filter(action="export", target="audit trail").exists()


def test_restricted_views_and_refusals_are_audited(client_as) -> None:
    client_as("board_viewer").get("/dashboard/?figures=unsuppressed")
    refusal = AuditEvent.objects.get(action="refused")
    assert refusal.detail == {"rule": "view_record_level"}
    assert refusal.actor_email == "board@demo.alliance.test"


# --- append-only in the database (triggers; run on SQLite and on PostgreSQL) ----------------

def _raw(sql: str, params: list[object] | None = None) -> None:
    from django.db import connection, transaction

    # a savepoint, so that on PostgreSQL the test's transaction survives the refusal
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _settle() -> None:
    """PostgreSQL will not TRUNCATE a table with deferred foreign-key checks still queued in
    this transaction (the test's own inserts): run them now, as a commit would."""
    from django.db import connection

    connection.check_constraints()


def test_triggers_are_present_after_all_migrations() -> None:
    """A later migration that rebuilds the table on SQLite would drop them: this catches it."""
    from django.db import connection

    from alliance.web.audit.append_only import POSTGRES_TRIGGERS, SQLITE_TRIGGERS, installed

    expected = SQLITE_TRIGGERS if connection.vendor == "sqlite" else POSTGRES_TRIGGERS
    assert installed(connection) == set(expected)


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET target = 'rewritten' WHERE id = %s",
    "UPDATE audit_auditevent SET actor_id = NULL WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
    "DELETE FROM audit_auditevent",
])
def test_database_refuses_raw_update_and_delete(sql: str) -> None:
    from django.db import IntegrityError

    event = record(None, "export", target="something", actor_email="someone@example.org")
    with pytest.raises(IntegrityError, match="append-only"):
        _raw(sql, [event.pk] if "%s" in sql else None)
    assert AuditEvent.objects.get(pk=event.pk).target == "something"
    assert AuditEvent.objects.count() == 1


def test_inserting_is_still_allowed_by_raw_sql() -> None:
    """The triggers refuse changes, not additions (other tools may append)."""
    _raw("INSERT INTO audit_auditevent (at, actor_email, action, target, detail) "
         "VALUES (CURRENT_TIMESTAMP, 'tool@example.org', 'export', 'raw', '{}')")
    assert AuditEvent.objects.filter(target="raw", actor_email="tool@example.org").exists()


def test_emptying_the_table_outside_flush_is_refused() -> None:
    """Django's own flush SQL (DELETE FROM on SQLite, TRUNCATE on PostgreSQL) is refused
    unless it runs inside the maintenance path."""
    from django.core.management.color import no_style
    from django.db import IntegrityError, connection, transaction

    record(None, "export", target="kept")
    _settle()
    sql = connection.ops.sql_flush(no_style(), ["audit_auditevent"])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        connection.ops.execute_sql_flush(sql)
    assert AuditEvent.objects.filter(target="kept").exists()


def test_maintenance_allowance_ends_with_the_block() -> None:
    from django.core.management.color import no_style
    from django.db import IntegrityError, connection, transaction

    from alliance.web.audit.append_only import maintenance

    record(None, "export", target="first")
    _settle()
    sql = connection.ops.sql_flush(no_style(), ["audit_auditevent"])
    with maintenance():
        connection.ops.execute_sql_flush(sql)
    assert not AuditEvent.objects.exists()
    record(None, "export", target="second")
    _settle()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        connection.ops.execute_sql_flush(sql)
    assert AuditEvent.objects.filter(target="second").exists()


def test_flush_is_the_maintenance_path() -> None:
    """``manage.py flush`` (and the test runner's flush) empties the audit table too.

    Runs inside this test's transaction, so everything comes back when the test ends.
    """
    from django.core.management import call_command, get_commands

    assert get_commands()["flush"] == "alliance.web.audit"
    record(None, "export", target="before the flush")
    _settle()
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False,
                 inhibit_post_migrate=True)
    assert not AuditEvent.objects.exists()


def test_people_who_acted_are_deactivated_not_deleted(demo) -> None:
    """Deleting a user would have to change or delete their audit rows: it is refused before
    any SQL runs (PROTECT), and the row still names them by e-mail."""
    from django.contrib.auth import get_user_model
    from django.db.models import ProtectedError
    from django.test import RequestFactory

    user = get_user_model().objects.get(email=demo.emails["analyst"])
    request = RequestFactory().get("/")
    request.user = user
    event = record(request, "export", target="a table")
    with pytest.raises(ProtectedError):
        user.delete()
    assert get_user_model().objects.filter(pk=user.pk).exists()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_email) == (user.pk, demo.emails["analyst"])


# The test runner empties the database after each transactional test (``flush``: DELETE on
# SQLite, TRUNCATE on PostgreSQL). These two prove that still works with the triggers in place:
# the first leaves an event behind (its teardown would error if the flush were refused), the
# second finds the table empty. ``geography_snapshot`` puts back the geography the flush removes.
from tests.web.workspace.test_browser import geography_snapshot  # noqa: E402, F401


@pytest.mark.django_db(transaction=True)
def test_transactional_teardown_can_empty_the_audit_table(geography_snapshot) -> None:  # noqa: F811
    record(None, "export", target="left behind for the flush")
    assert AuditEvent.objects.filter(target="left behind for the flush").exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_teardown_emptied_it(geography_snapshot) -> None:  # noqa: F811
    assert not AuditEvent.objects.filter(target="left behind for the flush").exists()
