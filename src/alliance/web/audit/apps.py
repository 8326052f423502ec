from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "alliance.web.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alliance.web.audit.append_only import register_sqlite_function

        # every SQLite connection needs the function the DELETE trigger calls (without it the
        # trigger refuses every DELETE, flush included)
        connection_created.connect(register_sqlite_function,
                                   dispatch_uid="alliance.audit.sqlite_function")
