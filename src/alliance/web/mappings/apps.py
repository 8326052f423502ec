from django.apps import AppConfig


class MappingsConfig(AppConfig):
    name = "alliance.web.mappings"
    label = "mappings"
    default_auto_field = "django.db.models.BigAutoField"
