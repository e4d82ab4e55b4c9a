"""How amounts, values in EUR, progress, confidence and warnings read in the lists.

The lists must fit a 1280 px screen without sideways scrolling (issue 8): the value in EUR
shares the amount's cell, the package the programme's, and dates are ISO days.
"""

from decimal import Decimal

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from aid.admin.warnings import list_warnings
from aid.models import Qualifier

QUALIFIER_SIGN = {Qualifier.AT_LEAST: "≥ ", Qualifier.APPROX: "≈ ", Qualifier.EXACT: ""}


def grouped(amount: Decimal) -> str:
    return f"{amount:,}"


@admin.display(description="amount", ordering="amount_minor")
def amount(record) -> str:
    if record.amount_minor is None:
        return "undisclosed"
    return f"{QUALIFIER_SIGN.get(record.amount_qualifier, '')}{record.currency} {grouped(record.amount)}"


@admin.display(description="value in EUR")
def value_in_eur(record):
    conversion = getattr(record, "in_eur", None)
    if conversion is None:
        missing = getattr(record, "in_eur_missing", "")
        return format_html('<span class="aid-missing-rate" title="{}">no rate</span>', missing) if missing else "–"
    quote = conversion.source_quote
    label = f"EUR {grouped(conversion.result.amount)}"
    if conversion.original.currency == "EUR":
        return label
    title = f"1 EUR = {quote.rate} {quote.currency}, ECB rate of {quote.rate_date.isoformat()}"
    stale = " (stale rate)" if conversion.stale else ""
    return format_html('<span title="{}">{}{}</span>', title, label, stale)


@admin.display(description="delivered")
def delivered_share(pledge) -> str:
    share = pledge.delivered_share
    if share is None:
        return "–" if not pledge.deliveries_count else f"{pledge.deliveries_count} deliveries, share unknown"
    text = f"{(share * 100).quantize(Decimal('0.1'))} %"
    if pledge.undisclosed_deliveries:
        text += f" (+{pledge.undisclosed_deliveries} undisclosed)"
    return text


@admin.display(description="warnings")
def warnings(record):
    found = list_warnings(record)
    if not found:
        return ""
    return format_html_join(" ", '<span class="aid-warning">{}</span>', ((w,) for w in found))


@admin.display(description="date", ordering="date")
def day(record) -> str:
    return record.date.isoformat()


@admin.display(description="programme", ordering="programme__code")
def programme(record):
    if not record.package_id:
        return record.programme.code
    return format_html('{}<br><span class="aid-small">{}</span>', record.programme.code, record.package.code)


def _money_html(sign: str, currency: str, value: Decimal):
    # A line may break after the currency code, never inside the number.
    return format_html('{}{} <span class="aid-nowrap">{}</span>', sign, currency, grouped(value))


@admin.display(description="amount", ordering="amount_minor")
def amount_and_eur(record):
    """The amount as announced and, below it when in another currency, its value in EUR."""
    if record.amount_minor is None:
        return amount(record)
    announced = _money_html(QUALIFIER_SIGN.get(record.amount_qualifier, ""), record.currency, record.amount)
    if record.currency == "EUR":
        return announced
    return format_html('{}<br><span class="aid-small">{}</span>', announced, value_in_eur(record))


@admin.display(description="confidence", ordering="confidence")
def confidence(record):
    if not record.confidence:
        return format_html('<span class="aid-small">{}</span>', "not assessed")
    return record.get_confidence_display()
