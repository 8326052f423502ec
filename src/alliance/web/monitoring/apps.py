from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "alliance.web.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring reports and the board view"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the "build_monitoring" task kind (web and worker alike)
        from alliance.web.monitoring import tasks  # noqa: F401
