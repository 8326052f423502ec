from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "alliance.web.tasks"
    label = "tasks"
    default_auto_field = "django.db.models.BigAutoField"
