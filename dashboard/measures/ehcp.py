"""Measures for the EHC needs assessments and plans page, on top of the shared ones in measures.py.

Headline figures that also appear on the Overview (requests received, the 20-week rate, open and
overdue cases) come from measures.py, so the two pages always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import measures
from dashboard.dates import Window
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, Rate

DECISION_LABELS = {"assess": "Agreed to assess", "not_assess": "Not agreed", "withdrawn": "Withdrawn",
                   "pending": "Awaiting decision"}
SOURCE_LABELS = {"parent": "Parent or carer", "young_person": "Young person", "school": "School or college",
                 "early_years": "Early years setting", "health": "Health", "social_care": "Social care",
                 "other": "Other"}
PLACEMENT_LABELS = {"mainstream": "Mainstream", "resourced_provision": "Resourced provision or SEN unit",
                    "special_maintained": "Special school (LA maintained)",
                    "special_academy": "Special academy or free school",
                    "independent_special": "Independent or non-maintained special",
                    "alternative_provision": "Alternative provision", "post16": "Post-16 (FE or training)",
                    "other": "Other"}
# Breakdown dimensions: the label people see, and the sidebar filter (URL key) a click on a bar sets.
DIMENSIONS = {
    "district": ("District", "district"),
    "locality": ("Locality", "locality"),
    "primary_need": ("Primary need", "need"),
    "age_group": ("Age group", "age"),
    "placement_type": ("Placement named on issue", None),
    "request_source": ("Request source", None),
}
WAIT_BANDS = ("0-6 weeks", "6-12 weeks", "12-16 weeks", "16-20 weeks", "20-30 weeks", "30-52 weeks",
              "Over 52 weeks")


def period(filters: Filters) -> Window:
    """The filtered period as a window (the page's headline figures are counted over it)."""
    return Window(filters.period_start, filters.period_end)


def share_agreed_to_assess(decisions: pd.DataFrame) -> Rate:
    """Requests agreed for assessment out of all requests received (as DfE publishes it), from decisions_by_month."""
    return Rate(int(decisions["assess"].sum()), int(decisions["requests"].sum()))


def decisions_by_month(run: QueryRunner, filters: Filters) -> pd.DataFrame:
    """Requests received each month of the filtered period by decision, wide, with the share agreed to assess."""
    long = measures.requests_by_decision(run, filters, period(filters))
    months = pd.date_range(filters.period_start, filters.period_end, freq="MS")
    wide = (long.pivot_table(index="month", columns="decision", values="requests", aggfunc="sum")
            .reindex(months).reindex(columns=list(DECISION_LABELS)).fillna(0).astype(int))
    wide.index.name = "month"
    wide["requests"] = wide.sum(axis=1)
    wide["share_assessed"] = (100.0 * wide["assess"] / wide["requests"]).where(wide["requests"] > 0)
    return wide.reset_index()


def requests_by_month_and_category(run: QueryRunner, filters: Filters, dimension: str) -> pd.DataFrame:
    """Requests received each month by a category (request source, district, ...), long form."""
    return measures.monthly_rows(run, "requests_by_month_and_category", filters, period(filters),
                                 extra={"dimension": dimension})


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


def assessment_funnel(run: QueryRunner, filters: Filters) -> Funnel:
    """The journey from request to plan for requests received in the filtered period."""
    frame = measures.requests_by_decision(run, filters, period(filters))
    decision = frame.groupby("decision")["requests"].sum()
    outcome = frame.groupby("outcome")["requests"].sum()
    total = int(frame["requests"].sum())
    return Funnel(
        requests=total, decided=total - int(decision.get("pending", 0)),
        awaiting_decision=int(decision.get("pending", 0)), agreed_to_assess=int(decision.get("assess", 0)),
        not_assessed=int(decision.get("not_assess", 0)), withdrawn_before_decision=int(decision.get("withdrawn", 0)),
        plan_issued=int(outcome.get("plan_issued", 0)), plan_not_issued=int(outcome.get("plan_not_issued", 0)),
        withdrawn_during_assessment=int(outcome.get("withdrawn", 0)),
        assessment_ongoing=int(outcome.get("ongoing", 0)))


def timeliness_by_month(run: QueryRunner, filters: Filters) -> pd.DataFrame:
    """20-week rates (including and excluding exceptions), DfE weeks bands and mean/median weeks by month of issue."""
    frame = measures.timeliness(run, filters, period(filters))
    months = pd.DataFrame({"month": pd.date_range(filters.period_start, filters.period_end, freq="MS")})
    frame = months.merge(frame, on="month", how="left")
    counts = ["plans_issued", "within_20_weeks", "plans_issued_ex", "within_20_weeks_ex", "over_20_to_52_weeks",
              "over_52_weeks"]
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["rate_incl"] = (100.0 * frame["within_20_weeks"] / frame["plans_issued"]).where(frame["plans_issued"] > 0)
    frame["rate_excl"] = (100.0 * frame["within_20_weeks_ex"] / frame["plans_issued_ex"]).where(
        frame["plans_issued_ex"] > 0)
    return frame


def yearly_timeliness(monthly: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year totals of the monthly timeliness frame: the DfE bands and both 20-week rates."""
    frame = monthly.assign(year=monthly["month"].dt.year)
    weighted = frame.assign(days_sum=frame["mean_weeks"].fillna(0) * frame["plans_issued"])
    yearly = weighted.groupby("year", as_index=False)[
        ["plans_issued", "within_20_weeks", "plans_issued_ex", "within_20_weeks_ex", "over_20_to_52_weeks",
         "over_52_weeks", "days_sum"]].sum()
    yearly["rate_incl"] = (100.0 * yearly["within_20_weeks"] / yearly["plans_issued"]).where(yearly["plans_issued"] > 0)
    yearly["rate_excl"] = (100.0 * yearly["within_20_weeks_ex"] / yearly["plans_issued_ex"]).where(
        yearly["plans_issued_ex"] > 0)
    yearly["mean_weeks"] = (yearly["days_sum"] / yearly["plans_issued"]).where(yearly["plans_issued"] > 0)
    return yearly.drop(columns="days_sum")


def decision_timeliness_by_month(run: QueryRunner, filters: Filters) -> pd.DataFrame:
    """Decisions on whether to assess made each month, and the share within six weeks."""
    frame = measures.monthly_rows(run, "decision_timeliness_by_month", filters, period(filters))
    frame["rate"] = (100.0 * frame["within_6_weeks"] / frame["decisions"]).where(frame["decisions"] > 0)
    return frame


def decision_rate(frame: pd.DataFrame) -> Rate:
    """Six-week decision timeliness over all the months of a decision_timeliness_by_month frame."""
    return Rate(int(frame["within_6_weeks"].sum()), int(frame["decisions"].sum()))


def open_cases_by_wait(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Open cases at a date by weeks waited (every band present) and stage, wide."""
    long = measures.open_cases(run, filters, at)
    wide = (long.pivot_table(index="weeks_waited", columns="stage", values="open_cases", aggfunc="sum")
            .reindex(index=list(WAIT_BANDS), columns=["Awaiting decision", "Being assessed"]).fillna(0).astype(int))
    wide.index.name = "weeks_waited"
    wide["Open cases"] = wide.sum(axis=1)
    return wide.reset_index()


def open_caseload_by_month(run: QueryRunner, filters: Filters, until: date) -> pd.DataFrame:
    """Open and overdue cases at each month end of the period (up to `until`, the as-of date)."""
    return measures.monthly_rows(run, "open_caseload_by_month", filters,
                                 Window(filters.period_start, min(filters.period_end, until)), month="month_end")


def about_to_breach(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Open cases that pass 20 weeks within 4 and 8 weeks of `at`, by district and need (counts only)."""
    return run("about_to_breach", {**filters.scope_params(), "at": at})


def breakdown(run: QueryRunner, filters: Filters, dimension: str, at: date) -> pd.DataFrame:
    """Requests, plans, 20-week rates and open/overdue cases for each category of a dimension."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown breakdown {dimension!r}")
    frame = run("breakdown", {**filters.params(), "dimension": dimension, "at": at})
    frame["rate_incl"] = (100.0 * frame["within_20_weeks"] / frame["plans_issued"]).where(frame["plans_issued"] > 0)
    frame["rate_excl"] = (100.0 * frame["within_20_weeks_ex"] / frame["plans_issued_ex"]).where(
        frame["plans_issued_ex"] > 0)
    return frame
