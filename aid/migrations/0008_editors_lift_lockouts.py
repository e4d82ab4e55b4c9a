"""Editors may see and lift sign-in lockouts (django-axes access attempts) in the admin (issue 9)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editors": ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog"]}


def grant(Group, Permission):
    """Give Editors their rights on lockouts (also used by tests after a flush)."""
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="axes", codename__in=codenames))


def create_permissions_and_grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0007_every_country_a_donor"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_permissions_and_grant, migrations.RunPython.noop)]
