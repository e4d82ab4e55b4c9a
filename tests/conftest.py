import pytest
from pytest_django.plugin import blocking_manager_key

# Dead rows the test database may gather before it is vacuumed (see pytest_runtest_teardown).
DEAD_ROWS_BEFORE_VACUUM = 100_000


@pytest.fixture(autouse=True)
def _db(db):
    """Every test here runs against the real database (PostgreSQL in CI, SQLite by default)."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """The memory cache outlives a test; answers cached by another test's ledger must not leak in."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _own_answer_files(settings, tmp_path):
    """Answer files (aid.serving.file_cache) in the test's own folder: none outlives it."""
    settings.ANSWER_FILES_DIR = str(tmp_path / "answers")


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """Vacuum the PostgreSQL test database once its dead rows pass DEAD_ROWS_BEFORE_VACUUM.

    Each test's writes are rolled back, and a rolled-back row is a dead row (a rate entered fills
    its daily rows for years). Where the server runs without autovacuum, as on the CI machine, they
    were never removed: 3.4 million dead rows in ledger_dailyrate (387 MB) after the suite's
    non-transactional tests, and the first live-server test's requests (schemathesis) took 160 s
    instead of 14 s over them. A VACUUM of that database takes under 2 s.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with item.config.stash[blocking_manager_key].unblock():
        if connection.in_atomic_block or connection.connection is None:
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables")
            if cursor.fetchone()[0] > DEAD_ROWS_BEFORE_VACUUM:
                cursor.execute("VACUUM (SKIP_LOCKED)")  # a table some connection still holds can wait
