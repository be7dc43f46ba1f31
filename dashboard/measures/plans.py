"""EHC plans and annual reviews: the one definition of each caseload and review figure the dashboard shows.

Definitions (docs/data-contract.md, "Measures"):
  * Active plans at a date (the caseload): started on or before the date and not ceased by it. By current
    placement, primary need, district or locality, and the age group of the age at the date (age at the
    plan's start plus the whole years since). Growth is on the same date a year earlier.
  * Overdue annual reviews at a date: active plans whose last review meeting on or before the date (or, with
    none, the plan's start) is more than 12 calendar months before it; how long overdue is the time since
    those 12 months ran out (OVERDUE_BANDS).
  * Review decisions within 4 weeks: of meetings whose 28 days are over by the date, the share with the
    decision notified by day 28 (a decision still pending then is late). Amended plans within 12 weeks: of
    reviews decided 'amend' whose 84 days are over, the share finalised by day 84.
  * Phase transfers: plans due to move in September of a year (aged 4, 11 or 16 on 31 August of it, active on
    15 February), and whether the new placement was named by 15 February (31 March for post-16).
  * Ceased plans: by month of ceasing and SEN2 reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.filters import Filters
from dashboard.measures import QueryRunner, Rate

DECISION_DAYS = 28  # four weeks from the meeting to notify the decision
AMENDMENT_DAYS = 84  # twelve weeks from the meeting to finalise an amended plan (4 to notify, 8 to issue)
# The plan breakdowns a control offers (also their URL form) and the query's $by for each.
BREAKDOWNS = {
    "Placement": "placement_type",
    "Primary need": "primary_need",
    "Age": "age_group",
    "District": "district",
    "Locality": "locality",
}
OVERDUE_BANDS: tuple[tuple[str, str], ...] = (
    ("overdue_up_to_3_months", "Up to 3 months"),
    ("overdue_3_to_6_months", "3 to 6 months"),
    ("overdue_6_to_12_months", "6 to 12 months"),
    ("overdue_over_12_months", "Over 12 months"),
)
PHASES: dict[str, str] = {"reception": "Into reception", "year_7": "Into year 7", "post_16": "Into post-16"}
TRANSFER_AGES = {"reception": 4, "year_7": 11, "post_16": 16}


def _days(days: list[date]) -> list[date]:
    return sorted(set(days))


def active(run: QueryRunner, filters: Filters, days: list[date], by: str = "all") -> pd.DataFrame:
    """Active plans on each day, by `by` (a value of BREAKDOWNS, or 'all'): columns day, breakdown, active.

    The `active` column of `overdue`: one query counts the plans active on a day, whichever figure is asked."""
    return overdue(run, filters, days, by)[["day", "breakdown", "active"]]


def active_on(run: QueryRunner, filters: Filters, day: date) -> int:
    """Active plans on one day."""
    return int(active(run, filters, [day])["active"].sum())


@dataclass(frozen=True)
class Caseload:
    """Active plans at a date and a year before it."""

    at: date
    active: int
    year_before: int

    @property
    def growth(self) -> int:
        return self.active - self.year_before

    @property
    def growth_percent(self) -> float | None:
        return 100.0 * self.growth / self.year_before if self.year_before else None


def year_earlier(day: date) -> date:
    """The same date a year earlier (29 February falls back to the 28th)."""
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )


def caseload(run: QueryRunner, filters: Filters, at: date) -> Caseload:
    """Active plans at `at`, and on the same date a year earlier."""
    before = year_earlier(at)
    frame = active(run, filters, [before, at])
    counts = frame.groupby("day")["active"].sum()
    return Caseload(at, int(counts.get(at, 0)), int(counts.get(before, 0)))


def overdue(run: QueryRunner, filters: Filters, days: list[date], by: str = "all") -> pd.DataFrame:
    """Active plans and overdue annual reviews on each day, by `by`, with the overdue split by how long."""
    frame = run("plans_overdue_reviews", {**filters.scope_params(), "days": _days(days), "by": by}).copy()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


@dataclass(frozen=True)
class Overdue:
    """Annual reviews overdue at a date, of the plans active then, and how long overdue."""

    at: date
    active: int
    overdue: int
    by_band: dict[str, int]

    @property
    def rate(self) -> Rate:
        return Rate(self.overdue, self.active)


def overdue_at(run: QueryRunner, filters: Filters, at: date) -> Overdue:
    """Overdue annual reviews at `at`."""
    row = overdue(run, filters, [at]).sum(numeric_only=True)
    if row.empty:
        return Overdue(at, 0, 0, {label: 0 for _, label in OVERDUE_BANDS})
    return Overdue(
        at,
        int(row["active"]),
        int(row["overdue"]),
        {label: int(row[column]) for column, label in OVERDUE_BANDS},
    )


def review_timeliness(run: QueryRunner, filters: Filters, start: date, end: date, at: date) -> pd.DataFrame:
    """Review meetings by month from `start` to `end`: meetings, decisions due and made within 4 weeks,
    amendments due and finalised within 12 weeks (as at `at`), with the two rates."""
    frame = run(
        "plans_review_timeliness",
        {**filters.scope_params(), "period_start": start, "period_end": end, "at": at},
    ).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["decision_rate"] = (100.0 * frame["decided_within_4_weeks"] / frame["decisions_due"]).where(
        frame["decisions_due"] > 0
    )
    frame["amendment_rate"] = (100.0 * frame["amended_within_12_weeks"] / frame["amendments_due"]).where(
        frame["amendments_due"] > 0
    )
    return frame


def decision_rate(frame: pd.DataFrame) -> Rate:
    """Decisions notified within four weeks, over the months of a `review_timeliness` frame."""
    return Rate(int(frame["decided_within_4_weeks"].sum()), int(frame["decisions_due"].sum()))


def amendment_rate(frame: pd.DataFrame) -> Rate:
    """Amended plans finalised within 12 weeks, over the months of a `review_timeliness` frame."""
    return Rate(int(frame["amended_within_12_weeks"].sum()), int(frame["amendments_due"].sum()))


def deadline(transfer_year: int, phase: str) -> date:
    """The day the new placement must be named by: 15 February of the transfer year, 31 March for post-16."""
    return date(transfer_year, 3, 31) if phase == "post_16" else date(transfer_year, 2, 15)


def next_transfer_year(at: date) -> int:
    """The September move whose plans are being reviewed at `at`: this year's until its last deadline
    (31 March) has passed, then next year's."""
    return at.year if at <= date(at.year, 3, 31) else at.year + 1


def phase_transfers(run: QueryRunner, filters: Filters, years: list[int], at: date) -> pd.DataFrame:
    """Plans due to transfer in each of `years` by phase: due, named on time, named late, not yet named (at `at`)."""
    frame = run(
        "plans_phase_transfers", {**filters.scope_params(), "years": sorted(set(years)), "at": at}
    ).copy()
    frame["deadline"] = pd.to_datetime(frame["deadline"]).dt.date
    return frame


def weeks_to(deadline_day: date, at: date) -> int:
    """Whole weeks left from `at` to a deadline (0 in its last week, never negative)."""
    return max(0, (deadline_day - at).days // 7)


def ceased(run: QueryRunner, filters: Filters, start: date, end: date) -> pd.DataFrame:
    """Plans ceased from `start` to `end`, by month and reason."""
    frame = run("plans_ceased", {**filters.scope_params(), "period_start": start, "period_end": end}).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame
