"""Line charts: figures over time (one or two axes), progress to a target, and the tiles' sparklines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import escape
from dashboard.charts.template import (
    EVENT_COLOUR,
    PALETTE,
    TARGET_COLOUR,
    Mark,
    Series,
    compose,
    due_line,
    line_trace,
    target_line,
    trace,
)


def time_series(
    frame: pd.DataFrame,
    x: str,
    series: Sequence[Series],
    *,
    y_title: str,
    y2_title: str | None = None,
    percent_axis: str | None = None,
    events: pd.DataFrame | None = None,
    marks: Sequence[Mark] = (),
    y_range: Sequence[float] | None = None,
    y2_range: Sequence[float] | None = None,
    x_hover: str = "%b %Y",
    height: int = 420,
) -> go.Figure:
    """Lines over time, each with its own colour, dash and marker, with milestones and reference marks.

    `percent_axis` ("y" or "y2") names the axis that holds percentages (0 to 100 unless a range is given).
    """
    traces = [
        line_trace(
            frame[x],
            frame[s.column],
            s.name,
            index,
            axis=s.axis,
            percent=percent_axis == s.axis,
            x_hover=x_hover,
        )
        for index, s in enumerate(series)
    ]
    yaxis: dict = {"title": {"text": escape.plotly(y_title)}}
    if percent_axis == "y":
        yaxis.update(range=list(y_range or (0, 100)), ticksuffix="%")
    elif y_range is not None:
        yaxis.update(range=list(y_range))
    layout: dict = {"hovermode": "x unified", "xaxis": {"title": {"text": ""}}, "yaxis": yaxis}
    if y2_title:
        layout["yaxis2"] = {
            "title": {"text": escape.plotly(y2_title)},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
            "zeroline": False,
        }
        if percent_axis == "y2":
            layout["yaxis2"].update(range=list(y2_range or (0, 100)), ticksuffix="%")
        elif y2_range is not None:
            layout["yaxis2"].update(range=list(y2_range))
    return compose(traces, height=height, marks=marks, events=events, **layout)


def add_reference_steps(figure: go.Figure, frame: pd.DataFrame, *, x: str, y: str, label: str) -> go.Figure:
    """A stepped grey reference line (England's rate for each calendar year, say), dashed and named."""
    label = escape.plotly(label)
    figure.add_trace(
        trace(
            "scatter",
            x=frame[x],
            y=frame[y],
            name=label,
            mode="lines",
            line={"color": EVENT_COLOUR, "dash": "longdash", "width": 3, "shape": "hv"},
            hovertemplate=f"{label}: %{{y:.1f}}%<extra></extra>",
        )
    )
    return figure


def _path_trace(x, y, label: str) -> dict:
    """A target's path: dashed, in the target colour, the same on every chart."""
    label = escape.plotly(label)
    return trace(
        "scatter",
        x=x,
        y=y,
        name=label,
        mode="lines",
        line={"color": TARGET_COLOUR, "dash": "dash", "width": 3},
        hovertemplate=f"{label}: %{{y:,.1f}}<extra></extra>",
    )


def add_target_path(figure: go.Figure, frame: pd.DataFrame, *, x: str, y: str, label: str) -> go.Figure:
    """The path a target requires (a straight line from its baseline to it by its due date), dashed and named,
    in the target colour."""
    shown = frame.dropna(subset=[y])
    if len(shown):
        figure.add_trace(_path_trace(shown[x], shown[y], label))
    return figure


def commitment(
    frame: pd.DataFrame,
    x: str,
    actual: Series,
    *,
    target: float,
    target_text: str,
    due: date,
    due_text: str,
    required: Series | None = None,
    planned: pd.DataFrame | None = None,
    planned_label: str = "",
    y_title: str,
    events: pd.DataFrame | None = None,
    marks: Sequence[Mark] = (),
    height: int = 440,
) -> go.Figure:
    """Progress to a target: the actual line, the straight line required (the run rate), planned steps, the
    target and the due date."""
    traces = [line_trace(frame[x], frame[actual.column], actual.name, 0, width=4, x_hover="%-d %b %Y")]
    if required is not None:
        traces.append(_path_trace(frame[x], frame[required.column], required.name))
    if planned is not None and len(planned):
        traces.append(
            line_trace(planned[x], planned["planned"], planned_label, 2, shape="hv", x_hover="%-d %b %Y")
        )
    return compose(
        traces,
        height=height,
        events=events,
        marks=[target_line(target, target_text), due_line(due, due_text), *marks],
        hovermode="x unified",
        yaxis={"title": {"text": escape.plotly(y_title)}},
        xaxis={"title": {"text": ""}},
    )


def sparkline(frame: pd.DataFrame, *, width: int = 183, height: int = 44) -> str:
    """A small trend line for a tile (x and y columns) as SVG markup, with no axes: the tile states the figures
    in words, and the picture is drawn as an image with those words as its alt text.

    SVG, not Plotly: eleven Plotly charts on the Overview cost the browser about 45 ms each on every redraw
    (benchmarks/bench_browser.py), for lines that show no axes and take no pointer. x is placed by time, so a
    missing month is a gap in the spacing; a missing y breaks the line, as Plotly's lines do, and a point with
    no neighbour is drawn as a dot. Only numbers reach the markup (no text from the data).
    """
    pad = 3.0
    xs = pd.to_datetime(pd.Series(frame["x"])).to_numpy(dtype="datetime64[ns]").astype("int64").astype(float)
    ys = pd.to_numeric(pd.Series(frame["y"]), errors="coerce").to_numpy(dtype=float)
    known = ~np.isnan(ys)
    x_span = xs.max() - xs.min() if len(xs) > 1 else 0.0
    low, high = (ys[known].min(), ys[known].max()) if known.any() else (0.0, 0.0)
    px = pad + (width - 2 * pad) * ((xs - xs.min()) / x_span if x_span else np.full(len(xs), 0.5))
    py = pad + (height - 2 * pad) * ((high - ys) / (high - low) if high > low else np.full(len(ys), 0.5))

    runs: list[list[tuple[float, float]]] = [[]]
    for x, y, drawn in zip(px.tolist(), py.tolist(), known.tolist(), strict=True):
        if drawn:
            runs[-1].append((x, y))
        elif runs[-1]:
            runs.append([])
    colour = PALETTE[0]
    marks = [
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}" fill="none" stroke="{colour}" '
        'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
        if len(run) > 1
        else f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="2" fill="{colour}"/>'
        for run in runs
        if run
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(marks)}</svg>'
    )
