"""Amounts and dates written for the reader's language (`1,234.5 million` / `1.234,5 mln`)."""

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aid.models import Qualifier
from aid.waiting import months_between

MILLION = Decimal(10) ** 6
ONE_DECIMAL = Decimal("0.1")


def number(value: Decimal, decimals: int) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def millions(value: Decimal) -> Decimal:
    """The plotted value: exact, in millions (a decimal shift, no rounding)."""
    return value.scaleb(-6)


def in_millions(value: Decimal, currency: str) -> str:
    rounded = millions(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return _("%(currency)s %(amount)s million") % {"currency": currency, "amount": number(rounded, 1)}


def amount(value: Decimal | None, currency: str) -> str:
    """An exact amount with its currency, or the word for an undisclosed one."""
    if value is None:
        return _("undisclosed")
    decimals = max(-value.as_tuple().exponent, 0)
    return f"{currency} {number(value, decimals)}"


def confidence(code: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(code, _("not assessed"))


def source_kind(code: str) -> str:
    words = {"official": _("official"), "international": _("international"), "media": _("media"),
             "tracker": _("tracker"), "secondary": _("secondary")}  # fmt: skip
    return words.get(code, _("not assessed"))


def ago(earlier: date, today: date) -> str:
    """'15 months ago', '12 days ago' (under a month)."""
    months = months_between(earlier, today)
    if months:
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    days = max((today - earlier).days, 0)
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


def waiting(pledged_on: date, last_delivery: date | None, today: date) -> str:
    """'pledged 15 months ago; no delivery reported' / '…; last delivery 2 months ago'."""
    pledged = _("pledged %(ago)s") % {"ago": ago(pledged_on, today)}
    if last_delivery is None:
        return _("%(pledged)s; no delivery reported") % {"pledged": pledged}
    return _("%(pledged)s; last delivery %(ago)s") % {"pledged": pledged, "ago": ago(last_delivery, today)}


def no_delivery() -> str:
    return _("no delivery reported")


def reported(value: Decimal | None, currency: str) -> str:
    """A delivered figure in millions, or the words for none reported (never a zero)."""
    return no_delivery() if value is None else in_millions(value, currency)


def coverage(value: Decimal | None) -> str:
    """'deliveries reported for 12.0 % of the pledged value' (empty when nothing is pledged)."""
    if value is None:
        return ""
    return _("deliveries reported for %(share)s of the pledged value") % {"share": share(value)}


def share(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{number(value * 100, 1)} %"


def day(value: date | None) -> str:
    return date_format(value) if value else "–"


def moment(value: datetime) -> str:
    """'27 November 2026, 14:05 UTC' / '27 november 2026, 14:05 UTC': when a page's ledger stood."""
    return f"{date_format(value.astimezone(UTC).date())}, {value.astimezone(UTC):%H:%M} UTC"


def month(key: str) -> str:
    """'2025-08' → 'August 2025' / 'augustus 2025'."""
    year, number_of_month = key.split("-")
    return date_format(date(int(year), int(number_of_month), 1), "YEAR_MONTH_FORMAT")


def separators() -> str:
    """Plotly's `layout.separators`: decimal mark then thousands separator, as the locale writes them."""
    return get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR")


def qualifier(code: str) -> str:
    return {Qualifier.AT_LEAST: _("at least"), Qualifier.APPROX: _("approximately")}.get(code, "")


def undisclosed_count(count: int) -> str:
    return ngettext("%(count)d undisclosed amount", "%(count)d undisclosed amounts", count) % {"count": count}


def qualified_counts(counts: dict[str, int]) -> str:
    """'includes 1 amount given as "at least", 2 approximate' (empty when all are exact)."""
    parts = []
    if counts.get(Qualifier.AT_LEAST):
        n = counts[Qualifier.AT_LEAST]
        parts.append(ngettext("%(count)d “at least” amount", "%(count)d “at least” amounts", n) % {"count": n})
    if counts.get(Qualifier.APPROX):
        n = counts[Qualifier.APPROX]
        parts.append(ngettext("%(count)d approximate amount", "%(count)d approximate amounts", n) % {"count": n})
    return _("includes %(parts)s") % {"parts": ", ".join(parts)} if parts else ""
