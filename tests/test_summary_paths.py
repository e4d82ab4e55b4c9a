"""PostgreSQL's SQL paths (monthly rollup, daily totals) against the exact Python path.

The ledger has amounts whose conversions land on half a cent (half a yen, half a fils), JPY
(no decimals) and KWD (three decimals; the ECB does not publish it, so its rates are entered by
hand as an editor would), into the fast targets (EUR, USD) and targets outside them (NOK, JPY,
KWD), with every `group_by` and every rate rule. PostgreSQL only: SQLite's own SQL path is
compared with the exact path in tests/test_summary_sqlite.py, on this same ledger.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from aid import summary
from aid.models import PackageTotal, ProgrammeMonthTotal
from aid.summary import LedgerFilter, Rates, exact, fast_daily, fast_monthly, summarize
from aid.summary.parts import DONOR_PACKAGE
from tests.builders import rate, record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's SQL paths (SQLite's is compared in test_summary_sqlite)"
)
GROUPS = ("donor", "programme", "package", "year", "month", DONOR_PACKAGE)  # the last: the packages chart
RATE_RULES = (Rates(), Rates("latest"), Rates("day", date(2025, 8, 3)))


@pytest.fixture
def ledger():
    for day, usd, jpy, nok, kwd in (
        ("2025-07-31", "1.1000", "160.17", "11.0015", "0.33515"),
        ("2025-08-01", "1.1050", "161.03", "11.0105", "0.33705"),
        ("2025-08-04", "1.2000", "159.99", "12.0003", "0.33333"),
    ):
        rate("USD", day, usd), rate("JPY", day, jpy), rate("NOK", day, nok), rate("KWD", day, kwd)
    # Amounts whose conversions land on half a cent (or half a yen, half a fils) somewhere.
    record("pledge", ref="NL-1", donor="NL", amount="100.05", currency="EUR", date="2025-07-31", package="PURL-1")
    record("pledge", ref="NL-2", donor="NL", amount="110.55", currency="USD", date="2025-08-03")
    record("pledge", ref="NL-3", donor="NL", amount="0.01", currency="USD", date="2025-08-01")
    record("pledge", ref="NO-1", donor="NO", programme="BILATERAL", amount="1200.5", currency="NOK", date="2025-08-04")
    record("pledge", ref="NO-2", donor="NO", programme="BILATERAL", amount="12345", currency="JPY", date="2025-07-31")
    record("pledge", ref="NO-3", donor="NO", amount="10.005", currency="KWD", date="2025-08-01", package="PURL-1")
    record("pledge", ref="NO-4", donor="NO", amount="", currency="", date="2025-08-02")
    record("delivery", ref="NL-D", donor="NL", pledge_ref="NL-1", amount="50.01", currency="EUR", date="2025-08-04")
    record("delivery", ref="NO-D", donor="NO", pledge_ref="NO-3", amount="3.333", currency="KWD", date="2025-08-04")


@pytest.mark.parametrize("currency", ["EUR", "USD", "NOK", "JPY", "KWD"])  # fast targets and three outside
@pytest.mark.parametrize("group_by", GROUPS)
def test_the_sql_paths_equal_the_exact_path(ledger, currency, group_by, monkeypatch):
    fell_back = []

    def recorded(real):
        return lambda *question: fell_back.append(question) or real(*question)

    for name in ("parts", "convert_rows"):  # the exact path, or its conversion of one-rate parts in Python
        monkeypatch.setattr(exact, name, recorded(getattr(exact, name)))
    for rates in RATE_RULES:
        fast = summarize(group_by=group_by, currency=currency, rates=rates)
        assert not fell_back, f"the SQL paths did not answer {rates}: nothing was compared"
        exact_answer = summarize(group_by=group_by, currency=currency, rates=rates, use_rollup=False)
        assert fell_back, "use_rollup=False answers from the exact path"
        fell_back.clear()
        assert fast == exact_answer, (group_by, currency, rates)


@pytest.mark.parametrize("rates", RATE_RULES, ids=str)
@pytest.mark.parametrize("currency", ["EUR", "NOK", "JPY"])
def test_dates_cutting_a_month_agree_too(ledger, currency, rates):
    cut = LedgerFilter(donors=("NO",), date_from=date(2025, 8, 1), date_to=date(2025, 8, 3))
    fast = summarize(currency=currency, ledger_filter=cut, rates=rates)
    assert fast == summarize(currency=currency, ledger_filter=cut, rates=rates, use_rollup=False)
    assert fast.total.pledges == 2 and fast.total.undisclosed_pledges == 1


@pytest.mark.parametrize("rates", RATE_RULES, ids=str)
def test_a_target_outside_the_rollup_is_answered_from_the_daily_totals(ledger, rates):
    daily, exactly = (path.parts("donor", "NOK", rates, LedgerFilter()) for path in (fast_daily, exact))
    assert (daily.converted, daily.counts, daily.disclosed()) == (
        exactly.converted,
        exactly.counts,
        exactly.disclosed(),
    )


@pytest.mark.parametrize("rates", RATE_RULES[1:], ids=str)
def test_one_rate_parts_converted_in_sql_name_a_currency_without_a_rate_as_the_exact_path(ledger, rates):
    """A currency no rate is held for: the SQL conversion has no quote for it and leaves the
    question to the exact path, which names it."""
    from ledger.rates import MissingRate

    record("pledge", ref="NL-CHF", donor="NL", amount="5", currency="CHF", date="2025-08-04")
    for use_rollup in (True, False):
        with pytest.raises(MissingRate, match="CHF"):
            summarize(group_by="package", currency="NOK", rates=rates, use_rollup=use_rollup)


def off_by_a_cent(path, monkeypatch, rates_mode: str) -> None:
    """The SQL path `path` answers a cent too much for one group when asked with `rates_mode`."""
    real = path.parts

    def wrong(group_by, target, rates, ledger_filter):
        parts = real(group_by, target, rates, ledger_filter)
        if parts and rates.mode == rates_mode:
            key = next(iter(parts.converted))
            parts.converted[key] += Decimal("0.01")
        return parts

    monkeypatch.setattr(path, "parts", wrong)


def test_verify_compares_the_sql_paths_with_the_exact_path(ledger, monkeypatch):
    assert summary.path_differences() == []
    off_by_a_cent(fast_daily, monkeypatch, "transaction")
    differences = summary.path_differences()
    assert "summary by donor in NOK, rates=transaction: the SQL path differs from the exact path" in differences
    assert "summary by package in NOK, rates=transaction: the SQL path differs from the exact path" in differences


def test_verify_compares_every_grouping_with_latest_rates_too(ledger, monkeypatch):
    off_by_a_cent(fast_monthly, monkeypatch, "latest")
    differences = summary.path_differences()
    assert {line.split(" in ")[0] for line in differences} == {f"summary by {group_by}" for group_by in GROUPS[:5]}
    assert all(", rates=latest: the SQL path differs" in line for line in differences)


NARROW_FILTERS = (
    LedgerFilter(),
    LedgerFilter(donors=("NO",)),
    LedgerFilter(original_currencies=("USD", "KWD")),
    LedgerFilter(date_from=date(2025, 8, 1), date_to=date(2025, 8, 31)),
    LedgerFilter(programmes=("BILATERAL",)),  # the programme rows answer (DonorMonthTotal has no programme)
    LedgerFilter(donors=("NO",), programmes=("PURL", "BILATERAL")),
    LedgerFilter(programmes=("PURL",), packages=("PURL-1",)),  # a package: the whole rollup answers
)


@pytest.mark.parametrize("ledger_filter", NARROW_FILTERS)
@pytest.mark.parametrize("group_by", ["donor", "year", "month", "programme", "package"])
def test_the_narrow_monthly_rows_answer_as_the_exact_path(ledger, group_by, ledger_filter):
    for currency in ("EUR", "USD"):
        for rates in (Rates(), Rates("latest")):
            question = dict(group_by=group_by, currency=currency, rates=rates, ledger_filter=ledger_filter)
            fast = summarize(**question)
            assert fast == summarize(**question, use_rollup=False), question
            assert fast.rates_ranges == summarize(**question, use_rollup=False).rates_ranges


def test_the_narrow_monthly_rows_follow_every_write_and_verify_notices_a_drift(ledger):
    from aid.models import DonorMonthTotal, Pledge
    from aid.services import delete_record
    from aid.summary import rollup

    assert DonorMonthTotal.objects.filter(target="EUR", donor="NO").exists()
    record("pledge", ref="NO-5", donor="NO", amount="7.77", currency="NOK", date="2025-08-04", package="PURL-2")
    delete_record(Pledge.objects.get(ref="NL-3"))
    rate("NOK", "2025-08-05", "12.5")  # a new rate day refreshes the months from its own on
    assert rollup.differences() == []
    DonorMonthTotal.objects.filter(target="USD", donor="NL").update(converted_minor=1)
    ProgrammeMonthTotal.objects.filter(target="EUR", programme="BILATERAL").update(records=5)
    PackageTotal.objects.filter(target="EUR", package="PURL-2").update(amount_minor=3)
    problems = rollup.differences()
    assert any(problem.startswith("donor month total differs") for problem in problems)
    assert any(problem.startswith("programme month total differs") for problem in problems)
    assert any(problem.startswith("package total differs") for problem in problems)
    rollup.rebuild()
    assert rollup.differences() == []


@pytest.mark.parametrize(
    "group_by, ledger_filter, table",
    [
        ("donor", LedgerFilter(), "aid_donormonthtotal"),
        ("year", LedgerFilter(donors=("NL",)), "aid_donormonthtotal"),
        ("donor", LedgerFilter(programmes=("PURL",)), "aid_programmemonthtotal"),
        ("programme", LedgerFilter(), "aid_programmemonthtotal"),
        ("month", LedgerFilter(programmes=("BILATERAL",)), "aid_programmemonthtotal"),
        ("package", LedgerFilter(), "aid_packagetotal"),
        ("package", LedgerFilter(programmes=("PURL",), original_currencies=("NOK",)), "aid_packagetotal"),
        ("package", LedgerFilter(donors=("NL",)), "aid_convertedtotal"),
        ("package", LedgerFilter(date_from=date(2025, 8, 1)), "aid_convertedtotal"),
        (DONOR_PACKAGE, LedgerFilter(), "aid_convertedtotal"),
        ("programme", LedgerFilter(packages=("PURL-1",)), "aid_convertedtotal"),
    ],
)
def test_a_summary_reads_the_narrowest_monthly_rows_that_hold_its_keys(ledger, group_by, ledger_filter, table):
    """A programme named (a filter, a summary by programme) reads the rows summed over package:
    about 73,000 per target at 1M + 1M, where the whole rollup holds 580,000; by package without
    donors or dates, the rows summed over donor and month (108,000)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fast = summarize(group_by=group_by, ledger_filter=ledger_filter)
        shown = fast.rates_ranges  # the rates disclosed: read from a monthly form (masks), whatever gave the parts
    parts = [query["sql"] for query in captured if "GROUP BY r.group_key" in query["sql"] or "GROUPING" in query["sql"]]
    assert parts and all(table in sql for sql in parts), parts
    assert fast == summarize(group_by=group_by, ledger_filter=ledger_filter, use_rollup=False)
    assert shown == summarize(group_by=group_by, ledger_filter=ledger_filter, use_rollup=False).rates_ranges


@pytest.mark.parametrize(
    "migration, model",
    [("0023_programme_month_total", ProgrammeMonthTotal), ("0025_package_total", PackageTotal)],
)
def test_a_migration_fills_its_narrow_rows_as_the_writes_keep_them(ledger, migration, model):
    """A migration's fill, run over the rollup the writes kept, gives the rows they kept."""
    import importlib

    fill = importlib.import_module(f"aid.migrations.{migration}").FILL
    columns = [field.name for field in model._meta.fields if field.name != "id"]
    kept = set(model.objects.values_list(*columns))
    assert kept, "the writes kept narrow rows"
    model.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert set(model.objects.values_list(*columns)) == kept


@pytest.mark.parametrize(
    "first, last",
    [
        (date(2025, 7, 31), date(2025, 9, 2)),  # a cut day, a whole month, cut days
        (date(2025, 7, 15), date(2025, 8, 3)),  # two cut months, none whole between
        (date(2025, 8, 2), None),  # cut days, then every month after
        (None, date(2025, 8, 1)),
    ],
)
@pytest.mark.parametrize("group_by", ["donor", "package", "month"])
def test_a_fast_target_reads_the_whole_months_between_cut_days_from_the_monthly_rows(
    ledger, group_by, first, last, monkeypatch
):
    read = []
    monthly = fast_monthly.transaction_parts
    monkeypatch.setattr(
        fast_monthly, "transaction_parts", lambda *question: read.append(question) or monthly(*question)
    )
    cut = LedgerFilter(date_from=first, date_to=last)
    for currency in ("EUR", "USD"):
        fast = summarize(group_by=group_by, currency=currency, ledger_filter=cut)
        assert fast == summarize(group_by=group_by, currency=currency, ledger_filter=cut, use_rollup=False)
    whole = [question[2] for question in read]
    assert all(w.date_from is None or w.date_from.day == 1 for w in whole)
    assert bool(whole) == ((first, last) != (date(2025, 7, 15), date(2025, 8, 3)))


def test_month_split_selects_every_day_once():
    days = [date(2025, 6, 28) + timedelta(days=n) for n in range(100)]
    for first in (None, date(2025, 7, 1), date(2025, 7, 9), date(2025, 7, 31)):
        for last in (None, date(2025, 7, 20), date(2025, 7, 31), date(2025, 8, 1), date(2025, 9, 15)):
            if first and last and first > last:
                continue
            whole, cut = fast_monthly.month_split(LedgerFilter(date_from=first, date_to=last))
            pieces = ([whole] if whole else []) + cut
            for day in days:
                inside = (first is None or day >= first) and (last is None or day <= last)
                chosen = [p for p in pieces if (p.date_from or date.min) <= day <= (p.date_to or date.max)]
                assert len(chosen) == int(inside), (first, last, day)
            if whole:
                assert whole.whole_months


def test_a_package_filter_is_a_range_of_the_rollups_package_index(ledger):
    """A package's rows are found by index (30 of PURL's 5,000 packages read 580,000 rows at 1M + 1M:
    0.47 s, now 0.17 s). The plan is asked of a rollup with many packages (analyzed, in a savepoint
    rolled back): on this small ledger alone the planner may pick any index, or none."""
    from django.db import transaction

    from aid.models import ConvertedTotal

    cut = LedgerFilter(programmes=("PURL",), packages=("PURL-1", ""))
    rows = fast_monthly._rollup_rows("EUR", cut, "donor").values("group_key", "converted_minor")
    sql, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        ConvertedTotal.objects.bulk_create(
            ConvertedTotal(target="EUR", kind="pledge", status="published", donor="NL", programme="PURL",
                           package=f"OTHER-{n}", currency="EUR", month=date(2024, 1 + n % 12, 1))
            for n in range(5000)
        )  # fmt: skip
        cursor.execute("ANALYZE aid_convertedtotal")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    assert "converted_target_package" in plan, plan
    assert summarize(ledger_filter=cut) == summarize(ledger_filter=cut, use_rollup=False)
