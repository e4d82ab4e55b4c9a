"""A programme with many packages draws its most recent ones and says so; the chart's CSV holds them all."""

import csv
import io

from aid.charts import data
from aid.models import Package


def purl_packages() -> list[str]:
    """The seed's PURL packages that records name, oldest first (the chart's order)."""
    return [
        p.code for p in Package.objects.filter(programme__code="PURL").order_by("date", "code") if p.pledge_set.exists()
    ]


def test_the_page_draws_the_most_recent_packages_and_the_csv_all(seeded, client, monkeypatch):
    codes = purl_packages()
    assert len(codes) >= 3
    monkeypatch.setattr(data, "PACKAGES_DRAWN", 2)
    page = client.get("/programme/PURL/")
    html = page.content.decode()
    chart = html[html.index('id="chart-packages"') :]
    chart = chart[: chart.index("</section>")]
    labels = {code: Package.objects.get(code=code).label for code in codes}
    for code in codes[-2:]:
        assert labels[code] in chart
    for code in codes[:-2]:
        assert labels[code] not in chart, f"{code} is older than the two drawn"
    assert f"The 2 most recent of {len(codes)} packages; the CSV holds every package." in chart
    rows = list(csv.DictReader(io.StringIO(client.get("/data/packages/PURL.csv").content.decode())))
    assert set(codes) <= {row["Package"] for row in rows}  # the CSV names packages by code
    described = html[html.index('id="packages-title"') :]
    assert f"The 2 most recent of {Package.objects.filter(programme__code='PURL').count()} packages" in described
    assert 'href="/api/v1/programmes/"' in described
    dutch = client.get("/nl/programme/PURL/").content.decode()
    assert f"De 2 recentste van {len(codes)} pakketten; de CSV bevat elk pakket." in dutch


def test_an_embed_draws_the_same_packages_as_the_page(seeded, client, monkeypatch):
    codes = purl_packages()
    monkeypatch.setattr(data, "PACKAGES_DRAWN", 2)
    embed = client.get("/embed/packages/PURL/").content.decode()
    oldest = Package.objects.get(code=codes[0]).label
    assert oldest not in embed and Package.objects.get(code=codes[-1]).label in embed


def test_a_programme_within_the_limit_draws_every_package_without_a_note(seeded, client):
    codes = purl_packages()
    assert len(codes) <= data.PACKAGES_DRAWN
    html = client.get("/programme/PURL/").content.decode()
    assert "most recent of" not in html
    for code in codes:
        assert Package.objects.get(code=code).label in html


def four_packages_and_none():
    """PURL pledges of NL and DE in packages PKG-1 … PKG-4 (oldest first by code) and in none."""
    from tests.builders import record

    for n in range(1, 5):
        record(ref=f"NL-{n}", donor="NL", package=f"PKG-{n}", amount=10 * n, date=f"2025-0{n}-03")
        record(ref=f"DE-{n}", donor="DE", package=f"PKG-{n}", amount=n, amount_qualifier="approx", date=f"2025-0{n}-04")
    record(ref="DE-0", donor="DE", amount=7, date="2025-05-05")  # no package
    record(ref="NL-X", donor="NL", programme="BILATERAL", package="PKG-9", amount=1)  # another programme


def bars(chart) -> dict:
    return {
        (series.role, category): (value, hover)
        for series in chart.series
        for category, value, hover in zip(chart.categories, series.values, series.hover, strict=True)
    }


def test_only_the_drawn_packages_are_summed_and_they_read_as_in_the_whole_chart(db, monkeypatch):
    from django.http import QueryDict

    from aid.charts.controls import parse

    four_packages_and_none()
    monkeypatch.setattr(data, "PACKAGES_DRAWN", 2)
    drawn = data.packages_chart(parse(QueryDict("")), "PURL")
    whole = data.whole_packages_chart(parse(QueryDict("")), "PURL")
    labels = {p.code: p.label for p in Package.objects.all()}
    assert drawn.categories == [labels["PKG-3"], labels["PKG-4"], "Not part of a package"]
    assert len(whole.categories) == 5
    whole_bars = bars(whole)
    assert bars(drawn) == {key: whole_bars[key] for key in bars(drawn)}  # the same figures and notes
    assert "includes 1 approximate amount" in bars(drawn)[("DE", labels["PKG-4"])][1]
    assert "The 2 most recent of 4 packages; the CSV holds every package." in drawn.notes


def test_a_chosen_set_of_packages_is_cut_without_adding_the_records_in_none(db, monkeypatch):
    from django.http import QueryDict

    from aid.charts.controls import parse

    four_packages_and_none()
    monkeypatch.setattr(data, "PACKAGES_DRAWN", 2)
    chart = data.packages_chart(parse(QueryDict("package=PKG-1,PKG-2,PKG-3")), "PURL")
    labels = {p.code: p.label for p in Package.objects.all()}
    assert chart.categories == [labels["PKG-2"], labels["PKG-3"]]
    assert "The 2 most recent of 3 packages; the CSV holds every package." in chart.notes


def test_no_package_among_the_packages_selects_the_records_in_none_from_totals_and_records_alike(db):
    from aid.summary import LedgerFilter, summarize

    four_packages_and_none()
    totals = summarize(ledger_filter=LedgerFilter(packages=("", "PKG-1")), group_by="donor")
    records = summarize(ledger_filter=LedgerFilter(packages=("", "PKG-1"), confidences=("", "high", "medium", "low")),
                        group_by="donor")  # fmt: skip
    assert sorted((g.key, g.pledged, g.pledges) for g in totals.groups) == [("DE", 8, 2), ("NL", 10, 1)]
    assert sorted((g.key, g.pledged, g.pledges) for g in records.groups) == [("DE", 8, 2), ("NL", 10, 1)]
