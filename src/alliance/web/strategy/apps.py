from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "alliance.web.strategy"
    label = "strategy"
    verbose_name = "Serious Violence Reduction Strategy"
    default_auto_field = "django.db.models.BigAutoField"
