"""The two groups of the review workflow (issue 3).

Researchers add and edit drafts; Editors also publish, unpublish and delete, and enter
exchange rates by hand. Superusers keep every right.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "aid.view_donor", "aid.view_programme", "aid.view_package", "aid.view_source",
    "aid.view_referencefigure", "ledger.view_exchangerate",
]  # fmt: skip
RESEARCHERS = READ + [
    "aid.view_pledge", "aid.add_pledge", "aid.change_pledge",
    "aid.view_delivery", "aid.add_delivery", "aid.change_delivery",
    "aid.view_valuation", "aid.add_valuation", "aid.change_valuation",
    "aid.add_source", "aid.change_source",
]  # fmt: skip
EDITORS = RESEARCHERS + [
    "aid.publish_pledge", "aid.publish_delivery",
    "aid.delete_pledge", "aid.delete_delivery", "aid.delete_valuation",
    "aid.add_donor", "aid.change_donor", "aid.add_programme", "aid.change_programme",
    "aid.add_package", "aid.change_package",
    "ledger.add_exchangerate", "ledger.delete_exchangerate",
]  # fmt: skip
GROUPS = {"Researchers": RESEARCHERS, "Editors": EDITORS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant(Group, Permission):
    """Create the groups with their permissions (also used by tests after a database flush)."""
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in wanted:
            app_label, codename = label.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0002_admin_permissions"),
        ("ledger", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
