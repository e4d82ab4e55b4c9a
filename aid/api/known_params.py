"""An unknown query parameter is a 400 naming it (SPEC §6), on every API endpoint.

A typo (`programe=PURL`) must not quietly answer with the whole ledger. The parameters an
endpoint takes are those its OpenAPI schema documents: read from the schema once per process
(at start-up, see config/wsgi.py), so the documentation and the check cannot disagree.
"""

import re
from functools import lru_cache

from aid.api.errors import error_json

PREFIX = "/api/v1/"
# Answered outside the schema: the map of endpoints and the interactive docs page.
UNDOCUMENTED = {PREFIX: ("format",), f"{PREFIX}docs/": ("format", "lang")}


@lru_cache(maxsize=1)
def documented() -> tuple[tuple[re.Pattern, dict[str, tuple[str, ...]]], ...]:
    """(path pattern, {method: query parameter names}) for every operation in the schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    table = []
    for path, operations in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$")
        names = {
            method.upper(): tuple(sorted({p["name"] for p in op.get("parameters", []) if p["in"] == "query"}))
            for method, op in operations.items()
        }
        table.append((pattern, names))
    return tuple(table)


@lru_cache(maxsize=4096)  # each path's patterns tried once per process, not on every request
def taken_by(path: str, method: str) -> tuple[str, ...] | None:
    """The parameters `path` documents for `method` (its GET's for any other); None: no endpoint."""
    if path in UNDOCUMENTED:
        return UNDOCUMENTED[path]
    for pattern, names in documented():
        if pattern.match(path):
            return names.get(method) or names.get("GET", ())
    return None


def unknown_parameter_error(path: str, method: str, names) -> object | None:
    """The 400 for the first parameter `path` does not take, or None when all are known."""
    taken = taken_by(path, method)
    if taken is None:
        return None  # not an endpoint: its 404 says so
    unknown = [name for name in dict.fromkeys(names) if name not in taken]
    if not unknown:
        return None
    listed = ", ".join(taken) if taken else "none"
    which = ", ".join(repr(name) for name in unknown)
    noun = "parameter" if len(unknown) == 1 else "parameters"
    return error_json(400, f"unknown {noun} {which}: this endpoint takes {listed}", unknown[0])


class UnknownParameterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PREFIX) and request.GET:
            refused = unknown_parameter_error(request.path, request.method, request.GET.keys())
            if refused is not None:
                return refused
        return self.get_response(request)
