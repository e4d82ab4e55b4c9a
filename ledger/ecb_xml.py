"""Reading the ECB's reference-rate XML (eurofxref-daily.xml, eurofxref-hist-90d.xml, …).

<Cube><Cube time="2026-10-30"><Cube currency="USD" rate="1.0845"/>…</Cube>…</Cube>, in the
ECB's eurofxref namespace. Anything else is a BadRateFile naming what is wrong.
"""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from ledger.currencies import is_currency
from ledger.ecb import BadRateFile

NAMESPACE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"
CUBE = f"{NAMESPACE}Cube"


def _root(data: bytes, origin: str):
    # The ECB's files declare no document type; refusing one shuts out entity expansion attacks.
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise BadRateFile(f"{origin}: a document type declaration is not part of an ECB rate file")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BadRateFile(f"{origin}: not well-formed XML ({error})") from None


def read_xml_rates(data: bytes, origin: str = "the ECB file") -> Iterator[tuple[str, date, Decimal]]:
    """Yield (currency, day, rate) for every rate of the file; currencies outside ISO 4217 are skipped."""
    days = [cube for cube in _root(data, origin).iter(CUBE) if "time" in cube.attrib]
    if not days:
        raise BadRateFile(f"{origin}: no <Cube time=…> element: not an ECB reference-rate file")
    for cube in days:
        text = cube.attrib["time"]
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise BadRateFile(f"{origin}: time={text!r} is not a date") from None
        for entry in cube.iter(CUBE):
            currency, value = entry.attrib.get("currency"), entry.attrib.get("rate")
            if currency is None or not is_currency(currency):
                continue
            yield currency, day, _rate(value, f"{origin}: {text}, {currency}")


def _rate(value: str | None, where: str) -> Decimal:
    try:
        rate = Decimal(value or "")
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or rate <= 0:
        raise BadRateFile(f"{where}: rate={value!r} is not a rate")
    return rate
