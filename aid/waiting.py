"""How long a pledge's undelivered part has waited: its age and its latest delivery.

One subquery on the pledge query (no query per pledge), shared by the API and the donor page.
"""

from datetime import date

from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from aid.models import Delivery, Status

# Known to be fully delivered: a disclosed delivered figure at least the disclosed pledged amount
# (`Pledge.delivered_share` >= 1). Everything else may still be waiting, unknown included.
FULLY_DELIVERED = Q(
    amount_minor__gt=0, deliveries_count__gt=F("undisclosed_deliveries"), delivered_minor__gte=F("amount_minor")
) & ~Q(currency="")


def with_last_delivery(pledges):
    """Annotates `last_delivery_date`: the newest published delivery linked, or None."""
    newest = (
        Delivery.objects.filter(pledge=OuterRef("pk"), status=Status.PUBLISHED)
        .order_by()
        .values("pledge")
        .annotate(newest=Max("date"))
        .values("newest")
    )
    return pledges.annotate(last_delivery_date=Subquery(newest))


def longest_waiting_first(pledges):
    """Pledges not known to be fully delivered, ordered by how long their undelivered part has
    waited (since the latest delivery, else the announcement), in SQL so that a page can be cut."""
    return with_last_delivery(pledges).exclude(FULLY_DELIVERED).order_by(Coalesce("last_delivery_date", "date"), "ref")


def age_days(pledge, until: date) -> int:
    """Days from the pledge's date to `until` (today, or the end of the period asked about)."""
    return max((until - pledge.date).days, 0)


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return max(months - (later.day < earlier.day), 0)
