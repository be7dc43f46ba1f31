"""Rankings and comparisons: one area's line against comparators with their range, and ranked bars with the
chosen area picked out.

Pure builders on the shared template: a table in, a figure out. Every series differs by dash and marker as
well as colour, and the chosen area's bar is hatched, outlined and labelled, so nothing depends on colour
alone. The unit ('percent', 'count', 'gbp', 'gbp_per_week', 'weeks') decides how axes, labels and hovers write a figure.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, fmt
from dashboard.charts.template import (
    BASE_FONT_SIZE,
    EVENT_COLOUR,
    GRID_COLOUR,
    LABEL_BACKGROUND,
    TEXT_COLOUR,
    Mark,
    Series,
    compose,
    labels,
    style,
    trace,
)

RANGE_FILL = "rgba(244, 106, 37, 0.15)"  # the fourth series' orange (a comparators' average), faint
NEIGHBOUR_BAR = "#9FB4C7"  # a light tint of the first series' dark blue
HIGHLIGHT = style(3).colour


def _axis_format(unit: str) -> dict:
    if unit == "percent":
        return {"ticksuffix": "%"}
    if unit in ("gbp", "gbp_per_week"):
        return {"tickprefix": "£", "separatethousands": True}
    if unit == "weeks":
        return {"ticksuffix": " wks"}
    return {"separatethousands": True}


def _number(unit: str) -> str:
    """A hover's y figure in its unit, as plotly formats it."""
    return {
        "percent": "%{y:.1f}%",
        "gbp": "£%{y:,.0f}",
        "gbp_per_week": "£%{y:,.0f}",
        "weeks": "%{y:.1f} weeks",
    }.get(unit, "%{y:,.0f}")


def series_break(periods: Sequence[str], starts: str, text: str) -> Mark | None:
    """A dashed vertical line, labelled, just before the period where a new series starts (on a category axis);
    None when that period is not shown or nothing before it is."""
    periods = list(periods)
    if starts not in periods or periods.index(starts) == 0:
        return None
    at = periods.index(starts) - 0.5
    shape = {
        "type": "line",
        "x0": at,
        "x1": at,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": EVENT_COLOUR, "width": 2, "dash": "dash"},
    }
    label = {
        "x": at,
        "yref": "paper",
        "y": 1,
        "text": escape.plotly(text),
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "top",
        "xshift": 4,
        "font": {"size": BASE_FONT_SIZE - 3, "color": EVENT_COLOUR},
        "bgcolor": LABEL_BACKGROUND,
    }
    return shape, label


def reference_line(value: float, text: str, *, colour: str, dash: str, y: float = 1.0) -> Mark:
    """A labelled vertical line across horizontal bars (England's figure, an average)."""
    shape = {
        "type": "line",
        "x0": value,
        "x1": value,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": dash},
    }
    label = {
        "x": value,
        "yref": "paper",
        "y": y,
        "text": escape.plotly(text),
        "showarrow": False,
        "yanchor": "bottom",
        "font": {"size": BASE_FONT_SIZE - 3, "color": TEXT_COLOUR},
        "bgcolor": LABEL_BACKGROUND,
    }
    return shape, label


def trend_against_comparators(
    table: pd.DataFrame,
    x: str,
    series: Sequence[Series],
    *,
    unit: str,
    y_title: str,
    band: tuple[Series, Series] | None = None,
    off_chart: Collection[str] = (),
    break_at: str | None = None,
    break_text: str = "",
    height: int = 460,
) -> go.Figure:
    """One area's line against its comparators over every period, with the comparators' range as a band.

    `x` holds the period labels, in order ('2024', 'January 2025', '2019-20'). The n-th of `series` has
    the template's n-th look; columns named in `off_chart` keep their place (so their look) but are not
    drawn (totals many times the area's size). `band` is the low and high columns of the shaded range, named
    by the second. `break_at` is the period where a new series starts: a labelled line marks the break.
    A series with no figure at all is left off; a missing figure leaves a gap.
    """
    periods = [str(p) for p in table[x]]
    shown = labels(periods)
    traces = []
    if band is not None and table[band[0].column].notna().any():
        low, high = band
        traces.append(
            trace(
                "scatter",
                x=shown,
                y=table[low.column],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=escape.plotly(low.name),
            )
        )
        traces.append(
            trace(
                "scatter",
                x=shown,
                y=table[high.column],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=RANGE_FILL,
                hoverinfo="skip",
                name=escape.plotly(high.name),
            )
        )
    for index, s in enumerate(series):
        if s.column in off_chart or table[s.column].isna().all():
            continue
        look = style(index)
        traces.append(
            trace(
                "scatter",
                x=shown,
                y=table[s.column],
                name=escape.plotly(s.name),
                mode="lines+markers",
                line={"color": look.colour, "dash": look.dash, "width": 4 if index == 0 else 3},
                marker={"symbol": look.symbol, "size": 9},
                connectgaps=False,
                hovertemplate=f"{escape.plotly(s.name)}: {_number(unit)}<extra>%{{x}}</extra>",
            )
        )
    mark = series_break(periods, break_at, break_text) if break_at else None
    marks = [mark] if mark else []
    return compose(
        traces,
        height=height,
        marks=marks,
        hovermode="x unified",
        legend={"traceorder": "normal"},
        xaxis={"type": "category", "title": {"text": ""}},
        yaxis={"title": {"text": escape.plotly(y_title)}, **_axis_format(unit)},
    )


def ranked_with_chosen(
    table: pd.DataFrame,
    category: str,
    value: str,
    rank: str,
    *,
    chosen: str,
    unit: str,
    x_title: str,
    references: Sequence[tuple[str, float | None]] = (),
) -> go.Figure:
    """Areas as horizontal bars in the table's order (first at the top), each labelled with its rank and figure.

    The `chosen` area's bar is hatched, outlined in black and labelled '▶ … (chosen)'. `references` are up
    to two labelled vertical lines (a name and a figure; None leaves it off), the first dashed in black, the
    second dotted in the fourth series' orange.
    """
    is_chosen = (table[category] == chosen).tolist()
    # The chosen area's label is bold (Plotly's <b>); every name in it is escaped, so only that tag is markup.
    names = [
        f"<b>▶ {escape.plotly(name)} (chosen)</b>" if me else escape.plotly(name)
        for name, me in zip(table[category], is_chosen, strict=True)
    ]
    ranked = [f"{escape.plotly(rank_of)}. {name}" for rank_of, name in zip(table[rank], names, strict=True)]
    text = [fmt.value(None if pd.isna(v) else float(v), unit) for v in table[value]]
    bars = trace(
        "bar",
        x=table[value],
        y=ranked,
        orientation="h",
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=labels(table[category]),
        name=escape.plotly(x_title),
        showlegend=False,
        marker={
            "color": [HIGHLIGHT if me else NEIGHBOUR_BAR for me in is_chosen],
            "line": {
                "color": [TEXT_COLOUR if me else NEIGHBOUR_BAR for me in is_chosen],
                "width": [3 if me else 1 for me in is_chosen],
            },
            "pattern": {
                "shape": ["/" if me else "" for me in is_chosen],
                "fgcolor": TEXT_COLOUR,
                "size": 8,
                "solidity": 0.3,
                "fillmode": "overlay",
            },
        },
        hovertemplate="%{customdata}: %{text}<extra></extra>",
    )
    looks = ((TEXT_COLOUR, "dash"), (style(3).colour, "dot"))
    marks, top = [], pd.to_numeric(table[value], errors="coerce").max()
    for (name, figure), (colour, dash), y in zip(references, looks, (1.0, 1.07), strict=False):
        if figure is None or pd.isna(figure):
            continue
        marks.append(
            reference_line(figure, f"{name} {fmt.value(figure, unit)}", colour=colour, dash=dash, y=y)
        )
        top = figure if pd.isna(top) else max(top, figure)
    xaxis = {
        "title": {"text": escape.plotly(x_title)},
        "showgrid": True,
        "gridcolor": GRID_COLOUR,
        "rangemode": "tozero",
        **_axis_format(unit),
    }
    if pd.notna(top) and top > 0:
        xaxis["range"] = [0, top * 1.15]
    return compose(
        [bars],
        height=120 + 42 * max(len(table), 1),
        marks=marks,
        bargap=0.25,
        margin={"l": 20, "r": 90, "t": 60, "b": 60},
        yaxis={"autorange": "reversed", "title": {"text": ""}, "automargin": True, "showgrid": False},
        xaxis=xaxis,
    )
