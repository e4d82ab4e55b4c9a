"""The one way in for every write to the ledger: admin, import and API all call these.

Each function runs in one transaction: the record, its sources, the pre-aggregated totals,
the pledge's delivered figure and the history entry change together or not at all.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from aid import progress, writelock
from aid.models import Delivery, Donor, Package, Pledge, Programme, Source, Status, Valuation
from aid.rules import CleanRecord, SourceRef
from aid.summary import totals

MODELS = {"pledge": Pledge, "delivery": Delivery, "valuation": Valuation}


class StaleEdit(ValidationError):
    """Someone else saved the record since this edit began."""


@dataclass(frozen=True)
class SaveResult:
    record: object
    action: str  # created, updated or unchanged
    warnings: tuple[str, ...] = ()


def programme_for(code: str) -> Programme:
    programme, _ = Programme.objects.get_or_create(code=code, defaults={"name_en": code})
    return programme


def package_for(programme: Programme, code: str) -> Package | None:
    if not code:
        return None
    package, _ = Package.objects.get_or_create(programme=programme, code=code, defaults={"name_en": code})
    return package


def _source(url: str, title: str, kind: str) -> Source:
    source, created = Source.objects.get_or_create(url=url, defaults={"title": title, "kind": kind})
    changed = []
    if not created and title and not source.title:
        source.title = title
        changed.append("title")
    # An empty kind is "not assessed": it never clears a kind another row has assessed.
    if not created and kind and source.kind != kind:
        source.kind = kind
        changed.append("kind")
    if changed:
        source.save(update_fields=changed)
    return source


def _wanted_values(clean: CleanRecord, status: str) -> dict:
    programme = programme_for(clean.programme)
    values = {
        "date": clean.date,
        "amount_minor": clean.amount_minor,
        "amount_scale": clean.amount_scale,
        "currency": clean.currency,
        "amount_qualifier": clean.amount_qualifier,
        "description": clean.description,
        "confidence": clean.confidence,
    }
    if clean.record == "valuation":
        values["pledge"] = Pledge.objects.get(ref=clean.pledge_ref)
        return values
    values.update(
        donor=Donor.objects.get(code=clean.donor),
        programme=programme,
        package=package_for(programme, clean.package),
        status=status,
    )
    if clean.record == "delivery":
        values["pledge"] = Pledge.objects.get(ref=clean.pledge_ref) if clean.pledge_ref else None
    return values


def _differs(record, values: dict, sources: list[SourceRef]) -> bool:
    if any(getattr(record, name) != value for name, value in values.items()):
        return True
    linked = dict(record.sources.values_list("url", "kind"))
    return any(source.url not in linked or (source.kind and linked[source.url] != source.kind) for source in sources)


def _contribution(kind: str, record) -> totals.Contribution | None:
    if record is None or kind == "valuation":
        return None
    return totals.Contribution.of(kind, record)


@transaction.atomic
def save_record(
    clean: CleanRecord,
    *,
    status: str = Status.PUBLISHED,
    user=None,
    reason: str = "",
    expected_version: int | None = None,
) -> SaveResult:
    """Create or update the record named by `clean.ref` (already checked by aid.rules)."""
    writelock.take()
    model = MODELS[clean.record]
    record = model.objects.select_for_update().filter(ref=clean.ref).first()
    if record is not None and expected_version is not None and record.version != expected_version:
        raise StaleEdit(
            f"{clean.ref} was changed by someone else (now version {record.version}); reload it and edit again"
        )
    values = _wanted_values(clean, status)
    sources = clean.source_refs
    if record is not None and not _differs(record, values, sources):
        return SaveResult(record, "unchanged", tuple(clean.warnings))
    old = _contribution(clean.record, record)
    old_covered = totals.covered(record) if clean.record == "pledge" and record is not None else None
    old_pledge_id = getattr(record, "pledge_id", None)
    action = "updated" if record is not None else "created"
    if record is None:
        record = model(ref=clean.ref)
    else:
        record.version += 1
    for name, value in values.items():
        setattr(record, name, value)
    record._change_reason = reason or f"{action} via {clean.record} write"
    record._history_user = user
    record.full_clean(exclude=["sources"], validate_unique=False, validate_constraints=False)
    record.save()
    # Sources are only ever added here: a file naming fewer sources removes none of them.
    record.sources.add(*(_source(source.url, source.title, source.kind) for source in sources))
    totals.move(old, _contribution(clean.record, record))
    _after_write(clean.record, record, old_pledge_id, old_covered)
    return SaveResult(record, action, tuple(clean.warnings))


def link_sources(record, chosen, *, user=None, reason: str = "") -> None:
    """Make `chosen` the record's sources (the admin may pick several); never leaves none."""
    wanted = {source.pk for source in chosen}
    if wanted and wanted != set(record.sources.values_list("pk", flat=True)):
        record._history_user = user
        record._change_reason = reason
        record.sources.set(wanted)


@transaction.atomic
def move_citations(old: Source, new: Source, *, user=None, reason: str = "") -> int:
    """Every record citing `old` cites `new` instead, each a change kept in its history (see
    aid.identifiers); returns how many records moved. One record at a time, as an editor would."""
    writelock.take()
    moved = 0
    for model in (Pledge, Delivery, Valuation):
        for record in model.objects.filter(sources=old).order_by("pk"):
            kept = [source for source in record.sources.all() if source.pk != old.pk]
            link_sources(record, [*kept, new], user=user, reason=reason)
            moved += 1
    return moved


def _refresh(pledge: Pledge, covered_before) -> None:
    """The pledge's delivered figure, then its "covered" total (coverage) from what it now holds."""
    refresh_progress(pledge)
    totals.move(covered_before, totals.covered(pledge))


def _linked_pledge(pledge_id: int) -> Pledge:
    return Pledge.objects.select_related("donor", "programme", "package").get(pk=pledge_id)


def _after_write(kind: str, record, old_pledge_id: int | None, old_covered=None) -> None:
    if kind == "pledge":
        _refresh(record, old_covered)
    elif kind == "delivery":
        for pledge_id in {old_pledge_id, record.pledge_id} - {None}:
            pledge = _linked_pledge(pledge_id)
            _refresh(pledge, totals.covered(pledge))


@transaction.atomic
def set_status(record, status: str, *, user=None, reason: str = "") -> bool:
    """Publish or unpublish a pledge or delivery; returns whether anything changed."""
    writelock.take()
    kind = "pledge" if isinstance(record, Pledge) else "delivery"
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.status == status:
        return False
    old = _contribution(kind, record)
    old_covered = totals.covered(record) if kind == "pledge" else None
    record.status = status
    record.version += 1
    record._change_reason = reason or f"set {status}"
    record._history_user = user
    record.save()
    totals.move(old, _contribution(kind, record))
    _after_write(kind, record, None, old_covered)
    return True


@transaction.atomic
def delete_record(record, *, user=None, reason: str = "") -> None:
    writelock.take()
    kind = {Pledge: "pledge", Delivery: "delivery", Valuation: "valuation"}[type(record)]
    # Re-read under the same row lock as save_record, so the totals remove what is stored now.
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if kind == "pledge" and record.deliveries.exists():
        raise ValidationError(f"{record.ref} has deliveries: unlink or delete them first")
    old = _contribution(kind, record)
    pledge_id = getattr(record, "pledge_id", None)
    record._change_reason = reason or "deleted"
    record._history_user = user
    record.delete()
    totals.move(old, None)
    if kind == "delivery" and pledge_id:
        pledge = _linked_pledge(pledge_id)
        _refresh(pledge, totals.covered(pledge))


def refresh_progress(pledge: Pledge) -> None:
    """Recompute what has been delivered against `pledge` (aid.progress), stored and on `pledge`."""
    progress.refresh([pledge.pk])
    pledge.refresh_from_db(fields=["delivered_minor", "deliveries_count", "undisclosed_deliveries"])
