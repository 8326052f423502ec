from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "alliance.web.comms"
    label = "comms"
    verbose_name = "Communications plan"
    default_auto_field = "django.db.models.BigAutoField"
