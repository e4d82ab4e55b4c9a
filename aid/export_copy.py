"""The ledger CSV written by PostgreSQL itself (`COPY … TO STDOUT`), byte for byte as aid.export.

At millions of records the Python writer spends its time building model instances; COPY
streams the same rows at the database's own speed. Every cell is formatted here as the Python
writer formats it (tests compare the two): empty cells are NULL (COPY quotes an empty string),
amounts are rebuilt from minor units with the decimals they were written with, and sources go
in code point order (COLLATE "C", as Python sorts strings).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections

from aid.export import KIND_OF, csv_lines, ledger_querysets, stream_csv
from aid.formulas import FORMULA_STARTS, QUOTE
from aid.rules import COLUMNS, SOURCE_ROW
from ledger.currencies import MINOR_UNITS

# Tables of the three kinds: (record table, link table, link column).
KINDS = {
    "pledge": ("aid_pledge", "aid_pledge_sources", "pledge_id"),
    "valuation": ("aid_valuation", "aid_valuation_sources", "valuation_id"),
    "delivery": ("aid_delivery", "aid_delivery_sources", "delivery_id"),
}


def _decimal_sql(units: int) -> str:
    """Minor units as a decimal of the currency's own scale (numeric keeps it: 0.01 × n has 2)."""
    return "r.amount_minor::numeric" if units == 0 else f"(r.amount_minor * {Decimal(1).scaleb(-units):f})"


def _written_sql(units: int) -> str:
    """ledger.money.written() for a currency of `units` minor units: the written decimals, or the
    minor unit's when they would drop a digit. Nearly every amount was written with the minor
    unit's decimals (or none recorded): one comparison, one product and its text."""
    value = _decimal_sql(units)
    text = "r.amount_minor::text" if units == 0 else f"{value}::text"
    kept = f"r.amount_scale > {units}"  # more decimals than the minor unit: only zeros added
    if units:
        powers = "('{" + ",".join(str(10**n) for n in range(units + 1)) + "}'::bigint[])"
        # mod(), not `%`: the statement may carry a queryset's %s parameters (copy_querysets_csv)
        kept += f" OR mod(r.amount_minor, {powers}[{units} - r.amount_scale + 1]) = 0"
    return (
        f"CASE WHEN r.amount_scale IS NULL OR r.amount_scale = {units} THEN {text} "
        f"WHEN {kept} THEN round({value}, r.amount_scale)::text ELSE {text} END"
    )


def _codes_sql(codes: list[str]) -> str:
    return ", ".join(f"'{code}'" for code in codes)


def _amount_sql() -> str:
    """The amount as written, one branch per number of minor units.

    Each branch's units are constants, folded when the statement is planned: computed per row
    (a CASE over 23 codes, read four times per amount), they cost more than the rest of the row.
    The common case first: one hashed lookup says a currency has 2 (a list under 9 codes is
    searched one code at a time, and the 3-decimal one has 7).
    """
    by_units: dict[int, list[str]] = {}
    for code, units in sorted(MINOR_UNITS.items()):
        if units != 2:
            by_units.setdefault(units, []).append(code)
    if not by_units:
        return f"CASE WHEN r.amount_minor IS NULL THEN NULL ELSE {_written_sql(2)} END"
    *listed, (last, _) = sorted(by_units.items())
    others = sorted(code for codes in by_units.values() for code in codes)
    branches = " ".join(
        f"WHEN r.currency IN ({_codes_sql(codes)}) THEN {_written_sql(units)}" for units, codes in listed
    )
    return (
        f"CASE WHEN r.amount_minor IS NULL THEN NULL "
        f"WHEN r.currency NOT IN ({_codes_sql(others)}) THEN {_written_sql(2)} "
        f"{branches} ELSE {_written_sql(last)} END"
    )


# Code points of what may start a text that neutralise() changes: a formula's first character
# or the quote. All are below "A": a cell that starts higher is left as it is at once.
_STARTS = sorted(ord(character) for character in FORMULA_STARTS | {QUOTE})


def _neutralised(column: str) -> str:
    """aid.formulas.neutralise for a free-text column: a `'` before what a spreadsheet would run.

    (Only free text needs it: codes, refs, URLs, dates and amounts cannot start that way.)
    Nearly every cell starts with none of those characters (nor a quote): the code point of its
    first character decides it (integers: comparing text looks the collation up every time),
    and the regular expressions run only for the rest. ascii('') is 0: empty is NULL.
    """
    first = f"ascii({column})"
    plain = f"{first} NOT IN ({', '.join(map(str, _STARTS))})"
    runs = rf"{column} ~ '^''*[-=+@\t\r]' AND ltrim({column}, '''') !~ '^[+-]?[0-9]+(\.[0-9]+)?$'"
    return (
        f"CASE WHEN {first} > {_STARTS[-1]} THEN {column} WHEN {first} = 0 THEN NULL "
        f"WHEN {plain} THEN {column} WHEN {runs} THEN '''' || {column} ELSE {column} END"
    )


def _record_cells(kind: str, *, public: bool) -> dict[str, str]:
    """SQL for each column of a record's own row, over ledger_rows_sql's aliases (`r` the record,
    `d`, `g`, `k` its donor, programme and package, `s` its source)."""
    return {
        "record": f"'{kind}'", "ref": "r.ref", "donor": "d.code", "programme": "g.code",
        "package": "k.code", "pledge_ref": _pledge_ref(kind, public=public), "date": "r.date",
        "amount": _amount_sql(), "currency": "NULLIF(r.currency, '')",
        "amount_qualifier": "NULLIF(r.amount_qualifier, '')", "description": _neutralised("r.description"),
        "source_url": "NULLIF(s.url, '')", "source_title": _neutralised("s.title"),
        "confidence": "NULLIF(r.confidence, '')", "source_kind": "NULLIF(s.kind, '')",
    }  # fmt: skip


def _source_cells() -> dict[str, str]:
    return {
        "record": f"'{SOURCE_ROW}'",
        "ref": "r.ref",
        "source_url": "NULLIF(s.url, '')",
        "source_title": _neutralised("s.title"),
        "source_kind": "NULLIF(s.kind, '')",
    }


def knows_every_column() -> bool:
    """False when aid.rules gained a column this SQL does not write yet (then Python writes)."""
    return set(COLUMNS) <= set(_record_cells("pledge", public=True))


def _pledge_ref(kind: str, *, public: bool) -> str:
    if kind == "delivery" and public:
        return "CASE WHEN p.status = 'published' THEN p.ref END"  # a draft pledge's ref stays private
    return {"pledge": "NULL", "valuation": "o.ref", "delivery": "p.ref"}[kind]


def ledger_rows_sql(
    kind: str, *, published_only: bool, only: str = "", order: str = "{t}.id", ids=None, blocks_of: int = 0
) -> str:
    """The ledger CSV rows of `kind`: one per (record, source), records in `order` ("{t}": the
    table alias), each record's sources in code point order, the first on the record's own row
    and the others on `source` rows; `only`: a SELECT of the ids of the records wanted (all
    when empty); `ids`: (first, end), the records with first <= id < end (two integers);
    `blocks_of`: a first column, the record's id // blocks_of (aid.export_blocks splits by it).

    A row is a record's first when the row before it in the output's own order (lag) belongs
    to another record: the rows are sorted once, in the order they leave, and an index on that
    order (the primary key; (status, date) for the API's newest first) lets them stream.
    Written as joins (not a subquery per record) so that PostgreSQL merges the link table's
    index with the records' primary key: the first row leaves at once. One level, no subquery:
    the cells are computed as the rows leave the window (PostgreSQL computes the identical
    lag() calls once).
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
    conditions += [f"r.id >= {int(ids[0])} AND r.id < {int(ids[1])}"] if ids else []
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    record, source = _record_cells(kind, public=published_only), _source_cells()
    later = "lag(r.id) OVER w = r.id"  # NULL (so: the record's row) on the very first row
    cells = ", ".join(
        record[column]
        if source.get(column) == record[column]
        else f"CASE WHEN {later} THEN {source.get(column, 'NULL')} ELSE {record[column]} END"
        for column in COLUMNS
    )
    ordering = f'{order.format(t="r")}, s.url COLLATE "C"'
    if blocks_of:
        cells = f"r.id / {int(blocks_of)}, {cells}"
    return f"SELECT {cells} FROM {table} r {joins}{where}WINDOW w AS (ORDER BY {ordering}) ORDER BY {ordering}"


# PostgreSQL sends COPY a row per message: handed on one by one, every row crossed two
# generators and a write (in the API, a WSGI chunk) of its own.
BLOCK_BYTES = 256 * 1024

# The session's settings while the COPY runs (reset after), see _copied.
SETTINGS = ("jit = off", "enable_sort = off", "max_parallel_workers_per_gather = 0", "DateStyle = ISO")


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


@contextmanager
def export_session(cursor):
    """The session's settings while a COPY of ledger rows runs (reset after)."""
    # JIT-compiling the cell expressions held the first row back by 3 s at 1M + 1M (and
    # the whole export ran slower): this plain streaming scan is faster interpreted. No
    # full sort: planned for the whole result, PostgreSQL sorted a million rows before the
    # first left, where an index scan in the output's order streams.
    # No parallel plan: the workers' rows cross a queue to the leader, which still computes
    # every cell above the window; on 2 shared cores that cost more than it saved. Dates
    # leave as the DateStyle writes them: ISO is date.isoformat() (to_char() cost a fifth
    # of the whole statement).
    for setting in SETTINGS:
        cursor.execute(f"SET {setting}")
    try:
        yield cursor
    finally:
        for setting in SETTINGS:
            cursor.execute(f"RESET {setting.split()[0]}")


def copied_rows(cursor, sql: str, params=None) -> Iterator[bytes]:
    """The rows `sql` selects as ledger CSV, from COPY, in blocks (inside export_session)."""
    with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params or None) as copy:
        yield from _blocks(copy)


def header() -> bytes:
    return next(csv_lines(COLUMNS, [])).encode()


def _copied(selects, using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """The header, then the rows of each (SELECT, parameters) as ledger CSV, from COPY."""
    yield header()
    database = connections[using]
    database.ensure_connection()
    with database.connection.cursor() as cursor, export_session(cursor):
        for sql, params in selects:
            yield from copied_rows(cursor, sql, params)


def copy_ledger_csv(*, published_only: bool = True) -> Iterator[bytes]:
    """The whole ledger (as aid.export.ledger_querysets orders it) as ledger CSV, from COPY:
    the published ledger from its stored blocks (aid.export_blocks), drafts included directly."""
    if published_only:
        from aid.export_blocks import stored_ledger_csv  # it builds on this module

        return stored_ledger_csv()
    return _copied((ledger_rows_sql(kind, published_only=False), []) for kind in KINDS)


def ledger_csv_bytes(*, published_only: bool = True) -> Iterator[bytes]:
    """The whole ledger as ledger CSV: from COPY on PostgreSQL, else from the Python writer."""
    if connection.vendor == "postgresql" and knows_every_column():
        return copy_ledger_csv(published_only=published_only)
    lines = stream_csv(ledger_querysets(published_only=published_only), public=published_only)
    return (line.encode() for line in lines)


# A queryset's ordering as SQL over the record's columns (others: the Python writer).
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
        selects.append((ledger_rows_sql(KIND_OF[queryset.model], published_only=True, only=ids, order=order), params))
    return _copied(selects, querysets[0].db)
