"""A lookup for forms whose pledge is being saved in the same request (the pledge page's inlines)."""

from aid.lookups import DatabaseLookup
from aid.rules import PledgeFacts


class ParentPledgeLookup(DatabaseLookup):
    """Answers for `parent` from the form being saved, so its deliveries are checked against
    the donor, programme and date it is about to have, even before it exists."""

    def __init__(self, parent):
        super().__init__()
        self._parent = parent

    def pledge(self, ref: str) -> PledgeFacts | None:
        parent = self._parent
        if ref == parent.ref and parent.donor_id and parent.programme_id and parent.date:
            return PledgeFacts(parent.donor.code, parent.programme.code, parent.date)
        return super().pledge(ref)
