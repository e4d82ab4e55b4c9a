from django.utils.translation import gettext as _

from aid.charts import data, selectors
from aid.charts.views.base import headline, public, render_page
from aid.context import pages as context_pages


@public
def overview(request, params):
    donors = data.donors_chart(params)
    cumulative = data.cumulative_chart(params)
    return render_page(
        request,
        "charts/overview.html",
        params,
        [donors, cumulative],
        controls_options={"per_switch": True},
        completeness=context_pages.completeness(params),
        title=_("Military aid to Ukraine: pledged and delivered"),
        headline=headline(donors.total, params, selectors.latest_day(params.ledger_filter)),
    )
