"""The Board's KPI tiles: each figure with its change, trend, target and red/amber/green judgement.

Every value comes from the measure that its detail page shows (measures, ehcp, ep, places, spending),
and every judgement from dashboard.rag, so a tile, its page, a presentation slide and a snapshot
always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard import fmt, measures
from dashboard.dates import Window, add_months, month_end_before, trailing_months
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, ep, health, places, rag, spending

AREA = "Lancashire"
EHCP_PAGE, EP_PAGE = "pages/ehcp.py", "pages/educational_psychology.py"
PLACES_PAGE, SPENDING_PAGE = "pages/specialist_places.py", "pages/spending.py"
PLANS_PAGE = "pages/plans_reviews.py"
HEALTH_PAGE = "pages/health.py"


@dataclass(frozen=True)
class Kpi:
    """One tile: the figure now and a month earlier, its trend, target and judgement, and where to read more.

    Frozen, as every tile builder is a shared measure (dashboard.measures.shared): one Kpi is handed to every
    session that asks for the same figure, so nobody may change it (a changed copy is `replace`d)."""

    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # count, percent, gbp, places
    page: str  # the page that shows the detail
    help: str
    trend: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"x": [], "y": []}))
    target: str | None = None  # the target in a few words
    source: str | None = None  # where the target comes from
    judgement: rag.Judgement | None = None
    polarity: str = "neutral"  # for the change's direction of good
    available: bool = True
    note: str | None = None
    change_basis: str = "a month earlier"
    denominator: int | None = None  # what a rate is out of, for suppression in snapshots
    window: Window | None = None  # the months the figure counts (None: a figure at the date `at`)
    at: date | None = None  # the date a figure at a date is for
    view: str | None = None  # the key of the view on the detail page that shows the figure
    whole_area: bool = False  # a figure for all of Lancashire that the filters do not narrow
    not_judged: str | None = None  # why a figure with a target carries no status here

    def shown(self, value: float | None = None) -> str:
        """The figure as a tile shows it."""
        value = self.value if value is None else value
        if value is None:
            return "–"
        if self.unit == "percent":
            return fmt.percent(value)
        if self.unit == "gbp":
            return fmt.money(value)
        return fmt.count(value)

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    def change_words(self) -> str:
        """The change on a month earlier, in words ('down 54 on a month earlier')."""
        change = self.change
        if change is None:
            return "No earlier figure"
        if round(change, 1) == 0:
            return f"Unchanged on {self.change_basis}"
        size = (
            f"{abs(change):.1f} points"
            if self.unit == "percent"
            else fmt.money(abs(change))
            if self.unit == "gbp"
            else fmt.count(abs(change))
        )
        # A leading sign, so the tile's arrow points the right way.
        return f"{'+' if change > 0 else '-'}{size} on {self.change_basis}"

    @property
    def status_words(self) -> str:
        """'✔ On track', or why there is no judgement."""
        if not self.available:
            return "Data not available"
        if self.not_judged:
            return "Not judged"
        return self.judgement.label if self.judgement else "No target: context"

    @property
    def scope_words(self) -> str | None:
        """On a tile the filters cannot narrow, the words that say so; on a tile not judged, why."""
        if self.whole_area:
            return f"All of {AREA}: the filters do not apply"
        return self.not_judged

    @property
    def rule(self) -> str:
        if self.not_judged:
            return (
                f"The target is set for all of {AREA}, so a figure for part of it (a district, locality, need, "
                "age group, request source or placement) is shown with its trend but not judged against it."
            )
        if not self.judgement:
            return "No target is set for this figure; it is shown for context."
        return f"{self.judgement.rule} Target source: {self.source}." if self.source else self.judgement.rule


def _target(run: QueryRunner, metric: str) -> rag.Target | None:
    return rag.targets(run).get(metric)


def _target_words(target: rag.Target) -> str:
    """The target in a few words for a tile ('Target 46.4% by 31 Dec 2026'); its source goes in the rule."""
    unit = "percent" if target.unit == "percent" else "gbp" if target.unit == "gbp" else "count"
    value = (
        fmt.percent(target.target)
        if unit == "percent"
        else fmt.money(target.target)
        if unit == "gbp"
        else fmt.count(target.target)
    )
    due = f" by {fmt.day(target.due_date)}" if target.due_date else ""
    return f"Target {value}{due}"


def _target_fields(target: rag.Target | None) -> dict:
    return {} if target is None else {"target": _target_words(target), "source": target.source}


def _judge_on_line(target: rag.Target, actual: float, at: date) -> rag.Judgement:
    """Judge against the straight line from the target's baseline to the target (or the target itself)."""
    expected = None
    if target.baseline is not None and target.baseline_date and target.due_date and at < target.due_date:
        expected = rag.expected_by(
            at,
            start=target.baseline_date,
            due=target.due_date,
            start_value=target.baseline,
            target=target.target,
        )
    unit = "percent" if target.unit == "percent" else ""
    return rag.judge(
        actual,
        target.target,
        polarity=target.polarity,
        expected=expected,
        unit=unit,
        due_passed=bool(target.due_date and at >= target.due_date),
    )


@measures.shared
def requests_kpi(run: QueryRunner, filters: Filters, at: date) -> Kpi:
    window, before = trailing_months(at, 12), trailing_months(month_end_before(at), 12)
    monthly = (
        measures.requests_by_decision(run, filters, window).groupby("month", as_index=False)["requests"].sum()
    )
    return Kpi(
        "requests_12m",
        "Requests (12 months)",
        measures.requests_received(run, filters, window),
        measures.requests_received(run, filters, before),
        "count",
        EHCP_PAGE,
        f"Requests for an EHC needs assessment received {window.describe()}. More requests is neither good "
        "nor bad in itself, so there is no target.",
        trend=monthly.rename(columns={"month": "x", "requests": "y"}),
        window=window,
        view="ehcp_decisions",
    )


@measures.shared
def twenty_week_kpi(run: QueryRunner, filters: Filters, at: date, months: int) -> Kpi:
    window, before = trailing_months(at, months), trailing_months(month_end_before(at), months)
    rate = measures.twenty_week_rate(run, filters, window, exclude_exceptions=True)
    earlier = measures.twenty_week_rate(run, filters, before, exclude_exceptions=True)
    trend = measures.timeliness(run, filters, trailing_months(at, 12))
    trend = pd.DataFrame(
        {"x": trend["month"], "y": 100.0 * trend["within_20_weeks_ex"] / trend["plans_issued_ex"]}
    )
    target = _target(run, "twenty_week_rate_ex")
    judgement = _judge_on_line(target, rate.percent, at) if target and rate.percent is not None else None
    return Kpi(
        f"twenty_week_{months}m",
        f"20-week rate ({months} months)",
        rate.percent,
        earlier.percent,
        "percent",
        EHCP_PAGE,
        f"{fmt.count(rate.numerator)} of {fmt.count(rate.denominator)} plans issued {window.describe()} were "
        "issued within 20 weeks of the request, excluding exception cases. Higher is better.",
        trend=trend,
        **_target_fields(target),
        judgement=judgement,
        polarity=rag.HIGHER_IS_BETTER,
        denominator=rate.denominator,
        window=window,
        view="ehcp_timeliness",
    )


@measures.shared
def overdue_kpi(run: QueryRunner, filters: Filters, at: date) -> Kpi:
    now = measures.open_assessments(run, filters, at)
    earlier = measures.open_assessments(run, filters, month_end_before(at))
    trend = run(
        "open_caseload_by_month",
        {**filters.scope_params(), "period_start": add_months(at, -11), "period_end": at},
    )
    target = _target(run, "overdue_open_assessments")
    return Kpi(
        "overdue",
        "Open past 20 weeks",
        now.overdue,
        earlier.overdue,
        "count",
        EHCP_PAGE,
        f"Of {fmt.count(now.open)} requests open at {fmt.day(at)}, {fmt.count(now.overdue)} have waited more "
        "than 20 weeks. Lower is better.",
        trend=pd.DataFrame({"x": pd.to_datetime(trend["month_end"]), "y": trend["overdue"]}),
        **_target_fields(target),
        judgement=_judge_on_line(target, now.overdue, at) if target else None,
        polarity=rag.LOWER_IS_BETTER,
        at=at,
        view="ehcp_caseload",
    )


@measures.shared
def ep_backlog_kpi(run: QueryRunner, filters: Filters, at: date, as_of: date | None = None) -> Kpi:
    # The same query as the EP page (its period, run to the as-of date), so a change of month is a cache hit.
    frame = ep.monthly(run, filters, at, through=as_of or at)
    total = ep.total(frame)
    now = ep.backlog_in(total, at)
    previous = total.iloc[-2]["backlog"] if len(total) > 1 else None
    return Kpi(
        "ep_backlog",
        "EP backlog",
        now.open,
        previous,
        "count",
        EP_PAGE,
        f"EP advice requests open at {fmt.day(at)}, {fmt.count(now.over_six_weeks)} of them past the six-week "
        "limit. Lower is better; there is no numeric target.",
        trend=pd.DataFrame({"x": pd.to_datetime(total["month_end"]), "y": total["backlog"]}).tail(12),
        polarity=rag.LOWER_IS_BETTER,
        at=at,
        view="ep_flow",
    )


@measures.shared
def ep_commitment_kpi(run: QueryRunner, at: date, as_of: date | None = None) -> Kpi:
    commitment = ep.commitment(run, at, through=as_of or at)
    if commitment is None:
        return Kpi(
            "ep_commitment",
            "Extra EP assessments",
            None,
            None,
            "count",
            EP_PAGE,
            "No EP commitment in targets.csv.",
            available=False,
            whole_area=True,
        )
    previous = ep.commitment(run, month_end_before(at), through=as_of or at)
    progress = commitment.progress
    by_due = f" by the due date, {fmt.day(commitment.due)}" if commitment.due_passed else " so far"
    return Kpi(
        "ep_commitment",
        "Extra EP assessments",
        round(commitment.additional),
        None if previous is None else round(previous.additional),
        "count",
        EP_PAGE,
        f"EP completions from {fmt.day(commitment.start)}{by_due}, above the pre-commitment baseline of "
        f"{commitment.baseline_monthly:.1f} a month ({fmt.count(round(commitment.additional_latest))} "
        f"additional to {fmt.day(at)}).",
        trend=pd.DataFrame({"x": pd.to_datetime(progress["month_end"]), "y": progress["additional"]}),
        **_target_fields(commitment.target),
        judgement=commitment.judgement,
        polarity=rag.HIGHER_IS_BETTER,
        at=at,
        view="ep_commitment",
        whole_area=True,
    )


@measures.shared
def places_added_kpi(run: QueryRunner, at: date) -> Kpi:
    commitment = places.commitment(run, at)
    if commitment is None:
        return Kpi(
            "places_added",
            "Places added",
            None,
            None,
            "count",
            PLACES_PAGE,
            "No places target in targets.csv.",
            available=False,
            whole_area=True,
        )
    progress = commitment.progress
    earlier = places.commitment(run, month_end_before(at))
    judged = (
        f" Judged at the first census on or after the due date ({fmt.day(commitment.judged_census)}); "
        f"{fmt.count(commitment.latest_added)} by the latest census, {fmt.day(commitment.latest_census)}."
        if commitment.judged_census
        else ""
    )
    return Kpi(
        "places_added",
        "Places added",
        commitment.added,
        None if earlier is None else earlier.added,
        "count",
        PLACES_PAGE,
        f"Commissioned specialist places added since the baseline census of "
        f"{fmt.day(commitment.baseline_census)} ({fmt.count(commitment.baseline_places)} places).{judged}",
        trend=pd.DataFrame({"x": progress["snapshot_date"], "y": progress["added"]}),
        **_target_fields(commitment.target),
        judgement=commitment.judgement,
        polarity=rag.HIGHER_IS_BETTER,
        at=at,
        view="places_commitment",
        whole_area=True,
    )


@measures.shared
def occupancy_kpi(run: QueryRunner, filters: Filters, at: date) -> Kpi:
    frame = places.census(run, filters)
    frame = frame[frame["snapshot_date"].dt.date <= at]
    if frame.empty:
        return Kpi(
            "occupancy",
            "Place occupancy",
            None,
            None,
            "percent",
            PLACES_PAGE,
            "No specialist places census.",
            available=False,
        )
    rates = 100.0 * frame["occupied"] / frame["commissioned"]
    latest = places.occupancy_in(frame, frame["snapshot_date"].iloc[-1].date())
    judgement = places.occupancy_judgement(run, latest.rate)
    target = _target(run, "specialist_occupancy_pct")
    return Kpi(
        "occupancy",
        "Place occupancy",
        latest.rate.percent,
        float(rates.iloc[-2]) if len(rates) > 1 else None,
        "percent",
        PLACES_PAGE,
        f"{fmt.count(latest.occupied)} children in {fmt.count(latest.commissioned)} commissioned places at the "
        f"{fmt.day(latest.census_date)} census; {latest.settings_over_capacity} settings over capacity.",
        trend=pd.DataFrame({"x": frame["snapshot_date"], "y": rates}).tail(9),
        **_target_fields(target),
        judgement=judgement,
        polarity=rag.LOWER_IS_BETTER,
        change_basis="the census before",
        denominator=latest.commissioned,
        at=at,
        view="places_trend",
    )


@measures.shared
def forecast_variance_kpi(run: QueryRunner, at: date) -> Kpi:
    outturn = spending.forecast_outturn(run, at)
    previous = spending.forecast_outturn(run, month_end_before(at))
    same_year = previous.financial_year == outturn.financial_year
    target = _target(run, "high_needs_forecast_variance_gbp")
    judgement = None
    if target:
        # A balanced budget is the target; within 1% of the year's budget counts as at risk, beyond it off track.
        judgement = rag.judge(
            outturn.variance,
            target.target,
            polarity=target.polarity,
            margin=0.01 * outturn.budget,
            unit="gbp",
        )
    months = spending.monthly(run, outturn.financial_year, outturn.financial_year, at)
    return Kpi(
        "forecast_variance",
        "Forecast variance",
        outturn.variance,
        previous.variance if same_year else None,
        "gbp",
        SPENDING_PAGE,
        f"{outturn.financial_year.label}: forecast outturn {fmt.money(outturn.forecast, exact=True)} against "
        f"a budget of {fmt.money(outturn.budget, exact=True)} ({outturn.method_label}), at {fmt.day(at)}; "
        "positive is an overspend. Lower is better.",
        trend=pd.DataFrame({"x": months["month"], "y": months["fytd_variance_gbp"]}).dropna(),
        **_target_fields(target),
        judgement=judgement,
        polarity=rag.LOWER_IS_BETTER,
        at=at,
        view="spending_lines",
        whole_area=True,
    )


@measures.shared
def overdue_reviews_kpi(run: QueryRunner, filters: Filters, at: date, plans_usable: bool = True) -> Kpi:
    """Annual reviews overdue at `at` (the Plans and reviews page's figure), a month earlier and over 12 months."""
    from dashboard.measures import plans

    if not plans_usable:
        return Kpi(
            "overdue_reviews",
            "Annual reviews overdue",
            None,
            None,
            "count",
            PLANS_PAGE,
            "The EHC plans extract is not available, so overdue reviews cannot be counted.",
            available=False,
        )
    days = [month_end_before(add_months(at, 1 - k)) for k in range(11, 0, -1)] + [
        at
    ]  # 11 month ends, then at
    frame = (
        plans.overdue(run, filters, days).groupby("day")[["overdue", "active"]].sum().reindex(days).fillna(0)
    )
    now, earlier = frame.iloc[-1], frame.iloc[-2]
    share = 100 * now["overdue"] / now["active"] if now["active"] else None
    return Kpi(
        "overdue_reviews",
        "Annual reviews overdue",
        int(now["overdue"]),
        int(earlier["overdue"]),
        "count",
        PLANS_PAGE,
        f"Of {fmt.count(now['active'])} active EHC plans at {fmt.day(at)}, {fmt.count(now['overdue'])}"
        + (f" ({fmt.percent(share)})" if share is not None else "")
        + " had their last annual review more than 12 months earlier. Lower is better; there is no numeric "
        "target.",
        trend=pd.DataFrame({"x": pd.to_datetime(pd.Series(days)), "y": frame["overdue"].to_numpy()}),
        polarity=rag.LOWER_IS_BETTER,
        at=at,
        view="plans_overdue",
    )


@measures.shared
def health_advice_kpi(run: QueryRunner, filters: Filters, at: date) -> Kpi:
    """Health advice (every service but social care) completed within six weeks over the 12 months to `at`."""
    window, before = trailing_months(at, 12), trailing_months(month_end_before(at), 12)
    frame = health.completed(run, filters, Window(before.start, window.end))
    inside = frame["month"].dt.date >= window.start
    rate = health.six_week_rate(frame[inside])
    earlier_rows = frame[frame["month"].dt.date <= before.end]
    earlier = health.six_week_rate(earlier_rows)
    monthly = (
        frame[inside & (frame["kind"] == health.HEALTH)]
        .groupby("month", as_index=False)[["completed", "within_6_weeks"]]
        .sum()
    )
    return Kpi(
        "health_advice_12m",
        "Health advice within 6 weeks (12 months)",
        rate.percent,
        earlier.percent,
        "percent",
        HEALTH_PAGE,
        f"{fmt.count(rate.numerator)} of {fmt.count(rate.denominator)} pieces of health advice for EHC needs "
        f"assessments completed {window.describe()} arrived within six weeks (42 days) of the request. Higher "
        "is better; there is no numeric target.",
        trend=pd.DataFrame(
            {"x": monthly["month"], "y": 100.0 * monthly["within_6_weeks"] / monthly["completed"]}
        ),
        polarity=rag.HIGHER_IS_BETTER,
        denominator=rate.denominator,
        window=window,
        view="health_timeliness",
    )


# The tiles of the Improvement Notice's measures, in the Board's order: the presentation's first slide shows
# these (the measures added since, overdue annual reviews and health advice, have slides of their own).
IMPROVEMENT_NOTICE_TILES = (
    "requests_12m",
    "twenty_week_3m",
    "twenty_week_12m",
    "overdue",
    "ep_backlog",
    "ep_commitment",
    "places_added",
    "occupancy",
    "forecast_variance",
)


def board_kpis(
    run: QueryRunner, filters: Filters, at: date, usable: Callable[[str], bool], as_of: date | None = None
) -> list[Kpi]:
    """Every Overview tile, in the Board's order, at `at` (the end of the chosen period, capped at the data's
    date); a tile whose extract is unavailable says so.

    Targets are set for all of Lancashire, so under any area, need, age, source or placement filter a tile
    the filters narrow shows its figure and trend but no status, and says why.
    """
    builders: list[tuple[str, str, str, str, Callable[[], Kpi]]] = [
        (
            "ehcp_requests",
            "requests_12m",
            "Requests (12 months)",
            EHCP_PAGE,
            lambda: requests_kpi(run, filters, at),
        ),
        (
            "ehcp_requests",
            "twenty_week_3m",
            "20-week rate (3 months)",
            EHCP_PAGE,
            lambda: twenty_week_kpi(run, filters, at, 3),
        ),
        (
            "ehcp_requests",
            "twenty_week_12m",
            "20-week rate (12 months)",
            EHCP_PAGE,
            lambda: twenty_week_kpi(run, filters, at, 12),
        ),
        ("ehcp_requests", "overdue", "Open past 20 weeks", EHCP_PAGE, lambda: overdue_kpi(run, filters, at)),
        (
            "ep_assessments",
            "ep_backlog",
            "EP backlog",
            EP_PAGE,
            lambda: ep_backlog_kpi(run, filters, at, as_of),
        ),
        (
            "ep_assessments",
            "ep_commitment",
            "Extra EP assessments",
            EP_PAGE,
            lambda: ep_commitment_kpi(run, at, as_of),
        ),
        ("specialist_places", "places_added", "Places added", PLACES_PAGE, lambda: places_added_kpi(run, at)),
        (
            "specialist_places",
            "occupancy",
            "Place occupancy",
            PLACES_PAGE,
            lambda: occupancy_kpi(run, filters, at),
        ),
        (
            "spending",
            "forecast_variance",
            "Forecast variance",
            SPENDING_PAGE,
            lambda: forecast_variance_kpi(run, at),
        ),
        (
            "annual_reviews",
            "overdue_reviews",
            "Annual reviews overdue",
            PLANS_PAGE,
            lambda: overdue_reviews_kpi(run, filters, at, usable("ehcp_plans")),
        ),
        (
            "advice_requests",
            "health_advice_12m",
            "Health advice within 6 weeks (12 months)",
            HEALTH_PAGE,
            lambda: health_advice_kpi(run, filters, at),
        ),
    ]
    tiles = []
    for table, key, label, page, build in builders:
        if not usable(table):
            tiles.append(
                Kpi(
                    key,
                    label,
                    None,
                    None,
                    "count",
                    page,
                    f"The {table} extract is not available.",
                    available=False,
                )
            )
            continue
        kpi = build()
        if filters.scoped and not kpi.whole_area and kpi.judgement is not None:
            kpi = replace(kpi, judgement=None, not_judged=f"The target is for all of {AREA}")
        tiles.append(kpi)
    return tiles


def largest_movements(kpis: list[Kpi], count: int = 3) -> list[str]:
    """The largest changes on a month earlier, relative to the earlier figure, in words."""
    moved = [k for k in kpis if k.available and k.change is not None and round(k.change, 1) != 0]
    moved.sort(key=lambda k: abs(k.change) / max(abs(k.previous or 0), 1.0), reverse=True)
    lines = []
    for kpi in moved[:count]:
        direction = "rose" if kpi.change > 0 else "fell"
        better = ""
        if kpi.polarity in (rag.HIGHER_IS_BETTER, rag.LOWER_IS_BETTER):
            good = (kpi.change > 0) == (kpi.polarity == rag.HIGHER_IS_BETTER)
            better = " (better)" if good else " (worse)"
        lines.append(f"{kpi.label} {direction} from {kpi.shown(kpi.previous)} to {kpi.shown()}{better}.")
    return lines
