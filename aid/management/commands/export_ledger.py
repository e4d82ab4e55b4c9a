from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aid.export_copy import ledger_csv_bytes


class Command(BaseCommand):
    requires_system_checks = []  # a cron job's export: the checks cost seconds and guard nothing here
    help = "Write the whole published ledger (--all: drafts too) as ledger CSV (SPEC §4), to FILE or stdout."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write (default: standard output)")
        parser.add_argument("--all", action="store_true", help="drafts too, not only the published ledger")

    def handle(self, *args, **options):
        blocks = ledger_csv_bytes(published_only=not options["all"])
        if not options["file"]:
            out = getattr(self.stdout._out, "buffer", None)
            for block in blocks:
                if out is None:  # a text stream (call_command's StringIO)
                    self.stdout.write(block.decode(), ending="")
                else:
                    out.write(block)
            return
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        partial = path.with_name(path.name + ".partial")  # a failed export never leaves half a file
        with partial.open("wb") as out:
            out.writelines(blocks)
        partial.replace(path)
