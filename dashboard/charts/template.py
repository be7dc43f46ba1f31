"""The one chart template: accessible colours, one order of line dashes, markers and fill patterns, marks.

Colours are the UK Government Analysis Function's accessible categorical palette; text is sized to read
on a projector; the n-th series of every chart has the n-th colour, dash, marker and fill pattern, so
series are told apart by more than colour, and the same series looks the same wherever it is drawn.

Builders take plain text (names, categories, titles, labels, words on bars) and escape every piece of it
for Plotly's label HTML where it goes into the figure (escape.plotly, and `labels` for a list), so a name from the data (a district,
a setting, a milestone) is drawn as written and never becomes a link or formatting.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape

# Analysis Function accessible categorical palette (dark blue, turquoise, dark pink, orange, dark grey, light purple).
PALETTE = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
PATTERNS = ("", "/", ".", "x", "\\", "+", "-", "|")
# Text colour with at least 6:1 contrast on each palette colour (white on the dark ones, near-black on the light).
TEXT_ON = {
    "#12436D": "white",
    "#28A197": "#0B0C0C",
    "#801650": "white",
    "#F46A25": "#0B0C0C",
    "#3D3D3D": "white",
    "#A285D1": "#0B0C0C",
}
FONT_FAMILY = "Arial, Helvetica, sans-serif"
BASE_FONT_SIZE = 16
TEXT_COLOUR = "#0B0C0C"
GRID_COLOUR = "#D0D0D0"
EVENT_COLOUR = "#505A5F"
TARGET_COLOUR = "#3D3D3D"
SHADE_FILL = "rgba(177,180,182,0.22)"
LABEL_BACKGROUND = "rgba(255,255,255,0.85)"

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
        yaxis={
            "gridcolor": GRID_COLOUR,
            "zeroline": True,
            "zerolinecolor": GRID_COLOUR,
            "automargin": True,
            "rangemode": "tozero",
        },
    )
)

# Figures are validated by plotly when SEND_VALIDATE_CHARTS=1 (the test suite sets it); serving skips
# it because validation costs more than drawing a page's worth of charts and finds nothing new at run time.
VALIDATE = os.environ.get("SEND_VALIDATE_CHARTS") == "1"
_TRACES = {"scatter": go.Scatter, "bar": go.Bar, "funnel": go.Funnel}


@dataclass(frozen=True)
class Series:
    """One series of a chart: the table column it draws and its name in the legend (the column's, unless given)."""

    column: str
    label: str | None = None
    axis: str = "y"  # "y" (left) or "y2" (right)

    @property
    def name(self) -> str:
        return self.label or self.column


@dataclass(frozen=True)
class Style:
    """How the n-th series of a chart is drawn."""

    colour: str
    dash: str
    symbol: str
    pattern: str


def style(index: int) -> Style:
    """The colour, dash, marker and fill pattern of the `index`-th series (the same in every chart)."""
    return Style(
        PALETTE[index % len(PALETTE)],
        DASHES[index % len(DASHES)],
        SYMBOLS[index % len(SYMBOLS)],
        PATTERNS[index % len(PATTERNS)],
    )


def labels(values) -> list:
    """Values for a Plotly axis, text or customdata: each piece of text escaped as a label, anything else (a
    number, a date) as it is."""
    return [escape.plotly(v) if isinstance(v, str) else v for v in values]


def new_figure(height: int, data: Sequence = (), **layout: object) -> go.Figure:
    """A figure in the shared template, with its traces. Traces go in here rather than by add_traces, which
    validates every trace whatever the figure's setting (about 2 ms a trace)."""
    return go.Figure(
        data=list(data), layout={"template": TEMPLATE, "height": height, **layout}, _validate=VALIDATE
    )


def trace(kind: str, **properties: object) -> go.BaseTraceType | dict:
    """A trace of the given plotly type ('scatter', 'bar', 'funnel'), validated when VALIDATE is on."""
    return _TRACES[kind](**properties) if VALIDATE else {"type": kind, **properties}


def fill_pattern(shape: str | Sequence[str], solidity: float = 0.3) -> dict:
    """White hatching over a bar's own colour ("overlay": the default draws it on nothing, white on white)."""
    return {"fillmode": "overlay", "shape": shape, "fgcolor": "white", "solidity": solidity}


def line_trace(
    x,
    y,
    name: str,
    index: int,
    *,
    axis: str = "y",
    percent: bool = False,
    width: int = 3,
    mode: str = "lines+markers",
    shape: str = "linear",
    x_hover: str = "%b %Y",
) -> dict:
    """The `index`-th line of a chart, with its own colour, dash and marker; gaps where a value is missing."""
    look = style(index)
    number = "%{y:.1f}%" if percent else "%{y:,.0f}"
    name = escape.plotly(name)
    return trace(
        "scatter",
        x=x,
        y=y,
        name=name,
        yaxis=axis,
        mode=mode,
        line={"color": look.colour, "dash": look.dash, "width": width, "shape": shape},
        marker={"symbol": look.symbol, "size": 7},
        hovertemplate=f"{name}: {number}<extra>%{{x|{x_hover}}}</extra>"
        if x_hover
        else f"{name}: {number}<extra></extra>",
    )


def bar_trace(index: int, **properties: object) -> dict:
    """The `index`-th bar series of a chart, with its own colour and fill pattern."""
    look = style(index)
    return trace("bar", marker={"color": look.colour, "pattern": fill_pattern(look.pattern)}, **properties)


Mark = tuple[dict, dict]  # a shape and the annotation that labels it


def target_line(y: float, text: str, axis: str = "y") -> Mark:
    """A labelled dashed horizontal line across the plot (a target or a limit)."""
    shape = {
        "type": "line",
        "xref": "paper",
        "yref": axis,
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
    }
    label = {
        "xref": "paper",
        "yref": axis,
        "x": 0,
        "y": y,
        "text": escape.plotly(text),
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "font": {"size": BASE_FONT_SIZE - 2, "color": TARGET_COLOUR},
        "bgcolor": LABEL_BACKGROUND,
    }
    return shape, label


def due_line(when: date, text: str) -> Mark:
    """A labelled long-dashed vertical line at a due date."""
    stamp = pd.Timestamp(when)
    shape = {
        "type": "line",
        "x0": stamp,
        "x1": stamp,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": TARGET_COLOUR, "width": 2, "dash": "longdash"},
    }
    label = {
        "x": stamp,
        "yref": "paper",
        "y": 0.02,
        "text": escape.plotly(text),
        "showarrow": False,
        "xanchor": "right",
        "yanchor": "bottom",
        "xshift": -3,
        "font": {"size": BASE_FONT_SIZE - 2, "color": TARGET_COLOUR},
        "bgcolor": LABEL_BACKGROUND,
    }
    return shape, label


def shaded_span(start, end, text: str) -> Mark:
    """A grey band over part of the x axis, labelled (an incomplete month, months not yet closed)."""
    shape = {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": start,
        "x1": end,
        "y0": 0,
        "y1": 1,
        "fillcolor": SHADE_FILL,
        "line": {"width": 0},
        "layer": "below",
    }
    label = {
        "x": end,
        "xref": "x",
        "xanchor": "right",
        "yref": "paper",
        "y": 1,
        "yanchor": "top",
        "showarrow": False,
        "text": escape.plotly(text),
        "font": {"color": EVENT_COLOUR, "size": BASE_FONT_SIZE - 3},
        "bgcolor": LABEL_BACKGROUND,
    }
    return shape, label


def month_span(first: str, text: str, last: str | None = None) -> Mark:
    """A grey band over the points or bars of a run of months on a date axis ("2026-10"), labelled: monthly
    figures sit on the 1st of their month, so the band reaches half a month either side."""
    half = pd.Timedelta(days=15)
    return shaded_span(pd.Timestamp(f"{first}-01") - half, pd.Timestamp(f"{last or first}-01") + half, text)


def add_marks(figure: go.Figure, marks: Sequence[Mark]) -> go.Figure:
    """Add reference marks to a built figure in one layout update."""
    if marks:
        figure.update_layout(
            shapes=[*figure.layout.shapes, *(m[0] for m in marks)],
            annotations=[*figure.layout.annotations, *(m[1] for m in marks)],
        )
    return figure


EVENT_FONT_SIZE = BASE_FONT_SIZE - 4
EVENT_ROW_PX = 17  # the height of one row of milestone labels above the plot
LEGEND_BELOW_PX = 100  # the bottom margin that holds the axis labels and, below them, the legend
# For placing labels without a browser: a chart is assumed this wide, and a character of a label this wide
# (generous, so the labels on the Board's larger type do not meet either).
_PLOT_WIDTH_PX, _CHAR_PX = 900, 8.0


def event_rows(
    when: Sequence[pd.Timestamp], texts: Sequence[str], span: tuple[pd.Timestamp, pd.Timestamp]
) -> list[int]:
    """The row above the plot each milestone label goes in, so that no two labels in a row overlap: a label
    starts at its line and runs right; it takes the first row where the label before it has ended."""
    start, end = span
    days = max((end - start).days, 1)
    row_ends: list[pd.Timestamp] = []
    rows = []
    for at, text in zip(when, texts, strict=True):
        width = pd.Timedelta(days=days * (len(text) * _CHAR_PX + 12) / _PLOT_WIDTH_PX)
        row = next((i for i, ends in enumerate(row_ends) if at > ends), len(row_ends))
        if row == len(row_ends):
            row_ends.append(at + width)
        else:
            row_ends[row] = at + width
        rows.append(row)
    return rows


def event_marks(
    events: pd.DataFrame | None, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> list[Mark]:
    """Milestones as dotted vertical lines, each labelled with its name and date above the plot, in rows so
    that labels never print over each other or over the data; milestones on the same day share a label.

    `span` is the first and last date the x axis shows (the milestones' own when not given).
    """
    if events is None or events.empty:
        return []
    grouped = events.assign(date=pd.to_datetime(events["date"])).groupby("date", sort=True)["label"]
    when = [at for at, _ in grouped]
    texts = [f"{'; '.join(labels)} ({at.day} {at:%b %Y})" for at, labels in grouped]
    span = span or (min(when), max(when))
    marks = []
    for at, text, row in zip(when, texts, event_rows(when, texts, span), strict=True):
        shape = {
            "type": "line",
            "x0": at,
            "x1": at,
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "line": {"color": EVENT_COLOUR, "width": 1.5, "dash": "dot"},
        }
        label = {
            "x": at,
            "yref": "paper",
            "y": 1,
            "text": escape.plotly(text),
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "yshift": 2 + row * EVENT_ROW_PX,
            "font": {"size": EVENT_FONT_SIZE, "color": EVENT_COLOUR},
            "bgcolor": LABEL_BACKGROUND,
            "name": "milestone",
        }
        marks.append((shape, label))
    return marks


def _x_span(traces: Sequence, events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates the x axis will show: the traces' dates and the milestones'."""
    dates = list(pd.to_datetime(events["date"]))
    for trace in traces:
        x = trace.get("x") if isinstance(trace, dict) else trace.x
        if x is not None and len(x):
            parsed = pd.to_datetime(pd.Series(list(x)), errors="coerce").dropna()
            dates += [parsed.min(), parsed.max()] if len(parsed) else []
    return min(dates), max(dates)


def compose(
    traces: Sequence,
    *,
    height: int,
    marks: Sequence[Mark] = (),
    events: pd.DataFrame | None = None,
    **layout: object,
) -> go.Figure:
    """One figure on the shared template with its traces, reference marks and milestones, laid out once.

    Milestone labels sit in rows above the plot, so the legend moves below it and the top margin grows to
    fit them. Adding shapes one at a time re-validates the whole layout each time, so everything goes in
    together.
    """
    milestones = event_marks(events, _x_span(traces, events)) if events is not None and len(events) else []
    every = [*marks, *milestones]
    if milestones:
        rows = 1 + max(m[1]["yshift"] for m in milestones) // EVENT_ROW_PX
        layout = {
            "legend": {
                "orientation": "h",
                "yref": "container",
                "yanchor": "bottom",
                "y": 0,
                "xanchor": "left",
                "x": 0,
            },
            "margin": {"l": 70, "r": 30, "t": 24 + rows * EVENT_ROW_PX, "b": LEGEND_BELOW_PX},
            **layout,
        }
    return new_figure(
        height, traces, shapes=[m[0] for m in every], annotations=[m[1] for m in every], **layout
    )


SCREEN_FONT_SIZE = 22


def for_screen(figure: go.Figure, height: int | None = 560) -> go.Figure:
    """The same figure restyled for the Board's shared screen: larger text and thicker lines; with no height it
    fills the height its container is given."""
    shown = go.Figure(figure)
    if height is None:
        shown.layout.height = None
        shown.layout.autosize = True
    shown.update_layout(
        font={"size": SCREEN_FONT_SIZE},
        **({} if height is None else {"height": height}),
        legend={"font": {"size": SCREEN_FONT_SIZE}},
        hoverlabel={"font": {"size": SCREEN_FONT_SIZE}},
    )
    shown.update_traces(line={"width": 5}, selector={"type": "scatter", "mode": "lines+markers"})
    shown.update_annotations(font={"size": SCREEN_FONT_SIZE - 6})
    # A long vertical axis title runs past a short screen's plot, so it breaks onto two lines a little smaller.
    shown.update_xaxes(title_font_size=SCREEN_FONT_SIZE - 4)
    if shown.layout.yaxis.title.text:
        shown.layout.yaxis.title.text = wrap_title(shown.layout.yaxis.title.text)
        shown.layout.yaxis.title.font.size = SCREEN_FONT_SIZE - 4
    # Milestone rows grow with their type, and the top margin with them, so the rows still do not meet.
    grow = (SCREEN_FONT_SIZE - 8) / EVENT_FONT_SIZE
    milestones = [a for a in shown.layout.annotations if a.name == "milestone"]
    for label in milestones:
        label.font.size = SCREEN_FONT_SIZE - 8
        label.yshift = round((label.yshift or 0) * grow)
    if milestones and shown.layout.margin.t:
        shown.layout.margin.t = round(shown.layout.margin.t * grow)
        shown.layout.margin.b = round(LEGEND_BELOW_PX * SCREEN_FONT_SIZE / BASE_FONT_SIZE)
    return shown


def wrap_title(text: str, longest: int = 22) -> str:
    """An axis title longer than `longest` characters broken at the space nearest its middle (Plotly's <br>)."""
    if len(text) <= longest or " " not in text or "<br>" in text:
        return text
    spaces = [i for i, c in enumerate(text) if c == " "]
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:middle]}<br>{text[middle + 1 :]}"
