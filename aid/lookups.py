"""Answers to the questions `aid.rules` asks, from the database or from an import batch."""

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
            for chunk in _chunks(refs):
                for ref in model.objects.filter(ref__in=chunk).values_list("ref", flat=True):
                    self._kinds[ref] = kind
        self._pledges: dict[str, PledgeFacts] = {}
        for chunk in _chunks(pledge_refs):
            rows = Pledge.objects.filter(ref__in=chunk).values_list("ref", "donor__code", "programme__code", "date")
            for ref, donor, programme, day in rows:
                self._pledges[ref] = PledgeFacts(donor, programme, day)

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
