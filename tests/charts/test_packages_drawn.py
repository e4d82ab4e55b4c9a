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
