"""Warnings that never block a save but that a researcher should see: on save and in the lists.

- a delivery dated before its pledge (from aid.rules, as the import reports it);
- deliveries above the pledged amount (the pledge's delivered figure kept by aid.services);
- a possible duplicate: same donor, date, amount and currency as another record of its kind.
"""

from django.db.models import Exists, OuterRef

from aid.models import Delivery, Pledge

DUPLICATE = "possible duplicate"
OVER_DELIVERED = "over-delivered"
BEFORE_PLEDGE = "before its pledge"


def twins(model):
    """Other records of `model` with the row's donor, date, amount and currency."""
    return (
        model.objects.filter(
            donor=OuterRef("donor"),
            date=OuterRef("date"),
            amount_minor=OuterRef("amount_minor"),
            currency=OuterRef("currency"),
        )
        .exclude(pk=OuterRef("pk"))
        .values("pk")
    )


def with_duplicate_flag(queryset):
    """One subquery in the list's own query, whatever the number of rows."""
    return queryset.annotate(has_twin=Exists(twins(queryset.model)))


def over_delivered(pledge: Pledge | None) -> bool:
    return pledge is not None and pledge.amount_minor is not None and pledge.delivered_minor > pledge.amount_minor


def list_warnings(record) -> list[str]:
    """For a row of an annotated list page: no query of its own."""
    found = [DUPLICATE] if getattr(record, "has_twin", False) else []
    pledge = record if isinstance(record, Pledge) else record.pledge
    if over_delivered(pledge):
        found.append(OVER_DELIVERED if pledge is record else f"pledge {OVER_DELIVERED}")
    if isinstance(record, Delivery) and pledge is not None and record.date < pledge.date:
        found.append(BEFORE_PLEDGE)
    return found


def save_warnings(record, rule_warnings) -> list[str]:
    """What to tell the researcher after saving `record` (rule warnings first)."""
    found = list(rule_warnings)
    if isinstance(record, Pledge | Delivery) and record.amount_minor is not None:
        refs = list(
            type(record)
            .objects.filter(
                donor=record.donor_id, date=record.date, amount_minor=record.amount_minor, currency=record.currency
            )
            .exclude(pk=record.pk)
            .values_list("ref", flat=True)[:5]
        )
        if refs:
            found.append(f"{DUPLICATE} of {', '.join(refs)}: same donor, date, amount and currency")
    pledge = record if isinstance(record, Pledge) else getattr(record, "pledge", None)
    if isinstance(pledge, Pledge):
        pledge.refresh_from_db(fields=["delivered_minor", "deliveries_count"])
        if over_delivered(pledge):
            found.append(
                f"published deliveries against {pledge.ref} ({pledge.currency} {pledge.delivered}) "
                f"exceed its pledged amount ({pledge.currency} {pledge.amount})"
            )
    return found
