"""Editors make releases (issue 11); everyone in the admin may see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editors": ["make_release", "view_release"], "Researchers": ["view_release"]}


def grant(Group, Permission):
    """Give the groups their rights on releases (also used by tests after a flush)."""
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="aid", codename__in=codenames))


def create_permissions_and_grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("aid")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("aid", "0012_releases")]

    operations = [migrations.RunPython(create_permissions_and_grant, migrations.RunPython.noop)]
