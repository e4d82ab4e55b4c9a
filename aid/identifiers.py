"""Public identifiers never change once the public has seen them.

A donor's, programme's or package's code names records in the data package, in the API's filters
and in the links a newsroom publishes. Renaming one would change every row that names it without
a change to any record, and both the changes feed and the ledger as of a moment read the records'
history: neither could show it, and an old release's changelog would disagree with the feed. So a
code named by a record that was ever published stays; a wrong one is mended by moving the records
to a new code (an import by ref, which every history shows).

A source's URL is its identity in the data package too. Changing the URL of a source a record ever
cited moves the citations to a new source (services.move_citations: a change of each citing record,
kept in its history) and leaves the old one as it was, so the past still reads as it stood.
"""

from django.apps import apps

from aid.models import Delivery, Pledge, Status

NAMING_KINDS = (Pledge, Delivery)  # valuations name their pledge, not codes
CITING_KINDS = ("Pledge", "Delivery", "Valuation")


def named_by_a_published_record(reference) -> bool:
    """Whether a donor, programme or package was ever named by a record while it was published."""
    field = f"{reference._meta.model_name}_id"
    return any(
        model.history.filter(status=Status.PUBLISHED, **{field: reference.pk}).exists() for model in NAMING_KINDS
    )


def ever_cited(source) -> bool:
    """Whether any record cites the source now or did in any of its history rows."""
    for name in CITING_KINDS:
        if apps.get_model("aid", name).objects.filter(sources=source).exists():
            return True
        if apps.get_model("aid", f"Historical{name}_sources").objects.filter(source=source).exists():
            return True
    return False


def cited_by_a_published_record(source) -> bool:
    """Whether a record the public sees cites the source now (moving it changes what they see)."""
    return (
        Pledge.objects.filter(sources=source, status=Status.PUBLISHED).exists()
        or Delivery.objects.filter(sources=source, status=Status.PUBLISHED).exists()
        or apps.get_model("aid", "Valuation").objects.filter(sources=source, pledge__status=Status.PUBLISHED).exists()
    )
