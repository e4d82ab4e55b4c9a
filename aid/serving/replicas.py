"""Read replicas: a reader's request reads from one PostgreSQL replica, everything else from the primary.

`DATABASE_REPLICA_URLS` names the replicas (settings: aliases `replica_0`, `replica_1`, …). The
middleware marks a public read (a GET or HEAD by someone not logged in) and picks one replica for
the whole request, so the ledger version and the data it keys come from the same server. Writes,
editors' requests (they must see their own edits at once) and anything outside a request
(commands, the shell, tests) use the primary. A replica behind by its replication lag serves the
previous version of the ledger for that long: no mix of two versions, and nothing cached under
a version it does not hold.
"""

import random
from contextvars import ContextVar

from django.conf import settings

PRIMARY = "default"
_reading_from: ContextVar[str] = ContextVar("reading_from", default=PRIMARY)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reading_from.get()

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's data: any two rows may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def is_public_read(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


class ReplicaReadsMiddleware:
    """After AuthenticationMiddleware (the user is read from the primary), before the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = settings.DATABASE_REPLICAS
        if not replicas or not is_public_read(request):
            return self.get_response(request)
        token = _reading_from.set(random.choice(replicas))
        try:
            return self.get_response(request)
        finally:
            _reading_from.reset(token)
