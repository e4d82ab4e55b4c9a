"""What changed since a moment (`changes/?since=`), read from the simple_history tables.

An entry is a history row the public could see: a pledge or delivery that is published
after the change or was published before it, or a valuation of a published pledge. Its
`action` is what the public saw happen: created, changed, published, unpublished or deleted.
One union query pages through the three history tables (oldest first); the rows of a page,
the rows just before them and the codes they name take a fixed number of queries more.
"""

from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value

from aid.models import Delivery, Donor, Package, Pledge, Programme, Status, Valuation
from ledger.money import from_minor

KINDS = {"pledge": Pledge, "delivery": Delivery, "valuation": Valuation}
FIELDS = (
    "donor",
    "programme",
    "package",
    "pledge_ref",
    "date",
    "amount",
    "currency",
    "amount_qualifier",
    "description",
)


def _history(kind: str):
    return KINDS[kind].history.model


def _entries(kind: str, since):
    history = _history(kind)
    before = history.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("-history_date", "-history_id")
    rows = (
        history.objects.filter(history_date__gt=since)
        .annotate(
            previous_id=Subquery(before.values("history_id")[:1]),
            previous_version=Subquery(before.values("version")[:1]),
        )
        # Every write raises the version; a row that did not is simple_history recording the
        # sources being attached just after the write it belongs to.
        .exclude(history_type="~", previous_version=F("version"))
    )
    if kind == "valuation":
        rows = rows.filter(Exists(Pledge.objects.filter(pk=OuterRef("pledge_id"), status=Status.PUBLISHED)))
    else:
        published_before = Subquery(before.values("status")[:1])
        rows = rows.annotate(previous_status=published_before).filter(
            Q(status=Status.PUBLISHED) | Q(previous_status=Status.PUBLISHED)
        )
    kind_value = Value(kind, output_field=CharField())
    return rows.annotate(kind=kind_value).values_list("history_date", "kind", "history_id", "previous_id").order_by()


def feed(since):
    """(history_date, kind, history_id, previous_id) of every visible change after `since`, oldest first."""
    first, *others = (_entries(kind, since) for kind in KINDS)
    return first.union(*others, all=True).order_by("history_date", "kind", "history_id")


class Names:
    """The codes and refs a page of history rows names, fetched in one query each."""

    def __init__(self, rows):
        def ids(name):
            return {getattr(row, f"{name}_id", None) for row in rows} - {None}

        self.donors = dict(Donor.objects.filter(pk__in=ids("donor")).values_list("pk", "code"))
        self.programmes = dict(Programme.objects.filter(pk__in=ids("programme")).values_list("pk", "code"))
        self.packages = dict(Package.objects.filter(pk__in=ids("package")).values_list("pk", "code"))
        published = Pledge.objects.filter(pk__in=ids("pledge"), status=Status.PUBLISHED)
        self.pledges = dict(published.values_list("pk", "ref"))

    def snapshot(self, row) -> dict:
        """The public fields of a history row, as the API shows them."""
        disclosed = row.amount_minor is not None
        values = {
            "donor": self.donors.get(getattr(row, "donor_id", None)),
            "programme": self.programmes.get(getattr(row, "programme_id", None)),
            "package": self.packages.get(getattr(row, "package_id", None)),
            "pledge_ref": self.pledges.get(getattr(row, "pledge_id", None)),
            "date": row.date.isoformat(),
            "amount": str(from_minor(row.amount_minor, row.currency)) if disclosed else None,
            "currency": row.currency or None,
            "amount_qualifier": row.amount_qualifier,
            "description": row.description or None,
        }
        return {name: values[name] for name in FIELDS}


def _differences(old: dict, new: dict) -> dict:
    return {name: {"from": old.get(name), "to": new.get(name)} for name in FIELDS if old.get(name) != new.get(name)}


def _action(row, previous) -> str:
    if row.history_type == "-":
        return "deleted"
    if previous is None or row.history_type == "+":
        return "created"
    was, now = getattr(previous, "status", Status.PUBLISHED), getattr(row, "status", Status.PUBLISHED)
    if was != now:
        return "published" if now == Status.PUBLISHED else "unpublished"
    return "changed"


def describe(page: list[tuple]) -> list[dict]:
    """The entries of one page of `feed`, with what changed in each."""
    wanted = {}
    for _, kind, history_id, previous_id in page:
        wanted.setdefault(kind, set()).update({history_id, previous_id} - {None})
    rows = {(kind, r.history_id): r for kind, ids in wanted.items() for r in _history(kind).objects.filter(pk__in=ids)}
    names = Names(rows.values())
    entries = []
    for at, kind, history_id, previous_id in page:
        row, previous = rows[kind, history_id], rows.get((kind, previous_id))
        action = _action(row, previous)
        now = names.snapshot(row)
        if action == "deleted":
            changes = _differences(now, {})
        elif action == "unpublished":  # the draft's other values stay private
            changes = {"status": {"from": Status.PUBLISHED.value, "to": Status.DRAFT.value}}
        elif action in ("created", "published"):
            changes = _differences({}, now)
        else:
            changes = _differences(names.snapshot(previous), now)
        entries.append(
            {"at": at, "kind": kind, "ref": row.ref, "action": action, "version": row.version,
             "changes": changes, "reason": row.history_change_reason or ""}
        )  # fmt: skip
    return entries
