"""The reference rows every public summary reads (the codes asked for, the groups' names), by fixed SQL.

A summary of a few donors costs SQLite a few milliseconds in all; building and compiling a
queryset cost Django 0.3-0.5 ms each, more than these queries, so they go through a plain
cursor, on the database the router picks for the request's reads (a replica for a reader).
"""

from django.db import connections, router

from aid.models import in_language, wants_dutch


def _rows(model, columns: tuple[str, ...], codes) -> list[tuple]:
    codes = list(codes)
    if not codes:
        return []
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {quote(model._meta.db_table)} WHERE code IN ({placeholders})", codes)
        return cursor.fetchall()


def existing_codes(model, codes) -> set[str]:
    """Those of `codes` that `model` (a table with a unique `code`) holds."""
    return {code for (code,) in _rows(model, ("code",), codes)}


def names(model, codes) -> dict[str, str]:
    """{code: name in the active language} of those of `codes` that `model` (a Translated model) holds."""
    dutch = wants_dutch()
    return {
        code: in_language(english, nl, dutch)
        for code, english, nl in _rows(model, ("code", "name_en", "name_nl"), codes)
    }
