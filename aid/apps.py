from django.apps import AppConfig


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = "Aid ledger"

    def ready(self):
        from aid import progress
        from aid.serving import version
        from aid.summary import rollup
        from ledger import services

        for listener in (rollup.refresh_from, progress.follow_rates):
            if listener not in services.rate_listeners:
                services.rate_listeners.append(listener)
        version.watch()
