"""Pure Plotly builders for the Spending page: money in UK pounds, colour never the only signal.

Axes are labelled the way fmt.money writes money (£500k, £1.5m); hovers give exact pounds. Overspend
and underspend differ by fill pattern, legend and a worded label as well as by colour.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts.template import (
    EVENT_COLOUR,
    GRID_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    event_marks,
    new_figure,
    shaded_span,
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


def _money_axis(values: list[float] | pd.Series, title: str, headroom: float = 1.0) -> dict:
    numbers = [float(v) for v in values if v is not None and pd.notna(v)] or [0.0]
    ticks, text, bounds = money_ticks(min(numbers), max(numbers) * headroom)
    return {"title": {"text": title}, "tickvals": ticks, "ticktext": text, "range": bounds}


def _exact(label: str, axis: str = "y") -> str:
    return f"{label}: £%{{{axis}:,.0f}}<extra></extra>"


def monthly_budget_and_actual(frame: pd.DataFrame, events: pd.DataFrame | None = None,
                              height: int = 440) -> go.Figure:
    """Budget and actual spend each month, the months not yet closed shaded and labelled, milestones marked.

    `frame` has month, budget_gbp and actual_gbp (empty for months not closed), as spending.monthly gives.
    """
    figure = new_figure(height)
    figure.add_trace(trace("scatter",
        x=frame["month"], y=frame["budget_gbp"], name="Budget", mode="lines+markers",
        line={"color": PALETTE[0], "dash": "dash", "width": 3}, marker={"symbol": "square", "size": 7},
        hovertemplate=_exact("Budget")))
    figure.add_trace(trace("scatter",
        x=frame["month"], y=frame["actual_gbp"], name="Actual (closed months)", mode="lines+markers",
        line={"color": PALETTE[1], "width": 3}, marker={"symbol": "circle", "size": 8},
        hovertemplate=_exact("Actual")))
    open_months = frame.loc[frame["actual_gbp"].isna(), "month"]
    marks = event_marks(events)
    if len(open_months):
        marks.insert(0, shaded_span(open_months.min() - pd.Timedelta(days=15), open_months.max() + pd.Timedelta(days=15),
                                    "Not yet closed: budget only"))
    figure.update_layout(
        shapes=[m[0] for m in marks], annotations=[m[1] for m in marks], hovermode="x unified",
        xaxis={"title": {"text": ""}},
        yaxis=_money_axis([*frame["budget_gbp"], *frame["actual_gbp"]], "Spend per month", 1.12))
    return figure


def variance_by_line(frame: pd.DataFrame, *, category: str = "line", value: str = "variance_gbp",
                     x_title: str = "Forecast variance (forecast outturn − budget)") -> go.Figure:
    """Horizontal bars of each line's variance, largest overspend at the top, each labelled in words."""
    ordered = frame.sort_values(value, ascending=True, kind="stable")
    figure = new_figure(max(320, 42 * len(ordered) + 140))
    for name, mask, colour, pattern in (
            ("Overspend", ordered[value] > 0, OVER_COLOUR, ""),
            ("Underspend or on budget", ordered[value] <= 0, UNDER_COLOUR, "/")):
        part = ordered[mask]
        text = [f"{fmt.money(v)} over" if v > 0 else (f"{fmt.money(-v)} under" if v < 0 else "on budget")
                for v in part[value]]
        figure.add_trace(trace("bar",
            x=part[value], y=part[category], orientation="h", name=name, text=text, textposition="outside",
            cliponaxis=False, marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white",
                                                                   "solidity": 0.35, "fillmode": "overlay"}},
            customdata=text, hovertemplate="%{y}: £%{x:,.0f} (%{customdata})<extra></extra>"))
    axis = _money_axis(list(ordered[value]) or [0.0], x_title, 1.0)
    span = axis["range"][1] - axis["range"][0]
    axis["range"] = [axis["range"][0] - 0.22 * span * (ordered[value].min() < 0), axis["range"][1] + 0.22 * span]
    figure.update_layout(
        barmode="relative", xaxis={**axis, "zeroline": True, "zerolinecolor": TEXT_COLOUR, "zerolinewidth": 2,
                                   "showgrid": True, "gridcolor": GRID_COLOUR},
        yaxis={"title": {"text": ""}, "categoryorder": "array", "categoryarray": list(ordered[category])},
        margin={"l": 70, "r": 40})
    return figure


def spend_by_year(years: pd.DataFrame, allocation: pd.DataFrame | None = None, *,
                  allocation_label: str = "Published high needs block allocation", height: int = 460) -> go.Figure:
    """Spend each financial year stacked by funding source, the rest of an open year as forecast, budget marked.

    `years` is spending.by_year's frame; `allocation` (financial_year, allocation_gbp) is drawn as a
    dotted line with diamonds for the years it covers.
    """
    figure = new_figure(height, barmode="stack")
    x = years["financial_year"]
    parts = (("actual_high_needs_block_gbp", "Actual: high needs block (DSG) lines", PALETTE[0], ""),
             ("actual_council_general_fund_gbp", "Actual: council general fund lines", PALETTE[1], "/"),
             ("not_closed_forecast_gbp", "Forecast for months not yet closed", FORECAST_COLOUR, "."))
    for column, label, colour, pattern in parts:
        if column not in years or not (years[column].abs() > 0).any():
            continue
        figure.add_trace(trace("bar",
            x=x, y=years[column], name=label,
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.3,
                                                 "fillmode": "overlay"}},
            hovertemplate=_exact(label)))
    figure.add_trace(trace("scatter",
        x=x, y=years["budget_gbp"], name="Budget", mode="markers",
        marker={"symbol": "line-ew", "size": 44, "line": {"width": 4, "color": TEXT_COLOUR}},
        hovertemplate=_exact("Budget")))
    values = [*years["budget_gbp"], *(years["actual_to_date_gbp"] + years["not_closed_forecast_gbp"])]
    if allocation is not None and len(allocation):
        figure.add_trace(trace("scatter",
            x=allocation["financial_year"], y=allocation["allocation_gbp"], name=allocation_label,
            mode="lines+markers", line={"color": PALETTE[3], "dash": "dot", "width": 3},
            marker={"symbol": "diamond", "size": 11}, hovertemplate=_exact(allocation_label)))
        values += list(allocation["allocation_gbp"])
    order = sorted(set(x) | (set(allocation["financial_year"]) if allocation is not None else set()))
    figure.update_layout(hovermode="x unified",
                         xaxis={"title": {"text": "Financial year (April to March)"}, "type": "category",
                                "categoryorder": "array", "categoryarray": order},
                         yaxis=_money_axis(values, "Spend in the year", 1.05))
    return figure


def unit_cost_by_year(frame: pd.DataFrame, *, value: str, label: str, partial: str = "forecast",
                      partial_words: str = "forecast", height: int = 380) -> go.Figure:
    """One bar per financial year, each labelled with its cost; a year still open is hatched and says so."""
    figure = new_figure(height)
    rows = [(year, float(cost), bool(open_year)) for year, cost, open_year
            in zip(frame["financial_year"], frame[value], frame[partial], strict=True) if pd.notna(cost)]
    for name, is_partial, colour, pattern in ((label, False, PALETTE[0], ""),
                                              (f"{label} ({partial_words})", True, PALETTE[5], "/")):
        part = [row for row in rows if row[2] is is_partial]
        if not part:
            continue
        suffix = f" ({partial_words})" if is_partial else ""
        figure.add_trace(trace("bar",
            x=[row[0] for row in part], y=[row[1] for row in part], name=name,
            text=[fmt.money(row[1], exact=None) + suffix for row in part], textposition="outside", cliponaxis=False,
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.35,
                                                 "fillmode": "overlay"}},
            hovertemplate=f"%{{x}}: £%{{y:,.0f}}{suffix}<extra></extra>"))
    figure.update_layout(xaxis={"title": {"text": "Financial year (April to March)"}, "type": "category",
                                "categoryorder": "array", "categoryarray": [row[0] for row in rows]},
                         yaxis=_money_axis([row[1] for row in rows], label, 1.15),
                         showlegend=any(row[2] for row in rows))
    return figure


def staffing_progress(progress: pd.DataFrame, *, target: float, target_label: str, height: int = 400) -> go.Figure:
    """Cumulative additional staffing spend by month against the straight line to the commitment."""
    figure = new_figure(height)
    figure.add_trace(trace("bar",
        x=progress["month"], y=progress["cumulative_additional_gbp"], name="Additional spend so far",
        marker={"color": PALETTE[0]}, hovertemplate=_exact("Additional spend so far")))
    figure.add_trace(trace("scatter",
        x=progress["month"], y=progress["required_gbp"], name="Straight line to the commitment",
        mode="lines+markers", line={"color": TEXT_COLOUR, "dash": "dash", "width": 3},
        marker={"symbol": "diamond", "size": 7}, hovertemplate=_exact("Needed by now")))
    figure.add_hline(y=target, line={"color": EVENT_COLOUR, "dash": "dot", "width": 2},
                     annotation_text=target_label, annotation_position="top left")
    values = [*progress["cumulative_additional_gbp"], *progress["required_gbp"], target]
    figure.update_layout(hovermode="x unified", xaxis={"title": {"text": ""}},
                         yaxis=_money_axis(values, "Cumulative additional spend", 1.12))
    return figure
