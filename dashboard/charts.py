"""Pure Plotly chart builders: a DataFrame in, a Figure out, one accessible template for all.

Colours are the UK Government Analysis Function's accessible categorical palette; text is sized
to read on a projector; every series is also told apart by line dash or marker, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

# Analysis Function accessible categorical palette (dark blue, turquoise, dark pink, orange, dark grey, light purple).
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
FONT_FAMILY = "Arial, Helvetica, sans-serif"
BASE_FONT_SIZE = 16
TEXT_COLOUR = "#0B0C0C"
GRID_COLOUR = "#D0D0D0"
EVENT_COLOUR = "#505A5F"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT_COLOUR},
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 70, "r": 30, "t": 40, "b": 60},
        hoverlabel={"font": {"size": BASE_FONT_SIZE}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        xaxis={"showgrid": False, "linecolor": TEXT_COLOUR, "ticks": "outside", "automargin": True},
        yaxis={"gridcolor": GRID_COLOUR, "zeroline": True, "zerolinecolor": GRID_COLOUR, "automargin": True,
               "rangemode": "tozero"},
    )
)


@dataclass(frozen=True)
class Series:
    """One line on a time-series chart: the column it draws and the words for it."""

    column: str
    label: str
    axis: str = "y"  # "y" (left) or "y2" (right)


def time_series(frame: pd.DataFrame, x: str, series: Sequence[Series], *, y_title: str,
                y2_title: str | None = None, events: pd.DataFrame | None = None,
                percent_axis: str | None = None, height: int = 420) -> go.Figure:
    """Lines over time, each with its own colour, dash and marker, with milestones marked."""
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    for index, line in enumerate(series):
        figure.add_trace(go.Scatter(
            x=frame[x], y=frame[line.column], name=line.label, yaxis=line.axis,
            mode="lines+markers",
            line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)], "width": 3},
            marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 6},
            hovertemplate=f"{line.label}: %{{y:,.{1 if percent_axis == line.axis else 0}f}}"
                          f"{'%' if percent_axis == line.axis else ''}<extra>%{{x|%b %Y}}</extra>",
        ))
    figure.update_layout(yaxis={"title": {"text": y_title}}, xaxis={"title": {"text": ""}},
                         hovermode="x unified")
    if y2_title:
        figure.update_layout(yaxis2={"title": {"text": y2_title}, "overlaying": "y", "side": "right",
                                     "rangemode": "tozero", "showgrid": False,
                                     "range": [0, 100] if percent_axis == "y2" else None})
    if percent_axis == "y":
        figure.update_yaxes(range=[0, 100])
    if events is not None:
        add_events(figure, events)
    return figure


def add_events(figure: go.Figure, events: pd.DataFrame) -> go.Figure:
    """Mark milestones as labelled vertical lines (dated events from reference/events.csv)."""
    for index, event in enumerate(events.itertuples(index=False)):
        when = pd.Timestamp(event.date)
        figure.add_shape(type="line", x0=when, x1=when, yref="paper", y0=0, y1=1,
                         line={"color": EVENT_COLOUR, "width": 1.5, "dash": "dot"})
        figure.add_annotation(x=when, yref="paper", y=1 - 0.07 * (index % 3), text=str(event.label),
                              showarrow=False, xanchor="left", yanchor="top", xshift=3,
                              font={"size": BASE_FONT_SIZE - 3, "color": EVENT_COLOUR},
                              bgcolor="rgba(255,255,255,0.85)")
    return figure
