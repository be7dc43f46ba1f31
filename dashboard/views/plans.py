"""Plans and reviews views: the EHC plans the partnership maintains (the caseload and where children are
placed), annual reviews overdue and how long, review decisions within four weeks and amendments within 12,
phase transfers against the 15 February deadline, and plans ceased by reason.

Each function answers one question as a View whose title and summary are worked out from the table it
charts. Figures 'at a date' are at ctx.at (the end of the chosen period, capped at the data's date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, labels
from dashboard.charts import bars, lines
from dashboard.charts.template import EVENT_COLOUR, Series, trace
from dashboard.dates import add_months, census_day, last_day, month_key
from dashboard.filters import DISTRICT, LOCALITY
from dashboard.measures import plans
from dashboard.measures.benchmarks import DEFAULT_AUTHORITY
from dashboard.outputs.suppression import Group, Spec
from dashboard.outputs.suppression import Rate as SpecRate
from dashboard.views.base import Context, Drill, Headline, Honours, View, leaders, month_column, part_month

INTRO = (
    "The EHC plans the partnership maintains: how many, where children are placed, whether each plan's annual "
    "review is held within 12 months and its decision notified within four weeks, whether children moving "
    "school next September have their new placement named by 15 February, and why plans end."
)
FILTERS_NOTE = (
    "**Filters that apply here:** the period's end (figures at a date) and, for reviews and ceased plans, its "
    "months; locality and district, primary need (of the plan) and age group (the child's age at the date). "
    "The request source and placement drill-downs are about requests, so they do not apply."
)
NO_REVIEWS = (
    "The annual reviews extract (annual_reviews.csv) is not available, so review timeliness and phase "
    "transfers cannot be shown. The caseload and ceased plans above come from ehcp_plans.csv."
)
# The plan figures follow the area, need and age filters but not the request drill-downs.
PLAN_FILTERS = Honours(
    requests=False,
    note="the request source and placement drill-downs are about requests, not the plans held now.",
)
FIRST_CENSUS_YEAR = 2019  # the first January the published caseload is compared from
COUNTDOWN_WEEKS = 16  # the phase-transfer deadline is counted down in weeks from this close (late October)
PLACEMENTS = labels.options("placement_type")
REASONS = labels.options("ceased_reason")
ACTIVE, PUBLISHED = "Active plans", "Published (DfE, January census)"
OVERDUE, OVERDUE_SHARE = "Overdue reviews", "% of active plans overdue"
BANDS = [words for _, words in plans.OVERDUE_BANDS]
BAND_COLUMNS = [f"Overdue {words.lower()}" for words in BANDS]


# ---------------------------------------------------------------------------------------------------
# Headlines


@dataclass(frozen=True)
class Figures:
    """The headline figures, shared with the views that chart them (one query each)."""

    caseload: plans.Caseload
    overdue: plans.Overdue
    timeliness: pd.DataFrame  # review meetings by month, the 12 months to ctx.at
    transfers: pd.DataFrame  # phase transfers for the next (or current) transfer year
    transfer_year: int


def figures(ctx: Context, reviews: bool = True) -> Figures:
    """The page's headline figures at ctx.at (review figures empty without the reviews extract)."""
    year = plans.next_transfer_year(ctx.at)
    start = add_months(ctx.at, -11).replace(day=1)  # the 12 calendar months to ctx.at
    empty_reviews = plans.Overdue(ctx.at, 0, 0, {band: 0 for band in BANDS})
    return Figures(
        plans.caseload(ctx.run, ctx.filters, ctx.at),
        plans.overdue_at(ctx.run, ctx.filters, ctx.at) if reviews else empty_reviews,
        plans.review_timeliness(ctx.run, ctx.filters, start, ctx.at, ctx.at) if reviews else pd.DataFrame(),
        plans.phase_transfers(ctx.run, ctx.filters, [year], ctx.at) if reviews else pd.DataFrame(),
        year,
    )


def headlines(ctx: Context, found: Figures, reviews: bool = True) -> list[Headline]:
    """Active plans and their growth; overdue reviews; decisions within four weeks over the 12 months; the
    coming phase transfers named so far."""
    load = found.caseload
    tiles = [
        Headline(
            f"Active EHC plans at {fmt.day(load.at)}",
            fmt.count(load.active),
            view="plans_caseload",
            delta=(
                f"{load.growth:+,} ({fmt.percent(load.growth_percent)}) on a year earlier"
                if load.growth_percent is not None
                else None
            ),
            delta_colour="off",
            help="EHC plans started on or before the date and not ceased by it. Growth is on the same date a year "
            "earlier. Neither higher nor lower is better in itself.",
        )
    ]
    if not reviews:
        return tiles
    late = found.overdue
    decided = plans.decision_rate(found.timeliness) if len(found.timeliness) else None
    tiles.append(
        Headline(
            f"Annual reviews overdue at {fmt.day(late.at)}",
            fmt.count(late.overdue),
            view="plans_overdue",
            delta=f"{fmt.percent(late.rate.percent, 0)} of active plans" if late.active else None,
            delta_colour="off",
            help="Active plans whose last annual review meeting was more than 12 months before the date (or, with "
            "none, that started more than 12 months before it). Lower is better.",
        )
    )
    tiles.append(
        Headline(
            "Review decisions within 4 weeks (12 months)",
            fmt.percent(decided.percent if decided else None),
            view="plans_review_timeliness",
            delta=f"{fmt.count(decided.numerator)} of {fmt.count(decided.denominator)}" if decided else None,
            delta_colour="off",
            help="Of annual review meetings in the 12 months to the date whose four weeks are over, the share "
            "whose decision was notified within four weeks (28 days). Higher is better.",
        )
    )
    transfers = found.transfers
    due = int(transfers["due"].sum()) if len(transfers) else 0
    named = int(transfers["named_on_time"].sum()) if len(transfers) else 0
    tiles.append(
        Headline(
            f"Moving in September {found.transfer_year}: placement named",
            fmt.count(named),
            view="plans_phase_transfers",
            delta=f"of {fmt.count(due)} due; {_deadline_words(found.transfer_year, ctx.at)}",
            delta_colour="off",
            help="Plans of children moving into reception, year 7 or post-16 next September whose new placement "
            "was named by the deadline (15 February; 31 March for post-16). Higher is better.",
        )
    )
    return tiles


def _deadline_words(year: int, at: date) -> str:
    deadline = date(year, 2, 15)
    if at > deadline:
        return f"deadline was {fmt.day(deadline)}"
    weeks = plans.weeks_to(deadline, at)
    return f"{fmt.plural(weeks, 'week')} to {fmt.day(deadline)}" if weeks else f"deadline {fmt.day(deadline)}"


# ---------------------------------------------------------------------------------------------------
# The caseload


def caseload(ctx: Context) -> View:
    """Active plans by current placement on each January census day from 2019, and at ctx.at, with the
    published January counts beside them (for all of Lancashire only)."""
    days = [census_day(y) for y in range(FIRST_CENSUS_YEAR, ctx.at.year + 1) if census_day(y) < ctx.at]
    days.append(ctx.at)
    frame = plans.active(ctx.run, ctx.filters, days, "placement_type")
    wide = frame.pivot(index="day", columns="breakdown", values="active").reindex(
        index=days, columns=list(PLACEMENTS)
    )
    wide = wide.fillna(0).astype(int)
    published = _published(ctx) if not ctx.filters.scoped else {}
    table = pd.DataFrame(
        {
            "Date": [d.isoformat() for d in days],
            **{words: wide[code].to_numpy() for code, words in PLACEMENTS.items()},
            ACTIVE: wide.sum(axis=1).to_numpy(),
            PUBLISHED: [published.get(d.year) if d.month == 1 else None for d in days],
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        # One bar per date, named as a person would ('Jan 2019', '31 Oct 2026'), not placed on a time axis.
        dates = [date.fromisoformat(d) for d in shown["Date"]]
        shown = shown.assign(When=[f"Jan {d.year}" for d in dates[:-1]] + [fmt.day(d) for d in dates[-1:]])
        figure = bars.stacked_bars(
            shown,
            "When",
            [Series(words) for words in PLACEMENTS.values()],
            y_title="Active EHC plans",
            x_hover=None,
        )
        points = shown[pd.to_numeric(shown[PUBLISHED], errors="coerce").notna()]
        if len(points):
            name = "Published count (DfE, January census)"
            figure.add_trace(
                trace(
                    "scatter",
                    x=list(points["When"]),
                    y=list(points[PUBLISHED]),
                    name=name,
                    mode="markers",
                    marker={"symbol": "diamond", "size": 13, "color": EVENT_COLOUR, "line": {"width": 2}},
                    hovertemplate=f"{name}: %{{y:,.0f}}<extra></extra>",
                )
            )
        return figure

    now, first = int(table[ACTIVE].iloc[-1]), int(table[ACTIVE].iloc[0])
    comparison = _published_words(table)
    return View(
        key="plans_caseload",
        title=(
            f"{fmt.count(now)} active EHC plans at {fmt.day(ctx.at)}"
            + (
                f", up from {fmt.count(first)} in January {days[0].year}"
                if len(days) > 1 and now > first
                else ""
            )
            + (f", {fmt.count(first)} in January {days[0].year}" if len(days) > 1 and now <= first else "")
        ),
        summary=(
            "Active EHC plans by current placement on each January census day (the third Thursday of January) "
            f"from {FIRST_CENSUS_YEAR}, and at {fmt.day(ctx.at)}. " + comparison
        ),
        table=table,
        draw=draw,
        filename=f"plans_caseload_by_placement_{month_key(ctx.at)}.csv",
        spec=Spec(
            counts=(*PLACEMENTS.values(), ACTIVE),
            row_total=ACTIVE,
            keep=(PUBLISHED,),
        ),
        honours=PLAN_FILTERS,
        notes=(
            "Placement is each plan's current (or last) placement, so earlier dates are split by today's "
            "placements. The published count is for all of Lancashire, so it is drawn only without area, need "
            "or age filters.",
        ),
    )


def _published(ctx: Context) -> dict[int, float]:
    frame = ctx.run("published_caseload", {"la_code": DEFAULT_AUTHORITY})
    return dict(zip(frame["census_year"].astype(int), frame["published_plans"], strict=True))


def _published_words(table: pd.DataFrame) -> str:
    both = table.dropna(subset=[PUBLISHED])
    if both.empty:
        return "No published count is drawn (filters are set, or no January in the chart is published)."
    gaps = 100 * (both[ACTIVE] - both[PUBLISHED]) / both[PUBLISHED]
    return (
        f"The extract's count is within {fmt.percent(gaps.abs().max())} of the published count in every "
        f"January shown ({len(both)} of them)."
    )


def breakdown(ctx: Context, by: str) -> View:
    """Active plans at ctx.at by placement, need, age, district or locality (`by`: a key of
    plans.BREAKDOWNS), against a year earlier."""
    kind = plans.BREAKDOWNS[by]
    before = plans.year_earlier(ctx.at)
    frame = plans.active(ctx.run, ctx.filters, [before, ctx.at], kind)
    wide = frame.pivot(index="breakdown", columns="day", values="active").reindex(columns=[before, ctx.at])
    wide = wide.fillna(0).astype(int).sort_values(ctx.at, ascending=False)
    names = {labels.label(kind, code) if kind != "age_group" else code: code for code in wide.index}
    then_words, now_words = f"At {fmt.day(before)}", f"At {fmt.day(ctx.at)}"
    table = pd.DataFrame(
        {
            by: list(names),
            then_words: wide[before].to_numpy(),
            now_words: wide[ctx.at].to_numpy(),
            "Change": (wide[ctx.at] - wide[before]).to_numpy(),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.horizontal_bars(
            shown, by, [Series(then_words), Series(now_words)], x_title="Active EHC plans"
        )

    grew = table.sort_values("Change", ascending=False)
    title = f"No active EHC plans at {fmt.day(ctx.at)}"
    if len(table) and table[now_words].sum():
        top = grew.iloc[0]
        title = (
            f"{top[by]} {'grew most' if top['Change'] > 0 else 'changed least'} in the year to {fmt.day(ctx.at)}: "
            f"{fmt.count(top[then_words])} to {fmt.count(top[now_words])} active plans"
        )
    return View(
        key="plans_breakdown",
        title=title,
        summary=(
            f"Active EHC plans by {by.lower()} at {fmt.day(ctx.at)} and a year earlier"
            + (" (age at each date)" if kind == "age_group" else "")
            + "."
            + (
                f" Select a {by.lower()}'s bar to filter the dashboard to it."
                if kind in ("district", "locality")
                else ""
            )
        ),
        table=table,
        draw=draw,
        filename=f"plans_by_{kind}_{month_key(ctx.at)}.csv",
        # The change is the difference of the two counts, so it is left undeclared: it is hidden with them.
        spec=Spec(counts=(then_words, now_words)),
        honours=PLAN_FILTERS,
        drill=Drill(DISTRICT if kind == "district" else LOCALITY, _area_of(names))
        if kind in ("district", "locality")
        else None,
    )


def _area_of(names: dict[str, str]) -> Callable[[dict], str | None]:
    def code_of(point: dict) -> str | None:
        return names.get(point.get("y"))

    return code_of


# ---------------------------------------------------------------------------------------------------
# Overdue annual reviews


def overdue_trend(ctx: Context) -> View:
    """Overdue annual reviews at each month end of the period, by how long overdue."""
    months = pd.date_range(ctx.filters.period_start, ctx.at, freq="MS")
    days = [min(last_day(m.date()), ctx.at) for m in months] or [ctx.at]
    frame = plans.overdue(ctx.run, ctx.filters, days).set_index("day").reindex(days).fillna(0)
    table = pd.DataFrame(
        {
            "Month": [month_key(d) for d in days],
            **{
                name: frame[column].astype(int).to_numpy()
                for (column, _), name in zip(plans.OVERDUE_BANDS, BAND_COLUMNS, strict=True)
            },
            OVERDUE: frame["overdue"].astype(int).to_numpy(),
            ACTIVE: frame["active"].astype(int).to_numpy(),
            OVERDUE_SHARE: (100 * frame["overdue"] / frame["active"].where(frame["active"] > 0))
            .round(1)
            .to_numpy(),
        }
    )
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            "Month",
            [Series(name, words) for name, words in zip(BAND_COLUMNS, BANDS, strict=True)],
            y_title="Overdue annual reviews",
            line=Series(OVERDUE_SHARE),
            line_title="% of active plans",
            events=events,
            marks=marks,
        )

    now = table.iloc[-1]
    worst = table.loc[table[OVERDUE].idxmax()] if len(table) else now
    title = f"{fmt.count(now[OVERDUE])} annual reviews overdue at {fmt.day(ctx.at)}"
    if now[OVERDUE]:
        title += f" ({fmt.percent(now[OVERDUE_SHARE], 0)} of active plans)"
    if worst[OVERDUE] > now[OVERDUE]:
        title += f", down from {fmt.count(worst[OVERDUE])} at the end of {fmt.month_long(pd.Timestamp(worst['Month']).date())}"
    return View(
        key="plans_overdue",
        title=title,
        summary=(
            "Active EHC plans whose last annual review meeting was more than 12 months earlier, at each month end "
            f"{ctx.months_words}, split by how long past the 12 months: "
            + "; ".join(
                f"{fmt.in_sentence(w)}: {fmt.count(now[c])}" for w, c in zip(BANDS, BAND_COLUMNS, strict=True)
            )
            + f" at {fmt.day(ctx.at)}."
        ),
        table=table,
        draw=draw,
        filename=f"plans_overdue_reviews_{ctx.file_months}.csv",
        spec=Spec(
            counts=(*BAND_COLUMNS, OVERDUE, ACTIVE),
            groups=(Group(tuple(BAND_COLUMNS), OVERDUE), Group((OVERDUE,), ACTIVE, complete=False)),
            rates={OVERDUE_SHARE: SpecRate(ACTIVE, OVERDUE)},
        ),
        honours=PLAN_FILTERS,
        notes=part_month(ctx, f"its bar is at {fmt.day(ctx.at)}")[1],
    )


def overdue_areas(ctx: Context, by: str) -> View:
    """Overdue annual reviews at ctx.at by district or locality (`by`), by how long overdue."""
    kind = {"District": "district", "Locality": "locality"}[by]
    frame = plans.overdue(ctx.run, ctx.filters, [ctx.at], kind)
    frame = frame.sort_values(["overdue", "breakdown"], ascending=[False, True])
    names = {str(code): str(code) for code in frame["breakdown"]}
    table = pd.DataFrame(
        {
            by: list(names),
            **{
                name: frame[column].to_numpy()
                for (column, _), name in zip(plans.OVERDUE_BANDS, BAND_COLUMNS, strict=True)
            },
            OVERDUE: frame["overdue"].to_numpy(),
            ACTIVE: frame["active"].to_numpy(),
            OVERDUE_SHARE: (100 * frame["overdue"] / frame["active"]).round(1).to_numpy(),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            by,
            [Series(name, words) for name, words in zip(BAND_COLUMNS, BANDS, strict=True)],
            y_title=f"Overdue annual reviews at {fmt.day(ctx.at)}",
            horizontal=True,
        )

    title = f"No annual reviews overdue at {fmt.day(ctx.at)}"
    if len(table) and table[OVERDUE].max():
        top = table.iloc[0]
        title = (
            f"{top[by]} has the most overdue annual reviews at {fmt.day(ctx.at)}: {fmt.count(top[OVERDUE])}, "
            f"{fmt.percent(top[OVERDUE_SHARE], 0)} of its active plans"
        )
    return View(
        key="plans_overdue_areas",
        title=title,
        summary=(
            f"Overdue annual reviews at {fmt.day(ctx.at)} by {by.lower()}, split by how long past the 12 months, "
            f"with the share of the {by.lower()}'s active plans. Select a {by.lower()}'s bar to filter the "
            "dashboard to it."
        ),
        table=table,
        draw=draw,
        filename=f"plans_overdue_by_{kind}_{month_key(ctx.at)}.csv",
        spec=Spec(
            counts=(*BAND_COLUMNS, OVERDUE, ACTIVE),
            groups=(Group(tuple(BAND_COLUMNS), OVERDUE), Group((OVERDUE,), ACTIVE, complete=False)),
            rates={OVERDUE_SHARE: SpecRate(ACTIVE, OVERDUE)},
        ),
        honours=PLAN_FILTERS,
        drill=Drill(DISTRICT if kind == "district" else LOCALITY, _area_of(names)),
    )


# ---------------------------------------------------------------------------------------------------
# Review timeliness

DUE_4, WITHIN_4, RATE_4 = "Decisions due", "Decided within 4 weeks", "% decided within 4 weeks"
DUE_12, WITHIN_12, RATE_12 = "Amendments due", "Amended within 12 weeks", "% amended within 12 weeks"


def review_timeliness(ctx: Context) -> View:
    """Review decisions within four weeks and amended plans within 12, by month of the meeting."""
    frame = plans.review_timeliness(ctx.run, ctx.filters, ctx.filters.period_start, ctx.at, ctx.at)
    months = pd.DataFrame({"month": pd.date_range(ctx.filters.period_start, ctx.at, freq="MS")})
    frame = months.merge(frame, on="month", how="left").fillna(
        {
            c: 0
            for c in (
                "meetings",
                "decisions_due",
                "decided_within_4_weeks",
                "amendments_due",
                "amended_within_12_weeks",
            )
        }
    )
    table = pd.DataFrame(
        {
            "Month": month_column(frame),
            "Review meetings": frame["meetings"].astype(int),
            DUE_4: frame["decisions_due"].astype(int),
            WITHIN_4: frame["decided_within_4_weeks"].astype(int),
            RATE_4: frame["decision_rate"].round(1),
            DUE_12: frame["amendments_due"].astype(int),
            WITHIN_12: frame["amended_within_12_weeks"].astype(int),
            RATE_12: frame["amendment_rate"].round(1),
        }
    )
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            "Month",
            [Series(RATE_4, "Decision within 4 weeks"), Series(RATE_12, "Amended plan within 12 weeks")],
            y_title="Share of reviews on time",
            percent_axis="y",
            events=events,
        )

    decided, amended = plans.decision_rate(frame), plans.amendment_rate(frame)
    title = f"No annual review decisions were due {ctx.months_words}"
    if decided.denominator:
        title = (
            f"{fmt.sentence_case(ctx.months_words)}: {fmt.percent(decided.percent, 0)} of review decisions notified "
            f"within 4 weeks"
            + (
                f", {fmt.percent(amended.percent, 0)} of amended plans finalised within 12 weeks"
                if amended.denominator
                else ""
            )
        )
    return View(
        key="plans_review_timeliness",
        title=title,
        summary=(
            "By month of the annual review meeting: of meetings whose four weeks are over by "
            f"{fmt.day(ctx.at)}, the share whose decision was notified within four weeks (28 days; a decision "
            "still pending then is late); of reviews decided 'amend' whose 12 weeks (84 days) are over, the share "
            f"whose amended plan was finalised within them. In all, {fmt.count(decided.numerator)} of "
            f"{fmt.count(decided.denominator)} decisions and {fmt.count(amended.numerator)} of "
            f"{fmt.count(amended.denominator)} amendments were on time."
        ),
        table=table,
        draw=draw,
        filename=f"plans_review_timeliness_{ctx.file_months}.csv",
        spec=Spec(
            counts=("Review meetings", DUE_4, WITHIN_4, DUE_12, WITHIN_12),
            rates={RATE_4: SpecRate(DUE_4, WITHIN_4), RATE_12: SpecRate(DUE_12, WITHIN_12)},
            groups=(Group((DUE_4,), "Review meetings", complete=False),),
        ),
        honours=PLAN_FILTERS,
        notes=(
            "Meetings in the last four weeks (and amendments in the last 12) are not yet due, so the latest months "
            "count fewer reviews.",
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Phase transfers

NAMED_ON_TIME, NAMED_LATE, NOT_NAMED = "Named by the deadline", "Named after the deadline", "Not yet named"
DUE_TO_MOVE, NAMED_SHARE = "Due to transfer", "% named by the deadline"


def phase_transfers(ctx: Context) -> View:
    """Phase transfers for the coming September and the three before it: plans due to move into reception,
    year 7 and post-16, and whether the new placement was named by the deadline."""
    year = plans.next_transfer_year(ctx.at)
    frame = plans.phase_transfers(ctx.run, ctx.filters, list(range(year - 3, year + 1)), ctx.at)
    table = pd.DataFrame(
        {
            "Transfer": [
                f"September {y}: {plans.PHASES[p].lower()}"
                for y, p in zip(frame["transfer_year"], frame["phase"], strict=True)
            ],
            "Deadline": [d.isoformat() for d in frame["deadline"]],
            NAMED_ON_TIME: frame["named_on_time"].to_numpy(),
            NAMED_LATE: frame["named_late"].to_numpy(),
            NOT_NAMED: frame["not_named"].to_numpy(),
            DUE_TO_MOVE: frame["due"].to_numpy(),
            NAMED_SHARE: (100 * frame["named_on_time"] / frame["due"]).round(1).to_numpy(),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            "Transfer",
            [Series(NAMED_ON_TIME), Series(NAMED_LATE), Series(NOT_NAMED)],
            y_title="Plans due to transfer",
            horizontal=True,
        )

    coming = frame[frame["transfer_year"] == year]
    due, named = int(coming["due"].sum()), int(coming["named_on_time"].sum())
    first_deadline = date(year, 2, 15)
    if ctx.at <= first_deadline and plans.weeks_to(first_deadline, ctx.at) <= COUNTDOWN_WEEKS:
        weeks = plans.weeks_to(first_deadline, ctx.at)
        title = (
            f"{_weeks_words(weeks)} to {fmt.day(first_deadline)}: {fmt.count(named)} of {fmt.count(due)} children "
            f"moving school in September {year} have their new placement named"
        )
    elif ctx.at <= first_deadline:
        title = (
            f"September {year} transfers: {fmt.count(named)} of {fmt.count(due)} placements named so far; the "
            f"deadline is {fmt.day(first_deadline)} (31 March for post-16)"
        )
    else:
        title = (
            f"September {year} transfers: {fmt.count(named)} of {fmt.count(due)} placements named by the deadline"
            + (f" ({fmt.percent(100 * named / due, 0)})" if due else "")
        )
    return View(
        key="plans_phase_transfers",
        title=title,
        summary=(
            "Children with an EHC plan due to move into reception, year 7 or post-16 in September (aged 4, 11 or 16 "
            "on 31 August), and whether the plan naming the new school or college was issued by 15 February of "
            f"that year (31 March for post-16), as at {fmt.day(ctx.at)}: the coming September and the three before."
        ),
        table=table,
        draw=draw,
        filename=f"plans_phase_transfers_{month_key(ctx.at)}.csv",
        spec=Spec(
            counts=(NAMED_ON_TIME, NAMED_LATE, NOT_NAMED, DUE_TO_MOVE),
            row_total=DUE_TO_MOVE,
            rates={NAMED_SHARE: SpecRate(DUE_TO_MOVE, NAMED_ON_TIME)},
        ),
        honours=PLAN_FILTERS,
        notes=(
            "The extract holds no date of birth, so age on 31 August is the age at the plan's start plus the whole "
            "years since: a child may be counted a year early or late.",
        ),
    )


def _weeks_words(weeks: int) -> str:
    return "Less than a week" if weeks == 0 else fmt.sentence_case(fmt.plural(weeks, "week"))


# ---------------------------------------------------------------------------------------------------
# Ceased plans

CEASED = "Plans ceased"


def ceased(ctx: Context) -> View:
    """Plans ceased each month of the period, by SEN2 reason."""
    frame = plans.ceased(ctx.run, ctx.filters, ctx.filters.period_start, ctx.at)
    months = pd.date_range(ctx.filters.period_start, ctx.at, freq="MS")
    wide = (
        frame.pivot_table(index="month", columns="ceased_reason", values="ceased", aggfunc="sum")
        .reindex(index=months, columns=list(REASONS))
        .fillna(0)
        .astype(int)
    )
    table = pd.DataFrame(
        {
            "Month": [m.strftime("%Y-%m") for m in months],
            **{words: wide[code].to_numpy() for code, words in REASONS.items()},
            CEASED: wide.sum(axis=1).to_numpy(),
        }
    )
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            "Month",
            [Series(words) for words in REASONS.values()],
            y_title="Plans ceased",
            events=events,
            marks=marks,
        )

    totals = table[list(REASONS.values())].sum()
    total = int(totals.sum())
    title = f"No EHC plans ceased {ctx.months_words}"
    if total:
        top = [fmt.in_sentence(reason) for reason in leaders(totals)]
        title = (
            f"{fmt.count(total)} EHC plans ceased {ctx.months_words}; the most common "
            f"{'reason' if len(top) == 1 else 'reasons'}: {fmt.words(top)} ({fmt.count(totals.max())}"
            f"{'' if len(top) == 1 else ' each'})"
        )
    return View(
        key="plans_ceased",
        title=title,
        summary=(
            f"EHC plans ceased each month, {ctx.months_words}, by the reason recorded (SEN2's reasons): "
            + "; ".join(f"{fmt.in_sentence(w)}: {fmt.count(totals[w])}" for w in REASONS.values())
            + "."
        ),
        table=table,
        draw=draw,
        filename=f"plans_ceased_by_reason_{ctx.file_months}.csv",
        spec=Spec(counts=(*REASONS.values(), CEASED), row_total=CEASED),
        honours=PLAN_FILTERS,
        notes=part_month(ctx, "its plans ceased are for part of the month")[1],
    )
