from django.core.management.base import BaseCommand, CommandError

from aid.summary import held_targets, rollup
from ledger import daily

NOT_HELD = "not held now (held already, no rate into it is stored, or writes kept moving the ledger: try again)"


class Command(BaseCommand):
    help = (
        "List the target currencies the summary rollup holds (PostgreSQL), hold more (the monthly rows "
        "converted into them, kept by every write), or --release those held on demand."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="currencies to hold, e.g. NOK JPY")
        parser.add_argument("--release", action="store_true", help="stop holding the named currencies")

    def handle(self, *args, codes, release, **options):
        if not daily.supported():
            raise CommandError("only PostgreSQL keeps the monthly rollup; SQLite converts in its summary query")
        for code in (code.upper() for code in codes):
            if code in rollup.configured_targets():
                raise CommandError(f"{code} is held by SUMMARY_FAST_CURRENCIES; change that setting instead")
            if release:
                done = held_targets.release(code)
                self.stdout.write(f"{code}: released" if done else f"{code}: not held")
            else:
                done = held_targets.hold(code)
                self.stdout.write(f"{code}: held" if done else f"{code}: {NOT_HELD}")
        self.stdout.write("held: " + ", ".join(rollup.fast_targets()))
