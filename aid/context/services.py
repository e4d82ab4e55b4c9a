"""The one way a donor's indicator is written (the admin and `import_indicators` both call it)."""

from django.db import transaction

from aid.context.models import Indicator
from aid.context.rules import CleanIndicator
from aid.models import Donor


@transaction.atomic
def save_indicator(clean: CleanIndicator, *, pk: int | None = None) -> tuple[Indicator, str]:
    """Creates or updates the (donor, indicator, year) figure, or the row `pk` (an admin edit that
    may change its year); returns it and created/updated/unchanged."""
    values = {
        "value": clean.value, "unit": clean.unit, "source_url": clean.source_url,
        "source_title": clean.source_title, "source_kind": clean.source_kind,
    }  # fmt: skip
    donor = Donor.objects.get(code=clean.donor)
    key = {"pk": pk} if pk else {"donor": donor, "name": clean.name, "year": clean.year}
    existing = Indicator.objects.select_for_update().filter(**key).first()
    if existing is None:
        return Indicator.objects.create(donor=donor, name=clean.name, year=clean.year, **values), "created"
    same_key = (existing.donor_id, existing.name, existing.year) == (donor.pk, clean.name, clean.year)
    if same_key and all(getattr(existing, field) == value for field, value in values.items()):
        return existing, "unchanged"
    values.update(donor=donor, name=clean.name, year=clean.year)
    for field, value in values.items():
        setattr(existing, field, value)
    existing.save()
    return existing, "updated"
