from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "alliance.web.reports"
    label = "reports"
    verbose_name = "Reports (Strategic Needs Assessment)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the "build_sna" task kind with alliance.web.tasks (web and worker alike)
        from alliance.web.reports import tasks  # noqa: F401
