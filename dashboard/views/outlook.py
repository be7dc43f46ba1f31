"""Outlook views: where demand is heading (the forecast, its backtests and specialist places), and when the
assessment backlog clears for a given capacity (the simulator's scenarios, compared, and its validation).

Every view is built from a model.Outlook (worked out once per data version) and, for the simulator, from
model.Scenario results; none runs a query itself. Forecasts and projections are model estimates, not counts of
children, so their columns are kept whole in exports; actual counts follow the disclosure rules as everywhere.
The outlook is for all of the area (the forecast can be chosen by locality), so the shared filters apply to none
of these views but the period's end (the data's date), and each view says so when filters are set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, labels
from dashboard.charts import bars, fan, lines
from dashboard.charts.template import Series, due_line, target_line
from dashboard.outlook import forecast, model
from dashboard.outlook.simulator import MAX_FACTOR, Capacity, Requirement
from dashboard.outputs.suppression import Rate as SpecRate
from dashboard.outputs.suppression import Spec
from dashboard.views.base import AREA, Honours, View

INTRO = (
    "Where demand for EHC needs assessments is heading, with honest uncertainty, and when the backlog of "
    "assessments would clear for a given capacity: scenarios the Board can change, name and compare."
)
FILTERS_NOTE = (
    f"**Filters do not apply here.** The outlook is for all of {AREA} (the forecast can be shown for one "
    "locality below); it starts from the data's date, whatever period is chosen."
)
OUTLOOK_ONLY = Honours(
    area=False, need=False, age=False, requests=False, note=f"the outlook is modelled for all of {AREA}."
)
MONTH = "Month"
ACTUAL = "Requests received"
CENTRE = "Forecast (median)"
LOW_80, HIGH_80 = "80% interval, low", "80% interval, high"
LOW_95, HIGH_95 = "95% interval, low", "95% interval, high"
HISTORY_SHOWN = 36  # months of actual requests drawn before the forecast


def _month_label(value: pd.Timestamp | date) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


# ---------------------------------------------------------------------------------------------------
# The forecast


NO_FORECAST = (
    f"There are fewer than {forecast.MIN_MONTHS} whole months of requests, too few to learn a seasonal pattern "
    "from, so no forecast is shown. The simulator holds demand at the last year's average month."
)


def model_words(outlook: model.Outlook) -> str:
    """The forecast's model in words: what it is, why it was chosen and what it cannot do."""
    if outlook.specification is None:
        return NO_FORECAST
    chosen = forecast.SPECIFICATIONS[outlook.specification][0]
    others = [
        f"{forecast.SPECIFICATIONS[name][0].split(':')[0]} (AICc {fmt.decimal(aicc)})"
        for name, aicc in outlook.aicc.items()
        if name != outlook.specification
    ]
    return (
        f"**Model:** {chosen}, fitted with statsmodels' exponential smoothing (ETS) state-space model to every "
        f"whole month of requests from {fmt.month_long(outlook.history['month'].iloc[0].date())} to "
        f"{fmt.month_long(outlook.start)}. It was chosen on the corrected Akaike information criterion "
        f"(AICc {fmt.decimal(outlook.aicc[outlook.specification])}, lower is better) over "
        f"{fmt.words(others)}. Requests move by proportions, so the model works on their logarithm: the "
        "seasonal pattern (the summer dip) scales with the level and the intervals widen as the forecast "
        "runs on. The 80% and 95% intervals are the model's own prediction intervals: if the future behaves "
        "like the past, 8 months in 10 fall inside the darker band. **What it cannot do:** it learns only "
        "from the past. A break like 2023's, when requests more than doubled, is not in any model of this "
        "kind; the backtest across 2023 below shows how far out it would have been."
    )


def forecast_view(outlook: model.Outlook, locality: str = model.WHOLE_AREA) -> View | None:
    """Monthly requests: the last three years and the forecast 24 months ahead with its 80% and 95% intervals
    (None when there is too little history for a forecast)."""
    if outlook.specification is None or locality not in outlook.forecasts:
        return None
    where = f"all of {AREA}" if locality == model.WHOLE_AREA else f"the {locality} locality"
    if locality == model.WHOLE_AREA:
        history = outlook.history[["month", "requests"]]
    else:
        rows = outlook.by_locality[outlook.by_locality["locality"] == locality]
        history = rows[["month", "requests"]]
    history = history.tail(HISTORY_SHOWN)
    ahead = outlook.forecasts[locality].head(model.FORECAST_MONTHS)
    table = pd.DataFrame(
        {
            MONTH: [*map(_month_label, history["month"]), *map(_month_label, ahead["month"])],
            ACTUAL: [*history["requests"].astype(float), *[math.nan] * len(ahead)],
            CENTRE: [*[math.nan] * len(history), *ahead["forecast"].round(0)],
            LOW_80: [*[math.nan] * len(history), *ahead["lower_80"].round(0)],
            HIGH_80: [*[math.nan] * len(history), *ahead["upper_80"].round(0)],
            LOW_95: [*[math.nan] * len(history), *ahead["lower_95"].round(0)],
            HIGH_95: [*[math.nan] * len(history), *ahead["upper_95"].round(0)],
        }
    )
    last_12 = float(history["requests"].tail(12).sum())
    next_12 = float(ahead["forecast"].head(12).sum())
    change = 100 * (next_12 / last_12 - 1) if last_12 else None
    first, twelfth = ahead.iloc[0], ahead.iloc[min(11, len(ahead) - 1)]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return fan.forecast_fan(
            shown,
            MONTH,
            actual=ACTUAL,
            forecast=CENTRE,
            bands=[(LOW_95, HIGH_95, "95% interval"), (LOW_80, HIGH_80, "80% interval")],
            y_title="Requests a month",
        )

    direction = "" if change is None else f" ({change:+.0f}% on the last 12 months)"
    return View(
        key="outlook_forecast",
        title=(
            f"About {fmt.count(round(next_12))} requests forecast for {where} in the next 12 months{direction}"
        ),
        summary=(
            f"Requests for an EHC needs assessment each month for {where}: the last {len(history)} months as "
            f"received, then the forecast for {len(ahead)} months with its 80% and 95% prediction intervals. "
            f"{fmt.month_long(first['month'].date())}: {fmt.count(round(first['forecast']))} forecast (80% "
            f"interval {fmt.count(round(first['lower_80']))} to {fmt.count(round(first['upper_80']))}); "
            f"{fmt.month_long(twelfth['month'].date())}: {fmt.count(round(twelfth['forecast']))} "
            f"({fmt.count(round(twelfth['lower_80']))} to {fmt.count(round(twelfth['upper_80']))}). "
            f"{fmt.count(round(last_12))} were received in the last 12 months."
        ),
        table=table,
        draw=draw,
        filename=f"outlook_requests_forecast_{re.sub(r'[^a-z0-9]+', '_', locality.lower())}.csv",
        spec=Spec(counts=(ACTUAL,), keep=(CENTRE, LOW_80, HIGH_80, LOW_95, HIGH_95)),
        honours=OUTLOOK_ONLY,
        notes=(
            "The forecast does not know about policy changes, new duties or another step in demand like 2023's; "
            "see the backtests.",
        ),
    )


BACKTEST_KEYS = {"recent": "outlook_backtest", "step": "outlook_backtest_2023"}
INSIDE = "Inside the 80% interval"


def backtest_view(outlook: model.Outlook, which: str) -> View | None:
    """The forecast made at a past month end against the 12 months that followed (None without the history)."""
    test = outlook.backtests.get(which)
    if test is None:
        return None
    table = pd.DataFrame(
        {
            MONTH: test.table["month"].map(_month_label),
            ACTUAL: test.table["actual"],
            CENTRE: test.table["forecast"].round(0),
            LOW_80: test.table["lower_80"].round(0),
            HIGH_80: test.table["upper_80"].round(0),
            INSIDE: test.table["inside_80"].map({True: "Yes", False: "No"}),
        }
    )
    inside = int(test.table["inside_80"].sum())
    origin = fmt.month_long(test.origin.date())
    months = len(test.table)

    def draw(shown: pd.DataFrame) -> go.Figure:
        return fan.forecast_fan(
            shown,
            MONTH,
            actual=ACTUAL,
            forecast=CENTRE,
            bands=[(LOW_80, HIGH_80, "80% interval")],
            y_title="Requests a month",
        )

    figures = (
        f"its centre line was {fmt.decimal(test.mape)}% out on average (mean absolute percentage error) and "
        f"{inside} of {months} months fell inside its 80% interval"
    )
    if which == "step":
        title = (
            f"Fitted to {origin}, the model could not foresee {model.STEP_YEAR}'s step: requests came in "
            f"{fmt.decimal(test.bias)}% above its forecast"
        )
        summary = (
            f"The same model fitted to the months up to {origin} and set against what happened next: {figures}. "
            f"Requests more than doubled in {model.STEP_YEAR}; no model that learns only from the past foresees "
            "a break like that, so read the forecast as 'if nothing changes', not as a promise."
        )
    else:
        title = f"Fitted to {origin}, the forecast was {fmt.decimal(test.mape)}% out on average over the next {months} months"
        summary = (
            f"The same model fitted to the months up to {origin} and set against the {months} months that "
            f"followed: {figures} (about {round(months * 0.8)} would be expected if its intervals are right). "
            f"In total, requests were {fmt.decimal(abs(test.bias))}% {'above' if test.bias >= 0 else 'below'} "
            "its forecast."
        )
    return View(
        key=BACKTEST_KEYS[which],
        title=title,
        summary=summary,
        table=table,
        draw=draw,
        filename=f"outlook_backtest_{test.origin:%Y-%m}.csv",
        spec=Spec(counts=(ACTUAL,), keep=(CENTRE, LOW_80, HIGH_80)),
        honours=OUTLOOK_ONLY,
    )


# ---------------------------------------------------------------------------------------------------
# Specialist places


NEED = "Designated need"
SPARE = "Spare places at the census"


def specialist_view(outlook: model.Outlook) -> View | None:
    """New specialist placements forecast by need and school year against spare places plus the pipeline."""
    frame = outlook.specialist
    if frame.empty:
        return None
    years = list(dict.fromkeys(frame["school_year"]))
    wide = frame.pivot(index="need", columns="school_year")
    table = pd.DataFrame({NEED: labels.labels("designation", wide.index)})
    table[SPARE] = wide[("spare", years[0])].to_numpy()
    gaps = []
    for year in years:
        table[f"New specialist placements {year}"] = wide[("demand", year)].round(0).to_numpy()
        table[f"Pipeline places opened by end of {year}"] = wide[("pipeline", year)].to_numpy()
        gaps.append(f"Gap at end of {year}")
        table[gaps[-1]] = wide[("gap", year)].round(0).to_numpy()
    table = table.sort_values(gaps[-1], ascending=False, ignore_index=True)
    rates = outlook.specialist_rates
    census = rates["census"]
    # Places to spare for one need do not fill a gap for another: the shortfall adds up the needs short of places.
    total_gap = float(table[gaps[-1]].clip(lower=0).sum())

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.horizontal_bars(shown, NEED, [Series(g) for g in gaps], x_title="Places short (gap)")

    counted = [c for c in table.columns if c != NEED]
    worst = table.iloc[0]
    return View(
        key="outlook_specialist_gap",
        title=(
            f"About {fmt.count(round(total_gap))} specialist places short by the end of {years[-1]} if demand "
            f"follows the forecast; {fmt.in_sentence(worst[NEED])} has the largest gap"
            if worst[gaps[-1]] > 0
            else f"Enough specialist places for every need to the end of {years[-1]} if demand follows the forecast"
        ),
        summary=(
            f"New specialist placements forecast = forecast requests x {fmt.percent(rates['conversion'])} of "
            f"requests going on to a plan x {fmt.percent(rates['specialist_share'])} of new plans naming a "
            f"specialist placement (both from the last 12 months), split by need as those plans were. Against "
            f"them: spare places at the {fmt.day(census)} census in the settings a plan can name, plus planned "
            f"places opening after it, by designation. The gap is the placements forecast to the end of each "
            f"school year less those places (negative: places to spare). School year {years[0]} counts from "
            f"{fmt.month_long(outlook.forecasts[model.WHOLE_AREA]['month'].iloc[0].date())}."
        ),
        table=table,
        draw=draw,
        filename="outlook_specialist_places_gap.csv",
        spec=Spec(counts=(), keep=tuple(counted)),
        honours=OUTLOOK_ONLY,
        notes=(
            "Places that free up as children leave are not counted (as on the Specialist places page), so the "
            "gap is an upper bound for comparing needs and years, not a count of children without a place.",
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class ScenarioChoice:
    """A named scenario as the URL keeps it: name~decisions~ep~plans~growth."""

    name: str
    capacity: Capacity

    def encoded(self) -> str:
        c = self.capacity
        return "~".join([self.name, *(f"{v:g}" for v in (c.decisions, c.ep_advice, c.plans, c.growth_pct))])


SCENARIO_PARAM = "scenario"
MAX_SCENARIOS = 4
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.()'-]{0,39}$")


def valid_name(name: str) -> bool:
    """A scenario name: 1 to 40 letters, digits, spaces and simple punctuation, starting with a letter or digit
    (so it can never read as a spreadsheet formula or as markup)."""
    return bool(_NAME.match(name))


def valid_amount(value: float) -> bool:
    return math.isfinite(value) and 0 <= value <= model.MAX_PER_MONTH


def valid_growth(value: float) -> bool:
    return math.isfinite(value) and model.MIN_GROWTH <= value <= model.MAX_GROWTH


def chosen_capacity(
    defaults: Capacity, decisions: object, ep: object, plans: object, growth: object
) -> Capacity:
    """The capacity the controls hold, each value that is missing or out of bounds replaced by its default."""

    def amount(value: object, default: float, valid) -> float:
        return float(value) if isinstance(value, int | float) and valid(float(value)) else default

    return Capacity(
        amount(decisions, defaults.decisions, valid_amount),
        amount(ep, defaults.ep_advice, valid_amount),
        amount(plans, defaults.plans, valid_amount),
        amount(growth, defaults.growth_pct, valid_growth),
    )


def parse_scenario(text: str) -> ScenarioChoice | None:
    """A scenario from the URL, or None when any part of it is not valid (it is then ignored, and said so)."""
    parts = text.split("~")
    if len(parts) != 5 or not valid_name(parts[0].strip()):
        return None
    try:
        decisions, ep, plans, growth = (float(p) for p in parts[1:])
    except ValueError:
        return None
    if not (valid_amount(decisions) and valid_amount(ep) and valid_amount(plans) and valid_growth(growth)):
        return None
    return ScenarioChoice(parts[0].strip(), Capacity(decisions, ep, plans, growth))


def when(month: date | None) -> str:
    """A projected month in words, or the plain statement that it does not happen."""
    return fmt.month_long(month) if month else "never at this capacity"


def _capacity_words(capacity: Capacity) -> str:
    return (
        f"{fmt.decimal(capacity.decisions)} decisions, {fmt.decimal(capacity.ep_advice)} EP advice and "
        f"{fmt.decimal(capacity.plans)} plans a month, demand growth {fmt.decimal(capacity.growth_pct)}% a year"
    )


OPEN_ACTUAL, OVERDUE_ACTUAL = "Open (actual)", "Overdue (actual)"
OPEN_PROJECTED, OVERDUE_PROJECTED = "Open (projected)", "Overdue (projected)"


def backlog_view(outlook: model.Outlook, result: model.Scenario) -> View:
    """Open and overdue assessments at each month end: the last 12 months as they were, then as projected."""
    actual = outlook.caseload_history
    projection = result.projection
    table = pd.DataFrame(
        {
            MONTH: [*map(_month_label, actual["month"]), *map(_month_label, projection["month"])],
            OPEN_ACTUAL: [*actual["open_cases"].astype(float), *[math.nan] * len(projection)],
            OVERDUE_ACTUAL: [*actual["overdue"].astype(float), *[math.nan] * len(projection)],
            OPEN_PROJECTED: [*[math.nan] * len(actual), *projection["open"].round(0)],
            OVERDUE_PROJECTED: [*[math.nan] * len(actual), *projection["overdue"].round(0)],
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(OPEN_ACTUAL), Series(OVERDUE_ACTUAL), Series(OPEN_PROJECTED), Series(OVERDUE_PROJECTED)],
            y_title="Open assessments at month end",
        )

    start_open, start_overdue = outlook.caseload.open(), outlook.caseload.overdue()
    year_on = projection.iloc[min(11, len(projection) - 1)]
    return View(
        key="outlook_backlog",
        title=(
            f"The overdue backlog clears in {when(result.cleared)}"
            if result.cleared
            else "At this capacity the overdue backlog never clears"
        ),
        summary=(
            f"Open assessments and those past 20 weeks at each month end: the last {len(actual)} months as they "
            f"were, then projected for {len(projection)} months from {fmt.count(round(start_open))} open "
            f"({fmt.count(round(start_overdue))} overdue) at {fmt.day(outlook.start)}, at "
            f"{_capacity_words(result.capacity)}. Projected at {fmt.month_long(year_on['month'].date())}: "
            f"{fmt.count(round(year_on['open']))} open, {fmt.count(round(year_on['overdue']))} overdue."
        ),
        table=table,
        draw=draw,
        filename="outlook_open_and_overdue.csv",
        # Projections start from the real caseload, so a small one could be read back from them: they follow
        # the count rules too.
        spec=Spec(
            counts=(OPEN_ACTUAL, OVERDUE_ACTUAL, OPEN_PROJECTED, OVERDUE_PROJECTED), column_totals=False
        ),
        honours=OUTLOOK_ONLY,
    )


RATE_ACTUAL, RATE_PROJECTED = "Within 20 weeks (actual, %)", "Within 20 weeks (projected, %)"
PLANS_ACTUAL, WITHIN_ACTUAL = "Plans issued (actual)", "Issued within 20 weeks (actual)"


def rate_view(outlook: model.Outlook, result: model.Scenario) -> View:
    """The 20-week rate of plans issued each month: the last 12 months, then as projected, against the target."""
    actual = outlook.history.tail(12)
    projection = result.projection
    rate = (100 * actual["within_20_weeks"] / actual["plans_issued"].where(actual["plans_issued"] > 0)).round(
        1
    )
    table = pd.DataFrame(
        {
            MONTH: [*map(_month_label, actual["month"]), *map(_month_label, projection["month"])],
            PLANS_ACTUAL: [*actual["plans_issued"].astype(float), *[math.nan] * len(projection)],
            WITHIN_ACTUAL: [*actual["within_20_weeks"].astype(float), *[math.nan] * len(projection)],
            RATE_ACTUAL: [*rate, *[math.nan] * len(projection)],
            RATE_PROJECTED: [
                *[math.nan] * len(actual),
                *projection["twenty_week_rate"].astype(float).round(1),
            ],
        }
    )
    target = outlook.target
    marks = [target_line(target.target, f"Target: {fmt.percent(target.target)}")] if target else []

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(RATE_ACTUAL), Series(RATE_PROJECTED)],
            y_title="Plans issued within 20 weeks",
            percent_axis="y",
            marks=marks,
        )

    if target is None:
        title = "No 20-week target in reference/targets.csv to project against"
    elif result.reached:
        title = f"The 20-week rate reaches the {fmt.percent(target.target)} target in {when(result.reached)}"
    else:
        title = f"At this capacity the 20-week rate never reaches the {fmt.percent(target.target)} target"
    return View(
        key="outlook_rate",
        title=title,
        summary=(
            "Of plans issued each month, the share issued within 20 weeks of the request: the last 12 months as "
            f"they were, then projected at {_capacity_words(result.capacity)}. The target month is the first "
            "from which the projected rate stays at or above the target. The projection counts every plan; the "
            "target excludes plans with an exception, which can only raise the rate, so reaching it here is a "
            "slightly stricter test."
        ),
        table=table,
        draw=draw,
        filename="outlook_twenty_week_rate.csv",
        spec=Spec(
            counts=(PLANS_ACTUAL, WITHIN_ACTUAL),
            rates={RATE_ACTUAL: SpecRate(PLANS_ACTUAL, WITHIN_ACTUAL)},
            keep=(RATE_PROJECTED,),
        ),
        honours=OUTLOOK_ONLY,
    )


def compare_view(outlook: model.Outlook, results: list[model.Scenario]) -> View:
    """Overdue assessments by month under each scenario, side by side on one chart."""
    table = pd.DataFrame({MONTH: results[0].projection["month"].map(_month_label)})
    for result in results:
        table[f"{result.name}: overdue"] = result.projection["overdue"].round(0).to_numpy()
    columns = [c for c in table.columns if c != MONTH]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(shown, MONTH, [Series(c) for c in columns], y_title="Overdue assessments")

    verdicts = "; ".join(
        f"{r.name} ({_capacity_words(r.capacity)}): backlog clears {when(r.cleared)}, target "
        f"{when(r.reached)}"
        for r in results
    )
    first_clear = min((r for r in results if r.cleared), key=lambda r: r.cleared, default=None)
    return View(
        key="outlook_compare",
        title=(
            f"{first_clear.name} clears the overdue backlog first, in {when(first_clear.cleared)}"
            if first_clear
            else f"None of the {len(results)} scenarios clears the overdue backlog"
        ),
        summary=f"Assessments past 20 weeks at each month end under each scenario. {verdicts}.",
        table=table,
        draw=draw,
        filename="outlook_scenarios.csv",
        spec=Spec(counts=tuple(columns), column_totals=False),
        honours=OUTLOOK_ONLY,
    )


def order_words(oldest_first: float) -> str:
    """How the simulator chooses which waiting cases each stage takes, in words."""
    if oldest_first >= 1:
        return "each stage takes the longest-waiting case first"
    if oldest_first <= 0:
        return "each stage takes cases in no particular order of wait (in proportion to those waiting)"
    return (
        f"each stage gives {fmt.percent(100 * oldest_first, 0)} of its capacity to the longest-waiting cases and "
        "the rest to cases in no particular order of wait"
    )


def validation_view(outlook: model.Outlook) -> View | None:
    """The simulator started six months back with that period's actual flows, against what happened."""
    check = outlook.validation
    if check is None:
        return None
    t = check.table
    table = pd.DataFrame(
        {
            MONTH: t["month"].map(_month_label),
            OPEN_ACTUAL: t["actual_open"],
            OPEN_PROJECTED: t["projected_open"].round(0),
            OVERDUE_ACTUAL: t["actual_overdue"],
            OVERDUE_PROJECTED: t["projected_overdue"].round(0),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(OPEN_ACTUAL), Series(OPEN_PROJECTED), Series(OVERDUE_ACTUAL), Series(OVERDUE_PROJECTED)],
            y_title="Open assessments at month end",
        )

    open_error, overdue_error = check.mean_abs_pct_error("open"), check.mean_abs_pct_error("overdue")
    return View(
        key="outlook_validation",
        title=(
            f"Started at {fmt.day(check.start)}, the simulator tracked the open caseload within "
            f"{fmt.decimal(check.max_abs_pct_error('open'))}% and the overdue within "
            f"{fmt.decimal(check.max_abs_pct_error('overdue'), 0)}% over {len(t)} months"
        ),
        summary=(
            f"The simulator started from the real open caseload at {fmt.day(check.start)} and fed each later "
            f"month's actual requests, decisions, EP advice completed, plans issued and share going on to a plan. "
            f"Mean absolute error: {fmt.decimal(open_error)}% on the open caseload, {fmt.decimal(overdue_error)}% "
            "on the overdue. The open caseload is what came in less what left, so it matches whenever no stage "
            "runs dry; the overdue caseload tests the model's order of work: "
            f"{order_words(outlook.oldest_first)}, the share that best replayed the six months before these "
            "(so these months are a fair test)."
        ),
        table=table,
        draw=draw,
        filename="outlook_simulator_validation.csv",
        # Projections start from the real caseload, so a small one could be read back from them: they follow
        # the count rules too.
        spec=Spec(
            counts=(OPEN_ACTUAL, OVERDUE_ACTUAL, OPEN_PROJECTED, OVERDUE_PROJECTED), column_totals=False
        ),
        honours=OUTLOOK_ONLY,
    )


def requirement_words(outlook: model.Outlook, need: Requirement | None, by: date, capacity: Capacity) -> str:
    """The reverse question's answer in words."""
    if outlook.target is None:
        return "There is no 20-week target in reference/targets.csv to work back from."
    level = fmt.percent(outlook.target.target)
    if need is None or need.capacity is None:
        return (
            f"No EP and plan capacity up to {fmt.decimal(MAX_FACTOR, 0)} times the chosen one "
            f"reaches {level} by {fmt.month_long(by)} with {fmt.decimal(capacity.decisions)} decisions a month: "
            "decisions (or the time left) are the limit. Raise decisions, or choose a later date."
        )
    return (
        f"To reach {level} within 20 weeks by {fmt.month_long(by)} (and stay there) at "
        f"{fmt.decimal(capacity.decisions)} decisions a month: about **{fmt.count(math.ceil(need.capacity.ep_advice))} "
        f"EP advice completions** and **{fmt.count(math.ceil(need.capacity.plans))} plans issued a month** "
        f"({fmt.decimal(need.factor, 2)} times the chosen {fmt.decimal(capacity.ep_advice)} and "
        f"{fmt.decimal(capacity.plans)}), reaching it in {fmt.month_long(need.reached)}."
    )


AT_CHOSEN, AT_NEEDED = "At the chosen capacity (%)", "At the capacity needed (%)"


def requirement_view(
    outlook: model.Outlook, chosen: model.Scenario, need: Requirement | None, by: date
) -> View | None:
    """The projected 20-week rate at the chosen capacity and at the EP advice and plans needed to reach the
    target by `by` (None without a target)."""
    target = outlook.target
    if target is None:
        return None
    needed = (
        None if need is None or need.capacity is None else model.scenario(outlook, need.capacity, "Needed")
    )
    table = pd.DataFrame(
        {
            MONTH: chosen.projection["month"].map(_month_label),
            AT_CHOSEN: chosen.projection["twenty_week_rate"].astype(float).round(1),
            AT_NEEDED: (
                needed.projection["twenty_week_rate"].astype(float).round(1)
                if needed is not None
                else [math.nan] * len(chosen.projection)
            ),
        }
    )
    marks = [
        target_line(target.target, f"Target: {fmt.percent(target.target)}"),
        due_line(by, f"By {fmt.month(by)}"),
    ]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(AT_CHOSEN), Series(AT_NEEDED)],
            y_title="Plans issued within 20 weeks",
            percent_axis="y",
            marks=marks,
        )

    return View(
        key="outlook_requirement",
        title=plain_words(requirement_words(outlook, need, by, chosen.capacity)),
        summary=(
            "The projected share of plans issued within 20 weeks each month at the chosen capacity and at the EP "
            "advice and plans a month needed to reach the target by the chosen month (both scaled by the same "
            f"factor from the chosen ones; decisions and demand as chosen). {fmt.sentence_case(order_words(outlook.oldest_first))}."
        ),
        table=table,
        draw=draw,
        filename="outlook_capacity_needed.csv",
        spec=Spec(counts=(), keep=(AT_CHOSEN, AT_NEEDED)),
        honours=OUTLOOK_ONLY,
    )


def plain_words(markdown: str) -> str:
    """Words written with ** for bold, without it (a view's title is plain text)."""
    return markdown.replace("**", "")
