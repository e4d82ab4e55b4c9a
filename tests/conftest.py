import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here runs against the real database (PostgreSQL in CI, SQLite by default)."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """The memory cache outlives a test; answers cached by another test's ledger must not leak in."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request to a /nl/ page (or a browser
    test's live server in this thread) leaves Dutch active, which a later test must not inherit."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_holding_on_demand(settings):
    """A summary in NOK would start holding it in a thread with its own connection, which commits
    outside the test's transaction; tests/test_held_targets.py turns it on where it says so."""
    settings.SUMMARY_HOLD_ON_DEMAND = False


REPLICA = "replica_0"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A replica alias mirroring the test database (TEST MIRROR), for tests/serving/test_replicas.py.

    Nothing reads from it unless a test installs the router and names it in DATABASE_REPLICAS.
    """
    from django.db import connections

    if REPLICA not in connections.settings:
        primary = connections.settings["default"]
        connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
