"""Database triggers that refuse UPDATE and DELETE on the audit trail (SQLite and PostgreSQL).

The SQL differs by database, so this is a RunPython step that asks
``schema_editor.connection.vendor``; what is refused and why is explained in
:mod:`alliance.web.audit.append_only`. It comes after 0002 so that no later change to the
actor column rebuilds the table (and drops the triggers) on SQLite.
"""

from django.db import migrations

from alliance.web.audit.append_only import install, remove


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_actor_protect_and_actions"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
