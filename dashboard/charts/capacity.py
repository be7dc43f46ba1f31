"""Pure Plotly builders for the educational psychology and specialist places pages.

A DataFrame in, a Figure out, on the shared template (charts.new_figure and charts.trace, so figures are
validated under the tests and not when serving). Series are told apart by line dash and marker, or by bar
pattern and text label, as well as colour; targets and due dates are labelled lines. Each figure gets its
layout, reference lines and traces in one go: adding shapes one at a time re-validates the whole layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.legacy import (
    BASE_FONT_SIZE,
    DASHES,
    GRID_COLOUR,
    PALETTE,
    SYMBOLS,
    TEXT_COLOUR,
    add_events,
    new_figure,
    trace,
)

PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")
TARGET_COLOUR = "#3D3D3D"
Mark = tuple[dict, dict]  # a shape and the annotation that labels it


def _line(x, y, name: str, index: int, *, axis: str = "y", hover: str = ",.0f", suffix: str = "",
          width: int = 3, mode: str = "lines+markers", shape: str = "linear"):
    return trace(
        "scatter", x=x, y=y, name=name, yaxis=axis, mode=mode,
        line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)], "width": width,
              "shape": shape},
        marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 7},
        hovertemplate=f"{name}: %{{y:{hover}}}{suffix}<extra>%{{x|%-d %b %Y}}</extra>")


def _bar(index: int, **properties):
    return trace("bar", marker={"color": PALETTE[index % len(PALETTE)], "pattern": _pattern(PATTERNS[index % len(PATTERNS)])},
                 **properties)


def _pattern(shape, solidity: float = 0.3) -> dict:
    # "overlay" draws white hatching over the bar's colour; the default ("replace") draws it on nothing,
    # which leaves white-on-white bars that cannot be seen.
    return {"fillmode": "overlay", "shape": shape, "fgcolor": "white", "solidity": solidity}


def _target_line(y: float, text: str, axis: str = "y") -> Mark:
    """A labelled dashed horizontal line across the plot (a target)."""
    shape = {"type": "line", "xref": "paper", "yref": axis, "x0": 0, "x1": 1, "y0": y, "y1": y,
             "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}}
    label = {"xref": "paper", "yref": axis, "x": 0, "y": y, "text": text, "showarrow": False, "xanchor": "left",
             "yanchor": "bottom", "font": {"size": BASE_FONT_SIZE - 2, "color": TARGET_COLOUR},
             "bgcolor": "rgba(255,255,255,0.85)"}
    return shape, label


def _due_line(when: date, text: str) -> Mark:
    """A labelled long-dashed vertical line at a due date."""
    stamp = pd.Timestamp(when)
    shape = {"type": "line", "x0": stamp, "x1": stamp, "yref": "paper", "y0": 0, "y1": 1,
             "line": {"color": TARGET_COLOUR, "width": 2, "dash": "longdash"}}
    label = {"x": stamp, "yref": "paper", "y": 0.02, "text": text, "showarrow": False, "xanchor": "right",
             "yanchor": "bottom", "xshift": -3, "font": {"size": BASE_FONT_SIZE - 2, "color": TARGET_COLOUR},
             "bgcolor": "rgba(255,255,255,0.85)"}
    return shape, label


def _figure(traces: Sequence, *, height: int, events: pd.DataFrame | None = None, marks: Sequence[Mark] = (),
            **layout) -> go.Figure:
    """One figure on the shared template with its traces, reference lines and milestones.

    The milestones are drawn by the shared charts.add_events on an empty figure and copied in with the
    reference lines, so the layout is set once: updating the shapes of a figure that already has some
    costs many times more.
    """
    shapes, notes = [m[0] for m in marks], [m[1] for m in marks]
    if events is not None and len(events):
        drawn = add_events(new_figure(height), events).layout
        shapes += [shape.to_plotly_json() for shape in drawn.shapes]
        notes += [note.to_plotly_json() for note in drawn.annotations]
    figure = new_figure(height, shapes=shapes, annotations=notes, **layout)
    figure.add_traces(list(traces))
    return figure


def stacked_bars(frame: pd.DataFrame, x: str, columns: Sequence[tuple[str, str]], *, y_title: str,
                 events: pd.DataFrame | None = None, height: int = 440, x_hover: str = "%b %Y") -> go.Figure:
    """Bars stacked over time, one colour and one fill pattern per part, with milestones marked."""
    traces = [_bar(index, x=frame[x], y=frame[column], name=label,
                   hovertemplate=f"{label}: %{{y:,.0f}}<extra>%{{x|{x_hover}}}</extra>")
              for index, (column, label) in enumerate(columns)]
    return _figure(traces, height=height, events=events, barmode="stack", bargap=0.15, hovermode="x unified",
                   yaxis={"title": {"text": y_title}}, xaxis={"title": {"text": ""}})


def lines(frame: pd.DataFrame, x: str, columns: Sequence[tuple[str, str]], *, y_title: str,
          events: pd.DataFrame | None = None, percent: bool = False, height: int = 420,
          y_range: tuple[float, float] | None = None) -> go.Figure:
    """Lines over time, each with its own colour, dash and marker; gaps where a value is missing."""
    traces = [_line(frame[x], frame[column], label, index, hover=".1f" if percent else ",.0f",
                    suffix="%" if percent else "") for index, (column, label) in enumerate(columns)]
    yaxis: dict = {"title": {"text": y_title}}
    if percent:
        yaxis.update(range=list(y_range or (0, 100)), ticksuffix="%")
    elif y_range:
        yaxis.update(range=list(y_range))
    return _figure(traces, height=height, events=events, hovermode="x unified", yaxis=yaxis,
                   xaxis={"title": {"text": ""}})


def horizontal_bars(frame: pd.DataFrame, category: str, columns: Sequence[tuple[str, str]], *, x_title: str,
                    stacked: bool = False, text: Sequence[str] | None = None, height: int | None = None,
                    x_range: tuple[float, float] | None = None) -> go.Figure:
    """Horizontal bars per category (first row at the top), patterned and labelled with their values.

    `text`, when given, labels the last series instead of its values.
    """
    traces = []
    for index, (column, label) in enumerate(columns):
        values = frame[column]
        labels = list(text) if text is not None and index == len(columns) - 1 else [f"{v:,.0f}" for v in values]
        traces.append(_bar(index, y=frame[category], x=values, name=label, orientation="h", text=labels,
                           textposition="auto" if stacked else "outside", cliponaxis=False,
                           hovertemplate=f"{label}: %{{x:,.0f}}<extra>%{{y}}</extra>"))
    xaxis = {"title": {"text": x_title}, "showgrid": True, "gridcolor": GRID_COLOUR, "rangemode": "tozero"}
    if x_range:
        xaxis["range"] = list(x_range)
    return _figure(traces, height=height or max(300, 110 + len(frame) * (34 if stacked else 26 * len(columns))),
                   barmode="stack" if stacked else "group", bargap=0.25, xaxis=xaxis,
                   yaxis={"autorange": "reversed", "title": {"text": ""}, "rangemode": "normal"})


def commitment(frame: pd.DataFrame, x: str, actual: tuple[str, str], *, target: float, target_text: str,
               due: date, due_text: str, required: tuple[str, str] | None = None,
               planned: pd.DataFrame | None = None, planned_label: str = "", y_title: str,
               events: pd.DataFrame | None = None, height: int = 440) -> go.Figure:
    """Progress to a target: the actual line, the straight line required, planned steps, the target and due date."""
    traces = [_line(frame[x], frame[actual[0]], actual[1], 0, width=4)]
    if required is not None:
        traces.append(_line(frame[x], frame[required[0]], required[1], 1, mode="lines"))
    if planned is not None and len(planned):
        traces.append(_line(planned[x], planned["planned"], planned_label, 2, shape="hv"))
    return _figure(traces, height=height, events=events,
                   marks=[_target_line(target, target_text), _due_line(due, due_text)],
                   hovermode="x unified", yaxis={"title": {"text": y_title}}, xaxis={"title": {"text": ""}})


def places_over_time(frame: pd.DataFrame, *, events: pd.DataFrame | None = None, height: int = 440) -> go.Figure:
    """Commissioned and occupied places at each census, with occupancy (%) on the right-hand axis."""
    traces = [_line(frame["snapshot_date"], frame["commissioned"], "Commissioned places", 0),
              _line(frame["snapshot_date"], frame["occupied"], "Occupied places", 1),
              _line(frame["snapshot_date"], frame["occupancy_pct"], "Occupancy (right axis)", 2, axis="y2",
                    hover=".1f", suffix="%", width=2)]
    # The occupancy axis spans the values shown (and 100%), so changes of a point or two can be seen.
    values = frame["occupancy_pct"].dropna()
    low = min(90.0, float(values.min()) - 5) if len(values) else 90.0
    high = max(110.0, float(values.max()) + 5) if len(values) else 110.0
    return _figure(traces, height=height, events=events, marks=[_target_line(100, "100% full", axis="y2")],
                   hovermode="x unified", yaxis={"title": {"text": "Places"}}, xaxis={"title": {"text": ""}},
                   yaxis2={"title": {"text": "Occupancy (right axis)"}, "overlaying": "y", "side": "right",
                           "range": [low, high], "tickmode": "linear", "dtick": 5, "ticksuffix": "%",
                           "showgrid": False, "zeroline": False})


def occupancy_by_group(frame: pd.DataFrame, *, height: int | None = None) -> go.Figure:
    """Commissioned against occupied places per group, each labelled with its occupancy; over 100% flagged."""
    labels = [f"{o:,.0f} ({p:.0f}%{' ▲ over 100%' if p > 100 else ''})" if p == p else f"{o:,.0f}"
              for o, p in zip(frame["occupied"], frame["occupancy_pct"], strict=True)]
    top = float(max(frame["commissioned"].max(), frame["occupied"].max())) if len(frame) else 1.0
    return horizontal_bars(frame, "group", [("commissioned", "Commissioned places"), ("occupied", "Occupied places")],
                           x_title="Places", text=labels, height=height, x_range=(0, top * 1.35))


def spare_places(frame: pd.DataFrame, category: str, *, height: int | None = None) -> go.Figure:
    """Spare places per group: bars left of zero (hatched, labelled 'over by') where settings are over-full."""
    over = frame["spare"] < 0
    bars = trace(
        "bar", y=frame[category], x=frame["spare"], orientation="h", name="Spare places",
        text=[f"over by {-v:,.0f}" if v < 0 else f"{v:,.0f} spare" for v in frame["spare"]],
        textposition="outside", cliponaxis=False,
        marker={"color": [PALETTE[2] if o else PALETTE[1] for o in over],
                "pattern": _pattern(["x" if o else "" for o in over], 0.35)},
        hovertemplate="Spare places: %{x:,.0f}<extra>%{y}</extra>")
    low = min(float(frame["spare"].min()), 0.0) if len(frame) else 0.0
    high = max(float(frame["spare"].max()), 0.0) if len(frame) else 0.0
    pad = 0.4 * (high - low) + 2  # room for the labels outside the bars
    return _figure([bars], height=height or max(300, 110 + 34 * len(frame)), showlegend=False,
                   yaxis={"autorange": "reversed", "title": {"text": ""}},
                   xaxis={"title": {"text": "Spare places (negative: more children than places)"},
                          "range": [low - pad if low < 0 else -pad / 4, high + pad if high > 0 else pad / 4],
                          "zeroline": True,
                          "zerolinecolor": TEXT_COLOUR, "zerolinewidth": 2, "showgrid": True})


def pipeline_bars(frame: pd.DataFrame, *, events: pd.DataFrame | None = None, height: int = 420) -> go.Figure:
    """Planned places by opening date, one labelled bar segment per setting, opened and still to open told apart."""
    traces = []
    for index, (opened, label) in enumerate(((True, "Opened"), (False, "Still to open"))):
        part = frame[frame["opened"] == opened]
        if len(part):
            traces.append(trace(
                "bar", x=pd.to_datetime(part["planned_open_date"]), y=part["planned_places"], name=label,
                customdata=part[["setting_name"]], text=part["planned_places"], textposition="inside",
                width=1000 * 60 * 60 * 24 * 60,  # two months, in milliseconds on a date axis
                marker={"color": PALETTE[index], "line": {"color": "white", "width": 1},
                        "pattern": _pattern(PATTERNS[index * 2])},
                hovertemplate="%{customdata[0]}: %{y:,.0f} places<extra>opens %{x|%-d %b %Y}</extra>"))
    return _figure(traces, height=height, events=events, barmode="stack", bargap=0.5,
                   yaxis={"title": {"text": "Planned places"}}, xaxis={"title": {"text": "Opening date"}, "type": "date"})


def independent_chart(frame: pd.DataFrame, *, events: pd.DataFrame | None = None, height: int = 420) -> go.Figure:
    """Children in independent special schools at each census, and their share of all specialist places."""
    traces = [_line(frame["snapshot_date"], frame["occupied_independent"], "Children in independent special schools", 0),
              _line(frame["snapshot_date"], frame["independent_share"],
                    "Share of occupied specialist places (right axis)", 1, axis="y2", hover=".1f", suffix="%", width=2)]
    top = max(10.0, float(frame["independent_share"].max() or 0) * 1.5) if len(frame) else 10.0
    return _figure(traces, height=height, events=events, hovermode="x unified",
                   yaxis={"title": {"text": "Children (occupied places)"}}, xaxis={"title": {"text": ""}},
                   yaxis2={"title": {"text": "Share (right axis)"}, "overlaying": "y", "side": "right",
                           "range": [0, top], "tickmode": "linear", "dtick": 2 if top <= 20 else 10,
                           "ticksuffix": "%", "showgrid": False})
