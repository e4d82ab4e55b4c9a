"""The floor's hand-written summary (../shared/perf/floor_q2_agg_first.sql) for every workload.

The shared floor script times the EUR summary by donor. The other workloads (another target
currency, `rates=latest`, a filter) are the same formulation with the target's rate of the
same day joined in, the newest rate instead of the day's, or a WHERE clause: what a DBA would
write by hand for that question over the same plain tables.
"""

import time

import psycopg

from ledger.currencies import MINOR_UNITS

DBA_SETTINGS = "SET work_mem = '256MB'; SET jit = off;"


def summary_sql(
    currency: str = "EUR", rates: str = "transaction", donors=(), date_from=None, date_to=None, group_by="donor"
) -> str:
    """The floor's formulation for the question; `group_by`: donor or package (a column of `ledger`)."""
    where = ["record IN ('pledge', 'delivery')"]
    if donors:
        where.append("donor IN (" + ", ".join(f"'{code}'" for code in donors) + ")")
    if date_from:
        where.append(f"date >= '{date_from}'")
    if date_to:
        where.append(f"date <= '{date_to}'")
    if rates == "latest":
        rate_join = f"LEFT JOIN latest r ON r.currency = a.currency LEFT JOIN latest t ON t.currency = '{currency}'"
        latest = (
            ", latest AS (SELECT DISTINCT ON (currency) currency, rate FROM rates_daily "
            "WHERE day <= current_date ORDER BY currency, day DESC)"
        )
    else:
        rate_join = (
            "LEFT JOIN rates_daily r ON r.currency = a.currency AND r.day = a.date "
            f"LEFT JOIN rates_daily t ON t.currency = '{currency}' AND t.day = a.date"
        )
        latest = ""
    units = MINOR_UNITS[currency]
    return f"""
WITH per_day AS (
  SELECT {group_by}, currency, date,
         sum(amount) FILTER (WHERE record = 'pledge')     AS p,
         sum(amount) FILTER (WHERE record = 'delivery')   AS d,
         count(amount) FILTER (WHERE record = 'pledge')   AS np,
         count(amount) FILTER (WHERE record = 'delivery') AS nd,
         count(*) FILTER (WHERE amount IS NULL)           AS nu
  FROM ledger WHERE {" AND ".join(where)}
  GROUP BY {group_by}, currency, date
){latest}
SELECT a.{group_by},
       round(sum(a.p / r.rate * t.rate), {units}) AS pledged,
       round(sum(a.d / r.rate * t.rate), {units}) AS delivered,
       sum(a.np) AS pledges, sum(a.nd) AS deliveries, sum(a.nu) AS undisclosed
FROM per_day a {rate_join}
GROUP BY a.{group_by} ORDER BY a.{group_by}
"""


class Floor:
    """One session on the floor's database (perf_floor, role perf), DBA settings applied."""

    def __init__(self, dsn: str):
        self.connection = psycopg.connect(dsn, autocommit=True)
        self.connection.execute(DBA_SETTINGS)

    def time_query(self, sql: str) -> float:
        """Milliseconds for the query, its rows fetched (as psql's \\timing would count it)."""
        start = time.perf_counter()
        self.connection.execute(sql).fetchall()
        return (time.perf_counter() - start) * 1000

    def copy_in_ms(self, path) -> float:
        """COPY FROM of a ledger CSV into an empty plain table: the import floor (client side)."""
        self.connection.execute("CREATE TABLE IF NOT EXISTS ledger_import (LIKE ledger)")
        self.connection.execute("TRUNCATE ledger_import")
        start = time.perf_counter()
        with self.connection.cursor() as cursor:
            with cursor.copy("COPY ledger_import FROM STDIN (FORMAT csv, HEADER)") as copy, open(path, "rb") as file:
                while block := file.read(1 << 20):
                    copy.write(block)
        return (time.perf_counter() - start) * 1000

    def copy_out_seconds(self) -> float:
        """COPY TO STDOUT of the whole plain ledger table, every row read by the client: the export floor."""
        start = time.perf_counter()
        with self.connection.cursor() as cursor:
            with cursor.copy("COPY (SELECT * FROM ledger) TO STDOUT (FORMAT csv)") as copy:
                for _ in copy:
                    pass
        return time.perf_counter() - start

    def ledger_rows(self) -> int:
        return self.connection.execute("SELECT count(*) FROM ledger").fetchone()[0]
