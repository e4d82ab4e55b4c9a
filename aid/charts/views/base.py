"""What every public chart page shares: reading the URL, the 400 page, navigation, languages."""

from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aid.charts import controls, figure, selectors
from aid.charts import formatting as fmt
from aid.charts.chart import Chart, conversion_rule
from aid.params import ParamError
from ledger.rates import MissingRate

BASE_CURRENCIES = ("EUR", "USD")


def bad_request(request, param: str, reason: str):
    context = {"param": param, "reason": reason, "title": _("This view cannot be shown"), **navigation(request)}
    return render(request, "charts/error.html", context, status=400)


def public(view=None, *, own: tuple[str, ...] = ()):
    """Canonical URL, parsed parameters, and a 400 page (never a 500) for a bad one.

    `@public` for a page with the common controls; `@public(own=("order",))` for a page that
    also takes parameters of its own (it reads them from `request.GET`)."""
    if view is None:
        return lambda page_view: public(page_view, own=own)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if not controls.is_canonical(request.GET, own):
                query = urlencode(controls.canonical(request.GET, own))
                return redirect(f"{request.path}?{query}" if query else request.path)
            return view(request, controls.parse(request.GET), *args, **kwargs)
        except ParamError as error:
            return bad_request(request, error.param, error.reason)
        except MissingRate as error:
            return bad_request(request, "rates", str(error))
        except OverflowError:
            return bad_request(request, "rates", _("the day is out of range"))

    return wrapper


def navigation(request) -> dict:
    here = request.get_full_path()
    return {
        "travelling": controls.travelling_query(request.GET),
        "programmes": selectors.programmes_in_use(),
        "languages": [
            {"code": code, "name": name, "url": translate_url(here, code), "current": code == get_language()}
            for code, name in settings.LANGUAGES
        ],
    }


@dataclass
class Shown:
    """A chart with what the page needs to show it: its figure, CSV and embed links."""

    chart: Chart
    figure: dict
    dom_id: str
    csv_url: str
    embed_url: str


def shown(request, chart: Chart) -> Shown:
    args = [chart.slug] + ([chart.subject] if chart.subject else [])
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return Shown(
        chart=chart,
        figure=figure.plotly_figure(chart),
        dom_id=f"chart-{chart.slug}",
        csv_url=reverse("charts:csv", args=args) + query,
        embed_url=request.build_absolute_uri(reverse("charts:embed", args=args) + query),
    )


def controls_context(
    request, params: controls.ChartParams, *, own_currency: str | None = None, programme=True, per_switch=False
):
    currencies = list(dict.fromkeys([*BASE_CURRENCIES, *(c for c in [own_currency] if c), params.currency]))
    kept = {name: request.GET[name] for name in ("donor", "package", "original_currency") if request.GET.get(name)}
    kept.update(params.as_of.query() if params.as_of else {})  # Apply keeps the moment asked about
    return {
        "currencies": currencies,
        "currency": params.currency,
        "rates_mode": params.rates.mode,
        "rates_day": params.rates.day.isoformat() if params.rates.day else "",
        "programme_filter": programme,
        "programme": ",".join(params.ledger_filter.programmes),
        "date_from": request.GET.get("date_from", ""),
        "date_to": request.GET.get("date_to", ""),
        "confidence": request.GET.get("confidence", ""),
        "kept": kept,
        "per_switch": per_switch,  # amounts, % of GDP or per person (overview and donor pages)
        "per": params.per,
    }


def headline(total, params: controls.ChartParams, latest_day=None) -> dict:
    return {
        "pledged": fmt.in_millions(total.pledged, params.currency),
        "delivered": fmt.reported(total.delivered, params.currency),
        "share": fmt.share(total.delivered_share),
        "coverage": fmt.coverage(total.delivery_coverage),
        "records": fmt.number(Decimal(total.pledges + total.deliveries), 0),
        "undisclosed": fmt.undisclosed_count(total.undisclosed) + "." if total.undisclosed else "",
        "rule": conversion_rule(params),
        "latest_day": fmt.day(latest_day) if latest_day else "",
    }


def as_of_notice(request, moment) -> dict | None:
    """What the page says when it shows the ledger as it stood (and a link to the ledger now)."""
    if moment is None:
        return None
    now = [(name, value) for name, values in request.GET.lists() for value in values if name not in controls.MOMENT]
    return {
        "moment": moment.at,
        "text": fmt.moment(moment.at),
        "release": moment.release,
        "now_url": f"{request.path}?{urlencode(now)}" if now else request.path,
    }


def render_page(request, template: str, params, charts: list[Chart], *, controls_options=None, **context):
    return render(
        request,
        template,
        {
            **navigation(request),
            "controls": controls_context(request, params, **(controls_options or {})),
            "charts": [shown(request, chart) for chart in charts],
            "as_of": as_of_notice(request, params.as_of),
            **context,
        },
    )
