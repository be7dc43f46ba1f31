"""The outlook's inputs and results: everything the page, the snapshot and the command line show, worked out
from bound-parameter queries (a `run` function, as every measure takes) with no Streamlit.

`prepare` does the slow part once per data version (the queries and the statsmodels fits); `scenario` runs
the simulator for one set of capacities, in milliseconds, so a change of control never refits anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.dates import Window, add_months, is_month_end, last_day
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, places, rag
from dashboard.outlook import forecast, simulator
from dashboard.outlook.simulator import Capacity, Caseload

FORECAST_MONTHS = 24  # shown ahead
SIMULATED_MONTHS = 36  # the simulator looks this far ahead for the backlog to clear
RECENT_MONTHS = 3  # the controls' defaults: the last three whole months' actuals
SHARE_MONTHS = 12  # shares (carried on, conversion, specialist placements) from the last 12 months
VALIDATION_MONTHS = 6
TARGET_METRIC = "twenty_week_rate_ex"
HISTORY_START = date(2014, 9, 1)
STEP_YEAR = 2023  # the year requests more than doubled; the backtest across it is always shown
WHOLE_AREA = "All localities"
# The controls' bounds, for the page and the command line alike.
# A control's ceiling: well above a whole region's monthly flows (England receives about 13,000 requests a
# month), so a default taken from the data is never cut down to it.
MAX_PER_MONTH = 100_000
MIN_GROWTH, MAX_GROWTH = -50.0, 200.0


@dataclass(frozen=True)
class Validation:
    """The simulator started at a past month end with that period's actual flows, against what happened."""

    start: date
    table: pd.DataFrame  # month, actual_open, projected_open, actual_overdue, projected_overdue

    def mean_abs_pct_error(self, what: str = "open") -> float:
        """Mean absolute error of the projected open (or overdue) caseload, % of the actual, over the months.

        With every month's actual flows replayed, the open caseload is an accounting identity (what came in
        less what left) unless a stage runs dry, so its error is near nil; the overdue caseload depends on
        which cases the model takes first and how long each stage holds them, so it is the real test.
        """
        actual, projected = self.table[f"actual_{what}"], self.table[f"projected_{what}"]
        return float((100 * (projected - actual).abs() / actual.where(actual > 0)).mean())

    def max_abs_pct_error(self, what: str = "open") -> float:
        """The largest error in any month, % of that month's actual open (or overdue) caseload."""
        actual, projected = self.table[f"actual_{what}"], self.table[f"projected_{what}"]
        return float((100 * (projected - actual).abs() / actual.where(actual > 0)).max())


@dataclass(frozen=True)
class Outlook:
    """What the outlook page is built from, for one data version."""

    as_of: date
    start: date  # the month end the projections start from (the last whole month at the data's date)
    history: pd.DataFrame  # outlook_monthly_flows to `start`
    by_locality: pd.DataFrame  # month, locality, requests to `start`
    specification: str | None  # None: too little history to fit a forecast
    aicc: dict[str, float]
    forecasts: dict[str, pd.DataFrame]  # WHOLE_AREA and each locality -> forecast table (SIMULATED_MONTHS)
    backtests: dict[str, forecast.Backtest]  # 'recent' and 'step' (across STEP_YEAR) when history allows
    caseload: Caseload
    caseload_history: pd.DataFrame  # month, open_cases, overdue: the actual at the last 12 month ends
    defaults: Capacity
    baseline_growth_pct: float
    carried_on: float
    oldest_first: float  # the share of each stage's capacity given to the longest waits (model.calibrate)
    calibration: pd.DataFrame  # oldest_first, error: the overdue caseload's error for each share tried
    target: rag.Target | None
    validation: Validation | None
    specialist: pd.DataFrame  # school_year, need, demand, cumulative_demand, spare, pipeline, gap
    specialist_rates: dict[str, object]  # conversion and specialist_share (%), census (its date)

    def requests_forecast(self) -> list[float]:
        return self.forecasts[WHOLE_AREA]["forecast"].tolist()


def projection_start(as_of: date) -> date:
    """The last month end on or before the data's date: projections start from a whole month."""
    return as_of if is_month_end(as_of) else as_of.replace(day=1) - timedelta(days=1)


def _flows(run: QueryRunner, end: date) -> pd.DataFrame:
    frame = run("outlook_monthly_flows", {"period_start": HISTORY_START, "period_end": end}).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    # From the first month with a request: months before the extract starts are not zero demand.
    first = frame.index[frame["requests"] > 0]
    return frame.loc[first[0] :].reset_index(drop=True) if len(first) else frame.iloc[0:0]


def caseload_at(run: QueryRunner, at: date) -> Caseload:
    """The open requests at `at` by stage and received date."""
    return Caseload.from_frame(at, run("outlook_open_cases", {"at": at}))


def recent_capacity(history: pd.DataFrame, months: int = RECENT_MONTHS) -> Capacity:
    """Decisions, EP advice completed and plans issued a month, averaged over the last `months` months."""
    recent = history.tail(months)

    def average(column: str) -> float:
        return min(round(float(recent[column].mean()), 1), float(MAX_PER_MONTH)) if len(recent) else 0.0

    return Capacity(
        decisions=average("decisions"),
        ep_advice=average("ep_completed"),
        plans=average("plans_issued"),
        growth_pct=recent_growth(history, months),
    )


def recent_growth(history: pd.DataFrame, months: int = RECENT_MONTHS) -> float:
    """Requests in the last `months` months against the same months a year before, % change (0 without them),
    within the growth control's bounds."""
    if len(history) < months + 12:
        return 0.0
    now = float(history["requests"].iloc[-months:].sum())
    before = float(history["requests"].iloc[-months - 12 : -12].sum())
    # Held within the control's bounds (a short or patchy extract can swing far outside them).
    return min(max(round(100 * (now / before - 1), 1), MIN_GROWTH), MAX_GROWTH) if before else 0.0


def carried_on_share(history: pd.DataFrame, months: int = SHARE_MONTHS) -> float:
    """Of decisions in the last `months` months, the share decided to assess and not ended without a plan."""
    recent = history.tail(months)
    decisions = float(recent["decisions"].sum())
    return float(recent["carried_on"].sum()) / decisions if decisions else 0.0


def flat_forecast(series: pd.Series, start: date, months: int = SIMULATED_MONTHS) -> pd.DataFrame:
    """The average month of the last 12 (or fewer) held flat, with no intervals: the simulator's demand when
    there is too little history for a forecast."""
    level = float(series.tail(12).mean()) if len(series) else 0.0
    nothing = [float("nan")] * months
    return pd.DataFrame(
        {
            "month": pd.date_range(
                pd.Timestamp(add_months(start.replace(day=1), 1)), periods=months, freq="MS"
            ),
            "forecast": [level] * months,
            "lower_80": nothing,
            "upper_80": nothing,
            "lower_95": nothing,
            "upper_95": nothing,
        }
    )


def caseload_history(run: QueryRunner, end: date, months: int = 12) -> pd.DataFrame:
    """Open and overdue assessments at the last `months` month ends to `end`, as the EHCP page counts them."""
    frame = run(
        "open_caseload_by_month",
        {
            **Filters(HISTORY_START, end).scope_params(),
            "period_start": add_months(end.replace(day=1), 1 - months),
            "period_end": end,
        },
    ).copy()
    frame["month"] = pd.to_datetime(frame["month_end"]).dt.to_period("M").dt.to_timestamp()
    return frame[["month", "open_cases", "overdue"]]


def validate(
    run: QueryRunner,
    history: pd.DataFrame,
    end: date,
    months: int = VALIDATION_MONTHS,
    oldest_first: float | Sequence[float] = 1.0,
) -> Validation | None | list[Validation]:
    """Start the simulator `months` months before `end` with the actual requests, decisions, EP advice, plans
    and share carried on of each month that followed, and set its open caseload against the actual one.

    Given several shares of capacity for the longest waits, one Validation for each (the queries run once)."""
    start = last_day(add_months(end.replace(day=1), -months))
    replay = history[history["month"].dt.date > start].head(months)
    if len(replay) < months:
        return None
    capacities = [
        Capacity(float(row.decisions), float(row.ep_completed), float(row.plans_issued))
        for row in replay.itertuples()
    ]
    carried = (replay["carried_on"] / replay["decisions"].where(replay["decisions"] > 0)).fillna(0).tolist()
    caseload = caseload_at(run, start)
    everything = Filters(HISTORY_START, end).scope_params()
    actual = run(
        "open_caseload_by_month",
        {**everything, "period_start": add_months(start.replace(day=1), 1), "period_end": end},
    )
    results = []
    for share in [oldest_first] if np.isscalar(oldest_first) else oldest_first:
        projected = simulator.simulate(
            caseload, replay["requests"].tolist(), capacities, carried, float(share)
        )
        table = pd.DataFrame(
            {
                "month": projected["month"],
                "actual_open": actual["open_cases"].to_numpy(float)[:months],
                "projected_open": projected["open"].to_numpy(),
                "actual_overdue": actual["overdue"].to_numpy(float)[:months],
                "projected_overdue": projected["overdue"].to_numpy(),
            }
        )
        results.append(Validation(start, table))
    return results[0] if np.isscalar(oldest_first) else results


ORDER_SHARES = tuple(step / 10 for step in range(11))


def calibrate(run: QueryRunner, history: pd.DataFrame, end: date) -> tuple[float, pd.DataFrame]:
    """The share of capacity given to the longest waits that best replays the six months before the validation's:
    each of 0, 0.1, ... 1 is started 12 months before `end` with those months' actual flows, and the one whose
    overdue caseload is nearest the actual (mean absolute % error) is kept, so the validation that follows is on
    months the choice never saw. Strictly oldest first (1) when there is too little history to choose."""
    before = last_day(add_months(end.replace(day=1), -VALIDATION_MONTHS))
    checks = validate(run, history, before, oldest_first=ORDER_SHARES)
    if checks is None:
        return 1.0, pd.DataFrame(columns=["oldest_first", "error"])
    frame = pd.DataFrame(
        {"oldest_first": ORDER_SHARES, "error": [check.mean_abs_pct_error("overdue") for check in checks]}
    )
    finite = frame.dropna()
    best = float(finite.loc[finite["error"].idxmin(), "oldest_first"]) if len(finite) else 1.0
    return best, frame


def prepare(run: QueryRunner, as_of: date) -> Outlook:
    """Everything slow, once per data version: the queries, the forecast fits, backtests and validation."""
    start = projection_start(as_of)
    history = _flows(run, start)
    series = history.set_index("month")["requests"].astype(float)
    locality_rows = run(
        "outlook_requests_by_locality",
        {"period_start": series.index[0].date() if len(series) else start, "period_end": start},
    )
    locality_rows["month"] = pd.to_datetime(locality_rows["month"])
    backtests: dict[str, forecast.Backtest] = {}
    if len(series) < forecast.MIN_MONTHS:
        # Too short to learn a seasonal pattern: no forecast is shown, and the simulator's demand is the
        # average month of the last year, held flat.
        specification, aicc = None, {}
        forecasts = {WHOLE_AREA: flat_forecast(series, start)}
    else:
        best, aicc = forecast.choose(series, SIMULATED_MONTHS)
        specification, forecasts = best.specification, {WHOLE_AREA: best.table}
        for locality, rows in locality_rows.groupby("locality", sort=True):
            local = rows.set_index("month")["requests"].astype(float)
            forecasts[str(locality)] = forecast.fit(local, SIMULATED_MONTHS, specification).table
        recent_origin = series.index[-1] - pd.DateOffset(months=12)
        if (series.index <= recent_origin).sum() >= forecast.MIN_MONTHS:
            backtests["recent"] = forecast.backtest(series, recent_origin, specification)
        step_origin = pd.Timestamp(STEP_YEAR - 1, 12, 1)
        if (series.index <= step_origin).sum() >= forecast.MIN_MONTHS and (
            series.index > step_origin
        ).sum() >= 12:
            backtests["step"] = forecast.backtest(series, step_origin, specification)
    target = rag.targets(run).get(TARGET_METRIC)
    specialist, rates = specialist_gap(run, history, forecasts[WHOLE_AREA], as_of)
    defaults = recent_capacity(history)
    oldest_first, calibration = calibrate(run, history, start)
    return Outlook(
        as_of=as_of,
        start=start,
        history=history,
        by_locality=locality_rows,
        specification=specification,
        aicc=aicc,
        forecasts=forecasts,
        backtests=backtests,
        caseload=caseload_at(run, start),
        caseload_history=caseload_history(run, start),
        defaults=defaults,
        baseline_growth_pct=defaults.growth_pct,
        carried_on=carried_on_share(history),
        oldest_first=oldest_first,
        calibration=calibration,
        target=target,
        validation=validate(run, history, start, oldest_first=oldest_first),
        specialist=specialist,
        specialist_rates=rates,
    )


@dataclass(frozen=True)
class Scenario:
    """One run of the simulator: its name, capacity, month by month projection and when things happen."""

    name: str
    capacity: Capacity
    projection: pd.DataFrame
    cleared: date | None
    reached: date | None


def scenario(outlook: Outlook, capacity: Capacity, name: str = "Scenario") -> Scenario:
    """Run the simulator from the real open caseload at the start with these capacities."""
    requests = simulator.inflow(outlook.requests_forecast(), capacity.growth_pct, outlook.baseline_growth_pct)
    projection = simulator.simulate(
        outlook.caseload, requests, capacity, outlook.carried_on, outlook.oldest_first
    )
    reached = simulator.target_month(projection, outlook.target.target) if outlook.target else None
    return Scenario(name, capacity, projection, simulator.cleared_month(projection), reached)


def requirement(outlook: Outlook, capacity: Capacity, by: date) -> simulator.Requirement | None:
    """The EP advice and plans a month that reach the 20-week target by `by` (None without a target)."""
    if outlook.target is None:
        return None
    requests = simulator.inflow(outlook.requests_forecast(), capacity.growth_pct, outlook.baseline_growth_pct)
    return simulator.required_capacity(
        outlook.caseload,
        requests,
        capacity,
        outlook.carried_on,
        outlook.target.target,
        by,
        outlook.oldest_first,
    )


# ---------------------------------------------------------------------------------------------------
# Demand for specialist places


def school_year(month: pd.Timestamp) -> str:
    """The school year (September to August) a month falls in: '2026-27'."""
    first = month.year if month.month >= 9 else month.year - 1
    return f"{first}-{str(first + 1)[-2:]}"


LAST_SCHOOL_YEAR = "2027-28"


def specialist_gap(
    run: QueryRunner, history: pd.DataFrame, requests: pd.DataFrame, as_of: date
) -> tuple[pd.DataFrame, dict[str, object]]:
    """New specialist placements forecast by school year and designated need, against spare places plus the
    pipeline, to LAST_SCHOOL_YEAR (or the last school year the forecast reaches the end of).

    New plans = forecast requests x conversion (of requests decided in the last 12 months, the share agreed to
    assess and not ended without a plan: the simulator's share carried on) x the share
    of new plans naming a specialist placement (last 12 months), split by need as those plans were. Supply =
    spare places at the latest census in the settings a plan can name (as the places page counts them) plus
    planned places opening after that census, by designation. The gap is cumulative demand less cumulative
    supply at each year's end; places freed as children leave are not counted (as on the places page).
    """
    recent = history.tail(SHARE_MONTHS)
    plans_12 = float(recent["plans_issued"].sum())
    conversion = carried_on_share(history)
    window_start = recent["month"].iloc[0].date() if len(recent) else as_of
    everything = Filters(HISTORY_START, as_of)
    window = Window(window_start, last_day(recent["month"].iloc[-1].date()))
    demand = places.demand_monthly(run, everything, window)
    by_need = demand.groupby("primary_need")["plans"].sum()
    specialist_12 = float(by_need.sum())
    share = specialist_12 / plans_12 if plans_12 else 0.0
    censuses = places.census(run, everything, places.SPECIALIST_SETTING_TYPES, end=as_of)
    rates = {"conversion": 100 * conversion, "specialist_share": 100 * share}
    if censuses.empty or not specialist_12:
        return pd.DataFrame(
            columns=["school_year", "need", "demand", "cumulative_demand", "spare", "pipeline", "gap"]
        ), rates
    census_date = censuses["snapshot_date"].max().date()
    spare = places.census(
        run, everything, places.SPECIALIST_SETTING_TYPES, "designation", start=census_date, end=census_date
    ).set_index("breakdown")["spare"]
    pipeline = places.pipeline(run, everything, as_of, places.SPECIALIST_SETTING_TYPES)
    opening = pd.to_datetime(pipeline["planned_open_date"])
    pipeline = pipeline[opening.dt.date > census_date].assign(school_year=opening.map(school_year))
    future = requests[requests["month"].map(school_year) <= LAST_SCHOOL_YEAR].assign(
        school_year=lambda f: f["month"].map(school_year)
    )
    # A school year the forecast does not reach the end of (its August) is left out rather than undercounted.
    reached = [year for year, months in future.groupby("school_year")["month"] if months.iloc[-1].month == 8]
    future = future[future["school_year"].isin(reached)]
    yearly = future.groupby("school_year")["forecast"].sum() * conversion * share
    needs = sorted(set(by_need.index) | set(spare.index) | set(pipeline["designation"]))
    rows = []
    for need in needs:
        need_share = float(by_need.get(need, 0)) / specialist_12
        cumulative_demand = 0.0
        for year, new_plans in yearly.items():
            demand_year = float(new_plans) * need_share
            cumulative_demand += demand_year
            opened = pipeline[(pipeline["designation"] == need) & (pipeline["school_year"] <= year)]
            supply = float(spare.get(need, 0)) + float(opened["planned_places"].sum())
            rows.append(
                {
                    "school_year": year,
                    "need": need,
                    "demand": demand_year,
                    "cumulative_demand": cumulative_demand,
                    "spare": int(spare.get(need, 0)),
                    "pipeline": int(opened["planned_places"].sum()),
                    "gap": cumulative_demand - supply,
                }
            )
    return pd.DataFrame(rows), {**rates, "census": census_date}
