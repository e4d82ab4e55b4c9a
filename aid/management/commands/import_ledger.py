import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aid import phases
from aid.importing import import_ledger
from aid.models import Status


class Command(BaseCommand):
    help = "Import a ledger CSV (SPEC §4): all rows or none; existing refs are updated."
    # The system checks (URLs, admin, templates: nothing an import uses) took about a third of
    # the command's start-up; `migrate`, `runserver` and `check --deploy` still run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--draft", action="store_true", help="import as drafts, not published")
        parser.add_argument("--timings", action="store_true", help="print the seconds each phase took (to stderr)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        status = Status.DRAFT if options["draft"] else Status.PUBLISHED
        start = time.perf_counter()
        with phases.recording() as spent:
            report = import_ledger(path.read_bytes(), status=status, dry_run=options["dry_run"])
        if options["timings"]:
            for name, seconds in [*spent, ("import, in all", time.perf_counter() - start)]:
                self.stderr.write(f"timing: {name}: {seconds:.3f} s")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s) in {path.name}: nothing was imported")
        self.stdout.write(("dry run: " if options["dry_run"] else "") + report.summary())
