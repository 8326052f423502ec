from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "alliance.web.events"
    label = "events"
    verbose_name = "Events and workshops"
    default_auto_field = "django.db.models.BigAutoField"
