from django.contrib.staticfiles import finders

from aid.charts.finders import plotly_directory


def test_plotly_js_is_served_from_the_installed_plotly_package():
    found = finders.find("charts/plotly.min.js")
    assert found == str(plotly_directory() / "plotly.min.js")
    with open(found, encoding="utf-8") as handle:
        assert "plotly.js" in handle.read(300)
