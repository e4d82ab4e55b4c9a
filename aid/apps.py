from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = "Aid ledger"

    def ready(self):
        from aid import rollup
        from ledger import services

        if rollup.refresh_from not in services.rate_listeners:
            services.rate_listeners.append(rollup.refresh_from)
