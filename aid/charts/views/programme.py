from django.shortcuts import get_object_or_404
from django.urls import reverse

from aid.charts import data, selectors
from aid.charts import formatting as fmt
from aid.charts.views.base import headline, public, render_page
from aid.models import Programme


@public
def programme(request, params, code: str):
    programme = get_object_or_404(Programme, code=code.upper())
    charts = [data.donors_chart(params, programme.code)]
    packages_count = programme.packages.count()
    if packages_count:
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
        description=programme.description,
        packages=package_rows(programme, data.PACKAGES_DRAWN),
        packages_count=packages_count,
        packages_api_url=reverse("api:programme-list"),
        headline=headline(
            charts[0].total, params, selectors.latest_day(params.only(programme=programme.code).ledger_filter)
        ),
    )


def package_rows(programme: Programme, most: int) -> list[dict]:
    """The `most` most recent packages, oldest first, each with its description and its own
    announced total, worded for the page (every package: the API's programme)."""
    packages = programme.packages.select_related("source").prefetch_related("donors").order_by("-date", "-code")
    rows = []
    for package in reversed(packages[:most]):
        total = None
        if package.amount is not None:
            total = " ".join(
                filter(None, [fmt.qualifier(package.amount_qualifier), fmt.amount(package.amount, package.currency)])
            )
        donors = ", ".join(sorted(donor.name for donor in package.donors.all()))
        rows.append({"package": package, "total": total, "donors": donors})
    return rows
