"""Reads the charts need beside the totals: which amounts are qualified, records with sources.

Totals never come from here: they come from `aid.summary.summarize`. These count records and
list them, with the same `LedgerFilter` the totals use.
"""

import heapq
from collections import defaultdict
from dataclasses import replace
from datetime import date
from itertools import islice

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Sum, Value
from django.db.models.functions import ExtractYear, TruncMonth

from aid import asof
from aid.models import Delivery, Donor, Kind, LedgerTotal, Pledge, Programme, Qualifier, ReferenceFigure, Source
from aid.summary import LedgerFilter, fast_monthly
from aid.summary import qualified as summary_qualified
from aid.waiting import longest_waiting_first, with_last_delivery

KINDS = (("pledge", Pledge), ("delivery", Delivery))


def records(model, ledger_filter: LedgerFilter):
    """Published pledges or deliveries matching the filter, as `LedgerFilter.on_totals` picks totals
    (as they stood, when the filter asks about a moment)."""
    return ledger_filter.on_records(asof.records(model, ledger_filter.as_of))


def _group_key(group_by: str):
    return {
        "donor": F("donor__code"),
        "programme": F("programme__code"),
        "package": F("package__code"),
        "year": ExtractYear("date"),
        "month": TruncMonth("date"),
    }[group_by]


def _key(group_by: str, raw):
    return f"{raw.year:04d}-{raw.month:02d}" if group_by == "month" else raw


def qualified(group_by: str, ledger_filter: LedgerFilter, *, by_donor: bool = False) -> dict:
    """(group key, kind) -> {qualifier: number of disclosed amounts given as at_least or approx}.

    With `by_donor`, the group key is (donor code, group key): a donor's part of a package, say.
    From the stored counts (aid.summary.qualified) when they select what the filter does.
    """
    if summary_qualified.answers(ledger_filter):
        return summary_qualified.counts(group_by, ledger_filter, by_donor=by_donor)
    return qualified_from_records(group_by, ledger_filter, by_donor=by_donor)


def qualified_from_records(group_by: str, ledger_filter: LedgerFilter, *, by_donor: bool = False) -> dict:
    """`qualified` counted from the records (as of a moment, by confidence, dates cutting a month)."""
    counts = defaultdict(dict)
    fields = ["group_key", "amount_qualifier"] + (["donor__code"] if by_donor else [])
    for kind, model in KINDS:
        rows = (
            records(model, ledger_filter)
            .exclude(amount_qualifier=Qualifier.EXACT)
            .exclude(amount_minor=None)
            .annotate(group_key=_group_key(group_by))
            .values(*fields)
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            key = _key(group_by, row["group_key"])
            key = (row["donor__code"], key) if by_donor else key
            counts[key, kind][row["amount_qualifier"]] = row["n"]
    return counts


def latest_day(ledger_filter: LedgerFilter) -> date | None:
    if ledger_filter.as_of is not None:  # the totals hold only the present
        return asof.newest_record_day(ledger_filter)
    # Per kind: each is a backward walk of the (status, kind, day) index that stops at its first
    # row; the newest day over all kinds at once read every row (85 ms at 1M + 1M, every page).
    days = [
        ledger_filter.on_totals(LedgerTotal.objects.filter(records__gt=0, kind=kind)).aggregate(day=Max("day"))["day"]
        for kind in Kind.values
    ]
    return max(filter(None, days), default=None)


def _counting_totals(ledger_filter: LedgerFilter):
    """Totals rows whose `records` count the filter's records per kind and currency: the monthly
    rollup's where it answers, else the daily totals."""
    monthly = fast_monthly.record_rows(ledger_filter)
    return monthly if monthly is not None else ledger_filter.on_totals(LedgerTotal.objects.all())


def own_currency(donor: Donor) -> str | None:
    """The currency the donor announces most of its pledges in (counted by the totals: the pledges
    themselves took 91 ms for NL's 55,580 at 1M + 1M, its daily totals 80 ms, its months 2 ms)."""
    row = (
        _counting_totals(LedgerFilter(donors=(donor.code,)))
        .filter(kind="pledge", records__gt=0)
        .exclude(currency="")
        .values("currency")
        .annotate(n=Sum("records"))
        .order_by("-n", "currency")
        .first()
    )
    return row["currency"] if row else None


def monthly_need(programme: Programme) -> ReferenceFigure | None:
    return (
        ReferenceFigure.objects.select_related("source")
        .filter(programme=programme, period="month")
        .exclude(amount_minor=None)
        .order_by("-date")
        .first()
    )


def _with_details(model, chosen):
    sources = Prefetch("sources", queryset=Source.objects.order_by("pk"))
    related = ["programme", "package"] + (["pledge"] if model is Delivery else [])
    chosen = chosen.select_related(*related).prefetch_related(sources)
    return with_last_delivery(chosen) if model is Pledge else chosen


def record_count(ledger_filter: LedgerFilter, order: str = "date") -> int:
    """How many records `ledger_records` lists in that order (over all its pages)."""
    if order == "waiting" and ledger_filter.as_of is not None:  # "waiting" reads the computed figures
        return len(_records_as_they_stood(ledger_filter, order))
    if order == "waiting":
        return longest_waiting_first(records(Pledge, ledger_filter)).count()
    if not ledger_filter.reads_records:
        # The totals count every record of their key: a donor's few hundred monthly rows, where
        # counting its records read them all (185 ms for NL's 55,580 at 1M + 1M; its daily totals 80 ms).
        totals = _counting_totals(ledger_filter).filter(kind__in=[kind for kind, _model in KINDS])
        return totals.aggregate(n=Sum("records"))["n"] or 0
    # As of a moment, or by confidence: counted in SQL from the records (or the history rows then).
    return sum(records(model, ledger_filter).count() for _kind, model in KINDS)


def ledger_records(ledger_filter: LedgerFilter, order: str = "date", *, page: int = 1, size: int = 100) -> list:
    """Page `page` of the pledges and deliveries with their sources, newest first; with order
    `waiting`, only the pledges not known to be fully delivered, the longest wait first
    (aid.waiting). The page is cut in SQL: a million records cost what `size` of them do, as of
    a past moment too (over the history rows standing then; only `waiting` as of a moment reads
    the records whole, its order being their delivered figures then)."""
    start = (page - 1) * size
    if ledger_filter.as_of is not None and order == "waiting":
        return _records_as_they_stood(ledger_filter, order)[start : start + size]
    if order == "waiting":
        pledges = records(Pledge, ledger_filter).select_related("programme", "package")
        sources = Prefetch("sources", queryset=Source.objects.order_by("pk"))
        return list(longest_waiting_first(pledges.prefetch_related(sources))[start : start + size])
    # The page's keys, then the details of just those records.
    chosen = defaultdict(list)
    for _date, _ref, kind, pk in _page_keys(ledger_filter, start, size):
        chosen[kind].append(pk)
    found = [record for kind, model in KINDS if chosen[kind] for record in _details(model, chosen[kind], ledger_filter)]
    return sorted(found, key=lambda record: (record.date, record.ref), reverse=True)


# Up to this many records before a page, each kind's newest are read and merged (below).
MERGED_KEYS_UP_TO = 10_000


def _page_keys(ledger_filter: LedgerFilter, start: int, size: int) -> list[tuple]:
    """(date, ref, kind, pk) of the records `start` to `start + size`, newest first.

    Near the top (the pages people read), the first `start + size` of each kind are read newest
    first and merged: each an index walk backward that stops there, with the donors named by
    their ids so that their (donor, date) index serves. One sorted union of both kinds read and
    sorted every record of the selection (184 ms for NL's 92,000 at 1M + 1M, on every donor
    page). Further down, merging would read as many keys into Python: the union sorts once.
    """
    narrowed, among = ledger_filter, {}
    if ledger_filter.donors:
        narrowed = replace(ledger_filter, donors=())
        among = {"donor_id__in": list(Donor.objects.filter(code__in=ledger_filter.donors).values_list("pk", flat=True))}
    keys = [
        records(model, narrowed)
        .filter(**among)
        .order_by()
        .annotate(kind=Value(kind))
        .values_list("date", "ref", "kind", "pk")
        for kind, model in KINDS
    ]
    newest = ("-date", "-ref")
    if start + size > MERGED_KEYS_UP_TO:
        return list(keys[0].union(keys[1], all=True).order_by(*newest)[start : start + size])
    each = [list(rows.order_by(*newest)[: start + size]) for rows in keys]
    merged = heapq.merge(*each, key=lambda key: (key[0], key[1]), reverse=True)
    return list(islice(merged, start, start + size))


def _details(model, keys: list[int], ledger_filter: LedgerFilter) -> list:
    """The page's records (`keys`: their primary keys, history rows' as of a moment) with their details."""
    if ledger_filter.as_of is None:
        return list(_with_details(model, model.objects.filter(pk__in=keys)))
    rows = model.history.model.objects.filter(pk__in=keys).select_related(*asof.RELATED)
    return asof.as_they_stood(rows, ledger_filter.as_of)


def _records_as_they_stood(ledger_filter: LedgerFilter, order: str) -> list:
    """The same lists from the records as they stood (their delivered figures computed, not stored)."""
    kinds = [Pledge] if order == "waiting" else [model for _kind, model in KINDS]
    found = []
    for model in kinds:
        rows = records(model, ledger_filter).select_related(*asof.RELATED)
        found += asof.as_they_stood(rows, ledger_filter.as_of)
    if order == "waiting":  # FULLY_DELIVERED of aid.waiting, read on the computed figures
        waiting = [p for p in found if p.delivered_share is None or p.delivered_share < 1]
        return sorted(waiting, key=lambda p: (p.last_delivery_date or p.date, p.ref))
    return sorted(found, key=lambda record: (record.date, record.ref), reverse=True)


def programmes_in_use() -> list[Programme]:
    """Programmes with a published pledge. Asked per programme (an index probe each): joining every
    pledge and then dropping duplicates took 261 ms at 1M + 1M records, on every uncached page."""
    published = Pledge.objects.filter(programme=OuterRef("pk"), status="published")
    return list(Programme.objects.filter(Exists(published)).order_by("code"))
