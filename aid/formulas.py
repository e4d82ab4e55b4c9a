"""Spreadsheet formula neutralisation for every CSV the site writes, reversed by the import.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by
Excel and LibreOffice (OWASP "CSV injection"), so it is written with a leading `'`.
To stay reversible, a cell that already starts with quotes before such a character gets one
more quote (`'=x` is written `''=x`), and the import removes exactly one. A plain number
(`-5`, `+1.50`) is data, not a formula, and is never touched: amount and date columns
keep their values whatever file they are in.
"""

import re

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"
# ASCII digits only: a spreadsheet reads `-٣` as text, a formula to run (and so does the COPY
# export, aid.export_copy, which must write every cell as this module does).
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _would_run(text: str) -> bool:
    unquoted = text.lstrip(QUOTE)
    return unquoted[:1] in FORMULA_STARTS and unquoted != "" and not PLAIN_NUMBER.fullmatch(unquoted)


def neutralise(value):
    """The cell as written to CSV: `'` before a text that a spreadsheet would run."""
    if type(value) is str and value and (value[0] in FORMULA_STARTS or value[0] == QUOTE) and _would_run(value):
        return QUOTE + value
    return value


def restore(cell: str) -> str:
    """The value a CSV cell stands for: exactly the quote `neutralise` added, removed."""
    if cell.startswith(QUOTE) and _would_run(cell[1:]):
        return cell[1:]
    return cell
