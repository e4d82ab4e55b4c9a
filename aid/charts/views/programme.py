from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from aid.charts import data, selectors
from aid.charts.views.base import headline, public, render_page
from aid.models import Package, Programme


@public
def programme(request, params, code: str):
    programme = get_object_or_404(Programme, code=code.upper())
    charts = [data.donors_chart(params, programme.code)]
    if Package.objects.filter(programme=programme).exists():
        charts.append(data.packages_chart(params, programme.code))
    if selectors.monthly_need(programme):
        charts.append(data.need_chart(params, programme.code))
    return render_page(
        request,
        "charts/programme.html",
        params,
        charts,
        controls_options={"programme": False},
        title=programme.name,
        programme=programme,
        description=description(programme),
        headline=headline(
            charts[0].total, params, selectors.latest_day(params.only(programme=programme.code).ledger_filter)
        ),
    )


def description(programme: Programme) -> str:
    dutch = (get_language() or "en").startswith("nl")
    return programme.description_nl if dutch and programme.description_nl else programme.description_en
