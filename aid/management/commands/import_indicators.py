from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aid.context.importing import import_indicators


class Command(BaseCommand):
    help = "Import donors' GDP and population (SPEC §6) from a CSV: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = import_indicators(path.read_bytes())
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s) in {path.name}: nothing was imported")
        self.stdout.write(report.summary())
