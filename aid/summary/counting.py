"""Rows that count records, kept one record at a time and compared with a recomputation: the
daily totals (aid.summary.totals) and the qualifier counts (aid.summary.qualified)."""

from django.db import IntegrityError, transaction
from django.db.models import F


def add_to_row(model, key: dict, added: dict) -> None:
    """Add `added` ({column: amount}, `records` among them) to `model`'s row of `key`: created for
    a first record, removed once it counts none."""
    rows = model.objects.filter(**key)
    if rows.update(**{column: F(column) + amount for column, amount in added.items()}):
        if added["records"] < 0:
            rows.filter(records=0).delete()
        return
    if added["records"] < 0:
        raise LookupError(f"no {model._meta.verbose_name} holds {key}: run rebuild_totals")
    try:
        with transaction.atomic():
            model.objects.create(**key, **added)
    except IntegrityError:  # another transaction created the row first
        add_to_row(model, key, added)


def mismatches(stored: dict, computed: dict) -> list[tuple]:
    """(key, stored value, computed value) of every key where the two maps differ, in key order."""
    keys = sorted(set(stored) | set(computed), key=str)
    return [(key, stored.get(key), computed.get(key)) for key in keys if stored.get(key) != computed.get(key)]
