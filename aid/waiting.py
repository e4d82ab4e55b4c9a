"""How long a pledge's undelivered part has waited: its age and its latest delivery.

One subquery on the pledge query (no query per pledge), shared by the API and the donor page.
"""

from datetime import date

from django.db.models import Max, OuterRef, Subquery

from aid.models import Delivery, Status


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


def age_days(pledge, until: date) -> int:
    """Days from the pledge's date to `until` (today, or the end of the period asked about)."""
    return max((until - pledge.date).days, 0)


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return max(months - (later.day < earlier.day), 0)


def waited_since(pledge) -> date:
    """From when the undelivered part has waited: the latest delivery, else the announcement."""
    return getattr(pledge, "last_delivery_date", None) or pledge.date
