"""Readers' requests read from a replica; writes, editors and everything outside a request from the primary."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, connections, router
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from aid.models import Pledge
from aid.serving.replicas import ReplicaReadsMiddleware, ReplicaRouter

REPLICA = "replica_0"


@pytest.fixture
def one_replica(settings):
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_ROUTERS = ["aid.serving.replicas.ReplicaRouter"]


def read_from_during(request) -> str:
    """Which database the router picks for a read while the middleware handles `request`."""
    seen = []
    ReplicaReadsMiddleware(lambda request: seen.append(ReplicaRouter().db_for_read(Pledge)))(request)
    return seen[0]


def request(method: str = "get", user=None):
    made = getattr(RequestFactory(), method)("/donor/NL/")
    made.user = user or AnonymousUser()
    return made


def test_a_readers_request_reads_from_a_replica(one_replica):
    assert read_from_during(request()) == REPLICA


def test_an_editors_request_reads_from_the_primary(one_replica):
    editor = User(username="editor", is_staff=True)
    assert read_from_during(request(user=editor)) == "default"


def test_a_post_reads_from_the_primary(one_replica):
    assert read_from_during(request("post")) == "default"


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert read_from_during(request()) == "default"


def test_outside_a_request_and_for_writes_the_primary(one_replica):
    assert ReplicaRouter().db_for_read(Pledge) == "default"
    ReplicaReadsMiddleware(lambda request: None)(request())  # the request's choice ends with it
    assert ReplicaRouter().db_for_read(Pledge) == "default"
    assert ReplicaRouter().db_for_write(Pledge) == "default"
    assert ReplicaRouter().allow_migrate(REPLICA, "aid") is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="replicas are PostgreSQL servers (SPEC §9)")
# Committed: the replica alias (tests/conftest.py: a TEST MIRROR of the test database) is its own connection.
# (pytest-django runs transactional tests after the others; each adds the migrations' rows it needs, as
# serialized_rollback's reload collides with the content types a flush re-creates.)
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_reads_query_the_replica(one_replica, client, ledger):
    def queries(url):
        with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(connections[REPLICA]) as read:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in primary], len(read)

    for url in (
        "/api/v1/pledges/NL-P1/?currency=USD",
        "/api/v1/pledges/",
        "/donor/NL/",
        "/api/v1/summary/?currency=USD",
    ):
        on_primary, on_replica = queries(url)
        assert on_primary == [] and on_replica > 0, (url, on_primary)
    assert router.db_for_write(Pledge) == "default"
