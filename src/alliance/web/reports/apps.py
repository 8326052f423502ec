from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "alliance.web.reports"
    verbose_name = "Reports (Strategic Needs Assessment)"
