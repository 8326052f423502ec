"""Django's ``flush``, allowed to empty the append-only audit table.

Emptying the whole database is the one maintenance path round the audit triggers (see
:mod:`alliance.web.audit.append_only`). This command replaces Django's own ``flush`` (app
commands take precedence over Django's), so ``manage.py flush`` and the test runner, which
empties the database after each transactional test through ``call_command("flush")``, keep
working on both databases.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from alliance.web.audit.append_only import maintenance


class Command(flush.Command):
    help = flush.Command.help + " The audit trail is emptied too (an operator's reset)."

    def handle(self, **options: Any) -> None:
        with maintenance(options["database"]):
            super().handle(**options)
