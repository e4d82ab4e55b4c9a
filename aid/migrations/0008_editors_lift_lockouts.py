"""Editors may see and lift sign-in lockouts (django-axes access attempts) in the admin (issue 9)."""

from django.db import migrations

from aid.migrations._grants import Grants

GRANTS = {"Editors": ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog"]}
GRANTS_DURING_MIGRATE = Grants("axes", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0007_every_country_a_donor"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(GRANTS_DURING_MIGRATE.create_permissions_and_grant, migrations.RunPython.noop)]
