"""Educational psychology views: EP advice requested and completed, the backlog and its age, six-week
timeliness by provider, the commitment to additional EP assessments, late EP advice and the 20-week
rate, and the backlog by area.

Each function answers one question as a View whose title and summary are worked out from the table it
charts. Figures 'at a date' are at ctx.at (the end of the chosen period, capped at the data's date); a
month that is not over at that date is shaded on the chart and said in the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, fmt, labels
from dashboard.charts import bars, lines
from dashboard.charts.template import Series, shaded_span
from dashboard.dates import Window, add_months, day_before, is_month_end, month_key, trailing_months
from dashboard.filters import DISTRICT, LOCALITY
from dashboard.measures import Rate, ep
from dashboard.outputs.suppression import Rate as SpecRate
from dashboard.outputs.suppression import Spec
from dashboard.views.base import AREA, WHOLE_AREA, Context, Drill, Headline, View, month_column, part_month

INTRO = (
    "Whether educational psychology (EP) capacity keeps up with demand: advice requested and completed, "
    "the backlog and how long it has waited, six-week timeliness, the Improvement Notice's additional "
    "assessments, and how late EP advice feeds the 20-week failure."
)
FILTERS_NOTE = (
    "**Filters that apply here:** period; locality and district (of the EP request); primary need, age "
    "group, request source and placement (of the EHC request the advice is for). The commitment to "
    f"additional EP assessments is for all of {AREA}, so it ignores all but the period's end."
)
NO_COMMITMENT = (
    "The commitment to additional EP assessments (reference/targets.csv, ep_additional_assessments) "
    "has not started by the end of the selected period, or is not in the targets file."
)
NO_REQUESTS = (
    "The EHC needs assessment requests extract is not available, so plans issued cannot be linked to "
    "their EP advice."
)
# Short enough for a tile's delta line, which does not wrap (the places page says the same).
WHOLE_AREA_WORDS = f"All of {AREA} (no filters)"

PROVIDERS = labels.options("provider")  # code -> words, in the contract's order
MONTH = "Month"
ALL_PROVIDERS = "All providers"


@dataclass(frozen=True)
class Months:
    """EP figures by month and provider, shared by the headlines and the monthly views (one query).

    The rows run from the earlier of the period start and the 24 months the headlines compare, to ctx.at.
    """

    by_provider: pd.DataFrame
    total: pd.DataFrame  # the providers added up, one row a month
    period_start: date

    def total_in_period(self) -> pd.DataFrame:
        return self.total[self.total["month"].dt.date >= self.period_start].reset_index(drop=True)

    def providers_in_period(self) -> pd.DataFrame:
        return self.by_provider[self.by_provider["month"].dt.date >= self.period_start].reset_index(drop=True)


def monthly(ctx: Context) -> Months:
    """Every month's EP figures by provider, from one query run to the data's date and cut at ctx.at."""
    start = min(ctx.filters.period_start, _previous_12(ctx).start)
    by_provider = ep.monthly(ctx.run, ctx.filters, ctx.at, by="provider", start=start, through=ctx.as_of)
    return Months(by_provider, ep.total(by_provider), ctx.filters.period_start)


def commitment_progress(ctx: Context) -> ep.EpCommitment | None:
    """Progress on the commitment to additional EP assessments at ctx.at (None before it starts)."""
    return ep.commitment(ctx.run, ctx.at, through=ctx.as_of)


# ---------------------------------------------------------------------------------------------------
# Headlines


def headlines(ctx: Context, months: Months, promise: ep.EpCommitment | None) -> list[Headline]:
    """The page's four tiles: the backlog and how much of it is past six weeks at ctx.at, six-week
    timeliness over the 12 months to ctx.at, and the additional assessments against the commitment."""
    now = ep.backlog_in(months.total, ctx.at)
    peak = ep.peak_backlog(months.total_in_period())
    shown = six_week_timeliness(months.total_in_period(), ctx.at)
    # Against the 12 months before, which the headline query holds whatever the period.
    before = ep.six_week_rate_in(months.total, _previous_12(ctx)) if shown.full_year else Rate(0, 0)
    share = 100 * now.over_six_weeks / now.open if now.open else None
    return [
        Headline(
            f"EP backlog at {fmt.day(now.at)}",
            fmt.count(now.open),
            view="ep_flow",
            delta=(
                f"{now.open - int(peak['backlog']):+,} on the peak ({fmt.month(peak['month'])})"
                if peak is not None and now.open < peak["backlog"]
                else None
            ),
            delta_colour="inverse",
            help="EP advice requested and not yet completed at the date (cancelled requests excluded). "
            "Lower is better.",
        ),
        Headline(
            f"Waiting over six weeks at {fmt.day(now.at)}",
            fmt.count(now.over_six_weeks),
            view="ep_backlog_age",
            delta=f"{fmt.percent(share, 0)} of the backlog",
            help="Open EP advice requests already past the statutory six weeks (42 days) at the date. "
            "Lower is better.",
        ),
        Headline(
            f"EP advice within six weeks ({'12 months' if shown.full_year else shown.words})",
            fmt.percent(shown.rate.percent),
            view="ep_timeliness",
            delta=(
                f"{fmt.points(shown.rate.percent - before.percent)} on the 12 months before"
                if shown.rate.percent is not None and before.percent is not None
                else None
            ),
            delta_colour="normal",
            help=f"{fmt.count(shown.rate.numerator)} of {fmt.count(shown.rate.denominator)} pieces of EP advice "
            f"completed in {shown.words} were completed within 42 days of the request. Higher is better.",
        ),
        _commitment_headline(promise),
    ]


def _commitment_headline(promise: ep.EpCommitment | None) -> Headline:
    if promise is None:
        return Headline(
            "Additional EP assessments",
            fmt.MISSING,
            view=None,
            delta=WHOLE_AREA_WORDS,
            help=f"For all of {AREA}, whatever the filters. The commitment (targets.csv, "
            "ep_additional_assessments) has not started by this date.",
        )
    # Rounded as the Overview's tile rounds it, so the two show the same figure.
    return Headline(
        f"Additional EP assessments (target {fmt.count(promise.target.target)})",
        fmt.count(round(promise.additional)),
        view="ep_commitment",
        delta=WHOLE_AREA_WORDS,
        judgement=promise.judgement,
        help=f"For all of {AREA}, whatever the filters. EP advice completed from "
        f"{fmt.day(promise.start)} to {fmt.day(min(promise.at, promise.due))}, above the "
        f"pre-commitment baseline (see the commitment section below). Status rule: "
        f"{promise.judgement.rule}",
    )


# ---------------------------------------------------------------------------------------------------
# Requests, completions and the backlog


def flow(ctx: Context, months: Months) -> View:
    """EP advice requested and completed each month, and the backlog at each month end."""
    monthly_total = months.total_in_period()
    table = pd.DataFrame(
        {
            MONTH: month_column(monthly_total),
            "Advice requested": monthly_total["requested"],
            "Advice completed": monthly_total["completed"],
            "Backlog at month end": monthly_total["backlog"],
        }
    )
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series("Advice requested"), Series("Advice completed"), Series("Backlog at month end")],
            y_title="EP advice requests",
            events=events,
            marks=marks,
        )

    return View(
        key="ep_flow",
        title=_flow_title(table, ctx.at),
        summary=(
            f"EP advice requested and completed each month, and the backlog at each month end, "
            f"{ctx.months_words}. {fmt.count(table['Advice requested'].sum())} requested and "
            f"{fmt.count(table['Advice completed'].sum())} completed in the period."
        ),
        table=table,
        draw=draw,
        filename=f"ep_requests_completions_backlog_{ctx.file_months}.csv",
        spec=Spec(counts=("Advice requested", "Advice completed", "Backlog at month end")),
        notes=part_month(
            ctx,
            "its requests and completions are for part of the month, and its backlog is "
            f"at {fmt.day(ctx.at)}",
        )[1],
    )


def _flow_title(table: pd.DataFrame, at: date) -> str:
    backlog = table["Backlog at month end"]
    if table.empty or not backlog.max():
        return f"No EP advice waiting at any month end, {_span(_first_month(table), at)}"
    now = int(backlog.iloc[-1])
    peak_row = table[backlog == backlog.max()].iloc[-1]
    if now < peak_row["Backlog at month end"]:
        return (
            f"EP backlog down from {fmt.count(peak_row['Backlog at month end'])} at the end of "
            f"{fmt.month_long(_month(peak_row[MONTH]))} to {fmt.count(now)} at {fmt.day(at)}"
        )
    return f"EP backlog at its highest in the period: {fmt.count(now)} at {fmt.day(at)}"


def backlog_age(ctx: Context, months: Months) -> View:
    """The backlog at each month end split by how long its requests had waited."""
    monthly_total = months.total_in_period()
    bands = [words for _, words in ep.AGE_BANDS]
    table = pd.DataFrame(
        {
            MONTH: month_column(monthly_total),
            **{words: monthly_total[column] for column, words in ep.AGE_BANDS},
            "Backlog": monthly_total["backlog"],
        }
    )
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            MONTH,
            [Series(words) for words in bands],
            y_title="Open EP requests at month end",
            events=events,
            marks=marks,
        )

    now = table.iloc[-1] if len(table) else None
    at_words = (
        "; ".join(f"{fmt.in_sentence(words)}: {fmt.count(now[words])}" for words in bands)
        if now is not None
        else "none open"
    )
    return View(
        key="ep_backlog_age",
        title=_backlog_age_title(table, ctx.at),
        summary=(
            "The EP backlog at each month end split by how long each request had waited since EP advice was "
            f"requested, {ctx.months_words}. At {fmt.day(ctx.at)}: {at_words}."
        ),
        table=table,
        draw=draw,
        filename=f"ep_backlog_by_weeks_waited_{ctx.file_months}.csv",
        spec=Spec(counts=(*bands, "Backlog"), row_total="Backlog"),
        notes=part_month(ctx, f"its bar is the backlog at {fmt.day(ctx.at)}")[1],
    )


def _backlog_age_title(table: pd.DataFrame, at: date) -> str:
    if table.empty or not table["Backlog"].iloc[-1]:
        return f"No EP advice requests open at {fmt.day(at)}"
    long_waits = table["20 to 52 weeks"] + table["Over 52 weeks"]
    now = table.iloc[-1]
    title = (
        f"{fmt.count(now['Backlog'] - now['Up to 6 weeks'])} of the {fmt.count(now['Backlog'])} open EP "
        f"requests at {fmt.day(at)} have waited over six weeks; {fmt.count(long_waits.iloc[-1])} over 20 weeks"
    )
    if long_waits.max() > long_waits.iloc[-1]:
        worst = table.loc[long_waits.idxmax()]
        title += f", down from {fmt.count(long_waits.max())} in {fmt.month_long(_month(worst[MONTH]))}"
    return title


# ---------------------------------------------------------------------------------------------------
# Six-week timeliness and the provider mix


def timeliness(ctx: Context, months: Months) -> View:
    """Six-week timeliness by month of completion, for all providers and each provider."""
    monthly_total, by_provider = months.total_in_period(), months.providers_in_period()
    rates = _by_provider(by_provider, "six_week_rate")
    done = _by_provider(by_provider, "completed").fillna(0).astype(int)
    table = pd.DataFrame(
        {
            MONTH: month_column(monthly_total),
            f"Completed ({ALL_PROVIDERS.lower()})": monthly_total["completed"],
            **{f"Completed ({words})": done[code].to_numpy() for code, words in PROVIDERS.items()},
            f"% within 6 weeks ({ALL_PROVIDERS.lower()})": monthly_total["six_week_rate"].round(1),
            **{
                f"% within 6 weeks ({words})": rates[code].round(1).to_numpy()
                for code, words in PROVIDERS.items()
            },
        }
    )
    every = [ALL_PROVIDERS.lower(), *PROVIDERS.values()]
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(f"% within 6 weeks ({words})", fmt.sentence_case(words)) for words in every],
            y_title="Completed within six weeks",
            percent_axis="y",
            events=events,
            marks=marks,
        )

    return View(
        key="ep_timeliness",
        title=_timeliness_title(six_week_timeliness(monthly_total, ctx.at)),
        summary=(
            "Share of EP advice completed within six weeks (42 days) of the request, by month of completion, "
            f"{ctx.months_words}, for all providers and for in-house, agency and locum EPs. A provider's rate is "
            f"not drawn for a month with fewer than {ep.MIN_DENOMINATOR} completions."
        ),
        table=table,
        draw=draw,
        filename=f"ep_six_week_timeliness_{ctx.file_months}.csv",
        # The all-provider count is the sum of the three providers', so it is declared as the row's total:
        # a provider's hidden count cannot then be worked out from it.
        spec=Spec(
            counts=tuple(f"Completed ({words})" for words in every),
            row_total=f"Completed ({ALL_PROVIDERS.lower()})",
            rates={f"% within 6 weeks ({words})": SpecRate(f"Completed ({words})") for words in every},
        ),
        notes=part_month(ctx, "its rates are for the advice completed so far")[1],
    )


@dataclass(frozen=True)
class Timeliness:
    """Six-week timeliness over the latest 12 months shown (or all of them, if fewer), in words, and over the
    12 months before when they are shown too: the figure the chart's title and the page's tile both give."""

    rate: Rate
    before: Rate
    months: int  # how many months `rate` is over (12 unless the period is shorter)
    words: str  # 'the 12 months to May 2025', or the months themselves

    @property
    def full_year(self) -> bool:
        return self.months == 12


def six_week_timeliness(monthly_total: pd.DataFrame, at: date) -> Timeliness:
    """Timeliness from the months of a `Months.total_in_period()` frame (ep.six_week_rate_in over them)."""
    latest, earlier = _latest_and_earlier(monthly_total)
    return Timeliness(
        _six_week_rate(latest, at),
        _six_week_rate(earlier, at),
        len(latest),
        _window_words(latest["month"], at),
    )


def _six_week_rate(frame: pd.DataFrame, at: date) -> Rate:
    if frame.empty:
        return Rate(0, 0)
    return ep.six_week_rate_in(frame, Window(frame["month"].iloc[0].date(), at))


def _timeliness_title(shown: Timeliness) -> str:
    if shown.rate.percent is None:
        return f"No EP advice was completed in {shown.words}"
    title = f"{fmt.percent(shown.rate.percent)} of EP advice was completed within six weeks in {shown.words}"
    if shown.before.percent is not None:
        title += f", against {fmt.percent(shown.before.percent)} in the 12 months before"
    return title


def providers(ctx: Context, months: Months) -> View:
    """EP advice completed each month by in-house, agency and locum educational psychologists."""
    monthly_total, by_provider = months.total_in_period(), months.providers_in_period()
    done = _by_provider(by_provider, "completed").fillna(0).astype(int)
    table = pd.DataFrame(
        {
            MONTH: month_column(monthly_total),
            **{words: done[code].to_numpy() for code, words in PROVIDERS.items()},
            ALL_PROVIDERS: monthly_total["completed"],
        }
    )
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            MONTH,
            [Series(words) for words in PROVIDERS.values()],
            y_title="EP advice completed",
            events=events,
            marks=marks,
        )

    return View(
        key="ep_providers",
        title=_providers_title(table, ctx.at),
        summary=(
            f"EP advice completed each month by in-house, agency and locum educational psychologists, "
            f"{ctx.months_words}. Each bar's height is the advice completed by all providers."
        ),
        table=table,
        draw=draw,
        filename=f"ep_completions_by_provider_{ctx.file_months}.csv",
        spec=Spec(counts=(*PROVIDERS.values(), ALL_PROVIDERS), row_total=ALL_PROVIDERS),
        notes=part_month(ctx, "its bar is the advice completed so far")[1],
    )


def _providers_title(table: pd.DataFrame, at: date) -> str:
    latest, earlier = _latest_and_earlier(table)
    bought_in = [PROVIDERS["agency"], PROVIDERS["locum"]]
    share = Rate(int(latest[bought_in].sum().sum()), int(latest[ALL_PROVIDERS].sum()))
    if share.percent is None:
        return f"No EP advice was completed in {_window_words(latest[MONTH], at)}"
    title = (
        f"Agency and locum EPs completed {fmt.percent(share.percent, 0)} of EP advice in "
        f"{_window_words(latest[MONTH], at)}"
    )
    before = Rate(int(earlier[bought_in].sum().sum()), int(earlier[ALL_PROVIDERS].sum()))
    if before.percent is not None:
        title += f", against {fmt.percent(before.percent, 0)} in the 12 months before"
    return title


# ---------------------------------------------------------------------------------------------------
# The commitment to additional EP assessments


def commitment(ctx: Context, promise: ep.EpCommitment | None = None) -> View | None:
    """Additional EP completions against the straight line to the target (None before the commitment starts)."""
    promise = promise or commitment_progress(ctx)
    if promise is None:
        return None
    target, progress = promise.target, promise.progress
    table = pd.DataFrame(
        {
            "Date": progress["month_end"].dt.strftime("%Y-%m-%d"),
            "Completed in month": progress["completed"],
            "Completed since start": progress["cumulative"],
            "At the baseline rate": progress["baseline_expected"].round(1),
            "Additional": progress["additional"].round(1),
            "Required by the straight line": progress["required"].round(1),
        }
    )
    target_words = fmt.count(target.target)
    events = ctx.events_between(promise.start, promise.at)
    marks = part_month(ctx, daily=True)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        figure = lines.commitment(
            shown,
            "Date",
            Series("Additional", "Additional completions (cumulative)"),
            required=Series("Required by the straight line", "Required: straight line to the target"),
            target=target.target,
            target_text=f"Target: {target_words}",
            due=promise.due,
            due_text=f"Due {fmt.day(promise.due)}",
            y_title="Additional EP assessments",
            events=events,
            marks=marks,
        )
        return figure

    return View(
        key="ep_commitment",
        title=_commitment_title(promise),
        summary=(
            f"Cumulative EP advice completed above the baseline of {fmt.decimal(promise.baseline_monthly)} a "
            f"month, at each month end from {fmt.day(promise.start)} to {fmt.day(promise.at)}, against the "
            f"straight line from 0 to {target_words} by {fmt.day(promise.due)} (the run rate the Improvement "
            f"Notice requires). All of {AREA}; the filters do not apply."
        ),
        table=table,
        draw=draw,
        filename=f"ep_additional_assessments_{month_key(promise.at)}.csv",
        # 'Additional' is the completions less the baseline, so it is left undeclared: the suppression hides it
        # wherever a count in its row is hidden. The baseline and the straight line are not about children.
        spec=Spec(
            counts=("Completed in month", "Completed since start"),
            keep=("At the baseline rate", "Required by the straight line"),
        ),
        honours=WHOLE_AREA,
        notes=part_month(ctx, f"its point is the additional assessments to {fmt.day(ctx.at)}")[1],
    )


def _commitment_title(promise: ep.EpCommitment) -> str:
    target_words = fmt.count(promise.target.target)
    if promise.due_passed:
        title = (
            f"{fmt.count(promise.additional)} additional EP assessments by the due date "
            f"({fmt.day(promise.due)}), against {target_words}: {promise.judgement.label}"
        )
        if promise.reached_month is not None and promise.additional < promise.target.target:
            title += f"; {target_words} reached by the end of {fmt.month_long(promise.reached_month)}"
        return title
    return (
        f"{fmt.count(promise.additional)} additional EP assessments by {fmt.day(promise.at)}, against "
        f"{fmt.count(promise.expected)} needed by then on the way to {target_words}: {promise.judgement.label}"
    )


def commitment_details(promise: ep.EpCommitment) -> str:
    """How the additional assessments are worked out, as a markdown list (the commitment, baseline, run rate,
    projection and status rule)."""
    target, target_words = promise.target, fmt.count(promise.target.target)
    window = promise.baseline_window
    baseline = fmt.decimal(promise.baseline_monthly)
    lines_ = [
        f"**Commitment:** {escape.markdown(target.label)}: {target_words} from {fmt.day(promise.start)} to "
        f"{fmt.day(promise.due)} ({escape.markdown(target.source)}), for all of {AREA}.",
        f"**Baseline:** {baseline} completions a month, the average of the six full months before the commitment "
        f"started ({fmt.months(window.start, window.end)}: {fmt.count(promise.baseline_completions)} completions).",
        f"**Additional** = EP advice completed from {fmt.day(promise.start)} to the date (both days counted), less "
        f"{baseline} for each calendar month elapsed. By {fmt.day(min(promise.at, promise.due))}: "
        f"{fmt.count(promise.completions)} completed, {fmt.count(promise.completions - promise.additional)} at the "
        f"baseline rate, so **{fmt.count(promise.additional)} additional**.",
        f"**Required run rate:** {fmt.decimal(promise.required_monthly)} additional a month "
        f"({fmt.decimal(promise.baseline_monthly + promise.required_monthly)} completions a month in all) to reach "
        f"{target_words} by {fmt.day(promise.due)}.",
    ]
    if promise.current_monthly is not None:
        lines_.append(f"**Rate so far:** {fmt.decimal(promise.current_monthly)} additional a month.")
    if promise.needed_monthly_from_now is not None:
        lines_.append(
            f"**Needed from now:** {fmt.decimal(promise.needed_monthly_from_now)} additional a month."
        )
    if promise.reached_month is not None:
        lines_.append(
            f"**Reached:** the additional completions passed {target_words} by the end of "
            f"{fmt.month_long(promise.reached_month)}."
        )
    elif promise.projected_date is not None:
        lines_.append(
            f"**Projected:** at the rate so far, {target_words} would be reached on about "
            f"{fmt.day(promise.projected_date)}."
        )
    else:
        lines_.append(f"**Projected:** at the rate so far, {target_words} would not be reached.")
    lines_.append(f"**Status rule:** {promise.judgement.rule}")
    return "\n".join(f"- {line}" for line in lines_)


# ---------------------------------------------------------------------------------------------------
# How late EP advice feeds the 20-week failure

LATE_WITHIN, LATE_AFTER = "Late EP advice: issued within 20 weeks", "Late EP advice: issued after 20 weeks"
TIMELY_WITHIN, TIMELY_AFTER = (
    "Timely EP advice: issued within 20 weeks",
    "Timely EP advice: issued after 20 weeks",
)
NO_ADVICE, PLANS = "No EP advice recorded", "Plans issued"
LATE_SHARE = "% with late EP advice (of those with EP advice)"
LATE_RATE, TIMELY_RATE = "% within 20 weeks (late EP advice)", "% within 20 weeks (timely EP advice)"


def delay(ctx: Context) -> View:
    """For plans issued each quarter: the share whose EP advice was late, and the 20-week rate with late and
    with timely EP advice."""
    quarters = ep.delay_by_quarter(ctx.run, ctx.filters, ctx.at, through=ctx.as_of)
    late, timely = quarters["late_ep_advice"], quarters["timely_ep_advice"]
    # The five groups of plans partition the plans issued, so 'Plans issued' is the row's one total.
    table = pd.DataFrame(
        {
            "Quarter starting": month_column(quarters, "quarter"),
            LATE_WITHIN: quarters["late_ep_advice_within_20_weeks"],
            LATE_AFTER: late - quarters["late_ep_advice_within_20_weeks"],
            TIMELY_WITHIN: quarters["timely_ep_advice_within_20_weeks"],
            TIMELY_AFTER: timely - quarters["timely_ep_advice_within_20_weeks"],
            NO_ADVICE: quarters["no_ep_advice"],
            PLANS: quarters["plans_issued"],
            LATE_SHARE: quarters["late_share"].round(1),
            LATE_RATE: quarters["late_twenty_week_rate"].round(1),
            TIMELY_RATE: quarters["timely_twenty_week_rate"].round(1),
        }
    )
    events = ctx.events
    part_quarters = _part_quarters(ctx, list(table["Quarter starting"]))
    marks = [shaded_span(*_around(quarter, days=45), "Part quarter") for quarter, _ in part_quarters]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            "Quarter starting",
            [
                Series(LATE_SHARE, "Plans whose EP advice was late"),
                Series(LATE_RATE, "Issued within 20 weeks: late EP advice"),
                Series(TIMELY_RATE, "Issued within 20 weeks: timely EP advice"),
            ],
            y_title="Share of plans issued",
            percent_axis="y",
            events=events,
            marks=marks,
        )

    totals = table[[LATE_WITHIN, LATE_AFTER, TIMELY_WITHIN, TIMELY_AFTER, NO_ADVICE, PLANS]].sum()
    with_advice = int(totals[[LATE_WITHIN, LATE_AFTER, TIMELY_WITHIN, TIMELY_AFTER]].sum())
    late_total = int(totals[LATE_WITHIN] + totals[LATE_AFTER])
    return View(
        key="ep_delay",
        title=_delay_title(totals, ctx.months_words),
        summary=(
            f"For EHC plans issued in each quarter, {ctx.months_words}: the share whose EP advice took more than "
            "six weeks (of those with EP advice recorded), and the share issued within 20 weeks for plans with "
            f"late and with timely EP advice. In the period {fmt.count(totals[PLANS])} plans were issued; "
            f"{fmt.count(late_total)} of the {fmt.count(with_advice)} with EP advice recorded had it late. "
            f"Shares on fewer than {ep.MIN_DENOMINATOR} plans are not drawn."
        ),
        table=table,
        draw=draw,
        filename=f"ep_delay_and_20_weeks_{ctx.file_months}.csv",
        # Each share is worked out from several of the row's counts, so the shares are left undeclared: the
        # suppression hides them wherever a count in the row is hidden (and they are blank on fewer than 10).
        spec=Spec(
            counts=(LATE_WITHIN, LATE_AFTER, TIMELY_WITHIN, TIMELY_AFTER, NO_ADVICE, PLANS), row_total=PLANS
        ),
        notes=tuple(
            f"The quarter starting {fmt.month(_month(quarter))} is shaded: the period holds only "
            f"{words} of it."
            for quarter, words in part_quarters
        ),
    )


def _delay_title(totals: pd.Series, period: str) -> str:
    # A share is given only on as many plans as the chart needs to draw it (ep.MIN_DENOMINATOR).
    late = int(totals[LATE_WITHIN] + totals[LATE_AFTER])
    timely = int(totals[TIMELY_WITHIN] + totals[TIMELY_AFTER])
    if not totals[PLANS]:
        return f"No EHC plans were issued {period}"
    if not late + timely:
        return f"None of the EHC plans issued {period} had EP advice recorded"
    if late + timely < ep.MIN_DENOMINATOR:
        return (
            f"{fmt.sentence_case(period)}: fewer than {ep.MIN_DENOMINATOR} plans issued had EP advice recorded, "
            "too few to give shares"
        )
    title = (
        f"{fmt.sentence_case(period)}: {fmt.percent(100 * late / (late + timely), 0)} of plans issued with EP "
        "advice had it later than six weeks"
    )
    parts = []
    if late >= ep.MIN_DENOMINATOR:
        parts.append(
            f"{fmt.percent(100 * totals[LATE_WITHIN] / late, 0)} of those were issued within 20 weeks"
        )
    if timely >= ep.MIN_DENOMINATOR:
        with_timely = f"{fmt.percent(100 * totals[TIMELY_WITHIN] / timely, 0)} with timely advice"
        parts.append(f"against {with_timely}" if parts else f"{with_timely} were issued within 20 weeks")
    return "; ".join([title, ", ".join(parts)]) if parts else title


# ---------------------------------------------------------------------------------------------------
# By district and locality


def areas(ctx: Context, by: str) -> View:
    """The backlog at ctx.at by district or locality (`by`: a key of ep.AREA_BREAKDOWNS), split at six weeks;
    clicking an area filters the dashboard to it."""
    breakdown = ep.AREA_BREAKDOWNS[by]
    frame = ep.by_area(ctx.run, ctx.filters, ctx.at, breakdown, through=ctx.as_of)
    names = {labels.label(breakdown, code): code for code in frame["area"]}
    table = pd.DataFrame(
        {
            by: list(names),
            "Waiting up to 6 weeks": frame["backlog"] - frame["over_6_weeks"],
            "Waiting over 6 weeks": frame["over_6_weeks"],
            "Backlog": frame["backlog"],
        }
    )
    at_words = fmt.day(ctx.at)

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            by,
            [Series("Waiting up to 6 weeks"), Series("Waiting over 6 weeks")],
            y_title=f"Open EP requests at {at_words}",
            horizontal=True,
        )

    return View(
        key="ep_areas",
        title=_areas_title(table, by, ctx.at),
        summary=(
            f"EP backlog at {at_words} by {by.lower()}, split by whether each request has waited more than six "
            f"weeks. Select a {by.lower()}'s bar to filter the dashboard to it."
        ),
        table=table,
        draw=draw,
        filename=f"ep_by_{breakdown}_{month_key(ctx.at)}.csv",
        spec=Spec(counts=("Waiting up to 6 weeks", "Waiting over 6 weeks", "Backlog"), row_total="Backlog"),
        drill=Drill(DISTRICT if breakdown == "district" else LOCALITY, _area_of(names)),
    )


def _areas_title(table: pd.DataFrame, by: str, at: date) -> str:
    if table.empty or not table["Backlog"].max():
        return f"No EP advice waiting at {fmt.day(at)}"
    largest = table[table["Backlog"] == table["Backlog"].max()]
    top = largest.iloc[0]
    if len(largest) > 1:
        return (
            f"{fmt.words(list(largest[by]))} have the largest EP backlog at {fmt.day(at)}: "
            f"{fmt.count(top['Backlog'])} each"
        )
    return (
        f"{top[by]} has the largest EP backlog at {fmt.day(at)}: {fmt.count(top['Backlog'])}, "
        f"{fmt.count(top['Waiting over 6 weeks'])} of them waiting over six weeks"
    )


def _area_of(names: dict[str, str]) -> Callable[[dict], str | None]:
    def code_of(point: dict) -> str | None:
        return names.get(point.get("y"))

    return code_of


# ---------------------------------------------------------------------------------------------------
# Shared pieces: periods in words, part months, provider columns


def _previous_12(ctx: Context) -> Window:
    return trailing_months(day_before(trailing_months(ctx.at, 12).start), 12)


def _by_provider(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column per provider code, one row per month (months in order)."""
    return frame.pivot(index="month", columns="breakdown", values=column).reindex(columns=list(PROVIDERS))


def _latest_and_earlier(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest 12 months of a monthly frame, and the 12 before them if the frame holds all of them."""
    latest = frame.tail(12)
    earlier = frame.iloc[-24:-12] if len(frame) >= 24 else frame.iloc[0:0]
    return latest, earlier


def _month(value: str) -> date:
    return pd.Timestamp(value).date()


def _first_month(table: pd.DataFrame) -> date | None:
    return _month(table.iloc[0, 0]) if len(table) else None


def _span(start: date | None, at: date) -> str:
    """'Jun 2024 to May 2025', 'Jun 2024 to 16 May 2025', or one month."""
    return fmt.span(start or at, at)


def _window_words(months: pd.Series, at: date) -> str:
    """'the 12 months to May 2025' for a full year of months, else the months themselves."""
    if len(months) == 12:
        return f"the 12 months to {fmt.month(at) if is_month_end(at) else fmt.day(at)}"
    return _span(_month(months.iloc[0]) if len(months) else None, at)


def _around(month_start: str | date, days: int) -> tuple[str, str]:
    """A span either side of a month (or quarter) start, so a shade covers its bar or point."""
    middle = pd.Timestamp(month_start)
    return (
        (middle - timedelta(days=days)).strftime("%Y-%m-%d"),
        (middle + timedelta(days=days)).strftime("%Y-%m-%d"),
    )


def _part_quarters(ctx: Context, quarters: list[str]) -> list[tuple[str, str]]:
    """The first and last quarters shown when the period holds only some of their days, with the months it holds."""
    found = []
    for quarter in dict.fromkeys(quarters[:1] + quarters[-1:]):
        start, end = _month(quarter), day_before(add_months(_month(quarter), 3))
        held_start, held_end = max(start, ctx.filters.period_start), min(end, ctx.at)
        if (held_start, held_end) != (start, end):
            found.append((quarter, _span(held_start, held_end)))
    return found
