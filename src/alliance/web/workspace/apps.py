from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "alliance.web.workspace"
    label = "workspace"
    verbose_name = "Partnership workspace"
