from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from aid.charts import data, figure
from aid.charts.views.base import as_of_notice, navigation, public, shown


def build(chart: str, params, subject, charts=data.CHARTS):
    builder = charts.get(chart)
    if builder is None or (chart in ("packages", "need", "donor-years") and not subject):
        raise Http404("no such chart")
    return builder(params, subject)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # newsrooms' pages, on any site, may frame these
@public
def embed(request, params, chart: str, subject: str | None = None):
    """A chart alone, for newsrooms' iframes (the only pages that may be framed)."""
    built = build(chart, params, subject)
    context = {**navigation(request), "shown": shown(request, built), "as_of": as_of_notice(request, params.as_of)}
    return render(request, "charts/embed.html", context)


@public
def download(request, params, chart: str, subject: str | None = None):
    built = build(chart, params, subject, data.CSV_CHARTS)
    name = "-".join(part for part in ("aid-ledger", chart, subject, params.currency) if part)
    response = HttpResponse(figure.csv_text(built), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
