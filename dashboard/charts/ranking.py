"""Pure Plotly builders for the Benchmarks page: a trend against comparators, and a ranked neighbour bar chart.

They share the accessible template of dashboard.charts.template. Every series differs by dash and marker as
well as colour, and the chosen authority's bar is hatched, outlined and labelled, so nothing depends
on colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.template import BASE_FONT_SIZE, EVENT_COLOUR, PALETTE, TEMPLATE, TEXT_COLOUR
from dashboard.measures.benchmarks import Measure, crosses_break

RANGE_FILL = "rgba(244, 106, 37, 0.15)"  # the neighbour-average orange, faint
NEIGHBOUR_BAR = "#9FB4C7"  # a light tint of the palette's dark blue
HIGHLIGHT_BAR = PALETTE[3]


def _axis_format(measure: Measure) -> dict:
    if measure.unit == "percent":
        return {"ticksuffix": "%"}
    if measure.unit in ("gbp", "gbp_per_week"):
        return {"tickprefix": "£", "separatethousands": True}
    return {"separatethousands": True}


def _hover(measure: Measure, name: str) -> str:
    number = {"percent": "%{y:.1f}%", "count": "%{y:,.0f}", "gbp": "£%{y:,.0f}", "gbp_per_week": "£%{y:,.0f}"}
    return f"{name}: {number[measure.unit]}<extra>%{{customdata}}</extra>"


def trend_chart(table: pd.DataFrame, measure: Measure, *, la_name: str, region_name: str | None,
                height: int = 460) -> go.Figure:
    """The authority against England, its region and its neighbours' average (with their range) over every period.

    `table` is benchmarks.trend_table's frame. For counts and £ totals England and the region are left
    off (they are many times any authority's size and would flatten its line). A break in the series
    (measure.series_break) is drawn as a labelled vertical line between the periods either side of it.
    """
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    x = table["period_order"]
    labels = table["period"]
    if table["neighbour_low"].notna().any():
        figure.add_trace(go.Scatter(x=x, y=table["neighbour_low"], mode="lines", line={"width": 0},
                                    hoverinfo="skip", showlegend=False, name="Neighbours' lowest"))
        figure.add_trace(go.Scatter(x=x, y=table["neighbour_high"], mode="lines", line={"width": 0},
                                    fill="tonexty", fillcolor=RANGE_FILL, hoverinfo="skip",
                                    name="Neighbours' range (lowest to highest)"))
    series = [("authority", la_name, 4), ("england", "England", 3),
              ("region", region_name or "Region", 3), ("neighbour_mean", "Statistical neighbours' average", 3)]
    styles = [(PALETTE[0], "solid", "circle"), (PALETTE[1], "dash", "square"), (PALETTE[2], "dot", "diamond"),
              (PALETTE[3], "dashdot", "triangle-up")]
    for (column, name, width), (colour, dash, symbol) in zip(series, styles, strict=True):
        if table[column].isna().all() or (measure.is_total and column in ("england", "region")):
            continue
        figure.add_trace(go.Scatter(
            x=x, y=table[column], name=name, mode="lines+markers", customdata=labels,
            line={"color": colour, "dash": dash, "width": width}, marker={"symbol": symbol, "size": 9},
            hovertemplate=_hover(measure, name), connectgaps=False))
    figure.update_layout(
        hovermode="x unified", legend={"traceorder": "normal"},
        xaxis={"tickmode": "array", "tickvals": list(x), "ticktext": list(labels), "title": {"text": ""}},
        yaxis={"title": {"text": measure.short}, **_axis_format(measure)},
    )
    if crosses_break(table, measure):
        add_series_break(figure, measure.series_break - 0.5, f"Series break: person-level SEN2 from {measure.series_break}")
    return figure


def add_series_break(figure: go.Figure, at: float, label: str) -> go.Figure:
    """Mark a break in a series: a dashed vertical line with its label."""
    figure.add_shape(type="line", x0=at, x1=at, yref="paper", y0=0, y1=1,
                     line={"color": EVENT_COLOUR, "width": 2, "dash": "dash"})
    figure.add_annotation(x=at, yref="paper", y=1, text=label, showarrow=False, xanchor="left", yanchor="top",
                          xshift=4, font={"size": BASE_FONT_SIZE - 3, "color": EVENT_COLOUR},
                          bgcolor="rgba(255,255,255,0.85)")
    return figure


def neighbour_bars(group: pd.DataFrame, measure: Measure, *, la_code: str, england: float | None = None,
                   neighbour_mean: float | None = None) -> go.Figure:
    """The authority and its statistical neighbours as horizontal bars, best (or highest) at the top.

    `group` is benchmarks.neighbour_ranking's frame. The chosen authority's bar is hatched, outlined
    in black and labelled '(chosen)'; England (except for totals, where it is off the scale) and the
    neighbours' average are labelled reference lines.
    """
    if measure.is_total:
        england = None
    chosen = (group["new_la_code"] == la_code).tolist()
    names = [f"<b>▶ {name} (chosen)</b>" if me else name for name, me in zip(group["la_name"], chosen, strict=True)]
    labels = [f"{rank}. {name}" for rank, name in zip(group["rank"], names, strict=True)]
    text = [measure.format(v) for v in group["value"]]
    figure = go.Figure(layout={"template": TEMPLATE, "height": 120 + 42 * max(len(group), 1)})
    figure.add_trace(go.Bar(
        x=group["value"], y=labels, orientation="h", text=text, textposition="outside", cliponaxis=False,
        customdata=group["la_name"], name=measure.short, showlegend=False,
        marker={"color": [HIGHLIGHT_BAR if me else NEIGHBOUR_BAR for me in chosen],
                "line": {"color": [TEXT_COLOUR if me else NEIGHBOUR_BAR for me in chosen],
                         "width": [3 if me else 1 for me in chosen]},
                "pattern": {"shape": ["/" if me else "" for me in chosen], "fgcolor": TEXT_COLOUR, "size": 8,
                            "solidity": 0.3}},
        hovertemplate="%{customdata}: %{text}<extra></extra>",
    ))
    figure.update_layout(
        yaxis={"autorange": "reversed", "title": {"text": ""}, "automargin": True, "showgrid": False},
        xaxis={"title": {"text": measure.short}, "showgrid": True, "gridcolor": "#D0D0D0", "rangemode": "tozero",
               **_axis_format(measure)},
        margin={"l": 20, "r": 90, "t": 60, "b": 60}, bargap=0.25,
    )
    top = group["value"].max() if len(group) else 0
    for value, label, dash, y in ((england, "England", "dash", 1.0), (neighbour_mean, "Neighbours' average", "dot", 1.07)):
        if value is None or pd.isna(value):
            continue
        figure.add_shape(type="line", x0=value, x1=value, yref="paper", y0=0, y1=1,
                         line={"color": TEXT_COLOUR if label == "England" else PALETTE[3], "width": 2, "dash": dash})
        figure.add_annotation(x=value, yref="paper", y=y, text=f"{label} {measure.format(value)}", showarrow=False,
                              yanchor="bottom", font={"size": BASE_FONT_SIZE - 3, "color": TEXT_COLOUR},
                              bgcolor="rgba(255,255,255,0.85)")
        top = max(top, value)
    if top and top > 0:
        figure.update_xaxes(range=[0, top * 1.15])
    return figure
