"""Fan charts: what happened, a forecast's centre line, and its 80% and 95% prediction intervals as bands."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape
from dashboard.charts.template import Mark, compose, line_trace, style, trace

# The bands are the forecast line's colour, lighter for the wider interval; each is named in the legend and
# the hover, so colour is never the only way to tell them apart.
_BAND_OPACITY = {"95": 0.15, "80": 0.3}


def _hex_rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def forecast_fan(
    frame: pd.DataFrame,
    x: str,
    *,
    actual: str,
    forecast: str,
    bands: Sequence[tuple[str, str, str]],
    y_title: str,
    marks: Sequence[Mark] = (),
    height: int = 440,
) -> go.Figure:
    """Actual values (a line), the forecast's centre line (dashed) and its intervals as shaded bands.

    `bands` lists (lower column, upper column, name) from the widest to the narrowest; rows without a forecast
    (the history) leave the bands and centre line empty, rows without an actual leave its line empty.
    """
    colour = style(1).colour
    traces = []
    for (lower, upper, name), opacity in zip(bands, (_BAND_OPACITY["95"], _BAND_OPACITY["80"]), strict=False):
        label = escape.plotly(name)
        traces.append(
            trace(
                "scatter",
                x=frame[x],
                y=frame[lower],
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                legendgroup=label,
            )
        )
        traces.append(
            trace(
                "scatter",
                x=frame[x],
                y=frame[upper],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_hex_rgba(colour, opacity),
                name=label,
                legendgroup=label,
                customdata=frame[lower],
                hovertemplate=f"{label}: %{{customdata:,.0f}} to %{{y:,.0f}}<extra></extra>",
            )
        )
    traces.append(line_trace(frame[x], frame[forecast], forecast, 1))
    traces.append(line_trace(frame[x], frame[actual], actual, 0))
    layout = {
        "hovermode": "x unified",
        "xaxis": {"title": {"text": ""}},
        "yaxis": {"title": {"text": escape.plotly(y_title)}, "rangemode": "tozero"},
    }
    return compose(traces, height=height, marks=marks, **layout)
