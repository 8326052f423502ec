from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "alliance.web.public"
    label = "public"
    verbose_name = "Public site"
