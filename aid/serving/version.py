"""The ledger version: one counter that every write to what the public sees moves.

It is moved inside the writing transaction, so it becomes visible together with the write:
a reader who sees the new number also sees the new data, and a cached answer keyed on the old
number is never served again. Model writes (the services, the admin, seeds, releases) move it
through the signals connected by `watch`; the set-wise writes that bypass model saves (the
bulk import, ECB rate loads, `rebuild_totals`) call `bump` themselves.
"""

from django.apps import apps
from django.db import connection, connections, router
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

ROW = 1
# Derived from the watched tables in the same transaction as their write, or the version itself.
NOT_WATCHED = {
    "LedgerTotal",
    "ConvertedTotal",
    "DonorMonthTotal",
    "ProgrammeMonthTotal",
    "QualifiedCount",
    "DailyRate",
    "DailyFactor",
    "LedgerVersion",
}
WATCHED_APPS = ("aid", "ledger")


def bump(*, rates: bool = False) -> None:
    """Move the version inside the current transaction (an upsert: a flushed test database has no
    row); `rates`: the rates changed too, so the rates version moves as well."""
    rates_set = (
        ", rates_number = aid_ledgerversion.rates_number + 1, rates_changed_at = excluded.rates_changed_at"
        if rates
        else ""
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO aid_ledgerversion (id, number, changed_at, rates_number, rates_changed_at) "
            "VALUES (%s, 1, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET number = aid_ledgerversion.number + 1, "
            f"changed_at = excluded.changed_at{rates_set}",
            [ROW, now, 1 if rates else 0, now if rates else None],
        )


# Read with a plain cursor, not a queryset: every public request reads this row first, and
# building and compiling the queryset cost Django more than the query itself (~0.7 ms of a
# 10 ms summary on SQLite).
_READ = "SELECT number, changed_at, rates_number, rates_changed_at FROM aid_ledgerversion WHERE id = %s"


def _read(using: str | None) -> tuple | None:
    from aid.models import LedgerVersion

    with connections[using or router.db_for_read(LedgerVersion)].cursor() as cursor:
        cursor.execute(_READ, [ROW])
        return cursor.fetchone()


def current() -> tuple[int, object]:
    """(number, time of the last change); (0, None) before the first write."""
    row = _read(None)
    return (row[0], row[1]) if row else (0, None)


def rates_current(using: str = "default") -> tuple[int, object]:
    """(number, time) of the last rate write; (0, None) before the first. The time tells a flushed
    and refilled database (tests) from the one before it."""
    row = _read(using)
    return (row[2], row[3]) if row else (0, None)


def _bumped(sender, **kwargs) -> None:
    bump()


def _bumped_m2m(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump()


def _rates_changed(first_day, currencies) -> None:
    bump(rates=True)


def watched_models() -> list:
    return [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if model.__name__ not in NOT_WATCHED
    ]


def watch() -> None:
    """Connect the signals (each model named: a receiver for all senders would end fast deletes)."""
    from ledger import services

    for model in watched_models():
        post_save.connect(_bumped, sender=model, dispatch_uid=f"version-save-{model._meta.label}")
        post_delete.connect(_bumped, sender=model, dispatch_uid=f"version-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_bumped_m2m, sender=through, dispatch_uid=f"version-m2m-{through._meta.label}")
    if _rates_changed not in services.rate_listeners:
        services.rate_listeners.append(_rates_changed)
