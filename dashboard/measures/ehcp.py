"""Measures for the EHC needs assessments and plans page, on top of the shared ones in measures/__init__.py.

Headline figures that also appear on the Overview (requests received, the 20-week rate, open and
overdue cases) come from the shared measures, so the two pages always agree. Frames here hold codes
(decisions, request sources, needs); the views turn them into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import contract, measures
from dashboard.dates import Window, is_month_end
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, Rate

# The categories the breakdown query can split the figures by.
DIMENSIONS = ("district", "locality", "primary_need", "age_group", "placement_type", "request_source")
WAIT_BANDS = (
    "0-6 weeks",
    "6-12 weeks",
    "12-16 weeks",
    "16-20 weeks",
    "20-30 weeks",
    "30-52 weeks",
    "Over 52 weeks",
)
OVERDUE_WAIT_BANDS = WAIT_BANDS[4:]  # past 20 weeks (measures.OVERDUE_BANDS by band order)


def period(filters: Filters) -> Window:
    """The filtered period as a window (the figures are counted over it unless a window is given)."""
    return Window(filters.period_start, filters.period_end)


def _months(window: Window) -> pd.DatetimeIndex:
    return pd.date_range(window.start.replace(day=1), window.end, freq="MS", name="month")


def share_agreed_to_assess(decisions: pd.DataFrame) -> Rate:
    """Requests agreed for assessment out of all requests received (as DfE publishes it), from decisions_by_month."""
    return Rate(int(decisions["assess"].sum()), int(decisions["requests"].sum()))


@measures.shared
def decisions_by_month(run: QueryRunner, filters: Filters, window: Window | None = None) -> pd.DataFrame:
    """Requests received each month of the window by decision (one column per decision code), with the total
    and the share agreed to assess."""
    window = window or period(filters)
    long = measures.requests_by_decision(run, filters, window)
    wide = (
        long.groupby(["month", "decision"])["requests"]
        .sum()
        .unstack("decision")
        .reindex(_months(window))
        .reindex(columns=list(contract.DECISIONS))
        .fillna(0)
        .astype(int)
    )
    wide.index.name = "month"
    wide["requests"] = wide.sum(axis=1)
    wide["share_assessed"] = (100.0 * wide["assess"] / wide["requests"]).where(wide["requests"] > 0)
    return wide.reset_index()


def requests_by_month_and_category(
    run: QueryRunner, filters: Filters, dimension: str, window: Window | None = None
) -> pd.DataFrame:
    """Requests received each month by a category (request source, district, ...), long form."""
    return measures.monthly_rows(
        run,
        "requests_by_month_and_category",
        filters,
        window or period(filters),
        extra={"dimension": dimension},
    )


@measures.shared
def requests_by_source(run: QueryRunner, filters: Filters, window: Window | None = None) -> pd.DataFrame:
    """Requests received each month of the window, one column per request source code (every month and source)."""
    window = window or period(filters)
    long = requests_by_month_and_category(run, filters, "request_source", window)
    wide = (
        long.groupby(["month", "category"])["requests"]
        .sum()
        .unstack("category")
        .reindex(_months(window))
        .reindex(columns=list(contract.REQUEST_SOURCES))
        .fillna(0)
        .astype(int)
    )
    wide.index.name = "month"
    return wide.reset_index()


@dataclass(frozen=True)
class Funnel:
    """What happened to the requests received in a period, stage by stage."""

    requests: int
    decided: int
    awaiting_decision: int
    agreed_to_assess: int
    not_assessed: int
    withdrawn_before_decision: int
    plan_issued: int
    plan_not_issued: int
    withdrawn_during_assessment: int
    assessment_ongoing: int


@measures.shared
def assessment_funnel(run: QueryRunner, filters: Filters, window: Window | None = None) -> Funnel:
    """The journey from request to plan for requests received in the window (as the extract stands)."""
    frame = measures.requests_by_decision(run, filters, window or period(filters))
    decision = frame.groupby("decision")["requests"].sum()
    outcome = frame.groupby("outcome")["requests"].sum()
    total = int(frame["requests"].sum())
    return Funnel(
        requests=total,
        decided=total - int(decision.get("pending", 0)),
        awaiting_decision=int(decision.get("pending", 0)),
        agreed_to_assess=int(decision.get("assess", 0)),
        not_assessed=int(decision.get("not_assess", 0)),
        withdrawn_before_decision=int(decision.get("withdrawn", 0)),
        plan_issued=int(outcome.get("plan_issued", 0)),
        plan_not_issued=int(outcome.get("plan_not_issued", 0)),
        withdrawn_during_assessment=int(outcome.get("withdrawn", 0)),
        assessment_ongoing=int(outcome.get("ongoing", 0)),
    )


@measures.shared
def timeliness_by_month(run: QueryRunner, filters: Filters, window: Window | None = None) -> pd.DataFrame:
    """20-week rates (including and excluding exceptions), DfE weeks bands and mean/median weeks by month of issue."""
    window = window or period(filters)
    frame = measures.timeliness(run, filters, window)
    frame = pd.DataFrame({"month": _months(window)}).merge(frame, on="month", how="left")
    counts = [
        "plans_issued",
        "within_20_weeks",
        "plans_issued_ex",
        "within_20_weeks_ex",
        "over_20_to_52_weeks",
        "over_52_weeks",
    ]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["rate_incl"] = (100.0 * frame["within_20_weeks"] / frame["plans_issued"]).where(
        frame["plans_issued"] > 0
    )
    frame["rate_excl"] = (100.0 * frame["within_20_weeks_ex"] / frame["plans_issued_ex"]).where(
        frame["plans_issued_ex"] > 0
    )
    return frame


def yearly_timeliness(monthly: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year totals of the monthly timeliness frame: the DfE bands and both 20-week rates."""
    frame = monthly.assign(year=monthly["month"].dt.year)
    weighted = frame.assign(days_sum=frame["mean_weeks"].fillna(0) * frame["plans_issued"])
    yearly = weighted.groupby("year", as_index=False)[
        [
            "plans_issued",
            "within_20_weeks",
            "plans_issued_ex",
            "within_20_weeks_ex",
            "over_20_to_52_weeks",
            "over_52_weeks",
            "days_sum",
        ]
    ].sum()
    yearly["rate_incl"] = (100.0 * yearly["within_20_weeks"] / yearly["plans_issued"]).where(
        yearly["plans_issued"] > 0
    )
    yearly["rate_excl"] = (100.0 * yearly["within_20_weeks_ex"] / yearly["plans_issued_ex"]).where(
        yearly["plans_issued_ex"] > 0
    )
    yearly["mean_weeks"] = (yearly["days_sum"] / yearly["plans_issued"]).where(yearly["plans_issued"] > 0)
    return yearly.drop(columns="days_sum")


def decision_timeliness_by_month(
    run: QueryRunner, filters: Filters, window: Window | None = None
) -> pd.DataFrame:
    """Decisions on whether to assess made each month of the window (every month), and the share within six weeks."""
    window = window or period(filters)
    frame = measures.monthly_rows(run, "decision_timeliness_by_month", filters, window)
    frame = pd.DataFrame({"month": _months(window)}).merge(frame, on="month", how="left")
    frame[["decisions", "within_6_weeks"]] = frame[["decisions", "within_6_weeks"]].fillna(0).astype(int)
    frame["rate"] = (100.0 * frame["within_6_weeks"] / frame["decisions"]).where(frame["decisions"] > 0)
    return frame


def decision_rate(frame: pd.DataFrame) -> Rate:
    """Six-week decision timeliness over all the months of a decision_timeliness_by_month frame."""
    return Rate(int(frame["within_6_weeks"].sum()), int(frame["decisions"].sum()))


def open_cases_by_wait(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Open cases at a date by weeks waited (every band present) and stage, wide."""
    long = measures.open_cases(run, filters, at)
    wide = (
        long.groupby(["weeks_waited", "stage"])["open_cases"]
        .sum()
        .unstack("stage")
        .reindex(index=list(WAIT_BANDS), columns=["Awaiting decision", "Being assessed"])
        .fillna(0)
        .astype(int)
    )
    wide.index.name = "weeks_waited"
    wide["Open cases"] = wide.sum(axis=1)
    return wide.reset_index()


def open_caseload_by_month(run: QueryRunner, filters: Filters, until: date) -> pd.DataFrame:
    """Open and overdue cases at each month end of the period up to `until` (the date 'at a date' figures are
    for); when `until` falls inside a month, that month's row is at `until` itself, so the last figure is the
    one the page's tiles show."""
    frame = measures.monthly_rows(
        run,
        "open_caseload_by_month",
        filters,
        Window(filters.period_start, min(filters.period_end, until)),
        month="month_end",
    )
    if len(frame) and not is_month_end(until) and frame["month_end"].iloc[-1] > pd.Timestamp(until):
        now = measures.open_assessments(run, filters, until)
        frame.loc[frame.index[-1], ["month_end", "open_cases", "overdue"]] = [
            pd.Timestamp(until),
            now.open,
            now.overdue,
        ]
    return frame


def about_to_breach(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Open cases that pass 20 weeks within 4 and 8 weeks of `at`, by district and need (counts only)."""
    return run("about_to_breach", {**filters.scope_params(), "at": at})


def about_to_breach_by(breach: pd.DataFrame, column: str) -> pd.DataFrame:
    """An about_to_breach frame added up by one of its columns (district or primary need), with the cases
    that pass 20 weeks in 4 to 8 weeks (within 8 but not within 4)."""
    totals = breach.groupby(column, as_index=False)[["breach_within_4_weeks", "breach_within_8_weeks"]].sum()
    totals["breach_in_4_to_8_weeks"] = totals["breach_within_8_weeks"] - totals["breach_within_4_weeks"]
    return totals


def breakdown(
    run: QueryRunner, filters: Filters, dimension: str, at: date, window: Window | None = None
) -> pd.DataFrame:
    """Requests, plans, 20-week rates and open/overdue cases for each category of a dimension."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown breakdown {dimension!r}")
    window = window or period(filters)
    frame = run(
        "breakdown",
        {
            **filters.scope_params(),
            "period_start": window.start,
            "period_end": window.end,
            "dimension": dimension,
            "at": at,
        },
    )
    frame["rate_incl"] = (100.0 * frame["within_20_weeks"] / frame["plans_issued"]).where(
        frame["plans_issued"] > 0
    )
    frame["rate_excl"] = (100.0 * frame["within_20_weeks_ex"] / frame["plans_issued_ex"]).where(
        frame["plans_issued_ex"] > 0
    )
    return frame
