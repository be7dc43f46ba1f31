"""Pure Plotly chart builders: a DataFrame in, a Figure out, one accessible template for all.

Colours are the UK Government Analysis Function's accessible categorical palette; text is sized
to read on a projector; every series is also told apart by line dash or marker, never by colour alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

# Analysis Function accessible categorical palette (dark blue, turquoise, dark pink, orange, dark grey, light purple).
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
# Text colour with at least 6:1 contrast on each palette colour (white on the dark ones, near-black on the light).
TEXT_ON = {"#12436D": "white", "#28A197": "#0B0C0C", "#801650": "white", "#F46A25": "#0B0C0C", "#3D3D3D": "white",
           "#A285D1": "#0B0C0C"}
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


# Figures are validated by plotly when SEND_VALIDATE_CHARTS=1 (the test suite sets it); serving skips
# it because validation costs more than drawing a page's worth of charts and finds nothing new at run time.
VALIDATE = os.environ.get("SEND_VALIDATE_CHARTS") == "1"


def new_figure(height: int, **layout: object) -> go.Figure:
    """An empty figure in the shared template."""
    return go.Figure(layout={"template": TEMPLATE, "height": height, **layout}, _validate=VALIDATE)


def trace(kind: str, **properties: object) -> go.Figure | dict:
    """A trace of the given plotly type ('scatter', 'bar', 'funnel'), validated when VALIDATE is on."""
    if VALIDATE:
        return {"scatter": go.Scatter, "bar": go.Bar, "funnel": go.Funnel}[kind](**properties)
    return {"type": kind, **properties}


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
    figure = new_figure(height)
    for index, line in enumerate(series):
        figure.add_trace(trace("scatter",
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
    """Mark milestones as dotted vertical lines, each labelled along its line so close dates do not collide."""
    shapes, annotations = [], []
    grouped = events.assign(date=pd.to_datetime(events["date"])).groupby("date", sort=True)["label"]
    for when, labels in grouped:
        shapes.append({"type": "line", "x0": when, "x1": when, "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": EVENT_COLOUR, "width": 1.5, "dash": "dot"}})
        annotations.append({"x": when, "yref": "paper", "y": 1, "text": "; ".join(labels), "textangle": -90,
                            "showarrow": False, "xanchor": "right", "yanchor": "top", "xshift": -2,
                            "font": {"size": BASE_FONT_SIZE - 4, "color": EVENT_COLOUR},
                            "bgcolor": "rgba(255,255,255,0.8)"})
    # One layout update: adding shapes one by one revalidates the whole layout each time.
    figure.update_layout(shapes=[*figure.layout.shapes, *shapes],
                         annotations=[*figure.layout.annotations, *annotations])
    return figure


PATTERNS = ("", "/", ".", "x", "-", "|", "+", "\\")


def stacked_bars(frame: pd.DataFrame, x: str, series: Sequence[Series], *, y_title: str,
                 line: Series | None = None, line_title: str | None = None, events: pd.DataFrame | None = None,
                 horizontal: bool = False, height: int = 420) -> go.Figure:
    """Stacked bars (each part with its own colour and fill pattern), optionally a percentage line on a right axis."""
    figure = new_figure(height, barmode="stack", legend={"traceorder": "normal"})
    for index, part in enumerate(series):
        values, categories = frame[part.column], frame[x]
        figure.add_trace(trace("bar",
            x=values if horizontal else categories, y=categories if horizontal else values, name=part.label,
            orientation="h" if horizontal else "v",
            marker={"color": PALETTE[index % len(PALETTE)],
                    "pattern": {"shape": PATTERNS[index % len(PATTERNS)], "fillmode": "overlay",
                                "fgcolor": "white", "solidity": 0.25}},
            hovertemplate=f"{part.label}: %{{{'x' if horizontal else 'y'}:,.0f}}<extra></extra>",
        ))
    if line is not None:
        figure.add_trace(trace("scatter",
            x=frame[x], y=frame[line.column], name=line.label, yaxis="y2", mode="lines+markers",
            line={"color": TEXT_COLOUR, "width": 3, "dash": "dot"}, marker={"symbol": "diamond", "size": 7},
            hovertemplate=f"{line.label}: %{{y:.1f}}%<extra></extra>",
        ))
        figure.update_layout(yaxis2={"title": {"text": line_title or line.label}, "overlaying": "y", "side": "right",
                                     "range": [0, 100], "showgrid": False, "ticksuffix": "%",
                                     "tickmode": "linear", "tick0": 0, "dtick": 20})
    axis = {"title": {"text": y_title}}
    figure.update_layout(xaxis=axis if horizontal else {"title": {"text": ""}},
                         yaxis={"title": {"text": ""}, "autorange": "reversed"} if horizontal else axis,
                         hovermode="y unified" if horizontal else "x unified")
    if events is not None and not horizontal:
        add_events(figure, events)
    return figure


def funnel(stages: Sequence[tuple[str, int]], *, height: int = 420) -> go.Figure:
    """The journey from request to outcome as a funnel, each stage labelled with its count and share."""
    figure = new_figure(height)
    figure.add_trace(trace("funnel",
        y=[label for label, _ in stages], x=[value for _, value in stages],
        textinfo="value+percent initial", marker={"color": [PALETTE[i % len(PALETTE)] for i in range(len(stages))]},
        textfont={"color": [TEXT_ON[PALETTE[i % len(PALETTE)]] for i in range(len(stages))]},
        connector={"line": {"color": GRID_COLOUR}},
        hovertemplate="%{y}: %{x:,} (%{percentInitial:.0%} of requests)<extra></extra>",
    ))
    figure.update_layout(margin={"l": 260})
    return figure


def reference_steps(figure: go.Figure, frame: pd.DataFrame, *, x: str, y: str, label: str) -> go.Figure:
    """Add a stepped reference line (e.g. the England rate for each calendar year) in grey, dashed and labelled."""
    figure.add_trace(trace("scatter",
        x=frame[x], y=frame[y], name=label, mode="lines", line={"color": EVENT_COLOUR, "dash": "longdash",
                                                                "width": 3, "shape": "hv"},
        hovertemplate=f"{label}: %{{y:.1f}}%<extra></extra>",
    ))
    return figure


def ranked_bars(frame: pd.DataFrame, category: str, value: str, *, x_title: str, percent: bool = False,
                height: int | None = None) -> go.Figure:
    """Horizontal bars, largest first, each labelled with its value so no colour is needed to read them."""
    ordered = frame.sort_values(value, ascending=True, na_position="first")
    figure = new_figure(height or max(320, 40 * len(ordered) + 120))
    text = ordered[value].map(lambda v: "" if pd.isna(v) else (f"{v:.1f}%" if percent else f"{v:,.0f}"))
    figure.add_trace(trace("bar",
        x=ordered[value], y=ordered[category], orientation="h", text=text, textposition="outside",
        marker={"color": PALETTE[0]}, cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    figure.update_layout(xaxis={"title": {"text": x_title}, "range": [0, 100] if percent else None},
                         yaxis={"title": {"text": ""}}, showlegend=False, margin={"r": 80})
    return figure


def sparkline(frame: pd.DataFrame, *, height: int = 44) -> go.Figure:
    """A small trend line for a tile (x and y columns), with no axes: the tile states the figures in words."""
    figure = new_figure(height, margin={"l": 2, "r": 2, "t": 2, "b": 2}, showlegend=False,
                        xaxis={"visible": False}, yaxis={"visible": False, "rangemode": "normal"})
    figure.add_trace(trace("scatter", x=frame["x"], y=frame["y"], mode="lines", line={"color": PALETTE[0], "width": 2},
                           hovertemplate="%{y:,.1f}<extra>%{x|%b %Y}</extra>"))
    return figure
