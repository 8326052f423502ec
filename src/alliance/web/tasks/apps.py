from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "alliance.web.tasks"
    label = "tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from alliance.web.tasks.framework import install_log_filter

        install_log_filter()
