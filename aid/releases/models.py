"""A release: the published ledger frozen at a moment; its files never change afterwards."""

from django.db import models


class Release(models.Model):
    id = models.CharField(primary_key=True, max_length=20, help_text="YYYY-MM-DD.N: the day's N-th release")
    created_at = models.DateTimeField()
    note = models.TextField(blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    counts = models.JSONField(help_text="rows per table of the data package")
    checksums = models.JSONField(help_text="sha256 of every file of the data package")
    # Same published ledger, same fingerprint (the tables' checksums without datapackage.json,
    # which carries the time): a release of an unchanged ledger is not made.
    fingerprint = models.CharField(max_length=64)
    package_name = models.CharField(max_length=300, help_text="the zip, in the releases storage")
    package_sha256 = models.CharField(max_length=64)
    package_bytes = models.BigIntegerField()
    changelog = models.JSONField(help_text="refs created, changed (with the fields) and removed since the previous")

    class Meta:
        ordering = ["-created_at"]
        permissions = [("make_release", "Can make a release")]

    def __str__(self):
        return self.id

    @property
    def file_name(self) -> str:
        return f"aid-ledger-{self.id}.zip"
