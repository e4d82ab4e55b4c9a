from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aid.export import ledger_querysets, stream_csv


class Command(BaseCommand):
    help = "Write the whole published ledger (--all: drafts too) as ledger CSV (SPEC §4), to FILE or stdout."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write (default: standard output)")
        parser.add_argument("--all", action="store_true", help="drafts too, not only the published ledger")

    def handle(self, *args, **options):
        published_only = not options["all"]
        lines = stream_csv(ledger_querysets(published_only=published_only), public=published_only)
        if not options["file"]:
            for line in lines:
                self.stdout.write(line, ending="")
            return
        path = Path(options["file"])
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        partial = path.with_name(path.name + ".partial")  # a failed export never leaves half a file
        with partial.open("w", encoding="utf-8", newline="") as out:
            out.writelines(lines)
        partial.replace(path)
