"""Educational psychology (EP) measures: the one definition of each EP figure the dashboard shows.

Definitions (data-contract.md, "EP advice timeliness" and "EP backlog"):
  * Six-week timeliness: of EP advice completed in a period (by completion date), the share completed
    within 42 days of being requested.
  * Backlog at a date: advice requested on or before the date and not completed by it. Cancelled
    requests have no cancellation date in the extract, so they never count (exact at the as-of date).
    Age is the time since the request, in the bands of `AGE_BANDS`.
  * Additional completions (the Improvement Notice's 1,200): EP advice completed from the commitment's
    start date (targets.csv `baseline_date`) to a date, both days counted, less what the pre-commitment
    rate would have given over the same days. The baseline rate is the mean monthly completions in the
    six full calendar months before the start month. Time is counted in calendar months, both days
    included: 1 March to 31 May is 3 months; 5 June 2025 to 5 March 2026 is 9 months and 1 day (9 1/31).
    The commitment is for the whole partnership, so it ignores the area, need and age filters.
  * Required run rate: the straight line from 0 on the start date to the target on the due date (target /
    months); "needed from now" spreads what is left over the months left.
  * Projected date: when the target would be reached at the average additional completions a month so
    far. After the due date the commitment is judged on the figure at the due date (rag.judge, "Met" /
    "Missed narrowly" / "Missed"), and the month the target was actually reached is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.dates import Window, add_months, is_month_end, last_day, trailing_months
from dashboard.filters import Filters, whole_area
from dashboard.measures import QueryRunner, Rate, rag, shared

# Rates on fewer completions (or plans) than this are not drawn for a provider, an area or a quarter of plans
# (too noisy to read, and the disclosure rule's smallest denominator).
MIN_DENOMINATOR = 10
BASELINE_MONTHS = 6
# The area breakdown control's options (also their URL form) and the query's breakdown for each.
AREA_BREAKDOWNS = {"District": "district", "Locality": "locality"}
AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("waited_up_to_6_weeks", "Up to 6 weeks"),
    ("waited_6_to_12_weeks", "6 to 12 weeks"),
    ("waited_12_to_20_weeks", "12 to 20 weeks"),
    ("waited_20_to_52_weeks", "20 to 52 weeks"),
    ("waited_over_52_weeks", "Over 52 weeks"),
)
_ALL_AREAS = whole_area()


def _rate(numerator: pd.Series, denominator: pd.Series, minimum: int = 1) -> pd.Series:
    return (100.0 * numerator / denominator).where(denominator >= minimum)


_COUNTS = (
    "requested",
    "completed",
    "completed_within_6_weeks",
    "backlog",
    *(column for column, _ in AGE_BANDS),
)


def _with_rates(frame: pd.DataFrame, minimum: int) -> pd.DataFrame:
    frame["over_6_weeks"] = frame["backlog"] - frame["waited_up_to_6_weeks"]
    frame["six_week_rate"] = _rate(frame["completed_within_6_weeks"], frame["completed"], minimum)
    return frame


@shared
def monthly(
    run: QueryRunner,
    filters: Filters,
    end: date,
    by: str = "all",
    start: date | None = None,
    through: date | None = None,
) -> pd.DataFrame:
    """Per month (and per provider, district or locality): requests, completions, six-week timeliness, backlog.

    Months run from `start` (the filters' period start unless given) to `end`, the data's as-of date or
    the period end, whichever is earlier; the last month's backlog is at `end`. With `through` (the as-of
    date), the query runs to it and the months after `end` are dropped: the same rows when `end` is a
    month end, and one cached result whatever month the period ends in.
    """
    query_end = through if _can_cut(end, through) else end
    params = {
        **filters.scope_params(),
        "by": by,
        "period_start": start or filters.period_start,
        "period_end": query_end,
    }
    frame = run("ep_monthly", params).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    if query_end != end:
        frame = frame[frame["month"].dt.date <= end].reset_index(drop=True)
    return _with_rates(frame, 1 if by == "all" else MIN_DENOMINATOR)


def _can_cut(end: date, through: date | None) -> bool:
    """Whether rows queried to `through` and cut at `end` equal rows queried to `end`."""
    return through is not None and through >= end and is_month_end(end)


def total(frame: pd.DataFrame) -> pd.DataFrame:
    """A breakdown from `monthly(..., by=...)` added up to one row a month (every request is in one group)."""
    summed = frame.groupby(["month", "month_end"], as_index=False)[list(_COUNTS)].sum()
    return _with_rates(summed.assign(breakdown="All"), 1)


@dataclass(frozen=True)
class Backlog:
    """EP advice requests open at a date, and how long they have waited."""

    at: date
    open: int
    by_age: dict[str, int]

    @property
    def over_six_weeks(self) -> int:
        """Open requests already past the statutory six weeks."""
        return self.open - self.by_age["Up to 6 weeks"]


def backlog_in(frame: pd.DataFrame, at: date) -> Backlog:
    """The backlog at `at` read from a `monthly(...)` or `total(...)` frame whose last month ends at `at`."""
    row = frame[pd.to_datetime(frame["month_end"]).dt.date == at]
    if row.empty:
        return Backlog(at, 0, {label: 0 for _, label in AGE_BANDS})
    row = row[list(_COUNTS)].sum()
    return Backlog(at, int(row["backlog"]), {label: int(row[column]) for column, label in AGE_BANDS})


def backlog(run: QueryRunner, filters: Filters, at: date) -> Backlog:
    """The EP backlog at `at` and its age profile."""
    return backlog_in(monthly(run, filters, at, start=at), at)


def six_week_rate_in(frame: pd.DataFrame, window: Window) -> Rate:
    """Six-week timeliness over the whole months of a `monthly(...)` frame that fall in the window."""
    months = frame["month"].dt.date
    inside = frame[(months >= window.start.replace(day=1)) & (months <= window.end)]
    return Rate(int(inside["completed_within_6_weeks"].sum()), int(inside["completed"].sum()))


def six_week_rate(run: QueryRunner, filters: Filters, window: Window) -> Rate:
    """Share of EP advice completed in the window that was completed within six weeks of the request."""
    return six_week_rate_in(monthly(run, filters, window.end, start=window.start), window)


def peak_backlog(frame: pd.DataFrame) -> pd.Series | None:
    """The month-end row of `monthly(...)` with the largest backlog (the latest if tied)."""
    if frame.empty or frame["backlog"].max() == 0:
        return None
    peak = frame[frame["backlog"] == frame["backlog"].max()]
    return peak.iloc[-1]


def by_area(
    run: QueryRunner, filters: Filters, end: date, by: str, through: date | None = None
) -> pd.DataFrame:
    """Per district or locality: backlog at `end`, and completions and timeliness in the 12 months to `end`.

    The months come from one query over the filters' period (or the 12 months, if they start earlier),
    run to `through` as in `monthly`, so changing the period end reuses it.
    """
    window = trailing_months(end, 12)
    frame = monthly(run, filters, end, by, start=min(filters.period_start, window.start), through=through)
    frame = frame[frame["month"].dt.date >= window.start]
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "area",
                "backlog",
                "over_6_weeks",
                "completed",
                "completed_within_6_weeks",
                "six_week_rate",
            ]
        )
    last = frame[frame["month"] == frame["month"].max()].set_index("breakdown")
    totals = frame.groupby("breakdown")[["completed", "completed_within_6_weeks"]].sum()
    result = (
        totals.join(last[["backlog", "over_6_weeks"]]).reset_index().rename(columns={"breakdown": "area"})
    )
    result["six_week_rate"] = _rate(result["completed_within_6_weeks"], result["completed"], MIN_DENOMINATOR)
    return result.sort_values(["backlog", "area"], ascending=[False, True], ignore_index=True)


# ---------------------------------------------------------------------------------------------------
# The commitment to additional EP assessments


def months_elapsed(start: date, end: date) -> float:
    """Calendar months from `start` to `end`: whole months (5 Jun to 5 Mar = 9) plus the part month in days."""
    if end <= start:
        return 0.0
    whole = (end.year - start.year) * 12 + end.month - start.month
    if _same_day_months_on(start, whole) > end:
        whole -= 1
    anchor, following = _same_day_months_on(start, whole), _same_day_months_on(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def add_months_exact(start: date, months: float) -> date:
    """The date `months` calendar months after `start` (the inverse of `months_elapsed`)."""
    whole = int(months)
    anchor, following = _same_day_months_on(start, whole), _same_day_months_on(start, whole + 1)
    return anchor + timedelta(days=round((months - whole) * (following - anchor).days))


def _same_day_months_on(start: date, months: int) -> date:
    first = add_months(start, months)
    return first.replace(day=min(start.day, last_day(first).day))


@dataclass(frozen=True)
class EpCommitment:
    """Progress on the commitment to additional EP assessments, as at a date."""

    target: rag.Target
    at: date
    start: date
    due: date
    baseline_window: Window
    baseline_completions: int
    completions: int  # completed from the start date to min(at, due), both days counted
    additional: float  # completions less the baseline rate over the same months
    additional_latest: float  # the same up to `at`, after the due date too
    expected: float  # where the straight line from 0 at the start to the target is by now
    progress: pd.DataFrame  # month_end, completed, cumulative, baseline_expected, additional, required
    judgement: rag.Judgement
    projected_date: date | None  # when the target is reached at the average rate so far (None: never)
    reached_month: date | None  # first month end at which the additional completions reached the target

    @property
    def baseline_monthly(self) -> float:
        """Mean completions a month in the six full months before the commitment started."""
        return self.baseline_completions / BASELINE_MONTHS

    @property
    def months_total(self) -> float:
        """Calendar months from the start date to the due date, both days counted."""
        return _months_through(self.start, self.due)

    @property
    def months_so_far(self) -> float:
        """Calendar months from the start date to `at` (or the due date, if earlier), both days counted."""
        return _months_through(self.start, min(self.at, self.due))

    @property
    def required_monthly(self) -> float:
        """Additional completions a month needed from the start to reach the target by the due date."""
        return self.target.target / self.months_total

    @property
    def current_monthly(self) -> float | None:
        """Average additional completions a month so far."""
        return self.additional / self.months_so_far if self.months_so_far else None

    @property
    def due_passed(self) -> bool:
        return self.at >= self.due

    @property
    def needed_monthly_from_now(self) -> float | None:
        """Additional completions a month needed from now to reach the target on time (None once due)."""
        remaining = months_elapsed(self.at + timedelta(days=1), self.due + timedelta(days=1))
        if self.due_passed or remaining <= 0:
            return None
        return max(self.target.target - self.additional, 0.0) / remaining


def ep_target(run: QueryRunner) -> rag.Target | None:
    """The EP commitment in reference/targets.csv, or None when the file has no such row."""
    return rag.targets(run).get("ep_additional_assessments")


@shared
def commitment(run: QueryRunner, at: date, through: date | None = None) -> EpCommitment | None:
    """Additional EP completions since the commitment started, against the target and its straight line.

    None when targets.csv has no EP commitment, or `at` is before the commitment starts. `through` (the
    as-of date) lets the monthly query be shared whatever `at` is, as in `monthly`.
    """
    target = ep_target(run)
    if target is None or target.baseline_date is None or target.due_date is None or at < target.baseline_date:
        return None
    start, due = target.baseline_date, target.due_date
    month_start = start.replace(day=1)
    baseline_window = Window(add_months(month_start, -BASELINE_MONTHS), month_start - timedelta(days=1))
    baseline_completions = _completed(run, baseline_window.start, baseline_window.end)["completed"].sum()
    baseline_monthly = baseline_completions / BASELINE_MONTHS

    progress = _completed(run, start, through if _can_cut(at, through) else at)[
        ["month_end", "completed"]
    ].copy()
    progress["month_end"] = pd.to_datetime(progress["month_end"]).dt.date
    progress = progress[progress["month_end"] <= at].reset_index(drop=True)
    progress["cumulative"] = progress["completed"].cumsum()
    elapsed = progress["month_end"].map(lambda day: _months_through(start, day))
    total = _months_through(start, due)
    progress["baseline_expected"] = baseline_monthly * elapsed
    progress["additional"] = progress["cumulative"] - progress["baseline_expected"]
    progress["required"] = target.target * (elapsed / total).clip(upper=1.0)

    so_far = _months_through(start, min(at, due))
    completions = (
        int(progress["completed"].sum()) if at < due else int(_completed(run, start, due)["completed"].sum())
    )
    additional = completions - baseline_monthly * so_far
    latest = float(progress["additional"].iloc[-1]) if len(progress) else 0.0
    expected = target.target * min(so_far / total, 1.0)
    due_passed = at >= due
    judgement = rag.judge(
        additional,
        target.target,
        polarity=target.polarity,
        expected=None if due_passed else expected,
        due_passed=due_passed,
    )
    reached = progress[progress["additional"] >= target.target]
    reached_month = reached["month_end"].iloc[0] if len(reached) else None
    rate = additional / so_far if so_far else 0.0
    projected = add_months_exact(start, target.target / rate) if rate > 0 else None
    progress["month_end"] = pd.to_datetime(progress["month_end"])
    return EpCommitment(
        target,
        at,
        start,
        due,
        baseline_window,
        int(baseline_completions),
        completions,
        float(additional),
        latest,
        float(expected),
        progress,
        judgement,
        projected,
        reached_month,
    )


def _months_through(start: date, day: date) -> float:
    """Calendar months from the start of `start` to the end of `day` (1 Mar to 31 Mar = 1)."""
    return months_elapsed(start, day + timedelta(days=1))


def _completed(run: QueryRunner, start: date, end: date) -> pd.DataFrame:
    return run("ep_monthly", {**_ALL_AREAS, "by": "all", "period_start": start, "period_end": end})


# ---------------------------------------------------------------------------------------------------
# How late EP advice feeds the 20-week failure


@dataclass(frozen=True)
class DelayEffect:
    """For plans issued in a period: how many had late EP advice, and the 20-week rate with and without it."""

    plans_issued: int
    late_ep_advice: Rate  # of plans with EP advice recorded, the share whose advice was late
    twenty_weeks_with_late_ep: Rate
    twenty_weeks_with_timely_ep: Rate


def delay_by_quarter(
    run: QueryRunner, filters: Filters, end: date, through: date | None = None
) -> pd.DataFrame:
    """Per calendar quarter of plan issue: share with late EP advice and the 20-week rate with and without it.

    Each share is blank on fewer than MIN_DENOMINATOR plans. The query counts by month, so it can run to
    `through` and be cut at `end` (as in `monthly`); the months are added up into calendar quarters here.
    """
    query_end = through if _can_cut(end, through) else end
    months = run(
        "ep_delay_and_twenty_weeks",
        {**filters.scope_params(), "period_start": filters.period_start, "period_end": query_end},
    )
    months = months[pd.to_datetime(months["month"]).dt.date <= end]
    quarter = pd.to_datetime(months["month"]).dt.to_period("Q").dt.start_time.rename("quarter")
    frame = months.drop(columns="month").groupby(quarter).sum().reset_index()
    with_advice = frame["late_ep_advice"] + frame["timely_ep_advice"]
    frame["late_share"] = _rate(frame["late_ep_advice"], with_advice, MIN_DENOMINATOR)
    frame["late_twenty_week_rate"] = _rate(
        frame["late_ep_advice_within_20_weeks"], frame["late_ep_advice"], MIN_DENOMINATOR
    )
    frame["timely_twenty_week_rate"] = _rate(
        frame["timely_ep_advice_within_20_weeks"], frame["timely_ep_advice"], MIN_DENOMINATOR
    )
    return frame


def delay_effect(frame: pd.DataFrame) -> DelayEffect:
    """Totals over the quarters of `delay_by_quarter(...)`."""
    total = frame.sum(numeric_only=True)
    late, timely = int(total["late_ep_advice"]), int(total["timely_ep_advice"])
    return DelayEffect(
        int(total["plans_issued"]),
        Rate(late, late + timely),
        Rate(int(total["late_ep_advice_within_20_weeks"]), late),
        Rate(int(total["timely_ep_advice_within_20_weeks"]), timely),
    )
