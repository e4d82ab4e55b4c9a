from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = "Aid ledger"
