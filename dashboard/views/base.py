"""What a view is: one answer to one question, the only way a chart reaches a user.

A view holds its table twin (exactly the figures the chart draws), a function that draws the chart from
that table, a title that states the finding, a summary in words, its export spec (which columns count
children and which are rates on what) and the filters it honours. Pages, Board slides and adviser
snapshots all render views, so a figure is the same wherever it appears; an export draws the same
chart from the suppressed table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt
from dashboard.charts.template import Mark, month_span, shaded_span
from dashboard.dates import Window, is_month_end, month_key
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, rag
from dashboard.measures.rag import Judgement, Target
from dashboard.outputs.suppression import Spec

AREA = "Lancashire"


@dataclass(frozen=True)
class Honours:
    """Which shared filters a view's figures follow; `note` says why the others do not apply."""

    period: bool = True
    area: bool = True
    need: bool = True
    age: bool = True
    requests: bool = True  # the request source and placement drill-downs
    note: str = ""

    def ignored(self, filters: Filters) -> list[str]:
        """The filters that are set but that this view does not follow, in words."""
        ignored = []
        if not self.area and (filters.localities or filters.districts):
            ignored.append("area")
        if not self.need and filters.needs:
            ignored.append("primary need")
        if not self.age and filters.age_groups:
            ignored.append("age group")
        if not self.requests and (filters.sources or filters.placements):
            ignored.append("request source or placement")
        return ignored

    def words(self, filters: Filters) -> str:
        """What a reader must know when a filter they set does not apply here ('' when every one does)."""
        ignored = self.ignored(filters)
        if not ignored:
            return ""
        return f"Not filtered by {fmt.words(ignored)}: {self.note or f'these figures are for all of {AREA}.'}"


EVERY_FILTER = Honours()
WHOLE_AREA = Honours(
    area=False,
    need=False,
    age=False,
    requests=False,
    note=f"the commitment is for all of {AREA}, so the filters do not apply.",
)


@dataclass(frozen=True)
class Drill:
    """Clicking a part of the chart sets a shared filter: its URL key, and the code a clicked point stands for."""

    filter_key: str
    code_of: Callable[[dict], str | None]


@dataclass(frozen=True)
class View:
    """One chart with its words, table twin and export rules, wherever it is shown."""

    key: str
    title: str
    summary: str
    table: pd.DataFrame
    spec: Spec
    draw: Callable[[pd.DataFrame], go.Figure] | None  # None: a table with no chart (a list of settings, say)
    filename: str
    honours: Honours = EVERY_FILTER
    notes: tuple[str, ...] = ()
    drill: Drill | None = None

    @cached_property
    def figure(self) -> go.Figure | None:
        """The chart, drawn from the table twin (None for a table-only view)."""
        return None if self.draw is None else self.draw(self.table)


@dataclass(frozen=True)
class Headline:
    """One headline figure at the top of a detail page, linking to the view that shows it in full."""

    label: str
    value: str
    help: str
    view: str | None = None  # key of the view that charts it (the page section it links to)
    delta: str | None = None
    delta_colour: str = "off"  # "normal", "inverse" or "off"
    judgement: Judgement | None = None


@dataclass(frozen=True)
class Context:
    """What every view is built from: the query runner, the shared filters and the data's date."""

    run: QueryRunner
    filters: Filters
    as_of: date

    @property
    def at(self) -> date:
        """The date 'at a date' figures are for: the end of the chosen period, capped at the data's date."""
        return min(self.filters.period_end, self.as_of)

    @property
    def period(self) -> Window:
        """The chosen period, ending at `at`."""
        return Window(self.filters.period_start, self.at)

    @property
    def partial_month(self) -> date | None:
        """The first day of the period's last month when that month is not over by the data's date."""
        return None if is_month_end(self.at) else self.at.replace(day=1)

    @property
    def months_words(self) -> str:
        """The chosen period in words, to its end date: 'Nov 2025 to Oct 2026', 'Jun 2024 to 16 May 2025'."""
        return fmt.span(self.filters.period_start, self.at)

    @property
    def file_months(self) -> str:
        """The chosen period as a download's file name has it: 2025-11_2026-10."""
        return f"{month_key(self.filters.period_start)}_{month_key(self.at)}"

    @cached_property
    def events(self) -> pd.DataFrame:
        """The milestones within the chosen period (for time-series charts)."""
        return self.run("events", self.filters.params())

    def events_between(self, start: date, end: date) -> pd.DataFrame:
        """The milestones between two dates (for charts that span more than the period)."""
        return self.run("events", {"period_start": start, "period_end": end})


def part_month(
    ctx: Context, what: str = "its figures are for part of the month", *, daily: bool = False
) -> tuple[list[Mark], tuple[str, ...]]:
    """The shading over the period's last month when it is not over at the data's date, and the note saying so.

    On a monthly axis the band covers the month's bar or point; on a daily axis (`daily`) it runs from the
    month's first day to the date.
    """
    month = ctx.partial_month
    if month is None:
        return [], ()
    text = f"To {fmt.day(ctx.at)}"
    mark = (
        shaded_span(month.isoformat(), ctx.at.isoformat(), text)
        if daily
        else month_span(month_key(month), text)
    )
    return [mark], (
        f"{fmt.month(month)} is shaded: the month was not over at {fmt.day(ctx.at)}, the data's date, "
        f"so {what}.",
    )


@dataclass(frozen=True)
class TargetPath:
    """The straight line a whole-area target requires, at the dates a chart shows, and its name in the legend."""

    values: list[float | None]
    label: str
    target: Target


def target_path(ctx: Context, metric: str, days: Sequence[date], *, unit: str = "") -> TargetPath | None:
    """The path the target for `metric` requires on each of `days`, from its baseline to its due date (the run
    rate the Notice asks for). None when there is no such target, no day is on the path, or the filters narrow
    the figures (targets are set for the whole area)."""
    target = rag.targets(ctx.run).get(metric)
    if target is None or ctx.filters.scoped:
        return None
    values = rag.required_path(target, days)
    if all(v is None for v in values):
        return None
    level = fmt.percent(target.target) if unit == "percent" else fmt.count(target.target)
    return TargetPath(
        [None if v is None else round(v, 1) for v in values],
        f"Target path: {level} by {fmt.day(target.due_date)}",
        target,
    )


def leaders(values: pd.Series) -> list[str]:
    """The names (the index) sharing the largest value, so a title names every one of them."""
    return [str(name) for name in values.index[values == values.max()]]


def month_column(frame: pd.DataFrame, column: str = "month") -> pd.Series:
    """Months as the tables and charts show them: 2026-10 (a chart reads it as a date)."""
    return pd.to_datetime(frame[column]).dt.strftime("%Y-%m")
