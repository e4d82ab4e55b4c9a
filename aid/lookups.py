"""Answers to the questions `aid.rules` asks, from the database or from an import batch."""

from datetime import date

from django.db import connection

from aid.models import Delivery, Donor, Pledge, Valuation
from aid.rules import CleanRecord, PledgeFacts

KIND_MODELS = (("pledge", Pledge), ("delivery", Delivery), ("valuation", Valuation))
CHUNK = 900  # stays under SQLite's limit on query parameters


class DatabaseLookup:
    """One record at a time (admin forms): a few small queries, cached."""

    def __init__(self):
        self._donors: set[str] | None = None

    def donor_exists(self, code: str) -> bool:
        if self._donors is None:
            self._donors = set(Donor.objects.values_list("code", flat=True))
        return code in self._donors

    def kind_of_ref(self, ref: str) -> str | None:
        for kind, model in KIND_MODELS:
            if model.objects.filter(ref=ref).exists():
                return kind
        return None

    def pledge(self, ref: str) -> PledgeFacts | None:
        row = Pledge.objects.filter(ref=ref).values_list("donor__code", "programme__code", "date").first()
        return PledgeFacts(*row) if row else None


def _chunks(items: list[str]):
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _rows_with_refs(sql: str, refs: list[str]) -> list[tuple]:
    """The rows of `sql` whose ref is one of `refs`; `sql` says where with `{refs}`.

    PostgreSQL takes the whole list as one parameter (one query for 100,000 refs, where the
    ORM's IN lists of 900 took 112 round trips per model): one text that it splits itself, as
    psycopg spent seconds adapting a list of 100,000 strings to an array, for each query. A raw
    ref holding the separator only adds its pieces to the refs asked (a superset: what is found
    is a row the ledger holds). SQLite: lists of CHUNK.
    """
    found: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.format(refs="= ANY(string_to_array(%s, E'\\n'))"), ["\n".join(refs)])
            return cursor.fetchall()
        for chunk in _chunks(refs):
            cursor.execute(sql.format(refs=f"IN ({', '.join(['%s'] * len(chunk))})"), chunk)
            found += cursor.fetchall()
    return found


class BatchLookup:
    """A whole import file: the refs it mentions are fetched in bulk, then answered from memory.

    Pledges defined in the file itself count as existing, so a delivery may name a pledge
    that appears further down.
    """

    def __init__(self, raw_rows: list[dict]):
        self._donors = set(Donor.objects.values_list("code", flat=True))
        refs = sorted({str(r.get("ref") or "").strip() for r in raw_rows} - {""})
        pledge_refs = sorted({str(r.get("pledge_ref") or "").strip() for r in raw_rows} - {""})
        self._kinds: dict[str, str] = {}
        for kind, model in KIND_MODELS:
            for (ref,) in _rows_with_refs(f"SELECT ref FROM {model._meta.db_table} WHERE ref {{refs}}", refs):
                self._kinds[ref] = kind
        pledges = _rows_with_refs(
            "SELECT p.ref, d.code, pr.code, p.date FROM aid_pledge p JOIN aid_donor d ON d.id = p.donor_id "
            "JOIN aid_programme pr ON pr.id = p.programme_id WHERE p.ref {refs}",
            pledge_refs,
        )
        self._pledges: dict[str, PledgeFacts] = {
            ref: PledgeFacts(donor, programme, _as_date(day)) for ref, donor, programme, day in pledges
        }

    def add_pledge(self, clean: CleanRecord) -> None:
        self._pledges[clean.ref] = PledgeFacts(clean.donor, clean.programme, clean.date)

    def known_refs(self) -> set[str]:
        """The file's refs that the ledger holds already."""
        return set(self._kinds)

    def donor_exists(self, code: str) -> bool:
        return code in self._donors

    def kind_of_ref(self, ref: str) -> str | None:
        return self._kinds.get(ref)

    def pledge(self, ref: str) -> PledgeFacts | None:
        return self._pledges.get(ref)


def _as_date(value) -> date:
    """SQLite's cursor gives dates as text."""
    return value if isinstance(value, date) else date.fromisoformat(value)
