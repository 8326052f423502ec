from django.apps import AppConfig


class MappingsConfig(AppConfig):
    name = "alliance.web.mappings"
    label = "mappings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the "load_partner_extract" task kind with alliance.web.tasks
        from alliance.web.mappings import loading  # noqa: F401
