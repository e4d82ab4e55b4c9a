"""A chart as a plotly figure (for charts.js) and as CSV (the table's numbers, unformatted).

Plotted values travel as decimal strings in millions; the browser turns them into numbers
only to draw them. Colours are the Okabe–Ito palette, safe for colour-blind readers; a stack
with more parts than colours adds hatching so neighbours stay apart.
"""

import csv
import io

from aid.charts import formatting as fmt
from aid.charts.chart import Chart, Series
from aid.formulas import neutralise

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ROLE_COLOURS = {"pledged": "#0072B2", "delivered": "#E69F00", "need": "#D55E00"}
PATTERNS = ["", "/", "\\", "x", ".", "+"]
ROW_HEIGHT = 34  # pixels per category of a horizontal chart: 30+ donors stay readable
MAX_TICKS = 8


def _marker(series: Series, index: int) -> dict:
    colour = ROLE_COLOURS.get(series.role) or OKABE_ITO[index % len(OKABE_ITO)]
    marker = {"color": colour}
    if series.role not in ROLE_COLOURS:
        marker["pattern"] = {
            "shape": PATTERNS[(index // len(OKABE_ITO)) % len(PATTERNS)],
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
        }
    return marker


def _trace(chart: Chart, series: Series, index: int) -> dict:
    scale = fmt.millions if chart.in_millions else (lambda value: value)
    values = [None if value is None else str(scale(value)) for value in series.values]
    trace = {
        "name": series.name,
        "hovertext": series.hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    if series.style == "bar":
        trace.update(type="bar", marker=_marker(series, index))
    else:
        colour = ROLE_COLOURS.get(series.role, OKABE_ITO[index % len(OKABE_ITO)])
        line = {"color": colour, "width": 3, "shape": "hv" if series.style == "step" else "linear"}
        if series.role == "need":
            line["dash"] = "dash"
        trace.update(type="scatter", mode="lines", line=line)
    if chart.layout.startswith("horizontal"):
        trace.update(orientation="h", x=values, y=chart.categories)
    else:
        trace.update(x=chart.categories, y=values)
    return trace


def plotly_figure(chart: Chart) -> dict:
    value_axis = {"title": {"text": chart.unit}, "tickformat": ",.0f" if chart.in_millions else ",.3~f", "rangemode": "tozero", "fixedrange": True,
                  "automargin": True}  # fmt: skip
    category_axis = {"type": "category", "automargin": True, "fixedrange": True}
    horizontal = chart.layout.startswith("horizontal")
    step = -(-len(chart.categories) // MAX_TICKS)
    if step > 1 and not horizontal:  # a long run of months: label every few, so the labels stay readable
        category_axis.update(tickmode="array", tickvals=chart.categories[::step])
    layout = {
        "barmode": "stack" if chart.layout.endswith("stack") else "group",
        "separators": fmt.separators(),
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
        "margin": {"l": 60, "r": 20, "t": 30, "b": 40},
        "legend": {
            "orientation": "h",
            "y": -0.15 if not horizontal else 1.02,
            "yanchor": "top" if not horizontal else "bottom",
        },
        "xaxis": value_axis if horizontal else category_axis,
        "yaxis": {**category_axis, "autorange": "reversed"} if horizontal else value_axis,
        "hoverlabel": {"align": "left"},
    }
    layout["height"] = max(420, 120 + ROW_HEIGHT * len(chart.categories)) if horizontal else 420
    traces = [_trace(chart, series, i) for i, series in enumerate(chart.series)]
    traces += [trace for series in chart.series if (trace := _gap_words(chart, series))]
    return {"data": traces, "layout": layout}


def _gap_words(chart: Chart, series: Series) -> dict | None:
    """Words at the foot of a category without a bar ("no delivery reported"), instead of a zero bar."""
    shown = [(category, words) for category, words in zip(chart.categories, series.gaps, strict=False) if words]
    if not shown:
        return None
    categories, words = [c for c, _w in shown], [w for _c, w in shown]
    at_zero = ["0"] * len(shown)
    horizontal = chart.layout.startswith("horizontal")
    return {
        "type": "scatter", "mode": "text", "text": words, "name": series.name, "showlegend": False,
        "hoverinfo": "skip", "textfont": {"color": "#595959", "size": 12},
        "textposition": "bottom right" if horizontal else "top center",  # in the delivered bar's slot
        "x": at_zero if horizontal else categories, "y": categories if horizontal else at_zero,
    }  # fmt: skip


def csv_text(chart: Chart) -> str:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([neutralise(name) for name in chart.table.columns] + ["currency", "rates"])
    for row in chart.table.rows:
        writer.writerow([neutralise(cell.raw) for cell in row] + [chart.currency, str(chart.params.rates)])
    return output.getvalue()
