"""Converting amounts between currencies through EUR: value × r(target) / r(source)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from ledger.money import Money, round_money
from ledger.rates import RateBook, RateQuote

# Enough digits that rounding to a minor unit never depends on the division's cut-off.
PRECISION = 50
DISPLAY_RATE = Decimal("1e-10")


def exact_cross(value: Decimal, source: RateQuote, target: RateQuote) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return value * target.rate / source.rate


@dataclass(frozen=True)
class Conversion:
    original: Money
    result: Money
    source_quote: RateQuote
    target_quote: RateQuote

    @property
    def rate(self) -> Decimal:
        """Units of the target currency per unit of the original, to ten decimals, for display.

        The result itself is computed from the two published rates, not from this figure.
        """
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return (self.target_quote.rate / self.source_quote.rate).quantize(DISPLAY_RATE)

    @property
    def stale(self) -> bool:
        return self.source_quote.stale or self.target_quote.stale


def convert(money: Money, *, to: str, on: date, book: RateBook | None = None) -> Conversion:
    """Convert with the rates published on `on` (or the latest earlier), rounded half up."""
    if book is None:
        book = RateBook.for_days([money.currency, to], on, on)
    return convert_with(money, to=to, source_quote=book.quote(money.currency, on), target_quote=book.quote(to, on))


def convert_with(money: Money, *, to: str, source_quote: RateQuote, target_quote: RateQuote) -> Conversion:
    if money.currency == to:
        return Conversion(money, money.rounded(), source_quote, target_quote)
    exact = exact_cross(money.amount, source_quote, target_quote)
    return Conversion(money, Money(round_money(exact, to), to), source_quote, target_quote)
