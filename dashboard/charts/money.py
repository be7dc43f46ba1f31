"""Money charts: budget against actual by month, variance by budget line, spend by year, unit costs, and
spend against a commitment.

Built on the one template (compose, marks, fill patterns, the n-th series' style). Axes are labelled the
way fmt.money writes money (£500k, £1.5m) and hovers give exact pounds, also written by fmt.money.
Overspend and underspend, and a year still open, differ by fill pattern, legend and a worded label as
well as by colour. Every builder draws from the columns it is named, and leaves a gap where a figure is
missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, fmt
from dashboard.charts.template import (
    GRID_COLOUR,
    PALETTE,
    PATTERNS,
    TEXT_COLOUR,
    Mark,
    Series,
    compose,
    fill_pattern,
    labels,
    shaded_span,
    style,
    target_line,
    trace,
)

OVER_COLOUR, UNDER_COLOUR = PALETTE[2], PALETTE[1]
FORECAST_COLOUR = "#8E9396"
_STEPS = (1, 2, 5, 10)


def money_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], list[str], list[float]]:
    """Round tick values spanning low..high (and 0), their labels in pounds, and the axis range."""
    low, high = min(low, 0.0), max(high, 0.0)
    if not math.isfinite(low) or not math.isfinite(high) or high - low <= 0:
        return [0.0], ["£0"], [0.0, 1.0]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in _STEPS if m * magnitude >= raw)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    values = [float(v) for v in np.arange(start, end + step / 2, step)]
    return values, [fmt.money(v) for v in values], [start, end]


def _money_axis(values: Sequence[float], title: str, headroom: float = 1.0) -> dict:
    numbers = [float(v) for v in values if v is not None and pd.notna(v)] or [0.0]
    ticks, text, bounds = money_ticks(min(numbers), max(numbers) * headroom)
    return {"title": {"text": escape.plotly(title)}, "tickvals": ticks, "ticktext": text, "range": bounds}


def _pounds(values: Sequence[float]) -> list[str]:
    """Exact pounds for hovers ('–' where a figure is missing)."""
    return [fmt.money(None if pd.isna(v) else float(v), exact=True) for v in values]


def _hover(name: str) -> str:
    return f"{escape.plotly(name)}: %{{customdata}}<extra></extra>"


def _money_line(frame: pd.DataFrame, x: str, series: Series, index: int) -> dict:
    look = style(index)
    return trace(
        "scatter",
        x=frame[x],
        y=frame[series.column],
        name=escape.plotly(series.name),
        mode="lines+markers",
        line={"color": look.colour, "dash": look.dash, "width": 3},
        marker={"symbol": look.symbol, "size": 7},
        customdata=_pounds(frame[series.column]),
        hovertemplate=_hover(series.name),
    )


def monthly_budget_and_actual(
    frame: pd.DataFrame,
    x: str,
    actual: Series,
    budget: Series,
    *,
    open_from: str | None = None,
    open_text: str = "Not yet closed: budget only",
    events: pd.DataFrame | None = None,
    height: int = 440,
) -> go.Figure:
    """Actual and budget spend each month, months from `open_from` (a month as "2025-01") shaded and
    labelled as not yet closed, milestones marked."""
    marks: list[Mark] = []
    months = pd.to_datetime(frame[x])
    if open_from is not None and len(frame):
        start = pd.Timestamp(f"{open_from}-01")
        marks.append(
            shaded_span(start - pd.Timedelta(days=15), months.max() + pd.Timedelta(days=15), open_text)
        )
    return compose(
        [_money_line(frame, x, actual, 0), _money_line(frame, x, budget, 1)],
        height=height,
        marks=marks,
        events=events,
        hovermode="x unified",
        xaxis={"title": {"text": ""}},
        yaxis=_money_axis([*frame[budget.column], *frame[actual.column]], "Spend per month", 1.12),
    )


def variance_by_line(
    frame: pd.DataFrame, category: str, variance: Series, *, height: int | None = None
) -> go.Figure:
    """Horizontal bars of each line's variance (the axis is named by `variance`), largest overspend at the top,
    each labelled in words; a line with no figure has no bar."""
    ordered = frame.sort_values(variance.column, ascending=True, kind="stable", na_position="first")
    values = ordered[variance.column]
    traces = []
    for name, mask, colour, pattern in (
        ("Overspend", values > 0, OVER_COLOUR, PATTERNS[0]),
        ("Underspend or on budget", values <= 0, UNDER_COLOUR, PATTERNS[1]),
    ):
        part = ordered[mask]
        words = [fmt.variance(float(v), short=True) for v in part[variance.column]]
        traces.append(
            trace(
                "bar",
                x=part[variance.column],
                y=labels(part[category]),
                orientation="h",
                name=name,
                text=words,
                textposition="outside",
                cliponaxis=False,
                marker={"color": colour, "pattern": fill_pattern(pattern, 0.35)},
                customdata=[
                    f"{pounds} ({said})"
                    for pounds, said in zip(_pounds(part[variance.column]), words, strict=True)
                ],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
    axis = _money_axis(list(values), variance.name)
    span = axis["range"][1] - axis["range"][0]
    below = bool((values < 0).any())
    axis["range"] = [axis["range"][0] - 0.22 * span * below, axis["range"][1] + 0.22 * span]
    return compose(
        traces,
        height=height or max(320, 42 * len(ordered) + 140),
        barmode="relative",
        xaxis={
            **axis,
            "zeroline": True,
            "zerolinecolor": TEXT_COLOUR,
            "zerolinewidth": 2,
            "showgrid": True,
            "gridcolor": GRID_COLOUR,
        },
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": labels(ordered[category])},
        margin={"l": 70, "r": 40},
    )


def _year_span(years: Sequence[str], partial: Sequence[bool], text: str) -> list[Mark]:
    """A grey band behind each year still open on a category axis of financial years."""
    return [
        shaded_span(index - 0.5, index + 0.5, text) for index, open_year in enumerate(partial) if open_year
    ]


def spend_by_year(
    frame: pd.DataFrame,
    x: str,
    actual: Sequence[Series],
    budget: Series,
    *,
    partial: str,
    forecast: Series | None = None,
    reference: Series | None = None,
    height: int = 460,
) -> go.Figure:
    """Spend each financial year stacked by part (`actual`, then `forecast` for the months not yet closed, dotted
    grey), the budget marked as a bar, an optional reference line (a published allocation, drawn where it has a
    figure), and each year still open (the bool column `partial`) shaded."""
    years = labels(frame[x])
    bars = [(s, style(index).colour, style(index).pattern) for index, s in enumerate(actual)]
    if forecast is not None:
        bars.append((forecast, FORECAST_COLOUR, PATTERNS[2]))
    traces = [
        trace(
            "bar",
            x=years,
            y=frame[s.column],
            name=escape.plotly(s.name),
            marker={"color": colour, "pattern": fill_pattern(pattern)},
            customdata=_pounds(frame[s.column]),
            hovertemplate=_hover(s.name),
        )
        for s, colour, pattern in bars
    ]
    traces.append(
        trace(
            "scatter",
            x=years,
            y=frame[budget.column],
            name=escape.plotly(budget.name),
            mode="markers",
            marker={"symbol": "line-ew", "size": 44, "line": {"width": 4, "color": TEXT_COLOUR}},
            customdata=_pounds(frame[budget.column]),
            hovertemplate=_hover(budget.name),
        )
    )
    totals = frame[[s.column for s, _, _ in bars]].sum(axis=1, min_count=1)
    values = [*frame[budget.column], *totals]
    if reference is not None:
        look = style(len(actual) + 1)
        drawn = frame[frame[reference.column].notna()]
        traces.append(
            trace(
                "scatter",
                x=labels(drawn[x]),
                y=drawn[reference.column],
                name=escape.plotly(reference.name),
                mode="lines+markers",
                line={"color": look.colour, "dash": look.dash, "width": 3},
                marker={"symbol": look.symbol, "size": 11},
                customdata=_pounds(drawn[reference.column]),
                hovertemplate=_hover(reference.name),
            )
        )
        values += list(drawn[reference.column])
    return compose(
        traces,
        height=height,
        marks=_year_span(years, list(frame[partial]), "Year still open"),
        barmode="stack",
        hovermode="x unified",
        legend={"traceorder": "normal"},
        xaxis={
            "title": {"text": "Financial year (April to March)"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": years,
        },
        yaxis=_money_axis(values, "Spend in the year", 1.05),
    )


def unit_cost_by_year(
    frame: pd.DataFrame, x: str, cost: Series, *, partial: str, partial_words: str, height: int = 380
) -> go.Figure:
    """One bar per financial year, each labelled with its cost (fmt.money, exact below £10,000); a year still
    open (the bool column `partial`) is hatched, shaded and says `partial_words`. A year with no cost has no bar."""
    shown = frame[frame[cost.column].notna()]
    traces = []
    for index, (name, is_partial) in enumerate(
        ((cost.name, False), (f"{cost.name} ({partial_words})", True))
    ):
        part = shown[shown[partial].astype(bool) == is_partial]
        if part.empty:
            continue
        suffix = f" ({partial_words})" if is_partial else ""
        look = style(index)
        text = [fmt.money(float(v), exact=None) + suffix for v in part[cost.column]]
        traces.append(
            trace(
                "bar",
                x=labels(part[x]),
                y=part[cost.column],
                name=escape.plotly(name),
                text=labels(text),
                textposition="outside",
                cliponaxis=False,
                marker={"color": look.colour, "pattern": fill_pattern(look.pattern, 0.35)},
                customdata=labels(f"{pounds}{suffix}" for pounds in _pounds(part[cost.column])),
                hovertemplate="%{x}: %{customdata}<extra></extra>",
            )
        )
    years = labels(shown[x])
    return compose(
        traces,
        height=height,
        marks=_year_span(years, list(shown[partial].astype(bool)), partial_words),
        showlegend=bool(shown[partial].astype(bool).any()),
        xaxis={
            "title": {"text": "Financial year (April to March)"},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": years,
        },
        yaxis=_money_axis(list(shown[cost.column]), cost.name, 1.15),
    )


def against_commitment(
    frame: pd.DataFrame,
    x: str,
    actual: Series,
    required: Series,
    *,
    target: float,
    target_text: str,
    height: int = 400,
) -> go.Figure:
    """Cumulative spend above a baseline by month (bars) against the straight line to a commitment, the
    commitment marked."""
    look = style(1)
    traces = [
        trace(
            "bar",
            x=frame[x],
            y=frame[actual.column],
            name=escape.plotly(actual.name),
            marker={"color": style(0).colour, "pattern": fill_pattern(style(0).pattern)},
            customdata=_pounds(frame[actual.column]),
            hovertemplate=_hover(actual.name),
        ),
        trace(
            "scatter",
            x=frame[x],
            y=frame[required.column],
            name=escape.plotly(required.name),
            mode="lines+markers",
            line={"color": TEXT_COLOUR, "dash": look.dash, "width": 3},
            marker={"symbol": look.symbol, "size": 7},
            customdata=_pounds(frame[required.column]),
            hovertemplate=_hover(required.name),
        ),
    ]
    values = [*frame[actual.column], *frame[required.column], target]
    return compose(
        traces,
        height=height,
        marks=[target_line(target, target_text)],
        hovermode="x unified",
        xaxis={"title": {"text": ""}},
        yaxis=_money_axis(values, "Cumulative additional spend", 1.12),
    )
