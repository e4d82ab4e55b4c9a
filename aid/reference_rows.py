"""The reference rows every public summary reads (the codes asked for, the groups' names), by fixed SQL.

A summary of a few donors costs SQLite a few milliseconds in all; building and compiling a
queryset cost Django 0.3-0.5 ms each, more than these queries, so they go through a plain
cursor, on the database the router picks for the request's reads (a replica for a reader).
"""

from django.db import connections, router

from aid.models import in_language, wants_dutch

# Past this many codes every row is read and the others dropped: a list of 5,000 parameters (a
# summary by package) cost more to send and plan than the rows it spared, and the list's length
# stays within every database's limit on parameters whatever a request names.
LISTED_CODES = 300


def _rows(model, columns: tuple[str, ...], codes) -> list[tuple]:
    """`columns` (the first of them `code`) of the rows of `model` whose code is among `codes`."""
    wanted = set(codes)
    if not wanted:
        return []
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(column) for column in columns)} FROM {quote(model._meta.db_table)}"
    with connection.cursor() as cursor:
        if len(wanted) > LISTED_CODES:
            cursor.execute(sql)
            return [row for row in cursor.fetchall() if row[0] in wanted]
        cursor.execute(f"{sql} WHERE code IN ({', '.join(['%s'] * len(wanted))})", list(wanted))
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
