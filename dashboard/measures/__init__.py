"""Measures: the one definition of each figure, used by every page, export and test that shows it.

Each takes `run`, a function that runs a named query with parameters (the cached runner in the
app, a plain store in tests and benchmarks), so the arithmetic lives here once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.dates import Window
from dashboard.filters import Filters

QueryRunner = Callable[[str, dict], pd.DataFrame]

TWENTY_WEEKS_DAYS = 140
SIX_WEEKS_DAYS = 42


@dataclass(frozen=True)
class Rate:
    """A share with its numerator and denominator kept, so it can be suppressed or explained."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """The share as a percentage, or None when there is nothing to divide by."""
        return 100.0 * self.numerator / self.denominator if self.denominator else None


def frozen(value: object) -> Hashable:
    """A value as a dictionary key: lists (of districts, say) become tuples, dicts sorted tuples; anything else
    must be hashable as it is (dates, strings, numbers, None, frozen dataclasses such as Filters)."""
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    hash(value)
    return value


def shared(measure: Callable) -> Callable:
    """Mark a measure whose result depends only on the data and its arguments: with the app's runner (which
    has `keep`), it is worked out once per data version and arguments and shared by every session, so a filter
    state one viewer has drawn costs the next viewer no pandas. With any other runner (tests, benchmarks, the
    snapshot command) it runs as written. Its result must be a frame (each caller gets its own shallow copy)
    or immutable."""

    @functools.wraps(measure)
    def kept(run: QueryRunner, *args: object, **kwargs: object):
        keep = getattr(run, "keep", None)
        if keep is None:
            return measure(run, *args, **kwargs)
        key = ("measure", measure.__module__, measure.__qualname__, frozen(args), frozen(kwargs))
        return keep(key, lambda: measure(run, *args, **kwargs))

    return kept


def window_params(filters: Filters, window: Window) -> dict[str, object]:
    """The scope of `filters` over `window`, as the monthly queries take it."""
    return {**filters.scope_params(), "period_start": window.start, "period_end": window.end}


HISTORY_START = date(2014, 9, 1)  # the contract's earliest date


@shared
def monthly_rows(
    run: QueryRunner,
    name: str,
    filters: Filters,
    window: Window,
    month: str = "month",
    extra: dict | None = None,
) -> pd.DataFrame:
    """Rows of a by-month query for the window's months.

    With filters.through (the as-of date) and a window of whole months, the rows come from one query
    over all history to that date, cut to the window: the same rows, and one cached result whatever
    months are asked for. Otherwise the query runs over the window itself.
    """
    whole_months = window.start.day == 1 and (
        filters.through is not None
        and (window.end >= filters.through or (window.end + timedelta(days=1)).day == 1)
    )
    params = {**filters.scope_params(), **(extra or {})}
    if whole_months:
        frame = _with_months(
            run(name, {**params, "period_start": HISTORY_START, "period_end": filters.through}), month
        )
        # A month is in the window when it falls between the first day of the window's first month and the
        # first day of the month after its last (the same months as comparing calendar months, without them).
        first = pd.Timestamp(window.start.year, window.start.month, 1)
        after = pd.Timestamp(window.end.year, window.end.month, 1) + pd.DateOffset(months=1)
        return frame[(frame[month] >= first) & (frame[month] < after)].reset_index(drop=True)
    return _with_months(run(name, {**params, "period_start": window.start, "period_end": window.end}), month)


def _with_months(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    """The frame (a copy: the runner's may be kept in a cache) with its month column as dates. DuckDB gives
    dates already, so usually nothing is converted, and with copy-on-write the copy costs nothing until written."""
    frame = frame.copy(deep=False)
    if not pd.api.types.is_datetime64_any_dtype(frame[month]):
        frame[month] = pd.to_datetime(frame[month])
    return frame


def requests_by_decision(run: QueryRunner, filters: Filters, window: Window) -> pd.DataFrame:
    """Requests received in the window by month, decision and assessment outcome (long form)."""
    return monthly_rows(run, "requests_by_month_and_decision", filters, window)


def requests_received(run: QueryRunner, filters: Filters, window: Window) -> int:
    """Requests for an EHC needs assessment received in the window."""
    return int(requests_by_decision(run, filters, window)["requests"].sum())


def timeliness(run: QueryRunner, filters: Filters, window: Window) -> pd.DataFrame:
    """Plans issued in the window by month of issue, with 20-week counts, DfE bands and mean/median weeks."""
    return monthly_rows(run, "timeliness_by_month", filters, window)


def twenty_week_rate(run: QueryRunner, filters: Filters, window: Window, *, exclude_exceptions: bool) -> Rate:
    """Share of plans issued in the window that were issued within 20 weeks of the request."""
    frame = timeliness(run, filters, window)
    if exclude_exceptions:
        return Rate(int(frame["within_20_weeks_ex"].sum()), int(frame["plans_issued_ex"].sum()))
    return Rate(int(frame["within_20_weeks"].sum()), int(frame["plans_issued"].sum()))


@dataclass(frozen=True)
class OpenAssessments:
    """Requests open at a date: all, overdue beyond 20 weeks, and by stage."""

    at: date
    open: int
    overdue: int
    awaiting_decision: int
    being_assessed: int


# Bands of open_cases_by_wait past 20 weeks (20-30, 30-52, over 52).
OVERDUE_BANDS = (5, 6, 7)


def open_cases(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Requests open at `at` by band of weeks waited and stage (long form)."""
    return run("open_cases_by_wait", {**filters.scope_params(), "at": at})


def open_assessments(run: QueryRunner, filters: Filters, at: date) -> OpenAssessments:
    """Requests open at `at` and how many have waited more than 20 weeks."""
    frame = open_cases(run, filters, at)
    by_stage = frame.groupby("stage")["open_cases"].sum()
    return OpenAssessments(
        at,
        int(frame["open_cases"].sum()),
        int(frame.loc[frame["band_order"].isin(OVERDUE_BANDS), "open_cases"].sum()),
        int(by_stage.get("Awaiting decision", 0)),
        int(by_stage.get("Being assessed", 0)),
    )


@shared
def monthly_requests_and_plans(run: QueryRunner, filters: Filters) -> pd.DataFrame:
    """Requests received, plans issued and the 20-week rate (including exceptions) for each month.

    Built from the same monthly rows as the requests and 20-week figures (so from their cached queries).
    """
    window = Window(filters.period_start, filters.period_end)
    months = pd.DataFrame({"month": pd.date_range(filters.period_start, filters.period_end, freq="MS")})
    received = requests_by_decision(run, filters, window).groupby("month", as_index=False)["requests"].sum()
    issued = timeliness(run, filters, window)[["month", "plans_issued", "within_20_weeks"]]
    frame = months.merge(
        received.rename(columns={"requests": "requests_received"}), on="month", how="left"
    ).merge(issued, on="month", how="left")
    counts = ["requests_received", "plans_issued", "within_20_weeks"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["twenty_week_rate"] = (100.0 * frame["within_20_weeks"] / frame["plans_issued"]).where(
        frame["plans_issued"] > 0
    )
    return frame
