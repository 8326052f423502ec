from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "alliance.web.actions"
    label = "actions"
    verbose_name = "Actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the "send_action_reminders" task kind (web and worker alike)
        from alliance.web.actions import tasks  # noqa: F401
