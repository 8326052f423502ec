from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "alliance.web.directory"
    label = "directory"
    verbose_name = "Partner collaboration directory"
    default_auto_field = "django.db.models.BigAutoField"
