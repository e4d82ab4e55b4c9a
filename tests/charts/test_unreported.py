"""Charts and pages: no delivery reported is said in words, never drawn or written as zero."""

from django.http import QueryDict

from aid.charts import data
from aid.charts.controls import parse
from tests.builders import record


def test_the_donor_table_says_no_delivery_reported_and_gives_coverage(db, client):
    record(ref="NL-1", donor="NL", amount="100")
    record("delivery", ref="NL-1-D", donor="NL", pledge_ref="NL-1", amount="25", date="2025-09-01")
    record(ref="DK-1", donor="DK", amount="300")
    chart = data.donors_chart(parse(QueryDict("")))
    rows = {row[0].raw: [cell.text for cell in row[1:5]] for row in chart.table.rows}
    assert rows["DK"] == ["EUR 300.00", "no delivery reported", "–", "0.0 %"]
    assert rows["NL"] == ["EUR 100.00", "EUR 25.00", "25.0 %", "100.0 %"]
    assert [row[2].raw for row in chart.table.rows if row[0].raw == "DK"] == [""]  # CSV: empty, not 0
    page = client.get("/").content.decode()
    assert "Delivered (reported)" in page
    assert "deliveries reported for 25.0 % of the pledged value" in page


def test_the_donor_page_shows_confidence_source_kinds_and_how_long_pledges_waited(db, client):
    record(ref="NL-OLD", donor="NL", amount="100", date="2024-01-10", confidence="high", source_kind="official")
    record(ref="NL-NEW", donor="NL", amount="100", date="2025-08-04")
    page = client.get("/donor/NL/").content.decode()
    assert "not assessed" in page and "(official)" in page and ">high<" in page
    assert "no delivery reported" in page
    waiting = client.get("/donor/NL/?order=waiting").content.decode()
    waiting = waiting[waiting.index('id="records-title"') :]
    assert waiting.index("NL-OLD") < waiting.index("NL-NEW")  # the longest wait first
    assert "months ago; no delivery reported" in waiting


def test_the_charts_can_be_restricted_to_high_confidence_in_the_url(db, client):
    record(ref="NL-H", donor="NL", amount="100", confidence="high")
    record(ref="DK-L", donor="DK", amount="300", confidence="low")
    chart = data.donors_chart(parse(QueryDict("confidence=high")))
    assert chart.categories == ["Netherlands"]
    page = client.get("/?confidence=high").content.decode()
    assert '<option value="high" selected>' in page
    assert client.get("/?confidence=sure").status_code == 400
