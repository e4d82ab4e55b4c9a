"""`manage.py import_indicators FILE.csv`: donors' GDP and population, all rows or none.

The file is read by the ledger import's reader (aid.importing.read_rows), so its problems read
the same: `line N, column C: value: reason`.
"""

from dataclasses import dataclass, field

from django.db import transaction

from aid.context import rules
from aid.context.services import save_indicator
from aid.importing import read_rows
from aid.models import Donor
from aid.rules import Problem


@dataclass
class IndicatorReport:
    problems: list[str] = field(default_factory=list)
    actions: dict = field(default_factory=dict)  # created/updated/unchanged -> count

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = ", ".join(f"{self.actions.get(a, 0)} {a}" for a in ("created", "updated", "unchanged"))
        return f"{sum(self.actions.values())} indicators: {counts}"


def _checked(rows) -> tuple[list, list[str]]:
    donors = set(Donor.objects.values_list("code", flat=True))
    clean_rows, problems, first_line = [], [], {}
    for line, row in rows:
        clean, row_problems = rules.check_indicator(row, donors)
        if clean:
            key = (clean.donor, clean.name, clean.year)
            if key in first_line:
                row_problems = [
                    Problem("year", str(clean.year), f"{clean.donor} {clean.name} also on line {first_line[key]}")
                ]
            first_line.setdefault(key, line)
        problems += [problem.at_line(line) for problem in row_problems]
        if clean and not row_problems:
            clean_rows.append(clean)
    return clean_rows, problems


def import_indicators(data: bytes | str) -> IndicatorReport:
    rows, problems = read_rows(data, columns=rules.COLUMNS, required=rules.REQUIRED_COLUMNS)
    if not problems and not rows:
        problems = ["line 2, column -: '': no indicator rows"]
    report = IndicatorReport(problems=problems)
    if problems:
        return report
    clean_rows, report.problems = _checked(rows)
    if report.problems:
        return report
    with transaction.atomic():
        for clean in clean_rows:
            _, action = save_indicator(clean)
            report.actions[action] = report.actions.get(action, 0) + 1
    return report
