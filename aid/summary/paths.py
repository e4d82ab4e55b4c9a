"""Which path answers a summary, and the check that the fast paths answer as the exact one."""

from aid import asof
from aid.summary import as_of_daily, as_of_now, exact, exact_records, fast_daily, fast_monthly, rollup, sqlite_daily
from aid.summary.answer import GROUP_BY, Summary, assemble
from aid.summary.filter import LedgerFilter
from ledger import daily
from ledger.conversion import TRANSACTION, Rates
from ledger.rates import MissingRate, ecb_rates_up_to

WHOLE_LEDGER = LedgerFilter()  # the published ledger, unfiltered


def summarize(
    *,
    group_by: str = "donor",
    currency: str = "EUR",
    rates: Rates = TRANSACTION,
    ledger_filter: LedgerFilter = WHOLE_LEDGER,
    use_rollup: bool = True,
) -> Summary:
    """Raises ledger.rates.MissingRate when an amount has no rate on or before its day.

    `use_rollup=False` forces the exact Python path (to verify the fast ones against it).
    """
    ledger_filter = asof.present_when_unchanged(ledger_filter)  # else a moment reads the history
    parts = None
    if ledger_filter.reads_records:  # a moment: the totals put back as they stood, else the records
        if use_rollup:  # from the answer now and the few rows written since, else the netted totals
            parts = as_of_now.parts(group_by, currency, rates, ledger_filter)
            if parts is None:
                parts = as_of_daily.parts(group_by, currency, rates, ledger_filter)
        if parts is None:
            parts = exact_records.parts(group_by, currency, rates, ledger_filter)
    elif use_rollup:
        parts = fast_monthly.parts(group_by, currency, rates, ledger_filter)
        if parts is None:  # a target or dates the monthly rollup does not hold: the daily totals
            parts = fast_daily.parts(group_by, currency, rates, ledger_filter)
        if parts is None:  # SQLite: the daily totals rounded in SQL
            parts = sqlite_daily.parts(group_by, currency, rates, ledger_filter)
    if parts is None:
        parts = exact.parts(group_by, currency, rates, ledger_filter)
    return assemble(group_by, currency, rates, parts)


def path_differences() -> list[str]:
    """The SQL paths against the exact path (`rebuild_totals --verify`): PostgreSQL's, or SQLite's.

    Within reason at a million records (each exact answer reads every daily total): every rollup
    target and one currency outside it by donor with transaction rates; every `group_by` in EUR
    and in the outside currency with transaction rates; every `group_by` with `latest` and with
    the newest ECB day in the outside currency (those two convert in Python whatever the path,
    so one target checks the SQL that feeds them).
    """
    if sqlite_daily.supported():  # SQLite's one SQL path
        questions = [(currency, group_by, TRANSACTION) for currency in ("EUR", "NOK", "JPY") for group_by in GROUP_BY]
        questions += [("NOK", group_by, Rates("latest")) for group_by in GROUP_BY]
        return _differing(questions)
    if not daily.supported():
        return []
    held = rollup.fast_targets()
    outside = next(code for code in ("NOK", "JPY", "CHF", "SEK") if code not in held)
    questions = [(currency, "donor", TRANSACTION) for currency in (*held, outside)]
    questions += [(currency, group_by, TRANSACTION) for currency in ("EUR", outside) for group_by in GROUP_BY]
    newest = ecb_rates_up_to()
    fixed = [Rates("latest")] + ([Rates("day", newest)] if newest else [])
    questions += [(outside, group_by, rates) for rates in fixed for group_by in GROUP_BY]
    return _differing(questions)


def _differing(questions) -> list[str]:
    problems = []
    for currency, group_by, rates in dict.fromkeys(questions):
        fast, exact_answer = (_answer(group_by, currency, rates, use_rollup) for use_rollup in (True, False))
        if fast != exact_answer:
            problems.append(
                f"summary by {group_by} in {currency}, rates={rates}: the SQL path differs from the exact path"
            )
    return problems


def _answer(group_by: str, currency: str, rates: Rates, use_rollup: bool):
    """The summary, or the missing rate both paths must name alike."""
    try:
        return summarize(group_by=group_by, currency=currency, rates=rates, use_rollup=use_rollup)
    except MissingRate as missing:
        return str(missing)
