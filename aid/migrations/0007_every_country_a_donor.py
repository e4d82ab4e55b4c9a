"""Every ISO 3166-1 country and the EU are donors from here on (aid.countries)."""

from django.db import migrations

from aid.countries import NATO_JOINED, add_missing_donors


def add_donors(apps, schema_editor):
    donor_model = apps.get_model("aid", "Donor")
    # Donors entered before this migration keep their names; they gain the year they joined NATO.
    for code, year in NATO_JOINED.items():
        donor_model.objects.filter(code=code, nato_joined=None).update(nato_joined=year, nato_member=True)
    add_missing_donors(donor_model)


class Migration(migrations.Migration):
    dependencies = [("aid", "0006_donor_nato_joined")]

    operations = [migrations.RunPython(add_donors, migrations.RunPython.noop)]
