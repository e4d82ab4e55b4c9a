"""The set-wise half of the write path: many new pledges and deliveries at once (an import).

Called by aid.importing for the records whose ref is new, after aid.rules has checked every
row; records that exist already are updated through aid.services.save_record. It writes what
save_record writes, in the same transaction, a statement per step instead of per record: the
records, their sources, one history entry each ('+', with its sources), the daily totals, the
converted rollup (aid.summary.rollup.add_daily) and the delivered figure of every pledge a new delivery names.

The rows are loaded into a temporary staging table (COPY on PostgreSQL, executemany on
SQLite), and every later step is an INSERT … SELECT or UPDATE … FROM over it.
"""

from collections import Counter

from django.db import connection
from django.utils import timezone

from aid import services
from aid.models import Donor, Pledge, Status
from aid.phases import phase
from aid.rules import CleanRecord
from aid.staging import analyze, analyze_grown, copy_rows, row_planner, temp_table
from aid.summary import qualified, rollup, sqlite_daily

STAGING_COLUMNS = (
    ("line", "integer"),
    ("kind", "varchar(8)"),
    ("ref", "varchar(100)"),
    ("donor_id", "bigint"),
    ("donor", "varchar(2)"),
    ("programme_id", "bigint"),
    ("programme", "varchar(20)"),
    ("package_id", "bigint"),
    ("package", "varchar(40)"),
    ("pledge_ref", "varchar(100)"),
    ("day", "date"),
    ("amount_minor", "bigint"),
    ("amount_scale", "smallint"),
    ("currency", "varchar(3)"),
    ("amount_qualifier", "varchar(10)"),
    ("description", "text"),
    ("source_url", "varchar(1000)"),
    ("confidence", "varchar(6)"),
)
RECORD_COLUMNS = (
    "ref, donor_id, programme_id, package_id, date, amount_minor, amount_scale, currency, amount_qualifier, "
    "description, confidence"
)
STAGED_VALUES = "s.ref, s.donor_id, s.programme_id, s.package_id, s.day, s.amount_minor, s.amount_scale, s.currency, s.amount_qualifier, s.description, s.confidence"  # noqa: E501
HISTORY_COLUMNS = {
    "pledge": f"id, {RECORD_COLUMNS}, status, version, created_at, updated_at, "
    "delivered_minor, deliveries_count, undisclosed_deliveries",
    "delivery": f"id, {RECORD_COLUMNS}, status, version, created_at, updated_at, pledge_id",
}
TABLES = {"pledge": "aid_pledge", "delivery": "aid_delivery"}


def _stage(cursor, planned: list[tuple[int, CleanRecord]]) -> None:
    donors = dict(Donor.objects.values_list("code", "id"))
    programmes = {code: services.programme_for(code) for code in {clean.programme for _, clean in planned}}
    packages = {
        (code, package): services.package_for(programmes[code], package)
        for code, package in {(clean.programme, clean.package) for _, clean in planned}
    }
    rows = (
        (
            line,
            clean.record,
            clean.ref,
            donors[clean.donor],
            clean.donor,
            programmes[clean.programme].id,
            clean.programme,
            getattr(packages[clean.programme, clean.package], "id", None),
            clean.package,
            clean.pledge_ref,
            clean.date,
            clean.amount_minor,
            clean.amount_scale,
            clean.currency,
            clean.amount_qualifier,
            clean.description,
            clean.source_url,
            clean.confidence,
        )
        for line, clean in planned
    )
    temp_table(cursor, "import_staging", STAGING_COLUMNS)
    copy_rows(cursor, "import_staging", tuple(name for name, _ in STAGING_COLUMNS), rows)
    if connection.vendor == "postgresql":
        cursor.execute("CREATE INDEX ON import_staging (ref)")
    analyze(cursor, "import_staging")


def _sources(cursor, planned: list[tuple[int, CleanRecord]]) -> None:
    """New URLs become sources; existing ones change as save_record would change them, row after
    row: an empty title takes the file's first title, a kind the file's last assessed kind."""
    titles: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for _, clean in planned:  # the record row's source, then its `source` rows'
        for url, title, kind in _sources_of(clean):
            if not titles.get(url):
                titles[url] = title
            if kind or url not in kinds:
                kinds[url] = kind
    columns = (("url", "varchar(1000)"), ("title", "varchar(500)"), ("kind", "varchar(14)"))
    temp_table(cursor, "import_sources", columns)
    copy_rows(cursor, "import_sources", ("url", "title", "kind"), ((u, t, kinds[u]) for u, t in titles.items()))
    analyze(cursor, "import_sources")
    cursor.execute(  # one pass over aid_source (millions of rows in a large ledger) for both
        "UPDATE aid_source SET "
        "title = CASE WHEN aid_source.title = '' AND n.title <> '' THEN n.title ELSE aid_source.title END, "
        "kind = CASE WHEN n.kind <> '' THEN n.kind ELSE aid_source.kind END FROM import_sources n "
        "WHERE aid_source.url = n.url "
        "AND ((aid_source.title = '' AND n.title <> '') OR (n.kind <> '' AND aid_source.kind <> n.kind))"
    )
    cursor.execute(
        "INSERT INTO aid_source (url, title, kind, publisher) SELECT url, title, kind, '' FROM import_sources "
        "WHERE TRUE ON CONFLICT (url) DO NOTHING"
    )


def _sources_of(clean: CleanRecord):
    """(url, title, kind) of the record's sources, without making objects for the common one-source row."""
    if not clean.more_sources:
        return ((clean.source_url, clean.source_title, clean.source_kind),)
    return ((source.url, source.title, source.kind) for source in clean.source_refs)


def _stage_links(cursor, planned: list[tuple[int, CleanRecord]]) -> None:
    """The further sources of new records (a file's `source` rows); their own is in import_staging."""
    columns = (("kind", "varchar(8)"), ("ref", "varchar(100)"), ("source_url", "varchar(1000)"))
    temp_table(cursor, "import_links", columns)
    links = ((clean.record, clean.ref, source.url) for _, clean in planned for source in clean.more_sources)
    copy_rows(cursor, "import_links", ("kind", "ref", "source_url"), links)
    analyze(cursor, "import_links")


# A new pledge's delivered figure, from the deliveries of the same file (the only ones it can
# have), when they are published and share its currency (or are undisclosed); any other
# pledge gets 0 here and its figure from _refresh_progress, as before.
NEW_PLEDGE_FIGURES = """LEFT JOIN (
  SELECT p.ref, CASE WHEN p.currency = '' THEN 0 ELSE COALESCE(SUM(d.amount_minor), 0) END AS delivered,
         COUNT(*) AS n, COUNT(*) - COUNT(d.amount_minor) AS undisclosed
  FROM import_staging p JOIN import_staging d ON d.pledge_ref = p.ref AND d.kind = 'delivery'
  WHERE p.kind = 'pledge' GROUP BY p.ref, p.currency
  HAVING SUM(CASE WHEN p.currency <> '' AND d.currency <> '' AND d.currency <> p.currency THEN 1 ELSE 0 END) = 0
) f ON f.ref = s.ref"""


def _insert_records(cursor, kind: str, status: str, now) -> None:
    table = TABLES[kind]
    if kind == "pledge" and status == Status.PUBLISHED:
        extra = ", delivered_minor, deliveries_count, undisclosed_deliveries"
        extra_values = ", COALESCE(f.delivered, 0), COALESCE(f.n, 0), COALESCE(f.undisclosed, 0)"
        joins = NEW_PLEDGE_FIGURES
    elif kind == "pledge":  # draft deliveries count in no figure
        extra, extra_values, joins = ", delivered_minor, deliveries_count, undisclosed_deliveries", ", 0, 0, 0", ""
    else:
        extra, extra_values = ", pledge_id", ", p.id"
        joins = "LEFT JOIN aid_pledge p ON p.ref = s.pledge_ref AND s.pledge_ref <> ''"
    cursor.execute(
        f"INSERT INTO {table} ({RECORD_COLUMNS}, status, version, created_at, updated_at{extra}) "
        f"SELECT {STAGED_VALUES}, %s, 1, %s, %s{extra_values} FROM import_staging s {joins} "
        f"WHERE s.kind = %s ORDER BY s.line",
        [status, now, now, kind],
    )
    cursor.execute(
        f"INSERT INTO {table}_sources ({kind}_id, source_id) "
        f"SELECT r.id, src.id FROM (SELECT kind, ref, source_url FROM import_staging UNION ALL "
        f"SELECT kind, ref, source_url FROM import_links) s JOIN {table} r ON r.ref = s.ref "
        f"JOIN aid_source src ON src.url = s.source_url WHERE s.kind = %s",
        [kind],
    )


def _record_history(cursor, kind: str, now, user, reason: str) -> None:
    """One '+' entry per new record, holding its sources (save_record writes '+' then '~')."""
    table, columns = TABLES[kind], HISTORY_COLUMNS[kind]
    selected = ", ".join(f"r.{c.strip()}" for c in columns.split(","))
    # As save_record writes it: the pledge as created, before its deliveries gave it a figure.
    selected = selected.replace("r.delivered_minor, r.deliveries_count, r.undisclosed_deliveries", "0, 0, 0")
    cursor.execute(
        f"INSERT INTO aid_historical{kind} ({columns}, history_date, history_change_reason, history_type, "
        f"history_user_id) SELECT {selected}, %s, %s, '+', %s FROM import_staging s "
        f"JOIN {table} r ON r.ref = s.ref WHERE s.kind = %s ORDER BY s.line",
        [now, reason[:100], getattr(user, "pk", None), kind],
    )
    cursor.execute(
        f"INSERT INTO aid_historical{kind}_sources (id, {kind}_id, source_id, history_id) "
        f"SELECT link.id, link.{kind}_id, link.source_id, h.history_id FROM import_staging s "
        f"JOIN {table} r ON r.ref = s.ref JOIN {table}_sources link ON link.{kind}_id = r.id "
        f"JOIN aid_historical{kind} h ON h.id = r.id AND h.history_date = %s AND h.history_type = '+' "
        f"WHERE s.kind = %s",
        [now, kind],
    )


TOTAL_KEYS = "kind, status, donor, programme, package, currency, day"


def _add_totals(cursor, grouped_sql: str, params=()) -> None:
    """Add grouped rows (TOTAL_KEYS, amount_minor, records, undisclosed) to LedgerTotal, as
    totals.count does one by one, and the same to the rollup (rollup.add_daily).

    An UPDATE joined to the new sums, then an INSERT of the keys not there yet: one hash join,
    where INSERT … ON CONFLICT DO UPDATE probed the index row by row (2.4 s for 10,000 keys).
    On PostgreSQL the UPDATE also hands back the day totals it made (`day_total`; null: a new
    key), so neither the INSERT nor the rollup reads the whole table again to find them.
    """
    with phase("daily totals"):
        cursor.execute(
            f"CREATE TEMPORARY TABLE import_totals AS SELECT g.*, CAST(NULL AS bigint) AS day_total FROM ({grouped_sql}) g",
            params,
        )
        analyze(cursor, "import_totals")
        same_key = " AND ".join(f"t.{key.strip()} = n.{key.strip()}" for key in TOTAL_KEYS.split(","))
        added = (
            "amount_minor = t.amount_minor + n.amount_minor, records = t.records + n.records, "
            "undisclosed = t.undisclosed + n.undisclosed"
        )
        columns = f"{TOTAL_KEYS}, amount_minor, records, undisclosed"
        if connection.vendor == "postgresql":
            returned = ", ".join(f"t.{key.strip()}" for key in TOTAL_KEYS.split(","))
            cursor.execute(
                f"WITH t AS (UPDATE aid_ledgertotal t SET {added} FROM import_totals n WHERE {same_key} "
                f"RETURNING {returned}, t.amount_minor) "
                f"UPDATE import_totals n SET day_total = t.amount_minor FROM t WHERE {same_key}"
            )
            cursor.execute(
                f"INSERT INTO aid_ledgertotal ({columns}) SELECT {columns} FROM import_totals WHERE day_total IS NULL"
            )
        else:
            cursor.execute(
                f"UPDATE aid_ledgertotal SET {added.replace('t.', 'aid_ledgertotal.')} "
                f"FROM import_totals n WHERE {same_key.replace('t.', 'aid_ledgertotal.')}"
            )
            cursor.execute(
                f"INSERT INTO aid_ledgertotal ({columns}) SELECT {columns} FROM import_totals n "
                f"WHERE NOT EXISTS (SELECT 1 FROM aid_ledgertotal t WHERE {same_key})"
            )
    with phase("monthly rollup"):
        rollup.add_daily(cursor, "import_totals")
    cursor.execute("DROP TABLE import_totals")


# The new records' own totals, and the "covered" total of the pledges that had no published
# delivery and now have one (totals.covered; adding deliveries never takes it away): one
# grouped table, so the daily totals and the rollup are updated once.
NEW_TOTALS = """SELECT kind, %s AS status, donor, programme, package, currency, day,
       COALESCE(SUM(amount_minor), 0) AS amount_minor, COUNT(*) AS records,
       COUNT(*) - COUNT(amount_minor) AS undisclosed
FROM import_staging GROUP BY kind, donor, programme, package, currency, day
UNION ALL
SELECT 'covered', p.status, d.code, pr.code, COALESCE(pk.code, ''),
       CASE WHEN p.amount_minor IS NULL THEN '' ELSE p.currency END, p.date,
       COALESCE(SUM(p.amount_minor), 0), COUNT(*), COUNT(*) - COUNT(p.amount_minor)
FROM import_named n JOIN aid_pledge p ON p.id = n.id JOIN aid_donor d ON d.id = p.donor_id
JOIN aid_programme pr ON pr.id = p.programme_id LEFT JOIN aid_package pk ON pk.id = p.package_id
WHERE n.had = 0 AND p.deliveries_count > 0
GROUP BY p.status, d.code, pr.code, COALESCE(pk.code, ''),
         CASE WHEN p.amount_minor IS NULL THEN '' ELSE p.currency END, p.date"""


def _refresh_progress(cursor) -> None:
    """Delivered figures of the pledges new deliveries name (listed in import_named, for NEW_TOTALS).

    Where every delivery is in the pledge's currency (or undisclosed) the figure is a plain
    sum, done here in one statement; a pledge with deliveries in another currency goes
    through services.refresh_progress, which converts each (currency, day) part.
    """
    cursor.execute(  # fresh: a pledge of this file, its figure written with it (NEW_PLEDGE_FIGURES)
        "CREATE TEMPORARY TABLE import_named AS SELECT p.id, p.currency, 0 AS mixed, n.fresh, "
        "CASE WHEN n.fresh = 0 AND p.deliveries_count > 0 THEN 1 ELSE 0 END AS had FROM ("
        "  SELECT s.pledge_ref, MAX(CASE WHEN f.ref IS NULL THEN 0 ELSE 1 END) AS fresh FROM import_staging s "
        "  LEFT JOIN import_staging f ON f.ref = s.pledge_ref AND f.kind = 'pledge' "
        "  WHERE s.kind = 'delivery' GROUP BY s.pledge_ref"
        ") n JOIN aid_pledge p ON p.ref = n.pledge_ref"
    )
    analyze(cursor, "import_named")
    _sum_deliveries(cursor)
    cursor.execute("SELECT id FROM import_named WHERE mixed = 1")
    mixed = [pledge_id for (pledge_id,) in cursor.fetchall()]
    with row_planner(cursor):
        for pledge_id in mixed:
            services.refresh_progress(Pledge.objects.get(pk=pledge_id))


def _sum_deliveries(cursor) -> None:
    """The delivered figure of every pledge in import_named whose deliveries share its currency."""
    cursor.execute(
        "UPDATE import_named SET mixed = 1 WHERE currency <> '' AND EXISTS (SELECT 1 FROM aid_delivery d "
        "WHERE d.pledge_id = import_named.id AND d.status = %s AND d.currency <> '' "
        "AND d.currency <> import_named.currency)",
        [Status.PUBLISHED],
    )
    cursor.execute(
        "UPDATE aid_pledge SET delivered_minor = agg.delivered, deliveries_count = agg.n, "
        "undisclosed_deliveries = agg.undisclosed FROM ("
        "  SELECT n.id AS pledge_id, "
        "         CASE WHEN n.currency = '' THEN 0 ELSE COALESCE(SUM(d.amount_minor), 0) END AS delivered, "
        "         COUNT(d.id) AS n, COUNT(d.id) - COUNT(d.amount_minor) AS undisclosed "
        "  FROM import_named n LEFT JOIN aid_delivery d ON d.pledge_id = n.id AND d.status = %s "
        "  WHERE n.mixed = 0 AND n.fresh = 0 GROUP BY n.id, n.currency"
        ") agg WHERE aid_pledge.id = agg.pledge_id",
        [Status.PUBLISHED],
    )


def create_records(
    planned: list[tuple[int, CleanRecord]], *, status: str = Status.PUBLISHED, user=None, reason: str = ""
) -> None:
    """Write new pledges and deliveries (refs not in the ledger), checked by aid.rules.

    Must run inside the caller's transaction, with rollup.deferred() around it, like an import.
    """
    # In save_record's order (pledges, then deliveries, each by line): sources follow the last row.
    planned = sorted(
        ((line, clean) for line, clean in planned if clean.record in TABLES),
        key=lambda pair: (pair[1].record != "pledge", pair[0]),
    )
    if not planned:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        with phase("stage rows"):
            _stage(cursor, planned)
        with phase("sources"):
            _sources(cursor, planned)
            _stage_links(cursor, planned)
        for kind in ("pledge", "delivery"):
            with phase(f"{kind} records"):
                _insert_records(cursor, kind, status, now)
            with phase(f"{kind} history"):
                _record_history(cursor, kind, now, user, reason)
        with phase("delivered figures"):
            _refresh_progress(cursor)
        _add_totals(cursor, NEW_TOTALS, [status])
        with phase("qualified counts"):
            qualified.add_imported(cursor, status)
        cursor.execute("DROP TABLE import_named")
        cursor.execute("DROP TABLE import_staging")
        cursor.execute("DROP TABLE import_sources")
        cursor.execute("DROP TABLE import_links")
        with phase("analyze records"):
            analyze_grown(cursor, _written_tables(planned))
    sqlite_daily.refresh_statistics(len(planned))


def _written_tables(planned: list[tuple[int, CleanRecord]]) -> dict[str, int]:
    """{table: rows written} of the new records: each has a history row and a source link at least
    (a source may be shared: the records' count bounds the new sources)."""
    written = {}
    for kind, count in Counter(clean.record for _, clean in planned).items():
        for table in (f"aid_{kind}", f"aid_historical{kind}", f"aid_{kind}_sources", f"aid_historical{kind}_sources"):
            written[table] = count
    written["aid_source"] = len(planned)
    return written
