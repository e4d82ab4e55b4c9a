import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here runs against the real database (PostgreSQL in CI, SQLite by default)."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """The memory cache outlives a test; answers cached by another test's ledger must not leak in."""
    from django.core.cache import cache

    cache.clear()
