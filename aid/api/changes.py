"""What changed since a moment (`changes/?since=`), read from the simple_history tables.

The model is the release's (aid.releases.changelog): a record's public state is its row in the
data package — its fields, `confidence`, its sorted source URLs and, for a delivery, the
`pledge_ref` of its pledge *while that pledge is published* — and it is public while it is
published (a valuation: while its pledge is). An entry is a moment that state changed, so the
entries between two releases' times, folded per ref, are the second release's changelog:

- a record's own history row the public could see (published after the change or before it; a
  valuation of a pledge published then), unless it is simple_history recording the sources
  attached after a write and they are the ones the record had;
- a pledge published or unpublished: each delivery linked to it then gains or loses its
  `pledge_ref` (`changed`), and each of its valuations is `published` or `unpublished` with it.

A record published again shows its changes from the state the public last saw, so unpublishing
and republishing it unchanged changes nothing. One union query pages through the entries,
oldest first; the rows of a page, the rows they are compared with and the codes they name take
a fixed number of queries more.
"""

from django.apps import apps
from django.db import connections, router
from django.db.models import Case, CharField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce

from aid.models import Delivery, Donor, Package, Pledge, Programme, Status, Valuation
from ledger.money import written

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
    "confidence",
    "sources",
)
PUBLISHED = Status.PUBLISHED.value
ENTRY = ("history_date", "kind", "history_id", "from_id", "previous_id", "cause_id", "sources_id")


def _history(kind: str):
    return KINDS[kind].history.model


def _links(kind: str):
    model = KINDS[kind]
    return apps.get_model(model._meta.app_label, f"Historical{model.__name__}_sources")


def _table(kind: str) -> str:
    return _history(kind)._meta.db_table


def _earlier(history):
    return history.objects.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("-history_date", "-history_id")


def _attached(history):
    """The row simple_history wrote right after a creation, attaching its sources (if it did)."""
    later = history.objects.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        id=OuterRef("id"),
    ).order_by("history_date", "history_id")
    follower = history.objects.filter(history_id=Subquery(later.values("history_id")[:1]))
    return follower.filter(history_type="~", version=OuterRef("version")).values("history_id")[:1]


def _pledge_status_then():
    """The status of the row's pledge as it stood at the row's time."""
    rows = Pledge.history.model.objects.filter(id=OuterRef("pledge_id"), history_date__lte=OuterRef("history_date"))
    return Subquery(rows.order_by("-history_date", "-history_id").values("status")[:1])


def _sources_changed(kind: str):
    """The row's sources differ from its previous row's."""
    links = _links(kind).objects
    mine, theirs = links.filter(history_id=OuterRef("history_id")), links.filter(history_id=OuterRef("previous_id"))
    added = mine.exclude(source_id__in=links.filter(history_id=OuterRef(OuterRef("previous_id"))).values("source_id"))
    gone = theirs.exclude(source_id__in=links.filter(history_id=OuterRef(OuterRef("history_id"))).values("source_id"))
    return Exists(added) | Exists(gone)


def _own_entries(kind: str, since):
    """ENTRY of the record's own rows the public could see."""
    history = _history(kind)
    before = _earlier(history)
    rows = (
        history.objects.filter(history_date__gt=since)
        .annotate(
            previous_id=Subquery(before.values("history_id")[:1]),
            previous_version=Subquery(before.values("version")[:1]),
            previous_type=Subquery(before.values("history_type")[:1]),
            sources_id=Case(
                When(history_type="+", then=Coalesce(Subquery(_attached(history)), F("history_id"))),
                default=F("history_id"),
            ),
        )
        # A row that did not raise the version is simple_history recording sources attached
        # after a write: an entry only when they are not the ones the record had (a new
        # record's first sources are its creation's).
        .exclude(Q(history_type="~", previous_version=F("version")) & (~_sources_changed(kind) | Q(previous_type="+")))
    )
    if kind == "valuation":
        rows = rows.annotate(pledge_status=_pledge_status_then(), from_id=F("previous_id"))
        rows = rows.filter(pledge_status=PUBLISHED)
    else:
        last_public = Subquery(before.filter(status=PUBLISHED).values("history_id")[:1])
        rows = rows.annotate(
            previous_status=Subquery(before.values("status")[:1]),
            from_id=Case(When(status=PUBLISHED, then=last_public), default=F("previous_id")),
        ).filter(Q(status=PUBLISHED) | Q(previous_status=PUBLISHED))
    kind_value = Value(kind, output_field=CharField())
    return rows.annotate(kind=kind_value, cause_id=Cast(Value(None), IntegerField())).values_list(*ENTRY)


# The pledge rows (h) after `since` that published or unpublished it, and each delivery or
# valuation (r) linked to it as it stood then. For a valuation published again, `from_id` is
# its row when the pledge was last unpublished: what the public last saw of it.
_FLIP = "(h.status = '{published}') <> (COALESCE(({previous}), '') = '{published}')"
_PREVIOUS_STATUS = """SELECT p.status FROM {pledges} p WHERE p.id = h.id
    AND (p.history_date < h.history_date OR (p.history_date = h.history_date AND p.history_id < h.history_id))
    ORDER BY p.history_date DESC, p.history_id DESC LIMIT 1"""
_LAST_SEEN = """(SELECT v.history_id FROM {rows} v WHERE v.id = r.id AND v.history_type <> '-' AND v.history_date <= (
      SELECT u.history_date FROM {pledges} u WHERE u.id = h.id AND u.history_date > (
          SELECT l.history_date FROM {pledges} l WHERE l.id = h.id AND l.status = '{published}'
            AND l.history_date < h.history_date ORDER BY l.history_date DESC LIMIT 1)
      ORDER BY u.history_date LIMIT 1)
    ORDER BY v.history_date DESC, v.history_id DESC LIMIT 1)"""
_LINKED = """
SELECT h.history_date AS history_date, '{kind}' AS kind, r.history_id AS history_id, {from_id} AS from_id,
       r.history_id AS previous_id, h.history_id AS cause_id, r.history_id AS sources_id
FROM {pledges} h
JOIN {rows} r ON r.pledge_id = h.id AND r.history_date <= h.history_date AND r.history_type <> '-' {published_only}
WHERE h.history_date > %s AND h.history_type = '~' AND {flip}
  AND NOT EXISTS (SELECT 1 FROM {rows} n WHERE n.id = r.id AND n.history_date <= h.history_date
                  AND (n.history_date > r.history_date OR (n.history_date = r.history_date AND n.history_id > r.history_id)))
"""


def _linked_entries(kind: str, since, connection) -> tuple[str, list]:
    names = {"pledges": _table("pledge"), "rows": _table(kind), "published": PUBLISHED}
    flip = _FLIP.format(previous=_PREVIOUS_STATUS.format(**names), **names)
    sql = _LINKED.format(
        kind=kind, flip=flip, **names,
        from_id=_LAST_SEEN.format(**names) if kind == "valuation" else "r.history_id",
        published_only=f"AND r.status = '{PUBLISHED}'" if kind == "delivery" else "",
    )  # fmt: skip
    return sql, [connection.ops.adapt_datetimefield_value(since)]


class Feed:
    """ENTRY of every visible change after `since`, oldest first: counted and sliced in SQL."""

    def __init__(self, since):
        self.connection = connections[router.db_for_read(Pledge)]
        parts = [_own_entries(kind, since).query.sql_with_params() for kind in KINDS]
        parts += [_linked_entries(kind, since, self.connection) for kind in ("delivery", "valuation")]
        columns = ", ".join(ENTRY)
        self.sql = " UNION ALL ".join(f"SELECT {columns} FROM ({sql}) e{n}" for n, (sql, _) in enumerate(parts))
        self.params = [param for _, params in parts for param in params]

    def _fetch(self, sql: str, params) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self) -> int:
        return self._fetch(f"SELECT COUNT(*) FROM ({self.sql}) f", self.params)[0][0]

    def __getitem__(self, window: slice) -> list[tuple]:
        ordered = f"SELECT * FROM ({self.sql}) f ORDER BY 1, 2, 3"
        if window.stop is None:
            return self._fetch(ordered, self.params)[window.start or 0 :]
        start = window.start or 0
        return self._fetch(f"{ordered} LIMIT %s OFFSET %s", [*self.params, window.stop - start, start])

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0:None])


def feed(since) -> Feed:
    return Feed(since)


class Names:
    """The codes, refs and sources a page of history rows names, fetched in one query each."""

    def __init__(self, rows_by_kind: dict[str, list]):
        rows = [row for kind_rows in rows_by_kind.values() for row in kind_rows]

        def ids(name):
            return {getattr(row, f"{name}_id", None) for row in rows} - {None}

        self.donors = dict(Donor.objects.filter(pk__in=ids("donor")).values_list("pk", "code"))
        self.programmes = dict(Programme.objects.filter(pk__in=ids("programme")).values_list("pk", "code"))
        self.packages = dict(Package.objects.filter(pk__in=ids("package")).values_list("pk", "code"))
        pledge_rows = Pledge.history.model.objects.filter(id__in=ids("pledge")).order_by("history_date", "history_id")
        self.pledge_rows: dict[int, list] = {}
        for pledge_id, ref, status, at, kind in pledge_rows.values_list(
            "id", "ref", "status", "history_date", "history_type"
        ):
            self.pledge_rows.setdefault(pledge_id, []).append((at, ref, status if kind != "-" else ""))
        self.sources = self._sources(rows_by_kind)
        self.sources_of: dict[tuple[str, int], int] = {}  # a row → the row holding its sources

    @staticmethod
    def _sources(rows_by_kind) -> dict:
        """{(kind, history_id): [url, …]} of every row, in one query over the three link tables."""
        linked = [
            _links(kind).objects.filter(history_id__in=[row.history_id for row in rows])
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("kind", "history_id", "source__url")
            for kind, rows in rows_by_kind.items()
        ]  # fmt: skip
        found: dict[tuple[str, int], list[str]] = {}
        if linked:
            for kind, history_id, url in linked[0].union(*linked[1:], all=True):
                found.setdefault((kind, history_id), []).append(url)
        return found

    def pledge_ref(self, pledge_id, at) -> str | None:
        """The pledge's ref if it was published at `at`: a draft pledge's ref stays private."""
        standing = [(ref, status) for when, ref, status in self.pledge_rows.get(pledge_id, []) if when <= at]
        return standing[-1][0] if standing and standing[-1][1] == PUBLISHED else None

    def _holding(self, kind: str, row) -> int:
        return self.sources_of.get((kind, row.history_id), row.history_id)

    def snapshot(self, kind: str, row, at) -> dict:
        """The public fields of a history row as the data package writes them, its pledge as it stood at `at`."""
        disclosed = row.amount_minor is not None
        values = {
            "donor": self.donors.get(getattr(row, "donor_id", None)),
            "programme": self.programmes.get(getattr(row, "programme_id", None)),
            "package": self.packages.get(getattr(row, "package_id", None)),
            "pledge_ref": self.pledge_ref(getattr(row, "pledge_id", None), at),
            "date": row.date.isoformat(),
            # As written (`5` and `5.00` differ), as the data package and so the changelog have it.
            "amount": f"{written(row.amount_minor, row.currency, row.amount_scale):f}" if disclosed else None,
            "currency": row.currency or None,
            "amount_qualifier": row.amount_qualifier,
            "description": row.description or None,
            "confidence": row.confidence or None,
            "sources": " ".join(sorted(self.sources.get((kind, self._holding(kind, row)), []))) or None,
        }
        return {name: values[name] for name in FIELDS}


def _differences(old: dict, new: dict) -> dict:
    return {name: {"from": old.get(name), "to": new.get(name)} for name in FIELDS if old.get(name) != new.get(name)}


def _action(row, previous) -> str:
    if row.history_type == "-":
        return "deleted"
    if previous is None or row.history_type == "+":
        return "created"
    was, now = getattr(previous, "status", PUBLISHED), getattr(row, "status", PUBLISHED)
    if was != now:
        return "published" if now == PUBLISHED else "unpublished"
    return "changed"


UNPUBLISHED = {"status": {"from": PUBLISHED, "to": Status.DRAFT.value}}  # the draft's other values stay private


def _own_entry(kind: str, row, before, previous, names: Names) -> tuple[str, dict]:
    action = _action(row, previous)
    at = row.history_date
    if action == "deleted":
        return action, _differences(names.snapshot(kind, row, at), {})
    if action == "unpublished":
        return action, UNPUBLISHED
    old = {} if before is None or action == "created" else names.snapshot(kind, before, at)
    return action, _differences(old, names.snapshot(kind, row, at))


def _linked_entry(kind: str, row, before, cause, names: Names) -> tuple[str, dict]:
    """A delivery or valuation whose pledge (`cause`, its row) was published or unpublished."""
    shown = cause.status == PUBLISHED
    if kind == "delivery":
        ref = cause.ref
        return "changed", {"pledge_ref": {"from": None if shown else ref, "to": ref if shown else None}}
    if not shown:
        return "unpublished", UNPUBLISHED
    old = {} if before is None else names.snapshot(kind, before, cause.history_date)
    return "published", _differences(old, names.snapshot(kind, row, cause.history_date))


def describe(page: list[tuple]) -> list[dict]:
    """The entries of one page of `feed`, with what changed in each."""
    wanted: dict[str, set] = {}
    for _, kind, history_id, from_id, previous_id, cause_id, sources_id in page:
        wanted.setdefault(kind, set()).update({history_id, from_id, previous_id, sources_id} - {None})
        if cause_id is not None:
            wanted.setdefault("pledge", set()).add(cause_id)
    fetched = {kind: list(_history(kind).objects.filter(pk__in=ids)) for kind, ids in wanted.items()}
    rows = {(kind, row.history_id): row for kind, kind_rows in fetched.items() for row in kind_rows}
    names = Names(fetched)
    entries = []
    for _, kind, history_id, from_id, previous_id, cause_id, sources_id in page:
        row, before = rows[kind, history_id], rows.get((kind, from_id))
        names.sources_of[kind, history_id] = sources_id
        if cause_id is None:
            action, changes = _own_entry(kind, row, before, rows.get((kind, previous_id)), names)
            at, reason = row.history_date, row.history_change_reason
        else:
            cause = rows["pledge", cause_id]
            action, changes = _linked_entry(kind, row, before, cause, names)
            at, reason = cause.history_date, cause.history_change_reason
        entries.append(
            {"at": at, "kind": kind, "ref": row.ref, "action": action, "version": row.version,
             "changes": changes, "reason": reason or ""}
        )  # fmt: skip
    return entries
