"""Converting amounts between currencies through EUR: value × r(target) / r(source).

The one place that decides which rate converts an amount (`Rates`) and that an amount already
in the target currency needs none (rate 1, no lookup). The summary, the API, the charts and the
pledges' delivered figures all convert through `convert`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, localcontext

from ledger.money import Money, round_money
from ledger.rates import RateBook, RateQuote

# Enough digits that rounding to a minor unit never depends on the division's cut-off.
PRECISION = 50
DISPLAY_RATE = Decimal("1e-10")
SAME_CURRENCY = "no conversion: same currency"


def exact_cross(value: Decimal, source: RateQuote, target: RateQuote) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return value * target.rate / source.rate


@dataclass(frozen=True)
class Rates:
    """Which day's rate converts an amount (SPEC §5): `transaction` (the amount's own date),
    a fixed `day`, or `latest` (each currency's newest rate held).

    `held_at` reads only the rates held at that moment (ledger.rates), for a question about the past."""

    mode: str = "transaction"
    day: date | None = None
    held_at: datetime | None = None

    def __str__(self):
        return self.day.isoformat() if self.mode == "day" else self.mode

    def book(self, currencies: Iterable[str], days: Iterable[date]) -> RateBook:
        """The rates needed to convert amounts of `currencies` dated `days` (a few queries)."""
        if self.mode == "latest":
            return RateBook.latest(currencies, self.held_at)
        wanted = [self.day] if self.mode == "day" else list(days) or [date.today()]
        return RateBook.for_days(currencies, min(wanted), max(wanted), self.held_at)

    def book_for(self, target: str, amounts: Iterable[tuple[str, date | None]]) -> RateBook:
        """The rates that converting these (currency, day) amounts into `target` needs: none for
        an amount already in `target` or without a currency (every converting caller asks here)."""
        foreign = [(currency, day) for currency, day in amounts if currency and currency != target]
        return self.book(rates_needed((c for c, _ in foreign), target), (day for _, day in foreign if day))

    def quote(self, book: RateBook, currency: str, day: date | None) -> RateQuote:
        if self.mode == "latest":
            return book.latest_quote(currency)
        return book.quote(currency, self.day if self.mode == "day" else day)


TRANSACTION = Rates()


@dataclass(frozen=True)
class Conversion:
    original: Money
    result: Money
    source_quote: RateQuote
    target_quote: RateQuote

    @property
    def converted(self) -> bool:
        """False when the amount was already in the target currency (no rate was used)."""
        return self.original.currency != self.result.currency

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


def unchanged(money: Money, on: date | None = None) -> Conversion:
    """An amount already in the target currency: its own conversion, at rate 1."""
    day = on or date.today()
    unit = RateQuote(money.currency, Decimal(1), day, day, SAME_CURRENCY)
    return Conversion(money, money.rounded(), unit, unit)


def rates_needed(currencies: Iterable[str], to: str) -> set[str]:
    """The currencies whose rates converting amounts of `currencies` into `to` needs."""
    foreign = {currency for currency in currencies if currency and currency != to}
    return foreign | {to} if foreign else set()


def convert(
    money: Money, *, to: str, on: date | None, book: RateBook | None = None, rates: Rates = TRANSACTION
) -> Conversion:
    """Convert with the rate `rates` picks for `on`, rounded half up; raises MissingRate.

    Without a `book`, the rates are fetched for this one amount (none for an amount already in `to`).
    """
    if book is None:
        book = rates.book_for(to, [(money.currency, on)])
    return Converter(to=to, book=book, rates=rates).convert(money, on)


class Converter:
    """`convert` for many amounts into one target with one book: each (currency, day)'s two quotes
    are looked up once (a summary by package converts 100,000 rows in a few dozen currencies)."""

    def __init__(self, *, to: str, book: RateBook, rates: Rates):
        self.to, self.book, self.rates = to, book, rates
        self._quotes: dict[tuple[str, date | None], tuple[RateQuote, RateQuote]] = {}

    def convert(self, money: Money, on: date | None) -> Conversion:
        """The amount in the target at the rates `rates` picks for `on`, rounded half up; raises MissingRate."""
        if money.currency == self.to:
            return unchanged(money, on)
        quotes = self._quotes.get((money.currency, on))
        if quotes is None:
            quotes = (self.rates.quote(self.book, money.currency, on), self.rates.quote(self.book, self.to, on))
            self._quotes[money.currency, on] = quotes
        return convert_with(money, to=self.to, source_quote=quotes[0], target_quote=quotes[1])


def convert_with(money: Money, *, to: str, source_quote: RateQuote, target_quote: RateQuote) -> Conversion:
    if money.currency == to:
        return Conversion(money, money.rounded(), source_quote, target_quote)
    exact = exact_cross(money.amount, source_quote, target_quote)
    return Conversion(money, Money(round_money(exact, to), to), source_quote, target_quote)
