from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "alliance.web.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"
