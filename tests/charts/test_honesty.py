"""Undisclosed amounts are counted, never plotted as zero; qualified amounts say so."""

from django.http import QueryDict

from aid.charts import data
from aid.charts.controls import parse
from tests.builders import rate, record
from tests.charts.conftest import figures


def test_a_donor_with_only_undisclosed_amounts_is_counted_not_plotted(db, client):
    rate("USD", "2025-08-01", "1.1")
    record(donor="NL", amount=500, currency="EUR", ref="NL-1")
    record(donor="DK", amount="", currency="", ref="DK-1")
    chart = data.donors_chart(parse(QueryDict("")))
    denmark = chart.categories.index("Denmark")
    assert chart.series[0].values[denmark] is None
    assert "1 undisclosed amount" in chart.series[0].hover[denmark]
    assert chart.notes == ["1 undisclosed amount counted but not plotted: their value is not public."]
    figure = figures(client.get("/"))["chart-donors-figure"]
    assert figure["data"][0]["x"][denmark] is None
    page = client.get("/").content.decode()
    assert "undisclosed" in page


def test_an_at_least_amount_is_marked_in_hover_and_table(db, client):
    record(donor="DE", amount=150, currency="EUR", amount_qualifier="at_least", ref="DE-1")
    record(donor="DE", amount=10, currency="EUR", amount_qualifier="approx", ref="DE-2", date="2025-08-05")
    chart = data.donors_chart(parse(QueryDict("")))
    assert "includes 1 “at least” amount, 1 approximate amount" in chart.series[0].hover[0]
    assert chart.table.rows[0][-1].text == "includes 1 “at least” amount, 1 approximate amount"
    assert "1 “at least” amount" in client.get("/donor/DE/").content.decode()


def test_draft_records_are_not_shown(db, client):
    record(donor="NL", amount=500, currency="EUR", ref="NL-1")
    record(donor="DE", amount=900, currency="EUR", ref="DE-1", status="draft")
    chart = data.donors_chart(parse(QueryDict("")))
    assert chart.categories == ["Netherlands"]
