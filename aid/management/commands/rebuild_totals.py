from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aid import export_blocks, summary
from aid.serving import version
from aid.summary import totals


class Command(BaseCommand):
    help = "Recompute the pre-aggregated totals and pledges' delivered figures from the base tables (or only --verify them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify",
            action="store_true",
            help="compare only (and the summary's SQL paths with its exact path, and the stored export blocks "
            "with the ledger: a block that differs is deleted); exit 1 on any difference",
        )

    def handle(self, *args, **options):
        if options["verify"]:
            problems = totals.differences() + summary.path_differences() + export_blocks.differences()
            for problem in problems[:50]:
                self.stderr.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} total(s) or export block(s) differ from the base tables")
            self.stdout.write("totals and export blocks match the base tables")
            return
        with transaction.atomic():
            rebuilt = totals.rebuild()
            version.bump()  # totals that were wrong are right now: cached answers are stale
        self.stdout.write(f"{rebuilt} total rows rebuilt")
