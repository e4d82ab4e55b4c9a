"""The ledger CSV written by PostgreSQL itself (`COPY … TO STDOUT`), byte for byte as aid.export.

At millions of records the Python writer spends its time building model instances; COPY
streams the same rows at the database's own speed. Every cell is formatted here as the Python
writer formats it (tests compare the two): empty cells are NULL (COPY quotes an empty string),
amounts are rebuilt from minor units with the decimals they were written with, and sources go
in code point order (COLLATE "C", as Python sorts strings).
"""

from collections.abc import Iterator
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections

from aid.export import KIND_OF, csv_lines, ledger_querysets, stream_csv
from aid.rules import COLUMNS, SOURCE_ROW
from ledger.currencies import MINOR_UNITS

# Tables of the three kinds: (record table, link table, link column).
KINDS = {
    "pledge": ("aid_pledge", "aid_pledge_sources", "pledge_id"),
    "valuation": ("aid_valuation", "aid_valuation_sources", "valuation_id"),
    "delivery": ("aid_delivery", "aid_delivery_sources", "delivery_id"),
}


def _minor_units_sql(column: str) -> str:
    other = sorted((code, units) for code, units in MINOR_UNITS.items() if units != 2)
    cases = " ".join(f"WHEN '{code}' THEN {units}" for code, units in other)
    return f"(CASE {column} {cases} ELSE 2 END)"


# Indexed by minor units + 1: 10^units (for the exactness test) and 10^-units (to scale by
# multiplying, cheaper than a numeric division).
POWERS = "('{" + ",".join(str(10**n) for n in range(19)) + "}'::bigint[])"
FRACTIONS = "('{" + ",".join(f"{Decimal(1).scaleb(-n):f}" for n in range(19)) + "}'::numeric[])"


def _amount_sql() -> str:
    """ledger.money.written(): the written decimals, or the minor unit's when they would drop a digit.

    `x.units` is the currency's minor units, computed once per row by the inner query.
    """
    value = f"(x.amount_minor * {FRACTIONS}[x.units + 1])"
    # mod(), not `%`: the statement may carry a queryset's %s parameters (copy_querysets_csv)
    coarse = f"mod(x.amount_minor, {POWERS}[GREATEST(x.units - x.amount_scale, 0) + 1]) <> 0"
    return (
        f"CASE WHEN x.amount_minor IS NULL THEN NULL "
        f"WHEN x.amount_scale IS NULL OR {coarse} THEN round({value}, x.units)::text "
        f"ELSE round({value}, x.amount_scale)::text END"
    )


def _neutralised(column: str) -> str:
    """aid.formulas.neutralise for a free-text column: a `'` before what a spreadsheet would run.

    (Only free text needs it: codes, refs, URLs, dates and amounts cannot start that way.)
    Nearly every cell starts with none of those characters (nor a quote): one left() decides
    it, and the regular expressions run only for the rest.
    """
    plain = rf"left({column}, 1) NOT IN ('''', '-', '=', '+', '@', E'\t', E'\r')"
    runs = rf"{column} ~ '^''*[-=+@\t\r]' AND ltrim({column}, '''') !~ '^[+-]?[0-9]+(\.[0-9]+)?$'"
    return (
        f"CASE WHEN {column} = '' THEN NULL WHEN {plain} THEN {column} "
        f"WHEN {runs} THEN '''' || {column} ELSE {column} END"
    )


def _record_cells(kind: str) -> dict[str, str]:
    """SQL for each column of a record's own row, over the inner query's columns (`x`)."""
    return {
        "record": f"'{kind}'", "ref": "x.ref", "donor": "x.donor", "programme": "x.programme",
        "package": "x.package", "pledge_ref": "x.pledge_ref", "date": "to_char(x.date, 'YYYY-MM-DD')",
        "amount": _amount_sql(), "currency": "NULLIF(x.currency, '')",
        "amount_qualifier": "NULLIF(x.amount_qualifier, '')", "description": _neutralised("x.description"),
        "source_url": "NULLIF(x.url, '')", "source_title": _neutralised("x.title"),
        "confidence": "NULLIF(x.confidence, '')", "source_kind": "NULLIF(x.kind, '')",
    }  # fmt: skip


def _source_cells() -> dict[str, str]:
    return {
        "record": f"'{SOURCE_ROW}'",
        "ref": "x.ref",
        "source_url": "NULLIF(x.url, '')",
        "source_title": _neutralised("x.title"),
        "source_kind": "NULLIF(x.kind, '')",
    }


def knows_every_column() -> bool:
    """False when aid.rules gained a column this SQL does not write yet (then Python writes)."""
    return set(COLUMNS) <= set(_record_cells("pledge"))


def _pledge_ref(kind: str, *, public: bool) -> str:
    if kind == "delivery" and public:
        return "CASE WHEN p.status = 'published' THEN p.ref END"  # a draft pledge's ref stays private
    return {"pledge": "NULL", "valuation": "o.ref", "delivery": "p.ref"}[kind]


def _records(kind: str, *, published_only: bool, only: str = "", order: str = "{t}.id") -> str:
    """One row per (record, source), records in `order` ("{t}": the table alias), each record's
    sources in code point order, `n` 1 for a record's first row and 2 for the others;
    `only`: a SELECT of the ids of the records wanted (all when empty).

    `n` comes from the row before in the output's own order (lag), not from a window per
    record: the rows are then sorted once, in the order they leave, and an index on that order
    (the primary key; (status, date) for the API's newest first) lets them stream.

    Written as joins (not a subquery per record) so that PostgreSQL merges the link table's
    index with the records' primary key and streams: the first row leaves at once.
    """
    table, links, link_column = KINDS[kind]
    owner = "o" if kind == "valuation" else "r"  # who holds donor, programme and package
    joins = "JOIN aid_pledge o ON o.id = r.pledge_id " if kind == "valuation" else ""
    joins += f"JOIN aid_donor d ON d.id = {owner}.donor_id JOIN aid_programme g ON g.id = {owner}.programme_id "
    joins += f"LEFT JOIN aid_package k ON k.id = {owner}.package_id "
    if kind == "delivery":
        joins += "LEFT JOIN aid_pledge p ON p.id = r.pledge_id "
    joins += f"LEFT JOIN {links} l ON l.{link_column} = r.id LEFT JOIN aid_source s ON s.id = l.source_id "
    conditions = [f"{owner}.status = 'published'"] if published_only else []
    conditions += [f"r.id IN ({only})"] if only else []
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    return (
        "SELECT r.id, r.ref, d.code AS donor, g.code AS programme, k.code AS package, "
        f"{_pledge_ref(kind, public=published_only)} AS pledge_ref, r.date, r.amount_minor, r.amount_scale, "
        f"r.currency, {_minor_units_sql('r.currency')} AS units, r.amount_qualifier, r.description, "
        "r.confidence, s.url, s.title, s.kind, "
        f'CASE WHEN lag(r.id) OVER (ORDER BY {order.format(t="r")}, s.url COLLATE "C") = r.id THEN 2 ELSE 1 END AS n '
        f"FROM {table} r {joins}{where}"
    )


def _select(kind: str, *, published_only: bool, only: str = "", order: str = "{t}.id") -> str:
    """The ledger CSV rows of `kind` (`only`, `order`: as in _records)."""
    record, source = _record_cells(kind), _source_cells()
    cells = ", ".join(
        f"CASE WHEN x.n > 1 THEN {source.get(column, 'NULL')} ELSE {record[column]} END" for column in COLUMNS
    )
    inner = _records(kind, published_only=published_only, only=only, order=order)
    return f'SELECT {cells} FROM ({inner}) x ORDER BY {order.format(t="x")}, x.url COLLATE "C"'


# PostgreSQL sends COPY a row per message: handed on one by one, every row crossed two
# generators and a write (in the API, a WSGI chunk) of its own.
BLOCK_BYTES = 256 * 1024


def _blocks(copy) -> Iterator[bytes]:
    """A COPY's rows joined into blocks of about BLOCK_BYTES; the first row on its own, so the
    first byte leaves at once."""
    read = copy.read
    first = read()
    if not first:
        return
    yield bytes(first)
    block = bytearray()
    while row := read():
        block += row
        if len(block) >= BLOCK_BYTES:
            yield bytes(block)
            block.clear()
    if block:
        yield bytes(block)


def _copied(selects, using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """The header, then the rows of each (SELECT, parameters) as ledger CSV, from COPY."""
    yield next(csv_lines(COLUMNS, [])).encode()
    database = connections[using]
    database.ensure_connection()
    with database.connection.cursor() as cursor:
        # JIT-compiling the cell expressions held the first row back by 3 s at 1M + 1M (and
        # the whole export ran slower): this plain streaming scan is faster interpreted. No
        # full sort: planned for the whole result, PostgreSQL sorted a million rows before the
        # first left, where an index scan in the output's order streams.
        cursor.execute("SET jit = off")
        cursor.execute("SET enable_sort = off")
        try:
            for sql, params in selects:
                with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params or None) as copy:
                    yield from _blocks(copy)
        finally:
            cursor.execute("RESET jit")
            cursor.execute("RESET enable_sort")


def copy_ledger_csv(*, published_only: bool = True) -> Iterator[bytes]:
    """The whole ledger (as aid.export.ledger_querysets orders it) as ledger CSV, from COPY."""
    return _copied((_select(kind, published_only=published_only), []) for kind in ("pledge", "valuation", "delivery"))


def ledger_csv_bytes(*, published_only: bool = True) -> Iterator[bytes]:
    """The whole ledger as ledger CSV: from COPY on PostgreSQL, else from the Python writer."""
    if connection.vendor == "postgresql" and knows_every_column():
        return copy_ledger_csv(published_only=published_only)
    lines = stream_csv(ledger_querysets(published_only=published_only), public=published_only)
    return (line.encode() for line in lines)


# A queryset's ordering as SQL over _records' columns (others: the Python writer).
_ORDER_COLUMNS = {"id": "{t}.id", "pk": "{t}.id", "date": "{t}.date", "ref": "{t}.ref"}


def _order(queryset) -> str | None:
    fields = queryset.query.order_by or queryset.model._meta.ordering
    columns = []
    for field in fields:
        name = field.lstrip("-") if isinstance(field, str) else None
        if name not in _ORDER_COLUMNS:
            return None
        columns.append(_ORDER_COLUMNS[name] + (" DESC" if field.startswith("-") else ""))
    return ", ".join([*columns, "{t}.id"])


def copy_querysets_csv(querysets: list) -> Iterator[bytes] | None:
    """The public ledger CSV of these querysets (aid.api.csv.public_ledger_csv's rows, each
    queryset's records in its own order) from COPY on PostgreSQL; None where the Python writer
    must write it (another database, an ordering this SQL does not know)."""
    if connection.vendor != "postgresql" or not knows_every_column():
        return None
    selects = []
    for queryset in querysets:
        order = _order(queryset)
        if order is None:
            return None
        ids, params = queryset.order_by().values("id").query.sql_with_params()
        selects.append((_select(KIND_OF[queryset.model], published_only=True, only=ids, order=order), params))
    return _copied(selects, querysets[0].db)
