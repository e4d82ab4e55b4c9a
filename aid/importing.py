"""Ledger CSV import (SPEC §4): every row checked first, then all written, or nothing.

The admin's upload and `manage.py import_ledger` both call `import_ledger`; the rules are
those of aid.rules and the writes those of aid.services, as for any other write.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection

from aid import bulk, services, writelock
from aid.formulas import restore
from aid.lookups import BatchLookup
from aid.models import Status
from aid.phases import phase
from aid.rules import COLUMNS, REQUIRED_COLUMNS, SOURCE_ROW, BatchChecker, CleanRecord, Problem, check_source_row
from aid.serving import version
from aid.staging import batch_planner, row_planner
from aid.summary import rollup
from ledger.currencies import UnknownCurrency
from ledger.money import from_minor
from ledger.rates import MissingRate

# A cell that may start with a quote: at the start of a line or after a comma, maybe inside "".
FIRST_QUOTE = re.compile(r"(?:^|[,\r\n])\"?'")
# Pledges first, so deliveries and valuations further up the file find them written.
WRITE_ORDER = {"pledge": 0, "valuation": 1, "delivery": 2}
REASON = "ledger CSV import"


@dataclass
class PlannedRow:
    line: int
    clean: CleanRecord
    action: str = ""  # created, updated or unchanged


@dataclass
class ImportReport:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def refs(self, action: str) -> list[str]:
        return [row.clean.ref for row in self.rows if row.action == action]

    @property
    def warnings(self) -> list[str]:
        return [f"line {row.line}: {w}" for row in self.rows for w in row.clean.warnings]

    def summary(self) -> str:
        verb = "" if self.written else "would be "
        counts = ", ".join(f"{len(self.refs(a))} {verb}{a}" for a in ("created", "updated", "unchanged"))
        return f"{len(self.rows)} rows: {counts}"


def read_rows(
    data: bytes | str, *, columns=COLUMNS, required=REQUIRED_COLUMNS
) -> tuple[list[tuple[int, dict]], list[str]]:
    """Parse the CSV; returns (line number, row) pairs, or the problems with the file itself.

    `columns` and `required` are the ledger's unless another CSV format (indicators) names its own.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return [], [f"line 1, column -: byte {error.start}: the file is not UTF-8 text"]
    data = data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(data, newline=""))
    header = next(reader, [])
    problems = [f"line 1, column {name}: {name!r}: unknown column" for name in header if name not in columns]
    problems += [f"line 1, column {name}: '': required column is missing" for name in required if name not in header]
    if not header:
        problems = ["line 1, column -: '': the file is empty: a header row is required"]
    if problems:
        return [], problems
    # Per-cell work only where the file can need it: most files hold no NUL and no cell that
    # starts with a quote (formulas.restore), so a search of the whole text spares 1.3M calls.
    unstorable = "\x00" in data
    quoted = FIRST_QUOTE.search(data) is not None
    width, rows = len(header), []
    try:
        for values in reader:
            line = reader.line_num
            if len(values) > width:
                problems.append(f"line {line}, column -: {values[width:]!r}: more values than columns in the header")
                continue
            row = dict(zip(header, values, strict=False))
            if len(values) < width:  # as csv.DictReader: the missing cells are None
                row.update(dict.fromkeys(header[len(values) :]))
            if not any(value.strip() for value in values):
                continue
            if unstorable and any("\x00" in value for value in values):  # PostgreSQL cannot store a NUL
                problems += [
                    f"line {line}, column {name}: {value!r}: a NUL character is not allowed"
                    for name, value in row.items()
                    if value and "\x00" in value
                ]
                continue
            if quoted:
                row = {name: restore(value) if value else value for name, value in row.items()}
            rows.append((line, row))
    except csv.Error as error:
        problems.append(f"line {reader.line_num}, column -: '': malformed CSV ({error})")
    return rows, problems


def _is_source_row(row: dict) -> bool:
    return (row.get("record") or "").strip().lower() == SOURCE_ROW


def _attach_sources(source_rows: list[tuple[int, dict]], planned: list[PlannedRow], refs: set[str]) -> list[str]:
    """Give each `source` row's source to the record row with its ref; returns the problems."""
    by_ref = {row.clean.ref: row.clean for row in planned}
    messages = []
    for line, row in source_rows:
        ref, source, problems = check_source_row(row)
        if ref and ref not in refs:
            problems.append(Problem("ref", ref, "no pledge, delivery or valuation with this ref in the file"))
        clean = by_ref.get(ref)
        if source and clean and source in clean.source_refs:
            problems.append(Problem("source_url", source.url, f"already a source of {ref} in this file"))
        messages += [p.at_line(line) for p in problems]
        if clean and source and not problems:
            clean.more_sources.append(source)
    return messages


def _check_all(rows: list[tuple[int, dict]]) -> tuple[list[PlannedRow], list[str], set[str]]:
    """Record rows, then the `source` rows that add further sources to them.

    Also returns the refs the ledger holds already (those rows update; the others are new).
    """
    source_rows, record_rows = [], []
    for line, row in rows:
        (source_rows if _is_source_row(row) else record_rows).append((line, row))
    planned, messages, known = _check_records(record_rows)
    messages += _attach_sources(source_rows, planned, {(row.get("ref") or "").strip() for _, row in record_rows})
    return planned, sorted(messages, key=_line_number), known


def _line_number(message: str) -> int:
    return int(message.split(",", 1)[0].removeprefix("line "))


def _check_records(rows: list[tuple[int, dict]]) -> tuple[list[PlannedRow], list[str], set[str]]:
    """Pledges first, so a delivery or valuation may name a pledge further down the file."""
    lookup = BatchLookup([row for _, row in rows])
    checker = BatchChecker(lookup)
    is_pledge = [(row.get("record") or "").strip().lower() == "pledge" for _, row in rows]
    checked: dict[int, tuple[CleanRecord | None, list[Problem]]] = {}
    for pass_for_pledges in (True, False):
        for (line, row), pledge in zip(rows, is_pledge, strict=True):
            if pledge != pass_for_pledges:
                continue
            clean, problems = checker.check(row)
            if clean and pledge:
                lookup.add_pledge(clean)
            checked[line] = (clean, problems)
    planned, messages, first_line = [], [], {}
    for line, row in rows:
        clean, problems = checked[line]
        ref = (row.get("ref") or "").strip()
        if ref in first_line:
            problems = [*problems, Problem("ref", ref, f"also on line {first_line[ref]}: a ref appears once per file")]
        first_line.setdefault(ref, line)
        messages += [p.at_line(line) for p in problems]
        if clean and not problems:
            planned.append(PlannedRow(line, clean))
    return planned, messages, lookup.known_refs()


class _Rollback(Exception):
    pass


class _WriteFailed(Exception):
    """A problem found only while writing (a rate missing for a conversion, say), with its line."""

    def __init__(self, messages: list[str]):
        self.messages = messages


# The model field a write-time error names -> the CSV column it came from.
FIELD_COLUMNS = {"amount_minor": "amount", "pledge": "pledge_ref", "donor": "donor", "programme": "programme"}


def _column_value(clean: CleanRecord, column: str) -> str:
    if column == "amount":
        return "" if clean.amount_minor is None else str(from_minor(clean.amount_minor, clean.currency))
    value = getattr(clean, column, "")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def write_problems(row: PlannedRow, error: Exception) -> list[str]:
    """`line N, column C: value: reason` for an error raised while writing `row`."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        found = [(name, message) for name, messages in error.message_dict.items() for message in messages]
    else:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        found = [(NON_FIELD_ERRORS, message) for message in messages]
    problems = []
    for name, message in found:
        column = FIELD_COLUMNS.get(name, name if name in COLUMNS else "-")
        value = _column_value(row.clean, column) if column != "-" else row.clean.ref
        problems.append(Problem(column, value, message).at_line(row.line))
    return problems


WRITE_ERRORS = (ValidationError, MissingRate, UnknownCurrency, ValueError, DatabaseError)


def _write(row: PlannedRow, status: str, user) -> None:
    try:
        row.action = services.save_record(row.clean, status=status, user=user, reason=REASON).action
    except WRITE_ERRORS as error:
        raise _WriteFailed(write_problems(row, error)) from error


def _write_new(new: list[PlannedRow], status: str, user) -> None:
    try:
        bulk.create_records([(row.line, row.clean) for row in new], status=status, user=user, reason=REASON)
    except WRITE_ERRORS as error:
        raise _WriteFailed(write_problems(_blamed_row(new, error), error)) from error
    for row in new:
        row.action = "created"


def _blamed_row(new: list[PlannedRow], error: Exception) -> PlannedRow:
    """The row a set-wise write failed on: the delivery whose day has no rate, else the first."""
    missing = getattr(error, "missing", None)
    deliveries = sorted((row for row in new if row.clean.record == "delivery"), key=lambda r: r.line)
    for row in deliveries:
        if missing is not None and row.clean.date == missing.day:
            return row
    return (deliveries or sorted(new, key=lambda r: r.line))[0]


def import_ledger(
    data: bytes | str, *, status: str = Status.PUBLISHED, dry_run: bool = False, user=None
) -> ImportReport:
    with phase("read CSV"):
        rows, problems = read_rows(data)
    report = ImportReport(problems=problems)
    if problems:
        return report
    try:  # a dry run writes through the same code, then rolls back: its report is exact
        # Checked under the write lock: a second import waits for the first, then sees its rows.
        # The batch's planner settings cover the rollup refresh that deferred() runs at its end.
        with (
            phase("write transaction, commit included"),
            writelock.held(),
            connection.cursor() as cursor,
            batch_planner(cursor, len(rows)),
            rollup.deferred(),
        ):
            with phase("check rows"):
                report.rows, report.problems, known = _check_all(rows)
            if report.problems:
                raise _Rollback
            is_new = [row.clean.ref not in known and row.clean.record in bulk.TABLES for row in report.rows]
            new = [row for row, fresh in zip(report.rows, is_new, strict=True) if fresh]
            others = sorted(
                (row for row, fresh in zip(report.rows, is_new, strict=True) if not fresh),
                key=lambda r: (WRITE_ORDER[r.clean.record], r.line),
            )
            # New pledges and deliveries set-wise first, so updates and valuations find them.
            _write_new(new, status, user)
            version.bump()  # the set-wise writes save no model: no signal moves the version for them
            with row_planner(cursor), phase("existing refs and valuations"):
                for row in others:
                    _write(row, status, user)
            if dry_run:
                raise _Rollback
    except _Rollback:
        return report
    except _WriteFailed as failed:  # the transaction rolled back: nothing was written
        report.problems = failed.messages
        for row in report.rows:
            row.action = ""
        return report
    report.written = True
    return report
