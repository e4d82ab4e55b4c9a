from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aid.datapackage.writing import PackageFiles, write_folder, zip_stream


class Command(BaseCommand):
    requires_system_checks = []
    help = "Write the published ledger as a Frictionless Data Package: into DIR, or as FILE.zip."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a folder, or a file name ending in .zip")

    def handle(self, *args, **options):
        target = Path(options["target"])
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent}: no such directory")
        package = PackageFiles()
        if target.suffix.lower() != ".zip":
            if target.exists() and not target.is_dir():
                raise CommandError(f"{target}: exists and is not a folder (name a .zip to write a zip)")
            write_folder(package, target)
        else:
            partial = target.with_name(target.name + ".partial")  # never half a zip under the real name
            with partial.open("wb") as out:
                out.writelines(zip_stream(package))
            partial.replace(target)
        counts = ", ".join(f"{count} {name}" for name, count in package.counts.items())
        self.stdout.write(f"{target}: {counts}")
