"""Views of EHC needs assessments and plans: requests and decisions, 20-week timeliness, who is waiting now and
who will pass 20 weeks next, and where it is worst.

Each function answers one question as a View. Figures 'at a date' are at ctx.at (the end of the chosen period,
capped at the data's date) and say so; a monthly chart whose last month is not over, or whose recent requests
still await a decision, shades those months and says why in its notes. A frame that several views show (the
decisions, the timeliness by month, the cases about to breach) can be passed in, so a page computes it once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import contract, fmt, labels, measures
from dashboard.charts import bars, lines, template
from dashboard.charts.template import Mark, Series
from dashboard.dates import last_day, month_key
from dashboard.filters import AGE, DISTRICT, LOCALITY, NEED, PLACEMENT, SOURCE
from dashboard.measures import Rate, ehcp
from dashboard.outputs.suppression import Group, RowGroup, Spec
from dashboard.outputs.suppression import Rate as RateOf
from dashboard.views.base import (
    Context,
    Drill,
    Headline,
    View,
    leaders,
    month_column,
    part_month,
    target_path,
)

MONTH = "Month"
REQUESTS = "Requests received"
SHARE_ASSESSED = "% agreed to assess"
PLANS, WITHIN = "Plans issued", "Within 20 weeks"
PLANS_EX, WITHIN_EX = "Plans issued (excl. exceptions)", "Within 20 weeks (excl. exceptions)"
RATE_INCL, RATE_EXCL = "% within 20 weeks (incl. exceptions)", "% within 20 weeks (excl. exceptions)"
ENGLAND = "England % (excl. exceptions, calendar year)"
TARGET_PATH = "Target path % (excl. exceptions)"
TARGET_PATH_OVERDUE = "Target path (open past 20 weeks)"
OVER_20, OVER_52 = "Over 20 up to 52 weeks", "Over 52 weeks"
OPEN, OVERDUE = "Open cases", "Open past 20 weeks"
AWAITING, BEING_ASSESSED = "Awaiting decision", "Being assessed"
WITHIN_4, IN_4_TO_8, WITHIN_8 = "Within 4 weeks", "In 4 to 8 weeks", "Within 8 weeks"

# What the breakdown can split the figures by: the words, the shared filter a click on a bar sets, and the
# contract column whose labels its categories take (the others show as the data holds them).
BREAKDOWNS = {
    "district": "District",
    "locality": "Locality",
    "primary_need": "Primary need",
    "age_group": "Age group",
    "placement_type": "Placement named on issue",
    "request_source": "Request source",
}
_BREAKDOWN_FILTERS = {
    "district": DISTRICT,
    "locality": LOCALITY,
    "primary_need": NEED,
    "age_group": AGE,
    "placement_type": PLACEMENT,
    "request_source": SOURCE,
}
_LABEL_KINDS = {
    "district": "district",
    "primary_need": "primary_need",
    "placement_type": "placement_type",
    "request_source": "request_source",
}
# The figures the breakdown can rank by, and the table column each is drawn from.
BREAKDOWN_MEASURES = {
    "requests_received": "Requests received",
    "rate_excl": "20-week rate (excl. exceptions)",
    "open_cases": "Open cases",
    "overdue": "Open past 20 weeks",
}
_BREAKDOWN_COLUMNS = {
    "requests_received": REQUESTS,
    "plans_issued": PLANS,
    "within_20_weeks": WITHIN,
    "plans_issued_ex": PLANS_EX,
    "within_20_weeks_ex": WITHIN_EX,
    "open_cases": OPEN,
    "overdue": OVERDUE,
    "rate_incl": RATE_INCL,
    "rate_excl": RATE_EXCL,
}
_AT_A_DATE = ("open_cases", "overdue")
# Plans without exceptions are some of all plans, and those within 20 weeks some of the plans within 20 weeks:
# the rest (plans with exceptions) is a count of children too.
EXCEPTIONS_NESTED = (Group((PLANS_EX,), PLANS, complete=False), Group((WITHIN_EX,), WITHIN, complete=False))
STAGE = "Stage"
FUNNEL_STAGES = ("Requests received", "Decided", "Agreed to assess", "Plan issued")


# --- Headline tiles ---------------------------------------------------------------------------------------


def headlines(
    ctx: Context, decisions: pd.DataFrame | None = None, breach: pd.DataFrame | None = None
) -> list[Headline]:
    """The page's headline figures, each linking to the chart that shows it; the same measures as the Overview's
    tiles (requests received, the 20-week rate excluding exceptions, open cases at ctx.at)."""
    decisions = _decisions(ctx) if decisions is None else decisions
    breach = _breach(ctx) if breach is None else breach
    received = measures.requests_received(ctx.run, ctx.filters, ctx.period)
    assessed = ehcp.share_agreed_to_assess(decisions)
    rate = measures.twenty_week_rate(ctx.run, ctx.filters, ctx.period, exclude_exceptions=True)
    now = measures.open_assessments(ctx.run, ctx.filters, ctx.at)
    period, at = ctx.period.describe(), fmt.day(ctx.at)
    return [
        Headline(
            "Requests received",
            fmt.count(received),
            f"Requests for an EHC needs assessment received {period}.",
            view="ehcp_decisions",
        ),
        Headline(
            "Agreed to assess",
            fmt.percent(assessed.percent),
            f"{fmt.count(assessed.numerator)} of {fmt.count(assessed.denominator)} requests received {period} "
            "were agreed for assessment, as DfE publishes it (requests still awaiting a decision count in the "
            "total).",
            view="ehcp_decisions",
        ),
        Headline(
            "20-week rate (excl. exceptions)",
            fmt.percent(rate.percent),
            f"{fmt.count(rate.numerator)} of {fmt.count(rate.denominator)} plans issued {period} were issued "
            "within 20 weeks of the request (excluding exception cases). Higher is better.",
            view="ehcp_timeliness",
        ),
        Headline(
            f"Open at {at}",
            fmt.count(now.open),
            f"Requests open at {at}: {fmt.count(now.awaiting_decision)} awaiting a decision, "
            f"{fmt.count(now.being_assessed)} being assessed.",
            view="ehcp_waits",
        ),
        Headline(
            "Open past 20 weeks",
            fmt.count(now.overdue),
            f"Requests open at {at} that had waited more than 20 weeks (140 days). Lower is better.",
            view="ehcp_caseload",
        ),
        Headline(
            "Will pass 20 weeks in 4 / 8 weeks",
            f"{fmt.count(int(breach['breach_within_4_weeks'].sum()))} / "
            f"{fmt.count(int(breach['breach_within_8_weeks'].sum()))}",
            f"Cases open at {at}, not yet at 20 weeks, that will pass it within the next 4 (and 8) weeks "
            "unless a plan is issued first.",
            view="ehcp_breach",
        ),
    ]


def waiting_heading(ctx: Context) -> str:
    """The heading of the section about who is waiting, with the date its figures are for."""
    return f"Waiting at {fmt.day(ctx.at)}"


# --- Demand and decisions ---------------------------------------------------------------------------------


def decisions(ctx: Context, frame: pd.DataFrame | None = None) -> View:
    """Requests received each month by the decision made on them, with the share agreed to assess."""
    frame = _decisions(ctx) if frame is None else frame
    names = labels.options("decision")
    table = pd.DataFrame(
        {
            MONTH: month_column(frame),
            **{names[code]: frame[code] for code in contract.DECISIONS},
            REQUESTS: frame["requests"],
            SHARE_ASSESSED: frame["share_assessed"].round(1),
        }
    )
    years = _Years.of(ctx)
    by_year = {year: float(total) for year, total in _by_year(table, REQUESTS).items()}
    total = int(table[REQUESTS].sum())
    title = (
        _trend("Requests", years, by_year, fmt.count, first_to_last=True)
        or f"{fmt.count(total)} requests received, {ctx.months_words}"
    )
    share = Rate(int(table[names["assess"]].sum()), total)
    unfinished, notes = _unfinished_decisions(ctx, table[MONTH], table[names["pending"]], table[REQUESTS])
    events, series = ctx.events, [Series(names[code]) for code in contract.DECISIONS]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            MONTH,
            series,
            y_title="Requests per month",
            line=Series(SHARE_ASSESSED),
            line_title="Agreed to assess",
            events=events,
            marks=unfinished,
        )

    return View(
        key="ehcp_decisions",
        title=title,
        table=table,
        draw=draw,
        summary=f"Requests received each month, {ctx.months_words}, stacked by the decision made on them as the extract "
        f"stood at {fmt.day(ctx.as_of)}, with the share agreed to assess as a dotted line (right axis). "
        f"{fmt.count(total)} requests in all; {fmt.percent(share.percent)} agreed to assess.",
        spec=Spec(
            counts=(*(names[code] for code in contract.DECISIONS), REQUESTS),
            row_total=REQUESTS,
            rates={SHARE_ASSESSED: RateOf(REQUESTS, names["assess"])},
        ),
        filename=f"requests_by_decision_{ctx.file_months}.csv",
        notes=notes,
    )


def sources(ctx: Context) -> View:
    """Requests received each month by who made the request; clicking a part of a bar filters by that source."""
    frame = ehcp.requests_by_source(ctx.run, ctx.filters, ctx.period)
    codes = list(contract.REQUEST_SOURCES)
    names = [labels.label("request_source", code) for code in codes]
    table = pd.DataFrame(
        {MONTH: month_column(frame), **{name: frame[code] for code, name in zip(codes, names, strict=True)}}
    )
    totals = table[names].sum().sort_values(ascending=False, kind="stable")
    if totals.sum():
        leading = leaders(totals)
        title = (
            f"{fmt.words(leading)} made the most requests "
            f"({fmt.percent(100.0 * totals.iloc[0] / totals.sum(), 0)}{' each' if len(leading) > 1 else ''})"
        )
    else:
        title = f"No requests were received, {ctx.months_words}"
    unfinished, notes = part_month(ctx)
    events, series = ctx.events, [Series(name) for name in names]

    def draw(shown: pd.DataFrame) -> go.Figure:
        figure = bars.stacked_bars(
            shown, MONTH, series, y_title="Requests per month", events=events, marks=unfinished
        )
        # A click selects what is hovered: with the month's unified hover that is every source in the month, and
        # the drill-down would take the first; hovering the part under the pointer selects that source alone.
        return figure.update_layout(hovermode="closest")

    def code_of(point: dict) -> str | None:
        number = point.get("curve_number")
        return codes[number] if isinstance(number, int) and 0 <= number < len(codes) else None

    return View(
        key="ehcp_sources",
        title=title,
        table=table,
        draw=draw,
        summary=f"Requests received each month, {ctx.months_words}, stacked by who made the request: "
        + "; ".join(f"{name} {fmt.count(n)}" for name, n in totals.items())
        + ".",
        # Each month's sources add up to the month's requests, which the requests-by-decision table and the
        # Overview publish: one hidden source a month could be worked out from them, so each gets a second.
        spec=Spec(counts=tuple(names), groups=(Group(tuple(names)),)),
        filename=f"requests_by_source_{ctx.file_months}.csv",
        notes=(
            *notes,
            "Click a part of a bar to filter the whole dashboard to that request source; clear it in "
            "the sidebar.",
        ),
        drill=Drill(SOURCE, code_of),
    )


def funnel(ctx: Context) -> View:
    """What has happened to the requests received in the period, from decision to plan."""
    stages = ehcp.assessment_funnel(ctx.run, ctx.filters, ctx.period)
    table = pd.DataFrame(
        [
            # Each stage is indented under the stage it is part of, so the table reads as the sums it holds.
            ("Requests received", stages.requests),
            ("  Awaiting a decision", stages.awaiting_decision),
            ("  Decided", stages.decided),
            ("    Not agreed", stages.not_assessed),
            ("    Withdrawn before a decision", stages.withdrawn_before_decision),
            ("    Agreed to assess", stages.agreed_to_assess),
            ("      Plan issued", stages.plan_issued),
            ("      Plan not issued", stages.plan_not_issued),
            ("      Withdrawn during assessment", stages.withdrawn_during_assessment),
            ("      Assessment ongoing", stages.assessment_ongoing),
        ],
        columns=[STAGE, "Requests"],
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        main = shown.assign(Stage=shown["Stage"].str.strip())
        return bars.funnel(main[main["Stage"].isin(FUNNEL_STAGES)], "Stage", "Requests")

    return View(
        key="ehcp_funnel",
        table=table,
        draw=draw,
        title=(
            f"Of {fmt.count(stages.requests)} requests, {fmt.count(stages.plan_issued)} have a plan so far"
            if stages.requests
            else f"No requests were received, {ctx.months_words}"
        ),
        summary=f"Requests received {ctx.months_words} and what had happened to them by {fmt.day(ctx.as_of)}, the "
        f"data's date: {fmt.count(stages.decided)} decided, {fmt.count(stages.agreed_to_assess)} agreed to "
        f"assess, {fmt.count(stages.plan_issued)} plans issued, {fmt.count(stages.plan_not_issued)} not "
        f"issued, {fmt.count(stages.withdrawn_during_assessment)} withdrawn during assessment and "
        f"{fmt.count(stages.assessment_ongoing)} still being assessed.",
        # The stages add up (requests = decided + awaiting; decided = not agreed + withdrawn + agreed; agreed =
        # its four outcomes), so no stage of 1 to 4 can be worked out from the others by subtraction.
        spec=Spec(
            counts=("Requests",),
            column_totals=False,
            row_groups=(
                RowGroup(STAGE, "Requests received", ("Awaiting a decision", "Decided")),
                RowGroup(STAGE, "Decided", ("Not agreed", "Withdrawn before a decision", "Agreed to assess")),
                RowGroup(
                    STAGE,
                    "Agreed to assess",
                    ("Plan issued", "Plan not issued", "Withdrawn during assessment", "Assessment ongoing"),
                ),
            ),
        ),
        filename=f"assessment_funnel_{ctx.file_months}.csv",
    )


# --- Timeliness -------------------------------------------------------------------------------------------


def twenty_weeks(ctx: Context, timeliness: pd.DataFrame | None = None) -> View:
    """20-week timeliness by month of issue, including and excluding exceptions, against England's published rate."""
    frame = _timeliness(ctx) if timeliness is None else timeliness
    table = _timeliness_table(frame)[[MONTH, PLANS, WITHIN, RATE_INCL, PLANS_EX, WITHIN_EX, RATE_EXCL]]
    england = ctx.run("england_twenty_week_rate", {}).dropna(subset=["rate_excl"])
    published = table[MONTH].str[:4].astype(int).map(england.set_index("year")["rate_excl"])
    if published.notna().any():
        table[ENGLAND] = published
    years = _Years.of(ctx)
    yearly = _by_year(table, [PLANS_EX, WITHIN_EX])
    by_year = {year: Rate(int(row[WITHIN_EX]), int(row[PLANS_EX])).percent for year, row in yearly.iterrows()}
    overall = Rate(int(table[WITHIN_EX].sum()), int(table[PLANS_EX].sum()))
    title = _trend("20-week rate", years, by_year, lambda v: fmt.percent(v, 0))
    if title is None:
        title = (
            f"{fmt.percent(overall.percent, 0)} of plans issued {ctx.months_words} were within 20 weeks "
            "(excluding exceptions)"
            if overall.denominator
            else f"No plans were issued, {ctx.months_words}"
        )
    england_note = ""
    if ENGLAND in table:
        steps = table.assign(year=table[MONTH].str[:4]).dropna(subset=[ENGLAND]).drop_duplicates("year")
        release = england.loc[england["year"].isin(steps["year"].astype(int)), "release"].iloc[-1]
        england_note = (
            " The grey dashed steps are England's published rate excluding exceptions for each calendar "
            "year ("
            + "; ".join(f"{r['year']}: {fmt.percent(r[ENGLAND])}" for _, r in steps.iterrows())
            + f"; source: DfE {release}); the filters do not apply to it."
        )
    path = target_path(
        ctx, "twenty_week_rate_ex", [last_day(_month(m)) for m in table[MONTH]], unit="percent"
    )
    if path is not None:
        table[TARGET_PATH] = path.values
        england_note += (
            f" The dashed line is the path to the target of {fmt.percent(path.target.target)} excluding exceptions "
            f"by {fmt.day(path.target.due_date)}, from {fmt.percent(path.target.baseline)} at "
            f"{fmt.day(path.target.baseline_date)} ({path.target.source})."
        )
    unfinished, notes = part_month(ctx)
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        figure = lines.time_series(
            shown,
            MONTH,
            [Series(RATE_INCL, "Including exceptions"), Series(RATE_EXCL, "Excluding exceptions")],
            y_title="% of plans issued within 20 weeks",
            percent_axis="y",
            events=events,
            marks=unfinished,
        )
        if ENGLAND in shown and shown[ENGLAND].notna().any():
            lines.add_reference_steps(
                figure,
                shown.dropna(subset=[ENGLAND]),
                x=MONTH,
                y=ENGLAND,
                label="England, excl. exceptions (DfE)",
            )
        if path is not None and TARGET_PATH in shown:
            lines.add_target_path(figure, shown, x=MONTH, y=TARGET_PATH, label=path.label)
        return figure

    return View(
        key="ehcp_timeliness",
        title=title,
        table=table,
        draw=draw,
        summary=f"Share of EHC plans issued each month that were issued within 20 weeks of the request, including "
        f"and excluding exception cases (as DfE reports both). Over {ctx.period.describe()}: "
        f"{fmt.percent(overall.percent)} excluding exceptions ({fmt.count(overall.numerator)} of "
        f"{fmt.count(overall.denominator)}).{england_note}",
        spec=Spec(
            counts=(PLANS, WITHIN, PLANS_EX, WITHIN_EX),
            rates={RATE_INCL: RateOf(PLANS, WITHIN), RATE_EXCL: RateOf(PLANS_EX, WITHIN_EX)},
            keep=(ENGLAND, TARGET_PATH),
            groups=EXCEPTIONS_NESTED,
        ),
        filename=f"twenty_week_timeliness_{ctx.file_months}.csv",
        notes=notes,
    )


def weeks_bands(ctx: Context, timeliness: pd.DataFrame | None = None) -> View:
    """Plans issued each calendar year by how long they took, in DfE's bands."""
    frame = _timeliness(ctx) if timeliness is None else timeliness
    years = _Years.of(ctx)
    yearly = ehcp.yearly_timeliness(frame)
    yearly = yearly[yearly["plans_issued"] > 0]
    table = pd.DataFrame(
        {
            "Year": [years.by_number[y].label for y in yearly["year"]],
            PLANS: yearly["plans_issued"],
            WITHIN: yearly["within_20_weeks"],
            OVER_20: yearly["over_20_to_52_weeks"],
            OVER_52: yearly["over_52_weeks"],
            "Mean weeks": yearly["mean_weeks"].round(1),
        }
    ).reset_index(drop=True)
    shown_years = [years.by_number[y] for y in yearly["year"]]
    if len(table) and table[OVER_52].max() > 0:
        worst = int(table[OVER_52].idxmax())
        title = f"{fmt.plural(int(table[OVER_52].iloc[worst]), 'plan')} took over a year {shown_years[worst].words}"
    elif len(table):
        title = (
            f"No plan took over a year; {fmt.count(int(table[OVER_20].sum()))} of "
            f"{fmt.count(int(table[PLANS].sum()))} took more than 20 weeks"
        )
    else:
        title = f"No plans were issued, {ctx.months_words}"
    last_part = len(shown_years) - 1 if shown_years and not shown_years[-1].whole else None
    notes = (
        (
            f"{shown_years[-1].label} is shaded: it is part of a year, so it has fewer plans than a whole "
            "year.",
        )
        if last_part is not None
        else ()
    )
    series = [Series(WITHIN), Series(OVER_20), Series(OVER_52)]

    def draw(shown: pd.DataFrame) -> go.Figure:
        marks = (
            [] if last_part is None else [template.shaded_span(last_part - 0.5, last_part + 0.5, "Part year")]
        )
        figure = bars.stacked_bars(shown, "Year", series, y_title="Plans issued", x_hover=None, marks=marks)
        return figure.update_xaxes(type="category")

    return View(
        key="ehcp_weeks_bands",
        title=title,
        table=table,
        draw=draw,
        summary="Plans issued each calendar year by how long they took from request, in DfE's bands: within 20 "
        "weeks, over 20 weeks up to 52, and over 52 weeks. "
        + "; ".join(
            f"{r['Year']}: {fmt.count(r[PLANS])} plans, {fmt.count(r[OVER_52])} over a year"
            for _, r in table.iterrows()
        )
        + ".",
        spec=Spec(counts=(PLANS, WITHIN, OVER_20, OVER_52), row_total=PLANS),
        filename=f"weeks_to_issue_bands_{ctx.file_months}.csv",
        notes=notes,
    )


def weeks_to_plan(ctx: Context, timeliness: pd.DataFrame | None = None) -> View:
    """Mean and median weeks from request to plan for the plans issued each month, against the 20-week limit."""
    frame = _timeliness(ctx) if timeliness is None else timeliness
    table = _timeliness_table(frame)[[MONTH, PLANS, "Mean weeks", "Median weeks"]]
    latest = table.dropna(subset=["Median weeks"]).tail(1)
    if len(latest):
        month = latest[MONTH].iloc[0]
        so_far = " so far" if ctx.partial_month and month == month_key(ctx.partial_month) else ""
        title = (
            f"Median wait for a plan: {latest['Median weeks'].iloc[0]:.0f} weeks in "
            f"{fmt.month_long(pd.Timestamp(month))}{so_far}"
        )
    else:
        title = f"No plans were issued, {ctx.months_words}"
    unfinished, notes = part_month(ctx)
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series("Mean weeks"), Series("Median weeks")],
            y_title="Weeks from request to plan",
            events=events,
            marks=[template.target_line(20, "20 weeks"), *unfinished],
        )

    return View(
        key="ehcp_weeks",
        title=title,
        table=table,
        draw=draw,
        summary=f"Mean and median weeks from request to plan for the plans issued each month, {ctx.months_words}, "
        "against the 20-week limit (dashed line).",
        spec=Spec(counts=(PLANS,)),
        filename=f"weeks_to_plan_{ctx.file_months}.csv",
        notes=notes,
    )


def decision_timeliness(ctx: Context) -> View:
    """The share of decisions on whether to assess made within six weeks of the request, by month of decision."""
    frame = ehcp.decision_timeliness_by_month(ctx.run, ctx.filters, ctx.period)
    rate = "% within 6 weeks"
    table = pd.DataFrame(
        {
            MONTH: month_column(frame),
            "Decisions": frame["decisions"],
            "Within 6 weeks": frame["within_6_weeks"],
            rate: frame["rate"].round(1),
        }
    )
    overall = Rate(int(table["Within 6 weeks"].sum()), int(table["Decisions"].sum()))
    title = (
        f"{fmt.percent(overall.percent, 0)} of decisions on whether to assess were made within 6 weeks, "
        f"{ctx.months_words}"
        if overall.denominator
        else f"No decisions on whether to assess, {ctx.months_words}"
    )
    unfinished, notes = part_month(ctx)
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [Series(rate, "Decided within 6 weeks")],
            y_title="% of decisions within 6 weeks",
            percent_axis="y",
            events=events,
            marks=unfinished,
        )

    return View(
        key="ehcp_decision_timeliness",
        title=title,
        table=table,
        draw=draw,
        summary=f"Share of decisions on whether to assess made within six weeks (42 days) of the request, by month "
        f"of decision: {fmt.count(overall.numerator)} of {fmt.count(overall.denominator)} over "
        f"{ctx.months_words}.",
        spec=Spec(
            counts=("Decisions", "Within 6 weeks"), rates={rate: RateOf("Decisions", "Within 6 weeks")}
        ),
        filename=f"six_week_decisions_{ctx.file_months}.csv",
        notes=notes,
    )


# --- Waiting now ------------------------------------------------------------------------------------------


def open_by_wait(ctx: Context) -> View:
    """Cases open at ctx.at by weeks waited and stage."""
    waits = ehcp.open_cases_by_wait(ctx.run, ctx.filters, ctx.at)
    table = waits.rename(columns={"weeks_waited": "Weeks waited"})
    at = fmt.day(ctx.at)
    overdue = int(table.loc[table["Weeks waited"].isin(ehcp.OVERDUE_WAIT_BANDS), OPEN].sum())
    series = [Series(AWAITING), Series(BEING_ASSESSED)]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(shown, "Weeks waited", series, y_title="Open cases", x_hover=None)

    return View(
        key="ehcp_waits",
        table=table,
        draw=draw,
        title=f"{fmt.count(overdue)} of {fmt.count(int(table[OPEN].sum()))} cases open at {at} had waited more "
        "than 20 weeks",
        summary=f"Requests open at {at} by how long they had waited since the request, split by stage: "
        + "; ".join(f"{r['Weeks waited']} {fmt.count(r[OPEN])}" for _, r in table.iterrows())
        + ".",
        spec=Spec(counts=(AWAITING, BEING_ASSESSED, OPEN), row_total=OPEN),
        filename=f"open_cases_by_wait_{ctx.at:%Y-%m-%d}.csv",
    )


def caseload(ctx: Context) -> View:
    """Cases open, and open past 20 weeks, at each month end of the period and at ctx.at."""
    frame = ehcp.open_caseload_by_month(ctx.run, ctx.filters, ctx.at)
    table = pd.DataFrame(
        {
            "Date": frame["month_end"].dt.strftime("%Y-%m-%d"),
            OPEN: frame["open_cases"],
            OVERDUE: frame["overdue"],
        }
    )
    at = fmt.day(ctx.at)
    now = int(table[OVERDUE].iloc[-1]) if len(table) else 0
    if len(table) and table[OVERDUE].max() > 0:
        peak = int(table[OVERDUE].idxmax())
        peak_date = pd.Timestamp(table["Date"].iloc[peak]).date()
        if table[OVERDUE].iloc[peak] == now:
            title = f"{fmt.plural(now, 'case')} open past 20 weeks at {at}, the most at any date shown"
        else:
            title = (
                f"Cases open past 20 weeks peaked at {fmt.count(int(table[OVERDUE].iloc[peak]))} at the end "
                f"of {fmt.month_long(peak_date)}; {fmt.count(now)} at {at}"
            )
    else:
        title = f"No case open at any month end to {at} had waited more than 20 weeks"
    notes = (
        ()
        if ctx.partial_month is None
        else (f"The last point is at {at}, the data's date, not at a month end.",)
    )
    path = target_path(ctx, "overdue_open_assessments", [date.fromisoformat(d) for d in table["Date"]])
    if path is not None:
        table[TARGET_PATH_OVERDUE] = path.values
        notes += (
            f"The dashed line is the path to the target of {fmt.count(path.target.target)} open past 20 weeks by "
            f"{fmt.day(path.target.due_date)}, from {fmt.count(path.target.baseline)} at "
            f"{fmt.day(path.target.baseline_date)} ({path.target.source}).",
        )
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        figure = lines.time_series(
            shown,
            "Date",
            [Series(OPEN), Series(OVERDUE)],
            y_title="Open cases",
            events=events,
            x_hover="%-d %b %Y",
        )
        if path is not None and TARGET_PATH_OVERDUE in shown:
            lines.add_target_path(figure, shown, x="Date", y=TARGET_PATH_OVERDUE, label=path.label)
        return figure

    return View(
        key="ehcp_caseload",
        title=title,
        table=table,
        draw=draw,
        summary=f"Requests open at each month end from {fmt.month(ctx.period.start)} and at {at}, and how many "
        "had waited more than 20 weeks. Assessments that ended without a plan have no end date in the "
        "extract, so they count as closed from the decision date.",
        # Stocks at dates: no column total is published. The target path is not a count of children.
        spec=Spec(
            counts=(OPEN, OVERDUE),
            column_totals=False,
            keep=(TARGET_PATH_OVERDUE,),
            groups=(Group((OVERDUE,), OPEN, complete=False),),
        ),
        filename=f"open_caseload_{ctx.period.start:%Y-%m}_{ctx.at:%Y-%m-%d}.csv",
        notes=notes,
    )


def about_to_breach(ctx: Context, breach: pd.DataFrame | None = None) -> View:
    """Cases open at ctx.at that pass 20 weeks within 4 and 8 weeks, by district (most within 4 weeks first)."""
    breach = _breach(ctx) if breach is None else breach
    by_district = ehcp.about_to_breach_by(breach, "district")
    table = pd.DataFrame(
        {
            "District": [labels.label("district", d) for d in by_district["district"]],
            WITHIN_4: by_district["breach_within_4_weeks"],
            IN_4_TO_8: by_district["breach_in_4_to_8_weeks"],
            WITHIN_8: by_district["breach_within_8_weeks"],
        }
    )
    table = table.sort_values([WITHIN_4, WITHIN_8, "District"], ascending=[False, False, True]).reset_index(
        drop=True
    )
    at = fmt.day(ctx.at)
    within_4, within_8 = int(table[WITHIN_4].sum()), int(table[WITHIN_8].sum())
    if within_4:
        title = f"{fmt.plural(within_4, 'case')} will pass 20 weeks within 4 weeks of {at}; most in " + _most(
            table.set_index("District")[WITHIN_4]
        )
    elif within_8:
        title = (
            f"No case passes 20 weeks within 4 weeks of {at}; {fmt.count(within_8)} within 8 weeks, most in "
            + _most(table.set_index("District")[WITHIN_8])
        )
    else:
        title = f"No case open at {at} passes 20 weeks in the next 8 weeks"
    series = [Series(WITHIN_4), Series(IN_4_TO_8)]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown, "District", series, y_title="Open cases about to pass 20 weeks", horizontal=True
        )

    return View(
        key="ehcp_breach",
        title=title,
        table=table,
        draw=draw,
        summary=f"Cases open at {at} that will pass 20 weeks unless a plan is issued first: {fmt.count(within_4)} "
        f"within 4 weeks and {fmt.count(within_8)} within 8 weeks. By district (4 / 8 weeks): "
        + "; ".join(
            f"{r['District']} {fmt.count(r[WITHIN_4])} / {fmt.count(r[WITHIN_8])}"
            for _, r in table.iterrows()
        )
        + ".",
        spec=Spec(counts=(WITHIN_4, IN_4_TO_8, WITHIN_8), row_total=WITHIN_8),
        filename=f"about_to_breach_{ctx.at:%Y-%m-%d}.csv",
        notes=("Counts only; the list of cases stays in the case-management system.",),
    )


def breach_by_need(ctx: Context, breach: pd.DataFrame | None = None) -> View:
    """The same cases about to pass 20 weeks, by primary need (a table)."""
    breach = _breach(ctx) if breach is None else breach
    by_need = ehcp.about_to_breach_by(breach, "primary_need")
    table = pd.DataFrame(
        {
            "Primary need": [labels.label("primary_need", n) for n in by_need["primary_need"]],
            WITHIN_4: by_need["breach_within_4_weeks"],
            IN_4_TO_8: by_need["breach_in_4_to_8_weeks"],
            WITHIN_8: by_need["breach_within_8_weeks"],
        }
    )
    table = table.sort_values([WITHIN_8, WITHIN_4, "Primary need"], ascending=[False, False, True])
    table = table.reset_index(drop=True)
    within_8 = int(table[WITHIN_8].sum())
    by_need = table.set_index("Primary need")[WITHIN_8]
    if within_8 == 1:
        title = f"The case passing 20 weeks within 8 weeks has a primary need of {by_need.index[0]}"
    elif within_8:
        leading = leaders(by_need)
        title = (
            f"Of {fmt.count(within_8)} cases passing 20 weeks within 8 weeks, {fmt.count(by_need.max())} "
            f"{'each ' if len(leading) > 1 else ''}have a primary need of {fmt.words(leading)}"
        )
    else:
        title = f"No case open at {fmt.day(ctx.at)} passes 20 weeks in the next 8 weeks"
    return View(
        key="ehcp_breach_needs",
        title=title,
        table=table,
        draw=None,
        summary=f"The cases open at {fmt.day(ctx.at)} that pass 20 weeks within 4 and 8 weeks, by the child's "
        "primary need.",
        spec=Spec(counts=(WITHIN_4, IN_4_TO_8, WITHIN_8), row_total=WITHIN_8),
        filename=f"about_to_breach_by_need_{ctx.at:%Y-%m-%d}.csv",
    )


# --- Where it is worst ------------------------------------------------------------------------------------


def breakdown(ctx: Context, dimension: str, measure: str) -> View:
    """One figure for each district, locality, need, age group, placement or request source, largest first;
    clicking a bar filters the dashboard to it."""
    frame = ehcp.breakdown(ctx.run, ctx.filters, dimension, ctx.at, ctx.period)
    name, kind = BREAKDOWNS[dimension], _LABEL_KINDS.get(dimension)
    shown_by = [labels.label(kind, c) if kind else c for c in frame["category"]]
    table = frame.drop(columns="category").rename(columns=_BREAKDOWN_COLUMNS)
    table.insert(0, name, shown_by)
    table = table[[name, *_BREAKDOWN_COLUMNS.values()]].round(1)
    column, percent = _BREAKDOWN_COLUMNS[measure], measure == "rate_excl"
    when = f"at {fmt.day(ctx.at)}" if measure in _AT_A_DATE else ctx.months_words
    words = BREAKDOWN_MEASURES[measure]
    values = table.set_index(name)[column].dropna().sort_values(ascending=False, kind="stable")
    show: Callable[[float], str] = fmt.percent if percent else fmt.count
    title = (
        f"{words} by {name.lower()}, {when}: highest in {_most(values, show)}"
        if len(values) and values.iloc[0]
        else f"{words} by {name.lower()}, {when}"
    )
    recorded = {
        label: code
        for label, code in zip(shown_by, frame["category"], strict=True)
        if code not in ("Not yet known", "No plan issued", None)
    }

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.ranked_bars(shown, name, column, x_title=f"{words} ({when})", percent=percent)

    return View(
        key="ehcp_breakdown",
        title=title,
        table=table,
        draw=draw,
        summary=f"{words} by {name.lower()}, {when}: "
        + "; ".join(f"{label} {show(v)}" for label, v in values.items())
        + ". The table has every figure for each category: requests and plans over "
        f"{ctx.months_words}, open cases at {fmt.day(ctx.at)}.",
        spec=Spec(
            counts=(REQUESTS, PLANS, WITHIN, PLANS_EX, WITHIN_EX, OPEN, OVERDUE),
            rates={RATE_INCL: RateOf(PLANS, WITHIN), RATE_EXCL: RateOf(PLANS_EX, WITHIN_EX)},
            groups=(*EXCEPTIONS_NESTED, Group((OVERDUE,), OPEN, complete=False)),
        ),
        filename=f"breakdown_by_{dimension}_{ctx.file_months}.csv",
        notes=(
            f"Click a bar to filter the whole dashboard to that {name.lower()}; clear it in the sidebar.",
        ),
        drill=Drill(_BREAKDOWN_FILTERS[dimension], lambda point: recorded.get(point.get("y"))),
    )


# --- Shared workings --------------------------------------------------------------------------------------


def _decisions(ctx: Context) -> pd.DataFrame:
    return ehcp.decisions_by_month(ctx.run, ctx.filters, ctx.period)


def _timeliness(ctx: Context) -> pd.DataFrame:
    return ehcp.timeliness_by_month(ctx.run, ctx.filters, ctx.period)


def _breach(ctx: Context) -> pd.DataFrame:
    return ehcp.about_to_breach(ctx.run, ctx.filters, ctx.at)


def _timeliness_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            MONTH: month_column(frame),
            PLANS: frame["plans_issued"],
            WITHIN: frame["within_20_weeks"],
            RATE_INCL: frame["rate_incl"].round(1),
            PLANS_EX: frame["plans_issued_ex"],
            WITHIN_EX: frame["within_20_weeks_ex"],
            RATE_EXCL: frame["rate_excl"].round(1),
            "Mean weeks": frame["mean_weeks"].round(1),
            "Median weeks": frame["median_weeks"].round(1),
        }
    )


def _most(values: pd.Series, show: Callable[[float], str] = fmt.count) -> str:
    """'South Ribble (12)', or 'Burnley and Preston (2 each)' when they share the largest value."""
    leading = leaders(values)
    return f"{fmt.words(leading)} ({show(values.max())}{' each' if len(leading) > 1 else ''})"


def _by_year(table: pd.DataFrame, columns: str | Sequence[str]) -> pd.DataFrame | pd.Series:
    """Calendar-year totals of monthly columns of a table (its Month column holds 2026-10)."""
    return table.groupby(table[MONTH].str[:4].astype(int))[columns].sum()


@dataclass(frozen=True)
class _Year:
    """A calendar year of the chosen period: the days of it shown, and whether it is still running."""

    number: int
    first: date
    last: date
    running: bool

    @property
    def whole(self) -> bool:
        return (self.first, self.last) == (date(self.number, 1, 1), date(self.number, 12, 31))

    @property
    def months(self) -> str:
        return (
            f"{self.first:%b}"
            if self.first.month == self.last.month
            else f"{self.first:%b} to {self.last:%b}"
        )

    @property
    def label(self) -> str:
        """For a table or an axis: '2024', '2026 (Jan to Oct)'."""
        return str(self.number) if self.whole else f"{self.number} ({self.months})"

    @property
    def words(self) -> str:
        """In a sentence: 'in 2024', 'in 2025 (Nov to Dec)', 'so far in 2026 (Jan to Oct)'."""
        if self.whole:
            return f"in {self.number}"
        return f"{'so far in' if self.running else 'in'} {self.number} ({self.months})"


@dataclass(frozen=True)
class _Years:
    """The calendar years the chosen period covers, in order."""

    years: tuple[_Year, ...]

    @classmethod
    def of(cls, ctx: Context) -> _Years:
        start, end = ctx.period.start, ctx.period.end
        return cls(
            tuple(
                _Year(
                    y,
                    max(start, date(y, 1, 1)),
                    min(end, date(y, 12, 31)),
                    running=min(end, date(y, 12, 31)) == ctx.as_of and end < date(y, 12, 31),
                )
                for y in range(start.year, end.year + 1)
            )
        )

    @property
    def by_number(self) -> dict[int, _Year]:
        return {year.number: year for year in self.years}


def _trend(
    subject: str,
    years: _Years,
    by_year: dict[int, float | None],
    show: Callable[[float], str],
    first_to_last: bool = False,
) -> str | None:
    """'Requests rose from 2,560 in 2023 to 3,658 in 2024; 3,100 so far in 2026 (Jan to Oct)': the whole years
    compared (the last two, or the first and last), then the latest part year after them. None without two
    whole years to compare."""
    whole = [y for y in years.years if y.whole and by_year.get(y.number) is not None]
    if len(whole) < 2:
        return None
    a, b = (whole[0], whole[-1]) if first_to_last else (whole[-2], whole[-1])
    before, after = by_year[a.number], by_year[b.number]
    if show(before) == show(after):
        text = f"{subject} held at {show(after)} in {a.number} and {b.number}"
    else:
        text = (
            f"{subject} {'rose' if after > before else 'fell'} from {show(before)} in {a.number} to "
            f"{show(after)} in {b.number}"
        )
    later = [y for y in years.years if y.number > b.number and by_year.get(y.number) is not None]
    return text + (f"; {show(by_year[later[-1].number])} {later[-1].words}" if later else "")


def _unfinished_decisions(
    ctx: Context, months: pd.Series, pending: pd.Series, requests: pd.Series
) -> tuple[list[Mark], tuple[str, ...]]:
    """The shading and notes for the decisions chart: the month not over, and the latest months whose requests
    (every month from the first of them that has any) still include some awaiting a decision."""
    first_pending = None
    for month, waiting, received in zip(
        reversed(list(months)), reversed(list(pending)), reversed(list(requests)), strict=True
    ):
        if not received:
            continue
        if not waiting:
            break
        first_pending = month
    partial = month_key(ctx.partial_month) if ctx.partial_month else None
    starts = [m for m in (first_pending, partial) if m is not None]
    if not starts:
        return [], ()
    notes = []
    if partial:
        notes.append(
            f"{fmt.month(ctx.partial_month)} is shaded: the month was not over at {fmt.day(ctx.at)}, the "
            "data's date, so it has only part of the month's requests."
        )
    if first_pending:
        since = pd.Timestamp(first_pending)
        which = (
            f"Requests received in {fmt.month(since)}"
            if first_pending == months.iloc[-1]
            else f"Requests received from {fmt.month(since)}"
        )
        notes.append(
            f"{which} {'are also shaded' if partial else 'are shaded'}: some were still awaiting a decision "
            f"at {fmt.day(ctx.as_of)}, so the split by decision will change."
        )
    text = "Not final" if first_pending else f"To {fmt.day(ctx.at)}"
    return [template.month_span(min(starts), text, months.iloc[-1])], tuple(notes)


def _month(key: str) -> date:
    """The first day of a month key: 2026-10 -> 1 Oct 2026."""
    return date.fromisoformat(f"{key}-01")
