from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "alliance.web.themes"
    label = "themes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the "find_themes" task kind with alliance.web.tasks (web and worker alike)
        from alliance.web.themes import tasks  # noqa: F401
