from django.core.management.base import BaseCommand, CommandError

from aid.seed import SeedError, load_seed


class Command(BaseCommand):
    help = "Load the curated seed data in fixtures/ (donors, programmes, packages, ledger)."

    def handle(self, *args, **options):
        try:
            report = load_seed()
        except SeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"seed ledger: {report.summary()}")
