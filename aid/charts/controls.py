"""The state of a chart page, all in its URL: currency, conversion rule, filters, date range.

Parsed by `aid.params` exactly as the API parses them, so a chart and `/api/v1/summary/` given
the same query answer the same question. The controls' form may send empty fields or the
rate day in a separate field; `canonical` folds those into the URL a reader should share.
"""

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from aid import params as query_params
from aid.summary import LedgerFilter, Rates

FILTERS = ("donor", "programme", "package", "original_currency", "date_from", "date_to", "confidence")
MOMENT = ("as_of", "release")  # the ledger as it stood then (aid.asof); a permalink keeps it
PARAMS = ("currency", "rates", "per", *FILTERS, *MOMENT)
# Carried from page to page by the navigation (filters that name a donor or programme are not).
TRAVELLING = ("currency", "rates", "per", "date_from", "date_to", "confidence", *MOMENT)
RATE_DAY_FIELD = "rates_day"
API_SUMMARY = "/api/v1/summary/"


@dataclass(frozen=True)
class ChartParams:
    ledger_filter: LedgerFilter
    currency: str
    rates: Rates
    per: str = ""  # "gdp" or "capita": donors' figures in context (aid.context.charts)
    as_of: query_params.AsOf | None = None  # the moment asked about; ledger_filter.as_of is its time

    def only(self, *, donor: str | None = None, programme: str | None = None) -> "ChartParams":
        """The same view narrowed to one donor or programme (a page's subject overrides the query)."""
        changes = {}
        if donor:
            changes["donors"] = (donor,)
        if programme:
            changes["programmes"] = (programme,)
        return dataclasses.replace(self, ledger_filter=dataclasses.replace(self.ledger_filter, **changes))

    def query(self, **extra) -> dict[str, str]:
        f = self.ledger_filter
        values = {
            "currency": self.currency,
            "rates": str(self.rates),
            "donor": ",".join(f.donors),
            "programme": ",".join(f.programmes),
            "package": ",".join(f.packages),
            "original_currency": ",".join(f.original_currencies),
            "date_from": f.date_from.isoformat() if f.date_from else "",
            "date_to": f.date_to.isoformat() if f.date_to else "",
            "confidence": ",".join(c or query_params.NOT_ASSESSED for c in f.confidences),
            "per": self.per,
            **(self.as_of.query() if self.as_of else {}),
            **extra,
        }
        return {name: value for name, value in values.items() if value}

    def api_url(self, group_by: str) -> str:
        query = self.query(group_by=group_by)
        if group_by != "donor":  # the API gives `per` for donors only: a chart by year links to its amounts
            query.pop("per", None)
        return f"{API_SUMMARY}?{urlencode(query)}"


def parse(query) -> ChartParams:
    """Raises aid.params.ParamError naming the bad parameter."""
    return ChartParams(
        query_params.ledger_filter(query),
        query_params.currency(query),
        query_params.rates(query),
        query_params.per(query, "donor"),
        query_params.as_of(query),
    )


def refuse_unknown(query, own: tuple[str, ...] = ()) -> None:
    """A misspelt parameter (`programe=PURL`) is an error naming it, never a silently wider chart.

    `own`: the parameters only this page takes (the donor page's `order`), after the common ones."""
    known = (*PARAMS, *own, RATE_DAY_FIELD)
    unknown = [name for name in query if name not in known]
    if unknown:
        listed = ", ".join((*PARAMS, *own))
        raise query_params.ParamError(unknown[0], _("unknown parameter; this page takes %(names)s") % {"names": listed})


def canonical(query, own: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The query a reader should share: no empty parameters, the rate day folded in."""
    refuse_unknown(query, own)
    pairs = []
    for name in (*PARAMS, *own):
        for value in query.getlist(name):
            value = value.strip()
            if name == "rates" and value == "day":
                value = query.get(RATE_DAY_FIELD, "").strip()
                if not value:
                    raise query_params.ParamError("rates", "choose the day whose rates to use")
            if value:
                pairs.append((name, value))
    return pairs


def is_canonical(query, own: tuple[str, ...] = ()) -> bool:
    return sorted(canonical(query, own)) == sorted((name, value) for name, values in query.lists() for value in values)


def travelling_query(query) -> str:
    try:
        pairs = [(name, value) for name, value in canonical(query) if name in TRAVELLING]
    except query_params.ParamError:
        return ""  # the 400 page of that very error: its links start afresh
    return f"?{urlencode(pairs)}" if pairs else ""
