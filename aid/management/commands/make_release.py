from django.core.management.base import BaseCommand

from aid.releases.making import make_release


class Command(BaseCommand):
    help = "Freeze the published ledger as a release (SPEC §10); makes none when nothing changed (fit for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--note", default="", help="what this release is for, shown with it")

    def handle(self, *args, **options):
        release = make_release(note=options["note"])
        if release is None:
            self.stdout.write("nothing changed since the last release: no release made")
            return
        log = release.changelog
        self.stdout.write(
            f"release {release.id}: sha256:{release.package_sha256} ({len(log['created'])} created, "
            f"{len(log['changed'])} changed, {len(log['removed'])} removed)"
        )
