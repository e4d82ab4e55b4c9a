import pytest

from tests.builders import donor, rate, record


@pytest.fixture
def ledger():
    """One Dutch pledge in EUR, and a USD rate for the pages that convert."""
    rate("USD", "2025-08-04", "1.1600")
    donor("NL", "Netherlands")
    return record(ref="NL-P1", donor="NL", date="2025-08-04", amount="100")
