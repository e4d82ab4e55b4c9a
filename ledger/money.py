"""Amounts of money: Decimal values that know their currency and refuse to mix currencies."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from ledger.currencies import get_currency, minor_units


class CurrencyMismatch(TypeError):
    def __init__(self, left: str, right: str):
        super().__init__(f"cannot combine {left} with {right} without converting first")


class TooManyDecimals(ValueError):
    pass


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(value: Decimal, currency: str) -> Decimal:
    """The one rounding rule of the ledger: half up, to the currency's minor unit."""
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


SHARE_QUANTUM = Decimal("0.0001")


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole to four decimals, half up: the one rule of every share (delivered ÷ pledged,
    delivery coverage, share of a need, ledger ÷ tracker). Unknown (None) when the part is
    unknown or there is no whole to divide by, never 0."""
    if part is None or not whole:
        return None
    with localcontext() as ctx:
        ctx.prec = 50  # exact enough that only the final quantize rounds
        return (Decimal(part) / Decimal(whole)).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_UP)


def to_minor(value: Decimal, currency: str) -> int:
    """Exact integer count of minor units; refuses amounts finer than the currency allows."""
    units = minor_units(currency)
    scaled = value.scaleb(units)
    if scaled != scaled.to_integral_value():
        raise TooManyDecimals(f"{currency} has {units} decimal{'s' if units != 1 else ''}")
    return int(scaled)


def from_minor(count: int, currency: str) -> Decimal:
    return (Decimal(int(count)).scaleb(-minor_units(currency))).quantize(quantum(currency))


def written(count: int, currency: str, scale: int | None) -> Decimal:
    """An amount of minor units with `scale` decimals (as written); the minor unit's when None.

    A scale too coarse for the amount (never written by the rules) falls back to the minor unit,
    so no digit is ever dropped.
    """
    amount = from_minor(count, currency)
    if scale is None:
        return amount
    shown = amount.quantize(Decimal(1).scaleb(-scale))
    return shown if shown == amount else amount


def written_scale(value: Decimal) -> int:
    """How many decimals a parsed amount was written with (`500000000` → 0, `1.50` → 2)."""
    return max(0, -value.as_tuple().exponent)


def parse_decimal(text: str) -> Decimal:
    """A plain decimal as written in the ledger CSV: digits, an optional '.', no grouping."""
    cleaned = text.strip()
    if not cleaned or any(ch not in "0123456789.-+" for ch in cleaned):
        raise InvalidOperation(text)
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        get_currency(self.currency)
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money amounts are Decimal, never float")

    def _same_currency(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def rounded(self) -> "Money":
        return Money(round_money(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(Decimal(0).quantize(quantum(currency)), currency)
