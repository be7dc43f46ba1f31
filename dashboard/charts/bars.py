"""Bar charts: stacked bars over time or by category, grouped and ranked horizontal bars, bars either side
of zero, a pipeline of openings, and the request-to-plan funnel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape
from dashboard.charts.template import (
    GRID_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    TEXT_ON,
    Mark,
    Series,
    bar_trace,
    compose,
    fill_pattern,
    labels,
    style,
    trace,
)


def stacked_bars(
    frame: pd.DataFrame,
    x: str,
    series: Sequence[Series],
    *,
    y_title: str,
    line: Series | None = None,
    line_title: str | None = None,
    events: pd.DataFrame | None = None,
    marks: Sequence[Mark] = (),
    horizontal: bool = False,
    x_hover: str | None = "%b %Y",
    height: int | None = None,
) -> go.Figure:
    """Stacked bars, each part with its own colour and fill pattern, and optionally a percentage line on a
    right-hand axis. Horizontal bars list the first category at the top."""
    value_axis = "x" if horizontal else "y"
    hover_x = f"<extra>%{{{'y' if horizontal else 'x'}{'|' + x_hover if x_hover and not horizontal else ''}}}</extra>"
    categories = labels(frame[x])
    traces = [
        bar_trace(
            index,
            x=frame[s.column] if horizontal else categories,
            y=categories if horizontal else frame[s.column],
            name=escape.plotly(s.name),
            orientation="h" if horizontal else "v",
            hovertemplate=f"{escape.plotly(s.name)}: %{{{value_axis}:,.0f}}{hover_x}",
        )
        for index, s in enumerate(series)
    ]
    layout: dict = {"barmode": "stack", "bargap": 0.15, "legend": {"traceorder": "normal"}}
    if line is not None:
        traces.append(
            trace(
                "scatter",
                x=categories,
                y=frame[line.column],
                name=escape.plotly(line.name),
                yaxis="y2",
                mode="lines+markers",
                line={"color": TEXT_COLOUR, "width": 3, "dash": "dot"},
                marker={"symbol": "diamond", "size": 7},
                hovertemplate=f"{escape.plotly(line.name)}: %{{y:.1f}}%<extra></extra>",
            )
        )
        layout["yaxis2"] = {
            "title": {"text": escape.plotly(line_title or line.name)},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "showgrid": False,
            "ticksuffix": "%",
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 20,
        }
    axis = {"title": {"text": escape.plotly(y_title)}}
    if horizontal:
        layout.update(
            xaxis={**axis, "showgrid": True, "gridcolor": GRID_COLOUR},
            yaxis={"title": {"text": ""}, "autorange": "reversed"},
            hovermode="y unified",
        )
    else:
        layout.update(xaxis={"title": {"text": ""}}, yaxis=axis, hovermode="x unified")
    height = height or (max(300, 110 + 34 * len(frame)) if horizontal else 420)
    return compose(traces, height=height, marks=marks, events=None if horizontal else events, **layout)


def horizontal_bars(
    frame: pd.DataFrame,
    category: str,
    series: Sequence[Series],
    *,
    x_title: str,
    text: Sequence[str] | None = None,
    x_range: Sequence[float] | None = None,
    height: int | None = None,
) -> go.Figure:
    """Grouped horizontal bars per category (first row at the top), each labelled with its value.

    `text`, when given, labels the last series instead of its values.
    """
    traces = []
    for index, s in enumerate(series):
        values = frame[s.column]
        shown = (
            list(text)
            if text is not None and index == len(series) - 1
            else ["" if pd.isna(v) else f"{v:,.0f}" for v in values]
        )
        traces.append(
            bar_trace(
                index,
                y=labels(frame[category]),
                x=values,
                name=escape.plotly(s.name),
                orientation="h",
                text=labels(shown),
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{escape.plotly(s.name)}: %{{x:,.0f}}<extra>%{{y}}</extra>",
            )
        )
    xaxis = {
        "title": {"text": escape.plotly(x_title)},
        "showgrid": True,
        "gridcolor": GRID_COLOUR,
        "rangemode": "tozero",
    }
    if x_range is not None:
        xaxis["range"] = list(x_range)
    return compose(
        traces,
        height=height or max(300, 110 + len(frame) * 26 * len(series)),
        barmode="group",
        bargap=0.25,
        xaxis=xaxis,
        yaxis={"autorange": "reversed", "title": {"text": ""}},
    )


def ranked_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    x_title: str,
    percent: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars, largest at the top, each labelled with its value so no colour is needed to read them."""
    ordered = frame.sort_values(value, ascending=False, na_position="last")
    text = ordered[value].map(lambda v: "" if pd.isna(v) else (f"{v:.1f}%" if percent else f"{v:,.0f}"))
    bars = trace(
        "bar",
        x=ordered[value],
        y=labels(ordered[category]),
        orientation="h",
        text=text,
        textposition="outside",
        marker={"color": PALETTE[0]},
        cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    return compose(
        [bars],
        height=height or max(320, 40 * len(ordered) + 120),
        showlegend=False,
        margin={"r": 80},
        xaxis={"title": {"text": escape.plotly(x_title)}, "range": [0, 100] if percent else None},
        yaxis={"title": {"text": ""}, "autorange": "reversed"},
    )


def diverging_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    x_title: str,
    words: Callable[[float], str],
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars either side of zero, each labelled in words; bars below zero are hatched and coloured
    apart (spare places against more children than places, say)."""
    below = frame[value] < 0
    bars = trace(
        "bar",
        y=labels(frame[category]),
        x=frame[value],
        orientation="h",
        name=escape.plotly(x_title),
        text=labels(words(v) for v in frame[value]),
        textposition="outside",
        cliponaxis=False,
        marker={
            "color": [PALETTE[2] if b else PALETTE[1] for b in below],
            "pattern": fill_pattern(["x" if b else "" for b in below], 0.35),
        },
        hovertemplate=f"{escape.plotly(x_title)}: %{{x:,.0f}}<extra>%{{y}}</extra>",
    )
    low = min(float(frame[value].min()), 0.0) if len(frame) else 0.0
    high = max(float(frame[value].max()), 0.0) if len(frame) else 0.0
    pad = 0.4 * (high - low) + 2  # room for the labels outside the bars
    return compose(
        [bars],
        height=height or max(300, 110 + 34 * len(frame)),
        showlegend=False,
        yaxis={"autorange": "reversed", "title": {"text": ""}},
        xaxis={
            "title": {"text": escape.plotly(x_title)},
            "range": [low - pad if low < 0 else -pad / 4, high + pad if high > 0 else pad / 4],
            "zeroline": True,
            "zerolinecolor": TEXT_COLOUR,
            "zerolinewidth": 2,
            "showgrid": True,
        },
    )


def dated_bars(
    frame: pd.DataFrame,
    x: str,
    value: str,
    *,
    group: str,
    groups: Sequence[tuple[object, str]],
    label: str,
    y_title: str,
    x_title: str,
    events: pd.DataFrame | None = None,
    height: int = 420,
) -> go.Figure:
    """Bars at dates (openings, say), one labelled segment per row, stacked, in groups told apart by colour
    and fill pattern; `label` names each segment in its hover."""
    traces = []
    for index, (key, name) in enumerate(groups):
        part = frame[frame[group] == key]
        if len(part):
            look = style(index)
            name = escape.plotly(name)
            traces.append(
                trace(
                    "bar",
                    x=pd.to_datetime(part[x]),
                    y=part[value],
                    name=name,
                    customdata=[[text] for text in labels(part[label])],
                    text=part[value],
                    textposition="inside",
                    width=1000 * 60 * 60 * 24 * 60,  # two months in ms
                    marker={
                        "color": look.colour,
                        "line": {"color": "white", "width": 1},
                        "pattern": fill_pattern(look.pattern),
                    },
                    hovertemplate=f"%{{customdata[0]}}: %{{y:,.0f}}<extra>{name} %{{x|%-d %b %Y}}</extra>",
                )
            )
    return compose(
        traces,
        height=height,
        events=events,
        barmode="stack",
        bargap=0.5,
        yaxis={"title": {"text": escape.plotly(y_title)}},
        xaxis={"title": {"text": escape.plotly(x_title)}, "type": "date"},
    )


def funnel(frame: pd.DataFrame, stage: str, value: str, *, height: int = 420) -> go.Figure:
    """The journey from request to outcome as a funnel, each stage labelled with its count and share."""
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(frame))]
    stages = trace(
        "funnel",
        y=labels(frame[stage]),
        x=list(frame[value]),
        textinfo="value+percent initial",
        marker={"color": colours},
        textfont={"color": [TEXT_ON[c] for c in colours]},
        connector={"line": {"color": GRID_COLOUR}},
        hovertemplate="%{y}: %{x:,} (%{percentInitial:.0%} of requests)<extra></extra>",
    )
    return compose([stages], height=height, margin={"l": 260})
