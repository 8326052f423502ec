"""Database triggers that keep the audit trail append-only, and the one way round them.

The model already refuses ``save()`` on an existing row, ``delete()`` and queryset
``update()``/``delete()``; the triggers extend that to every client of the database: raw SQL
from a bug in the application, an ad-hoc ``psql`` or ``sqlite3`` session, another program.

What is refused, and why the one exception exists
-------------------------------------------------
- **UPDATE**: always, on both databases. No maintenance task needs to change history.
- **DELETE of rows**: always on PostgreSQL. On SQLite, refused unless the connection is inside
  :func:`maintenance`, because Django empties an SQLite database with ``DELETE FROM`` on every
  table (``manage.py flush``, and the test runner after every transactional test), and that
  must keep working.
- **TRUNCATE** (PostgreSQL only; SQLite has none): refused unless the transaction is inside
  :func:`maintenance`, because Django empties a PostgreSQL database with one ``TRUNCATE``.

So the only way to remove audit events is to empty the whole database through ``flush``, which
this app's own ``flush`` command wraps in :func:`maintenance` (see
``audit/management/commands/flush.py``): an operator's deliberate reset, not something a view or
task can do by accident. A retention purge (deleting events older than N years) was considered
and left out: no partnership has asked for one, and a purge path is a delete path.

What triggers cannot do
-----------------------
Whoever owns the tables can drop the triggers. On PostgreSQL, run the web and worker processes
as a role that does not own the schema and has only ``SELECT, INSERT`` on the audit table
(docs/deployment.md). On SQLite anyone who can write the file can do anything; the triggers
guard against the application's mistakes, not against the file's owner.

On SQLite a migration that rebuilds ``audit_auditevent`` (Django does that for most column
changes) silently drops its triggers: such a migration must call :func:`install` again.
``tests/web/workspace/test_audit.py`` checks the triggers are present after all migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "audit_auditevent"
#: SQLite: an application-defined SQL function registered on each Django connection; a
#: connection without it (the sqlite3 shell) cannot evaluate the DELETE trigger and is refused
SQLITE_FUNCTION = "alliance_audit_maintenance"
#: PostgreSQL: a transaction-local setting read by the TRUNCATE trigger
POSTGRES_SETTING = "alliance.audit_maintenance"
_FLAG = "alliance_audit_maintenance"

SQLITE_TRIGGERS = ("audit_auditevent_no_update", "audit_auditevent_no_delete")
POSTGRES_TRIGGERS = ("audit_auditevent_no_update_delete", "audit_auditevent_no_truncate")

_SQLITE_INSTALL = (
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE}
    WHEN {SQLITE_FUNCTION}() IS NOT 1
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
)
_SQLITE_REMOVE = tuple(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS)

_POSTGRES_INSTALL = (
    # integrity_constraint_violation (23000): Django raises IntegrityError, as on SQLite
    """CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION audit_auditevent_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{POSTGRES_SETTING}', true) IS DISTINCT FROM 'on' THEN
            RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER audit_auditevent_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()""",
    f"""CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_truncate()""",
)
_POSTGRES_REMOVE = (
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_truncate()",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
)


def _statements(vendor: str, *, remove: bool) -> tuple[str, ...]:
    if vendor == "sqlite":
        return _SQLITE_REMOVE if remove else _SQLITE_INSTALL
    if vendor == "postgresql":
        return _POSTGRES_REMOVE if remove else _POSTGRES_INSTALL
    raise RuntimeError(f"the audit trail's append-only triggers are written for SQLite and "
                       f"PostgreSQL, not {vendor}")


def install(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the triggers (a ``RunPython`` step: the SQL depends on the database)."""
    for sql in _statements(schema_editor.connection.vendor, remove=False):
        schema_editor.execute(sql, params=None)  # no params: "%" in PL/pgSQL is literal


def remove(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drop the triggers (migrating backwards)."""
    for sql in _statements(schema_editor.connection.vendor, remove=True):
        schema_editor.execute(sql, params=None)  # no params: "%" in PL/pgSQL is literal


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """Names of the append-only triggers present on ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = %s", [TABLE])
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                           "AND NOT tgisinternal", [TABLE])
        return {name for (name,) in cursor.fetchall()}


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper,
                             **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the maintenance function.

    It reads a flag on this Django connection only, so raw SQL cannot switch it on; only
    :func:`maintenance`, in Python, can.
    """
    if connection.vendor != "sqlite":
        return

    def in_maintenance() -> int:
        return 1 if getattr(connection, _FLAG, False) else 0

    connection.connection.create_function(SQLITE_FUNCTION, 0, in_maintenance)


def _postgres_setting(connection: BaseDatabaseWrapper, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [POSTGRES_SETTING, value])


@contextmanager
def maintenance(using: str = "default") -> Iterator[None]:
    """Allow the audit table to be emptied inside this block (for ``flush`` only).

    On PostgreSQL the allowance is a transaction-local setting, so the block is one transaction
    and the allowance ends with it whatever happens inside.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            _postgres_setting(connection, "on")
            yield
            # Inside an outer transaction the block is a savepoint, and a released savepoint
            # keeps a transaction-local setting until the outer transaction ends: switch it
            # off. (If the block raised, rolling back to the savepoint undoes it anyway.)
            _postgres_setting(connection, "off")
        return
    setattr(connection, _FLAG, True)
    try:
        yield
    finally:
        setattr(connection, _FLAG, False)
