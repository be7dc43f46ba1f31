"""High-needs spending: budget against actual, year to date, forecast outturn, the lines behind it, unit costs.

The one definition of each spending figure, used by the Spending page, the Overview's forecast tile,
exports and tests. Each function takes `run`, a named-query runner, like the measures in measures.py.

Definitions (shown on the page and on the Data and methodology page):
- A financial year runs from 1 April to 31 March and is labelled 2025-26.
- A month is *closed* for a budget line, at a date, when the extract has an actual for it and the month
  had ended by that date. Budget and actual "to date" add up closed months only, so they compare like
  with like; a month whose ledger is still open counts as budget still to come.
- Financial-year-to-date (FYTD) variance at a date: actual minus budget over the closed months of the
  financial year that contains the date. Positive is an overspend. On 1 to 29 April it is £0 over no
  months, because the new year has no closed month yet.
- Forecast outturn for a financial year, two methods, worked out line by line and added up:
    * "budget" (the headline, the data contract's method): actual to date + budget for the months not
      yet closed. It assumes every line spends exactly to budget from now on.
    * "run_rate": actual to date + budget for the months not yet closed × the line's year-to-date
      actual ÷ budget. It assumes each line keeps over- or underspending at its rate so far (the budget
      profile keeps seasonal lines such as transport in shape). The ratio is 1 when no month has closed
      and never below 0 (a credit cannot make the rest of the year negative).
  Forecast variance = forecast outturn − full-year budget. For a year with every month closed both
  methods give the actual outturn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import contract
from dashboard.dates import FinancialYear, last_day
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, places, rag, shared

# Which lines the page's scope control covers: all of them, or those paid from one funding source
# (label for the control, words for a sentence, funding sources).
FUNDING_SCOPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "all": ("All lines", "all SEND spending lines", ()),
    "high_needs_block": ("High needs block lines", "the high needs block (DSG) lines", ("high_needs_block",)),
    "council_general_fund": (
        "General fund lines",
        "the council general fund lines",
        ("council_general_fund",),
    ),
}

LANCASHIRE = "E10000017"
ALLOCATION_LABEL = "DfE/ESFA published high needs block allocation"
ALLOCATION_NOTE = (
    "before deductions for academy recoupment and places ESFA funds directly; published for "
    "2019-20 to 2023-24 only"
)

INDEPENDENT_LINE = "independent_special_placements"
INDEPENDENT_SETTING = "independent_special"
EP_LINE = "ep_service"
STAFFING_LINE = "send_casework_staffing"


@dataclass(frozen=True)
class ForecastMethod:
    """A way to forecast the outturn, in words for the page."""

    key: str
    label: str
    short: str
    formula: str
    assumption: str


BUDGET_METHOD = ForecastMethod(
    "budget",
    "Budget for the months not yet closed",
    "At-budget forecast",
    "actual spend in the closed months + budget for the months not yet closed",
    "every line spends exactly to budget for the rest of the year (the data contract's method)",
)
RUN_RATE_METHOD = ForecastMethod(
    "run_rate",
    "Run-rate adjusted",
    "Run-rate forecast",
    "actual spend in the closed months + budget for the months not yet closed × (actual ÷ budget in the "
    "closed months), line by line",
    "each line keeps over- or underspending at its rate so far this year",
)
METHODS: dict[str, ForecastMethod] = {m.key: m for m in (BUDGET_METHOD, RUN_RATE_METHOD)}
HEADLINE_METHOD = BUDGET_METHOD.key


# ---------------------------------------------------------------------------------------------------
# Budget lines by financial year, with both forecasts


def financial_years(run: QueryRunner, as_of: date) -> pd.DataFrame:
    """Every financial year in the extract: first and last month, months, months closed at `as_of`."""
    return run("spending_financial_years", {"as_of": as_of})


def years_in_extract(run: QueryRunner, as_of: date) -> list[FinancialYear]:
    """The financial years the extract has, earliest first."""
    return [FinancialYear(int(year)) for year in financial_years(run, as_of)["fy_start_year"]]


def funding(scope: str) -> tuple[str, ...]:
    """The funding sources a scope of FUNDING_SCOPES covers (empty: every source)."""
    return FUNDING_SCOPES[scope][2]


def _financial_year_of(days: pd.Series) -> pd.Series:
    """The start year of the financial year each date falls in (April to March)."""
    return (days.dt.year - (days.dt.month < 4)).astype("int64")


def with_forecasts(frame: pd.DataFrame) -> pd.DataFrame:
    """Add both forecasts, the run-rate ratio and the variances to rows of budget and actual to date.

    Works on any frame with budget_gbp, budget_to_date_gbp, actual_to_date_gbp and budget_not_closed_gbp
    (one row per line), so the arithmetic of both methods lives here once.
    """
    frame = frame.copy()
    closed_budget, actual = frame["budget_to_date_gbp"], frame["actual_to_date_gbp"]
    ratio = (actual / closed_budget.where(closed_budget > 0)).fillna(1.0).clip(lower=0.0)
    frame["run_rate_ratio"] = ratio
    frame["ytd_variance_gbp"] = actual - closed_budget
    frame["forecast_budget_gbp"] = actual + frame["budget_not_closed_gbp"]
    frame["forecast_run_rate_gbp"] = actual + frame["budget_not_closed_gbp"] * ratio
    for key in METHODS:
        frame[f"variance_{key}_gbp"] = frame[f"forecast_{key}_gbp"] - frame["budget_gbp"]
    return frame


@shared
def by_year_and_line(
    run: QueryRunner, first: FinancialYear, last: FinancialYear, as_of: date, funding: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per financial year and budget line: full-year budget, budget and actual to date, both forecasts."""
    frame = run(
        "spending_by_year_and_line",
        {
            "first_year": first.start_year,
            "last_year": last.start_year,
            "as_of": as_of,
            "funding_sources": list(funding),
        },
    )
    return with_forecasts(frame)


@shared
def lines(
    run: QueryRunner,
    year: FinancialYear,
    as_of: date,
    method: str = HEADLINE_METHOD,
    funding: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The year's budget lines ranked by forecast variance under `method`, largest overspend first."""
    frame = by_year_and_line(run, year, year, as_of, funding)
    frame["forecast_gbp"] = frame[f"forecast_{method}_gbp"]
    frame["variance_gbp"] = frame[f"variance_{method}_gbp"]
    return frame.sort_values(["variance_gbp", "budget_line"], ascending=[False, True], ignore_index=True)


def overspend_drivers(ranked: pd.DataFrame, share: float = 0.75, most: int = 3) -> pd.DataFrame:
    """The overspending lines that make up most (`share`) of the total overspend, largest first (at most `most`)."""
    over = ranked[ranked["variance_gbp"] > 0].sort_values("variance_gbp", ascending=False)
    if over.empty:
        return over
    covered = over["variance_gbp"].cumsum() / over["variance_gbp"].sum()
    count = int((covered < share).sum()) + 1
    return over.head(min(count, most))


@dataclass(frozen=True)
class YearToDate:
    """Budget and actual over the closed months of a financial year, at a date."""

    financial_year: FinancialYear
    at: date
    budget_to_date: float
    actual_to_date: float
    months_closed: int
    last_closed_month: date | None

    @property
    def variance(self) -> float:
        """Actual minus budget over the closed months; positive is an overspend."""
        return self.actual_to_date - self.budget_to_date


@dataclass(frozen=True)
class Outturn:
    """A financial year's budget, actual to date and forecast outturn under one method, at a date."""

    financial_year: FinancialYear
    as_of: date
    method: str
    method_label: str
    method_text: str
    budget: float
    budget_to_date: float
    actual_to_date: float
    forecast: float
    months: int
    months_closed: int
    last_closed_month: date | None

    @property
    def variance(self) -> float:
        """Forecast outturn minus the full-year budget; positive is a forecast overspend."""
        return self.forecast - self.budget

    @property
    def year_to_date(self) -> YearToDate:
        return YearToDate(
            self.financial_year,
            self.as_of,
            self.budget_to_date,
            self.actual_to_date,
            self.months_closed,
            self.last_closed_month,
        )

    @property
    def ytd_variance(self) -> float:
        return self.year_to_date.variance

    @property
    def budget_not_closed(self) -> float:
        return self.budget - self.budget_to_date

    @property
    def is_final(self) -> bool:
        """True when every month of the year has closed, so the forecast is the actual outturn."""
        return self.months > 0 and self.months_closed >= self.months


def outturn_from_lines(
    frame: pd.DataFrame, year: FinancialYear, as_of: date, method: str = HEADLINE_METHOD
) -> Outturn:
    """Add up one year's rows of `by_year_and_line` into an Outturn under `method`."""
    rows = frame[frame["fy_start_year"] == year.start_year]
    chosen = METHODS[method]
    last_closed = rows["last_closed_month"].dropna()
    return Outturn(
        financial_year=year,
        as_of=as_of,
        method=chosen.key,
        method_label=chosen.label,
        method_text=f"Forecast outturn = {chosen.formula}. It assumes {chosen.assumption}.",
        budget=float(rows["budget_gbp"].sum()),
        budget_to_date=float(rows["budget_to_date_gbp"].sum()),
        actual_to_date=float(rows["actual_to_date_gbp"].sum()),
        forecast=float(rows[f"forecast_{method}_gbp"].sum()),
        months=int(rows["months"].max()) if len(rows) else 0,
        months_closed=int(rows["months_closed"].max()) if len(rows) else 0,
        last_closed_month=pd.Timestamp(last_closed.max()).date() if len(last_closed) else None,
    )


@shared
def forecast_outturn(
    run: QueryRunner,
    as_of: date,
    method: str = HEADLINE_METHOD,
    year: FinancialYear | None = None,
    funding: tuple[str, ...] = (),
) -> Outturn:
    """Forecast outturn of the financial year containing `as_of` (or `year`), all lines unless `funding` narrows them.

    The Overview's "high-needs forecast variance" is `forecast_outturn(run, as_of).variance`.
    """
    year = year or FinancialYear.containing(as_of)
    return outturn_from_lines(by_year_and_line(run, year, year, as_of, funding), year, as_of, method)


def fytd_variance(run: QueryRunner, at: date, funding: tuple[str, ...] = ()) -> YearToDate:
    """Budget, actual and variance over the closed months of the financial year containing `at`."""
    return forecast_outturn(run, at, funding=funding).year_to_date


# ---------------------------------------------------------------------------------------------------
# Months and years


@shared
def monthly(
    run: QueryRunner,
    first: FinancialYear,
    last: FinancialYear,
    as_of: date,
    budget_lines: tuple[str, ...] = (),
    funding: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Per month from `first` to `last`: budget, actual where closed, variance and the FYTD variance so far."""
    frame = run(
        "spending_monthly",
        {
            "period_start": first.start,
            "period_end": last.end,
            "as_of": as_of,
            "budget_lines": list(budget_lines),
            "funding_sources": list(funding),
        },
    ).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    closed = frame["lines_closed"] > 0
    frame["variance_gbp"] = (frame["actual_gbp"] - frame["budget_closed_gbp"]).where(closed)
    frame["fytd_variance_gbp"] = (
        frame["variance_gbp"].fillna(0.0).groupby(frame["fy_start_year"]).cumsum().where(closed)
    )
    return frame


@shared
def by_year(
    run: QueryRunner,
    first: FinancialYear,
    last: FinancialYear,
    as_of: date,
    funding: tuple[str, ...] = (),
    method: str = HEADLINE_METHOD,
) -> pd.DataFrame:
    """Per financial year: budget, actual to date (split by funding source), forecast outturn and variance."""
    frame = by_year_and_line(run, first, last, as_of, funding)
    grouped = frame.groupby("fy_start_year")
    years = (
        grouped[["budget_gbp", "actual_to_date_gbp", f"forecast_{method}_gbp"]]
        .sum()
        .join(grouped[["months", "months_closed"]].max())
        .rename(columns={f"forecast_{method}_gbp": "forecast_gbp"})
    )
    split = (
        frame.groupby(["fy_start_year", "funding_source"])["actual_to_date_gbp"].sum().unstack(fill_value=0.0)
    )
    for source in contract.FUNDING_SOURCES:
        years[f"actual_{source}_gbp"] = split[source] if source in split.columns else 0.0
    years = years.reset_index()
    years.insert(1, "financial_year", [FinancialYear(int(y)).label for y in years["fy_start_year"]])
    years["not_closed_forecast_gbp"] = years["forecast_gbp"] - years["actual_to_date_gbp"]
    years["variance_gbp"] = years["forecast_gbp"] - years["budget_gbp"]
    years["final"] = years["months_closed"] >= years["months"]
    return years


def published_allocation(run: QueryRunner, la_code: str = LANCASHIRE) -> pd.DataFrame:
    """The DfE/ESFA published high needs block allocation for the authority, by financial year."""
    return run("spending_high_needs_allocation", {"la_code": la_code})


# ---------------------------------------------------------------------------------------------------
# Unit costs


def _whole_area(first: FinancialYear, last: FinancialYear) -> Filters:
    # Spending has no district or need, so the counts it is divided by cover the whole area too.
    return Filters(first.start, last.end)


@shared
def independent_placement_costs(
    run: QueryRunner, first: FinancialYear, last: FinancialYear, as_of: date, method: str = HEADLINE_METHOD
) -> pd.DataFrame:
    """Per financial year: independent special placement spend per occupied independent special place.

    Spend is the year's outturn (the forecast under `method` while months are still open); places are
    occupied places in independent special settings at the latest census (snapshot) in the year, by
    the places page's own census measure.
    """
    spend = lines_for(run, first, last, as_of, INDEPENDENT_LINE, method)
    census = places.census(
        run, _whole_area(first, last), (INDEPENDENT_SETTING,), start=first.start, end=min(last.end, as_of)
    )
    census["fy_start_year"] = _financial_year_of(census["snapshot_date"])
    latest = (
        census.sort_values("snapshot_date")
        .groupby("fy_start_year")
        .tail(1)[["fy_start_year", "snapshot_date", "occupied"]]
        .rename(columns={"snapshot_date": "census_date", "occupied": "occupied_places"})
    )
    spend = spend.merge(latest, on="fy_start_year", how="left")
    spend["occupied_places"] = spend["occupied_places"].astype("Int64")
    spend["cost_per_place_gbp"] = spend["spend_gbp"] / spend["occupied_places"].where(
        spend["occupied_places"] > 0
    ).astype(float)
    return spend


@shared
def ep_assessment_costs(
    run: QueryRunner, first: FinancialYear, last: FinancialYear, as_of: date
) -> pd.DataFrame:
    """Per financial year: EP service spend per completed EP assessment, over the year's closed months.

    Both sides cover the same months (those closed for the EP service line), so a year still in progress
    compares like with like. Completions are EP advice completed in those months, across every provider
    and district, counted by the EP page's own query (ep_monthly).
    """
    spend = lines_for(run, first, last, as_of, EP_LINE, HEADLINE_METHOD)
    spend["spend_gbp"] = spend["actual_to_date_gbp"]
    monthly_ep = run(
        "ep_monthly",
        {
            **_whole_area(first, last).scope_params(),
            "by": "all",
            "period_start": first.start,
            "period_end": min(last.end, as_of),
        },
    )
    completed = pd.DataFrame(
        {"month": pd.to_datetime(monthly_ep["month"]), "completed": monthly_ep["completed"]}
    )
    completed["fy_start_year"] = _financial_year_of(completed["month"])
    completed = completed.merge(spend[["fy_start_year", "last_closed_month"]], on="fy_start_year")
    completed = completed[completed["month"] <= completed["last_closed_month"]]
    per_year = completed.groupby("fy_start_year", as_index=False)["completed"].sum()
    spend = spend.merge(per_year, on="fy_start_year", how="left")
    spend["completed"] = (
        spend["completed"].fillna(0).astype("Int64").where(spend["last_closed_month"].notna())
    )
    spend["cost_per_assessment_gbp"] = spend["spend_gbp"] / spend["completed"].where(
        spend["completed"] > 0
    ).astype(float)
    return spend


@shared
def lines_for(
    run: QueryRunner,
    first: FinancialYear,
    last: FinancialYear,
    as_of: date,
    line: str,
    method: str = HEADLINE_METHOD,
) -> pd.DataFrame:
    """One budget line per financial year: budget, actual to date, months closed and its outturn as `spend_gbp`."""
    frame = by_year_and_line(run, first, last, as_of)
    rows = frame[frame["budget_line"] == line]
    by_year_start = rows.groupby("fy_start_year")
    result = (
        by_year_start[["budget_gbp", "actual_to_date_gbp", f"forecast_{method}_gbp"]]
        .sum()
        .join(by_year_start[["months", "months_closed", "last_closed_month"]].max())
        .reset_index()
    )
    result = result.rename(columns={f"forecast_{method}_gbp": "spend_gbp"})
    result.insert(1, "financial_year", [FinancialYear(int(y)).label for y in result["fy_start_year"]])
    result["forecast"] = result["months_closed"] < result["months"]
    return result


@dataclass(frozen=True)
class StaffingCommitment:
    """Casework staffing spend in the commitment year above the year before, against the commitment."""

    target: rag.Target
    year: FinancialYear  # the year the commitment is for (the one containing its baseline date)
    baseline_year: FinancialYear  # the year before, whose spend is the baseline
    months_closed: int
    last_closed_month: date | None
    spend: float  # commitment-year spend over its closed months
    baseline_spend: float  # baseline-year spend over the same calendar months
    baseline_full_year: float  # baseline-year spend over all its closed months
    expected: float  # the straight line from the baseline to the target, at the last closed month's end
    judgement: rag.Judgement
    progress: pd.DataFrame  # month, spend, baseline month, baseline spend, additional, cumulative, required

    @property
    def additional(self) -> float:
        """Spend above the baseline year over the same months: the additional staffing so far."""
        return self.spend - self.baseline_spend

    @property
    def measured_to(self) -> date | None:
        """The end of the last closed month of the commitment year."""
        return last_day(self.last_closed_month) if self.last_closed_month else None


def staffing_target(run: QueryRunner) -> rag.Target | None:
    """The additional SEND staffing commitment in reference/targets.csv, or None when there is none."""
    return rag.targets(run).get("send_staffing_additional_gbp")


@shared
def staffing_commitment(run: QueryRunner, as_of: date) -> StaffingCommitment | None:
    """Additional casework staffing spend in the commitment year (its spend above the year before, month for month).

    The commitment year is the financial year containing the target's baseline date (2025-26 for the
    £5m); its baseline is the year before. Only months closed in the commitment year count, against the
    same calendar months a year earlier, so part of a year compares like with like. Judged by the shared
    RAG rule against the straight line from the baseline to the target at the end of the last closed month.
    None when targets.csv has no staffing commitment.
    """
    target = staffing_target(run)
    if target is None or target.baseline_date is None or target.due_date is None:
        return None
    year = FinancialYear.containing(target.baseline_date)
    baseline_year = year.previous
    months = monthly(run, baseline_year, year, as_of, budget_lines=(STAFFING_LINE,))
    this_year = months[months["fy_start_year"] == year.start_year][["month", "actual_gbp"]]
    before = months[months["fy_start_year"] == baseline_year.start_year][["month", "actual_gbp"]]
    before = before.assign(month=before["month"] + pd.DateOffset(years=1))
    progress = this_year.merge(before, on="month", how="left", suffixes=("", "_baseline"))
    progress = progress[progress["actual_gbp"].notna()].rename(
        columns={"actual_gbp": "spend_gbp", "actual_gbp_baseline": "baseline_spend_gbp"}
    )
    progress["baseline_spend_gbp"] = progress["baseline_spend_gbp"].fillna(0.0)
    progress["additional_gbp"] = progress["spend_gbp"] - progress["baseline_spend_gbp"]
    progress["cumulative_additional_gbp"] = progress["additional_gbp"].cumsum()
    start_value = target.baseline or 0.0
    progress["required_gbp"] = [
        rag.expected_by(
            last_day(m.date()),
            start=target.baseline_date,
            due=target.due_date,
            start_value=start_value,
            target=target.target,
        )
        for m in progress["month"]
    ]
    last_closed = progress["month"].max().date() if len(progress) else None
    measured_to = last_day(last_closed) if last_closed else target.baseline_date
    spend, baseline_spend = float(progress["spend_gbp"].sum()), float(progress["baseline_spend_gbp"].sum())
    expected = rag.expected_by(
        measured_to,
        start=target.baseline_date,
        due=target.due_date,
        start_value=start_value,
        target=target.target,
    )
    due_passed = measured_to >= target.due_date
    judgement = rag.judge(
        spend - baseline_spend,
        target.target,
        polarity=target.polarity,
        expected=None if due_passed else expected,
        due_passed=due_passed,
        unit=target.unit,
    )
    return StaffingCommitment(
        target,
        year,
        baseline_year,
        len(progress),
        last_closed,
        spend,
        baseline_spend,
        float(before["actual_gbp"].sum()),
        expected,
        judgement,
        progress.reset_index(drop=True),
    )
