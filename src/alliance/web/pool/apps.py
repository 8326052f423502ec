from django.apps import AppConfig


class PoolConfig(AppConfig):
    name = "alliance.web.pool"
    label = "pool"
    verbose_name = "Pooled data"
