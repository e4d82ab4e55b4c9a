"""Editors make releases (issue 11); everyone in the admin may see them."""

from django.db import migrations

from aid.migrations._grants import Grants

GRANTS = {"Editors": ["make_release", "view_release"], "Researchers": ["view_release"]}
GRANTS_DURING_MIGRATE = Grants("aid", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("aid", "0012_releases")]

    operations = [migrations.RunPython(GRANTS_DURING_MIGRATE.create_permissions_and_grant, migrations.RunPython.noop)]
