"""The ledger as it stood at a moment (SPEC §6 `as_of` and `release`), read from the history tables.

simple_history keeps every version of every pledge, delivery and valuation, each with the
sources attached to it then (the m2m history). A record as it stood at moment T is its newest
history row with `history_date <= T` (ties: the higher `history_id`), unless that row is its
deletion. The public saw it when that row's status was published.

One design for every reader: lists, details, CSVs, the summary's exact record path, the
cross-check and the charts start from `records(model, moment)` — the live table when the
moment is None, else the history rows standing then — and narrow it with the same
LedgerFilter (the field names are the same). A page or chunk of history rows becomes records
shaped like live ones (`as_they_stood`): unsaved model instances carrying their sources, their
pledge, valuations and delivered figures as they stood, so serializers and the CSV writer read
them unchanged.

The pre-aggregates (LedgerTotal, ConvertedTotal, DailyRate, a pledge's stored delivered
figure) hold only the present: they cannot answer the past, so an as-of question takes the
exact record path, with the rates held at the moment (ledger.rates, `held_at`) — unless nothing
was written since the moment, when the present is the answer (`present_when_unchanged`).
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from itertools import islice

from django.apps import apps
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum

from aid import progress
from aid.models import Delivery, Pledge, Source, Status, Valuation
from ledger.models import ExchangeRate

RELATED = ("donor", "programme", "package")


def records(model, moment: datetime | None, among: Q | None = None):
    """`model`'s rows as they stood at `moment` (history rows, deletions left out); the live table when None.

    `among` (a condition on `id`) picks a few records: it narrows both sides of the anti-join,
    which then reads only their history (else PostgreSQL hashes every history row up to the moment).
    """
    if moment is None:
        return model.objects.all() if among is None else model.objects.filter(among)
    history = model.history.model
    rows = history.objects.all() if among is None else history.objects.filter(among)
    newer = rows.filter(id=OuterRef("id"), history_date__lte=moment).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    return rows.filter(history_date__lte=moment).exclude(history_type="-").exclude(Exists(newer))


def published(model, moment: datetime | None, among: Q | None = None):
    return records(model, moment, among).filter(status=Status.PUBLISHED)


def standing(model, moment: datetime) -> tuple:
    """The records as they stood at `moment` in two parts, to list them without the anti-join
    over every history row: the live rows of the records nobody wrote since (as they stand now,
    they stood then) and the history rows standing then of the few written since."""
    since = Q(id__in=model.history.model.objects.filter(history_date__gt=moment).values("id"))
    return model.objects.exclude(since), records(model, moment, since)


def unchanged_since(moment: datetime) -> bool:
    """No pledge, delivery or rate was written after `moment`: the ledger now is the ledger then.

    (Three indexed probes; a rate edited in place, rather than added, is not seen: see the README.)
    """
    written = [model.history.filter(history_date__gt=moment).exists() for model in (Pledge, Delivery)]
    # The newest rate is the one stored last (ids grow with time): a primary-key probe, where
    # created_at, unindexed, would be a scan of every rate since 1999.
    newest_rate = ExchangeRate.objects.order_by("-pk").values_list("created_at", flat=True).first()
    return not any(written) and (newest_rate is None or newest_rate <= moment)


def present_when_unchanged(ledger_filter):
    """The filter asking about now when nothing changed since its moment, so the summary may read
    the pre-aggregated totals (the newest release, say); else the filter as it is."""
    if ledger_filter.as_of is None or not unchanged_since(ledger_filter.as_of):
        return ledger_filter
    return replace(ledger_filter, as_of=None)


def first_record_at() -> datetime | None:
    """When the first pledge or delivery was written: no ledger stood before it."""
    firsts = [model.history.aggregate(first=Min("history_date"))["first"] for model in (Pledge, Delivery)]
    return min((first for first in firsts if first is not None), default=None)


def _cached(record, name: str, model, items: list) -> None:
    """Fill a relation's cache as prefetch_related would, so `record.<name>.all()` reads `items`."""
    queryset = model.objects.all()
    queryset._result_cache, queryset._prefetch_done = list(items), True
    record._prefetched_objects_cache = {**getattr(record, "_prefetched_objects_cache", {}), name: queryset}


def _as_record(row):
    record = row.instance
    for name in RELATED:
        if hasattr(record, f"{name}_id"):
            type(record)._meta.get_field(name).set_cached_value(record, getattr(row, name))
    return record


def _with_sources(model, rows: list, records_: list) -> None:
    through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_sources")
    links = through.objects.filter(history_id__in=[row.history_id for row in rows]).values_list("history_id", "source")
    linked: dict[int, list[int]] = {}
    for history_id, source_id in links.order_by("source_id"):
        linked.setdefault(history_id, []).append(source_id)
    sources = Source.objects.in_bulk({pk for ids in linked.values() for pk in ids})
    for row, record in zip(rows, records_, strict=True):
        _cached(record, "sources", Source, [sources[pk] for pk in linked.get(row.history_id, []) if pk in sources])


def as_they_stood(rows, moment: datetime) -> list:
    """History rows (of one model) as records of that model, with what they carried at `moment`."""
    rows = list(rows)
    if not rows:
        return []
    model = rows[0].instance_type
    found = [_as_record(row) for row in rows]
    _with_sources(model, rows, found)
    if model is Pledge:
        _with_valuations(found, moment)
        _with_progress(found, moment)
    else:
        owners = _pledges({record.pledge_id for record in found} - {None}, moment)
        for record in found:
            owner = owners.get(record.pledge_id)
            if owner is None:  # no pledge stood then (history older than the records): none is named
                record.pledge_id = None
            model._meta.get_field("pledge").set_cached_value(record, owner)
    return found


def stood(queryset, moment: datetime, chunk: int) -> Iterator:
    """Every history row of `queryset` as its record stood, a chunk at a time (memory stays flat)."""
    related = [name for name in RELATED if any(f.name == name for f in queryset.model._meta.fields)]
    rows = queryset.select_related(*related).iterator(chunk_size=chunk)
    while block := list(islice(rows, chunk)):
        yield from as_they_stood(block, moment)


def _pledges(ids: set, moment: datetime) -> dict:
    """{id: pledge as it stood}, published or not (its status says whether it may be named)."""
    rows = records(Pledge, moment).filter(id__in=ids).select_related(*RELATED)
    return {record.pk: record for record in (_as_record(row) for row in rows)}


def _with_valuations(pledges: list, moment: datetime) -> None:
    rows = list(records(Valuation, moment).filter(pledge_id__in=[p.pk for p in pledges]).order_by("date", "ref"))
    valuations = [_as_record(row) for row in rows]
    _with_sources(Valuation, rows, valuations)
    by_pledge: dict[int, list] = {}
    for valuation in valuations:
        by_pledge.setdefault(valuation.pledge_id, []).append(valuation)
    for pledge in pledges:
        for valuation in by_pledge.get(pledge.pk, []):
            Valuation._meta.get_field("pledge").set_cached_value(valuation, pledge)
        _cached(pledge, "valuations", Valuation, by_pledge.get(pledge.pk, []))


def _with_progress(pledges: list, moment: datetime) -> None:
    """Delivered figures from the deliveries published then, converted with the rates held then.

    (The stored figure on a pledge's history row is not it: it follows deliveries and rates
    without a history row of its own.)
    """
    currency = {pledge.pk: pledge.currency for pledge in pledges}
    parts = list(
        published(Delivery, moment)
        .filter(pledge_id__in=list(currency))
        .values("pledge_id", "currency", "date")
        .annotate(total=Sum("amount_minor"), n=Count("id"), undisclosed=Count("id", filter=Q(amount_minor=None)))
        .order_by()
    )
    for part in parts:
        part["pledge_currency"] = currency[part["pledge_id"]]
    figures = progress.figures(parts, held_at=moment)
    newest: dict[int, object] = {}
    for part in parts:
        newest[part["pledge_id"]] = max(part["date"], newest.get(part["pledge_id"], part["date"]))
    for pledge in pledges:
        figure = figures.get(pledge.pk, progress.Progress())
        pledge.delivered_minor = figure.delivered_minor
        pledge.deliveries_count = figure.deliveries_count
        pledge.undisclosed_deliveries = figure.undisclosed_deliveries
        pledge.last_delivery_date = newest.get(pledge.pk)


def newest_record_day(ledger_filter):
    """The newest day of a record the filter selects (the charts' "up to"), read from the records."""
    days = [ledger_filter.on_records(records(model, ledger_filter.as_of)).aggregate(day=Max("date"))["day"]
            for model in (Pledge, Delivery)]  # fmt: skip
    return max((day for day in days if day is not None), default=None)
