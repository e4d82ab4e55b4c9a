"""Granting the review groups rights from a data migration (0005, 0008 and 0013 share it).

Django's migration loader skips modules whose names start with '_': this one is no migration.
"""

from django.contrib.auth.management import create_permissions


class Grants:
    """Group name → permission codenames of one app, granted during `migrate`."""

    def __init__(self, app_label: str, codenames_by_group: dict[str, list[str]]):
        self.app_label, self.codenames_by_group = app_label, codenames_by_group

    def grant(self, Group, Permission):
        """Give the groups their rights (again after a test flushed them, if a test needs them)."""
        for name, codenames in self.codenames_by_group.items():
            group, _ = Group.objects.get_or_create(name=name)
            wanted = Permission.objects.filter(content_type__app_label=self.app_label, codename__in=codenames)
            group.permissions.add(*wanted)

    def create_permissions_and_grant(self, apps, schema_editor):
        # Permissions are normally created after all migrations ran; these are needed now.
        app_config = apps.get_app_config(self.app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        self.grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
