import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here runs against the real database (PostgreSQL in CI, SQLite by default)."""
