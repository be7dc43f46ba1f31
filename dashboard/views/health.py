"""Health views (issue 17): health and social care advice within six weeks by service and provider, open
advice by age, which input holds up late plans, and neurodevelopmental (autism and ADHD) assessment waits
by pathway and ICB place against the NICE QS51 13-week standard, with months to clear.

Each function answers one question as a View whose title and summary are worked out from the table it
charts. Advice figures follow every filter through the EHC request the advice is for; waits are counted by
ICB place, so they follow the period only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import escape, fmt, labels
from dashboard.charts import bars, lines
from dashboard.charts.template import Series
from dashboard.dates import Window, trailing_months
from dashboard.measures import Rate, ep, health
from dashboard.outputs.suppression import Group, Spec
from dashboard.outputs.suppression import Rate as SpecRate
from dashboard.views.base import Context, Headline, Honours, View, month_column, part_month

INTRO = (
    "The health side of the partnership: whether health and social care advice for EHC needs assessments "
    "arrives within the six weeks the SEND Regulations allow, which input holds up the plans that miss 20 "
    "weeks, and how long children wait for an autism or ADHD assessment."
)
FILTERS_NOTE = (
    "**Filters that apply here:** period; for advice, locality, district, primary need, age group, request "
    "source and placement (of the EHC request the advice is for). Neurodevelopmental waits are counted by ICB "
    "place and pathway, so they follow the period only."
)
NO_ADVICE = (
    "The health and social care advice extract (advice_requests.csv) is not supplied, so advice timeliness "
    "cannot be shown. It is optional: see docs/data-contract.md for its columns."
)
NO_WAITS = (
    "The neurodevelopmental waits extract (neurodevelopmental_waits.csv) is not supplied, so waits cannot be "
    "shown. It is optional: see docs/data-contract.md for its columns."
)
NO_REQUESTS = (
    "The EHC needs assessment requests extract is not available, so plans issued cannot be linked to "
    "their advice."
)


def refused(report) -> str:
    """Words for an optional extract that was sent but refused (file name and reasons only, escaped)."""
    return (
        f"**{escape.markdown(report.filename)} was refused**, so the figures that need it are not shown. "
        f"{escape.markdown('; '.join(report.errors))}. The Data and methodology page lists every problem found."
    )


WAITS_HONOURS = Honours(
    area=False,
    need=False,
    age=False,
    requests=False,
    note="neurodevelopmental waits are counted by ICB place and pathway, so only the period applies.",
)
MONTH, QUARTER = "Month", "Quarter starting"
KIND_WORDS = {health.HEALTH: "Health advice", health.SOCIAL_CARE: "Social care advice"}
STANDARD = f"{health.STANDARD_WEEKS} weeks (NICE QS51)"


def _service(code: str) -> str:
    return labels.label("service", code)


def _pathway(code: str) -> str:
    return labels.label("pathway", code)


def _place(code: str) -> str:
    return labels.label("place", code)


def provider_names(ctx: Context) -> dict[str, str]:
    """Provider code to name, from reference/health_providers.csv (a code with no name is shown as is)."""
    frame = ctx.run("health_providers", {})
    return {str(c): str(n or c) for c, n in zip(frame["provider"], frame["provider_name"], strict=True)}


# ---------------------------------------------------------------------------------------------------
# Headlines


@dataclass(frozen=True)
class AdviceYear:
    """Health and social care advice within six weeks over the 12 months to a date (the tile and headline)."""

    window: Window
    health: Rate
    social_care: Rate


def advice_year(ctx: Context) -> AdviceYear:
    window = trailing_months(ctx.at, 12)
    frame = health.completed(ctx.run, ctx.filters, window)
    return AdviceYear(window, health.six_week_rate(frame), health.six_week_rate(frame, health.SOCIAL_CARE))


def headlines(ctx: Context, advice_ok: bool, waits_ok: bool) -> list[Headline]:
    """Health advice and social care advice within six weeks over 12 months; the waiting list and share over 13
    weeks at the latest month."""
    items: list[Headline] = []
    if advice_ok:
        year = advice_year(ctx)
        words = fmt.months(year.window.start, year.window.end)
        for kind, rate, view in (
            (health.HEALTH, year.health, "health_timeliness"),
            (health.SOCIAL_CARE, year.social_care, "health_services"),
        ):
            items.append(
                Headline(
                    f"{KIND_WORDS[kind]} within six weeks (12 months)",
                    fmt.percent(rate.percent),
                    view=view,
                    help=f"{fmt.count(rate.numerator)} of {fmt.count(rate.denominator)} pieces of "
                    f"{KIND_WORDS[kind].lower()} completed in {words} arrived within 42 days of the request. "
                    "Higher is better.",
                )
            )
    if waits_ok:
        frame = health.waits(ctx.run, Window(date(2014, 9, 1), ctx.at))
        if not frame.empty:
            latest = frame[frame["month"] == frame["month"].max()]
            share = health.share_over_standard(latest)
            month = latest["month"].iloc[0].date()
            items.append(
                Headline(
                    f"Waiting for an autism or ADHD assessment ({fmt.month(month)})",
                    fmt.count(share.denominator),
                    view="nd_waits",
                    delta=f"{fmt.percent(share.percent, 0)} over 13 weeks",
                    delta_colour="off",
                    help="Children and young people on the neurodevelopmental assessment waiting lists at the "
                    "month end, all pathways and ICB places; NICE QS51 says an autism assessment should start "
                    "within 13 weeks of referral. Lower is better.",
                )
            )
    return items


# ---------------------------------------------------------------------------------------------------
# Advice timeliness


def timeliness(ctx: Context) -> View:
    """Health, social care and EP advice within six weeks, by quarter of completion."""
    frame = health.completed(ctx.run, ctx.filters, ctx.period)
    quarters = health.by_quarter(frame)
    months = ep.monthly(ctx.run, ctx.filters, ctx.at, through=ctx.as_of)
    months = months.assign(quarter=months["month"].dt.to_period("Q").dt.start_time)
    ep_quarters = months.groupby("quarter", as_index=False)[["completed", "completed_within_6_weeks"]].sum()
    spine = pd.DataFrame(
        {"quarter": sorted(set(quarters["quarter"]) | set(ep_quarters["quarter"]))}, dtype="datetime64[ns]"
    )
    table = pd.DataFrame({QUARTER: month_column(spine, "quarter")})
    specs: dict[str, SpecRate] = {}
    counts = []
    for kind, words in KIND_WORDS.items():
        rows = spine.merge(quarters[quarters["kind"] == kind], on="quarter", how="left")
        done = rows["completed"].fillna(0).astype(int)
        table[f"{words} completed"] = done.to_numpy()
        table[f"% {words.lower()} within 6 weeks"] = rows["rate"].round(1).to_numpy()
        specs[f"% {words.lower()} within 6 weeks"] = SpecRate(f"{words} completed")
        counts.append(f"{words} completed")
    rows = spine.merge(ep_quarters, on="quarter", how="left")
    ep_done = rows["completed"].fillna(0).astype(int)
    table["EP advice completed"] = ep_done.to_numpy()
    table["% EP advice within 6 weeks"] = (
        (100.0 * rows["completed_within_6_weeks"] / rows["completed"])
        .where(rows["completed"] >= health.MIN_DENOMINATOR)
        .round(1)
        .to_numpy()
    )
    specs["% EP advice within 6 weeks"] = SpecRate("EP advice completed")
    counts.append("EP advice completed")
    rate_columns = list(specs)
    legend = {f"% {w.lower()} within 6 weeks": w for w in KIND_WORDS.values()}
    legend["% EP advice within 6 weeks"] = "EP advice"
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            QUARTER,
            [Series(c, legend[c]) for c in rate_columns],
            y_title="Completed within six weeks",
            percent_axis="y",
            events=events,
        )

    rate = health.six_week_rate(frame)
    social = health.six_week_rate(frame, health.SOCIAL_CARE)
    return View(
        key="health_timeliness",
        title=_timeliness_title(rate, social, ctx.months_words),
        summary=(
            "Share of advice for EHC needs assessments completed within six weeks (42 days) of the request, by "
            f"quarter of completion, {ctx.months_words}: health services, social care and, for comparison, "
            f"educational psychology. In the period {fmt.count(rate.denominator)} pieces of health advice and "
            f"{fmt.count(social.denominator)} of social care advice were completed. A share on fewer than "
            f"{health.MIN_DENOMINATOR} completions is not drawn."
        ),
        table=table,
        draw=draw,
        filename=f"health_advice_six_weeks_{ctx.file_months}.csv",
        spec=Spec(counts=tuple(counts), rates=specs),
        notes=part_month(ctx, "its last quarter holds advice completed so far")[1],
    )


def _timeliness_title(rate: Rate, social: Rate, period: str) -> str:
    if not rate.denominator:
        return f"No health advice was completed {period}"
    title = f"{fmt.percent(rate.percent, 0)} of health advice arrived within six weeks, {period}"
    if social.denominator:
        title += f"; social care advice {fmt.percent(social.percent, 0)}"
    return title


def services(ctx: Context) -> View:
    """Advice within six weeks by service over the period."""
    frame = health.by_service(health.completed(ctx.run, ctx.filters, ctx.period))
    table = pd.DataFrame(
        {
            "Service": [_service(s) for s in frame["service"]],
            "Completed": frame["completed"].astype(int),
            "Within 6 weeks": frame["within_6_weeks"].astype(int),
            "% within 6 weeks": frame["rate"].round(1),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.ranked_bars(
            shown, "Service", "% within 6 weeks", x_title="Completed within six weeks", percent=True
        )

    rated = table.dropna(subset=["% within 6 weeks"])
    if rated.empty:
        title = f"Too little advice was completed {ctx.months_words} to compare services"
    else:
        worst = rated.loc[rated["% within 6 weeks"].idxmin()]
        best = rated.loc[rated["% within 6 weeks"].idxmax()]
        title = (
            f"{worst['Service']} was slowest {ctx.months_words}: {fmt.percent(worst['% within 6 weeks'], 0)} within "
            f"six weeks, against {fmt.percent(best['% within 6 weeks'], 0)} for {fmt.in_sentence(best['Service'])}"
        )
    return View(
        key="health_services",
        title=title,
        summary=(
            f"Share of each service's advice completed within six weeks of the request, {ctx.months_words}, "
            f"slowest at the bottom. Services with fewer than {health.MIN_DENOMINATOR} completions have no bar."
        ),
        table=table,
        draw=draw,
        filename=f"health_advice_by_service_{ctx.file_months}.csv",
        spec=Spec(
            counts=("Completed", "Within 6 weeks"),
            rates={"% within 6 weeks": SpecRate("Completed", "Within 6 weeks")},
        ),
    )


def providers(ctx: Context) -> View:
    """Advice within six weeks by provider over the period."""
    frame = health.by_provider(health.completed(ctx.run, ctx.filters, ctx.period))
    names = provider_names(ctx)
    table = pd.DataFrame(
        {
            "Provider": [names.get(p, p) for p in frame["provider"]],
            "Advice": [KIND_WORDS[k] for k in frame["kind"]],
            "Completed": frame["completed"].astype(int),
            "Within 6 weeks": frame["within_6_weeks"].astype(int),
            "% within 6 weeks": frame["rate"].round(1),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.ranked_bars(
            shown, "Provider", "% within 6 weeks", x_title="Completed within six weeks", percent=True
        )

    rated = table.dropna(subset=["% within 6 weeks"])
    if rated.empty:
        title = f"Too little advice was completed {ctx.months_words} to compare providers"
    else:
        worst = rated.loc[rated["% within 6 weeks"].idxmin()]
        title = (
            f"{worst['Provider']} had the fewest within six weeks {ctx.months_words}: "
            f"{fmt.percent(worst['% within 6 weeks'], 0)} of {fmt.count(worst['Completed'])}"
        )
    return View(
        key="health_providers",
        title=title,
        summary=(
            f"Share of each provider's advice completed within six weeks of the request, {ctx.months_words}. "
            f"Providers with fewer than {health.MIN_DENOMINATOR} completions have no bar."
        ),
        table=table,
        draw=draw,
        filename=f"health_advice_by_provider_{ctx.file_months}.csv",
        spec=Spec(
            counts=("Completed", "Within 6 weeks"),
            rates={"% within 6 weeks": SpecRate("Completed", "Within 6 weeks")},
        ),
    )


# ---------------------------------------------------------------------------------------------------
# Open advice


def open_advice(ctx: Context) -> View:
    """Advice open at ctx.at by service and time waited."""
    frame = health.open_advice(ctx.run, ctx.filters, ctx.at)
    bands = [words for _, words in health.OPEN_BANDS]
    wide = (
        frame.pivot_table(index="service", columns="band", values="open_advice", aggfunc="sum", fill_value=0)
        .reindex(columns=bands, fill_value=0)
        .reset_index()
    )
    order = {s: i for i, s in enumerate(labels.options("service"))}
    wide = wide.sort_values("service", key=lambda s: s.map(order)).reset_index(drop=True)
    table = pd.DataFrame({"Service": [_service(s) for s in wide["service"]]})
    for band in bands:
        table[band] = wide[band].astype(int).to_numpy() if len(wide) else []
    table["Open"] = table[bands].sum(axis=1).astype(int)

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            "Service",
            [Series(b) for b in bands],
            y_title=f"Open advice at {fmt.day(ctx.at)}",
            horizontal=True,
        )

    total = int(table["Open"].sum())
    over = int(total - table["Up to 6 weeks"].sum()) if total else 0
    title = (
        f"No health or social care advice was open at {fmt.day(ctx.at)}"
        if not total
        else f"{fmt.count(over)} of the {fmt.count(total)} pieces of advice open at {fmt.day(ctx.at)} have "
        "waited over six weeks"
    )
    return View(
        key="health_open",
        title=title,
        summary=(
            f"Health and social care advice requested and not yet received at {fmt.day(ctx.at)}, by service and "
            "time since the request (cancelled requests are not counted)."
        ),
        table=table,
        draw=draw,
        filename=f"health_advice_open_{ctx.at.isoformat()}.csv",
        spec=Spec(counts=(*bands, "Open"), row_total="Open"),
    )


# ---------------------------------------------------------------------------------------------------
# Which input holds up late plans

LATE_PLANS, PLANS = "After 20 weeks", "Plans issued"
LATE_INPUT = {code: f"Late {words}" for code, words in health.INPUTS}
NONE_LATE = "No late advice"
INPUT_WORDS = {"ep": "EP", "health": "Health", "social_care": "Social care"}


def bottleneck(ctx: Context) -> View:
    """Of the plans issued after 20 weeks each month, how many had late EP, health and social care advice (the
    highest of the three is the month's bottleneck)."""
    frame = health.bottlenecks(ctx.run, ctx.filters, ctx.period)
    table = pd.DataFrame(
        {
            MONTH: month_column(frame),
            PLANS: frame["plans_issued"].astype(int),
            LATE_PLANS: frame["issued_late"].astype(int),
            **{LATE_INPUT[code]: frame[f"late_with_late_{code}"].astype(int) for code, _ in health.INPUTS},
            NONE_LATE: frame["late_with_no_late_advice"].astype(int),
        }
    )
    # The month's bottleneck is the highest of the three 'late' lines. It is not a column of the table: words
    # there would give away which of two hidden counts is the larger.
    months = list(zip(frame["month"].dt.date, frame["bottleneck"], strict=True))
    events, marks = ctx.events, part_month(ctx)[0]

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [
                Series(LATE_PLANS, "Plans issued after 20 weeks"),
                *(Series(LATE_INPUT[c], f"…of them with late {w}") for c, w in health.INPUTS),
            ],
            y_title="EHC plans issued after 20 weeks",
            events=events,
            marks=marks,
        )

    totals = table[[LATE_PLANS, *LATE_INPUT.values()]].sum()
    return View(
        key="health_bottleneck",
        title=_bottleneck_title(months, totals, ctx.months_words),
        summary=(
            f"For EHC plans issued each month, {ctx.months_words}: how many were issued after 20 weeks, and how "
            "many of those had EP, health or social care advice that took more than six weeks (a plan can have "
            "more than one late input, so the lines overlap). Each month's bottleneck is the input late on the "
            "most late plans: the highest of the three lower lines."
        ),
        table=table,
        draw=draw,
        filename=f"advice_bottleneck_{ctx.file_months}.csv",
        spec=Spec(
            counts=(PLANS, LATE_PLANS, *LATE_INPUT.values(), NONE_LATE),
            groups=(
                Group((LATE_PLANS,), PLANS, complete=False),
                *(Group((c,), LATE_PLANS, complete=False) for c in (*LATE_INPUT.values(), NONE_LATE)),
            ),
        ),
        notes=part_month(ctx, "its plans are those issued so far")[1],
    )


def _bottleneck_title(months: list[tuple[date, str]], totals: pd.Series, period: str) -> str:
    late = int(totals[LATE_PLANS])
    if not late:
        return f"No EHC plans were issued after 20 weeks {period}"
    counts = {code: int(totals[LATE_INPUT[code]]) for code, _ in health.INPUTS}
    top = max(counts.values())
    leaders = [INPUT_WORDS[c] for c, n in counts.items() if n == top]
    title = f"{fmt.words(leaders)} advice was late on most of the {fmt.count(late)} plans issued after 20 weeks {period}"
    # The months health advice was the bottleneck, by name (a small number of months could read as a count).
    named = [fmt.month(m) for m, b in months if "health" in b.split(" and ")]
    if not named:
        return f"{title}; health advice was not the bottleneck in any month"
    if len(named) > 4:
        return f"{title}; health advice was the bottleneck in {len(named)} months, the latest {named[-1]}"
    return f"{title}; health advice was the bottleneck in {fmt.words(named)}"


# ---------------------------------------------------------------------------------------------------
# Neurodevelopmental waits


def waits_frame(ctx: Context) -> pd.DataFrame:
    """The waits in the period (one query for the section's views)."""
    return health.waits(ctx.run, ctx.period)


def waits(ctx: Context, frame: pd.DataFrame) -> View:
    """The whole waiting list at each month end by weeks waited, with the share over 13 weeks."""
    totals = health.monthly_totals(frame)
    bands = [words for _, words in health.WAIT_BANDS]
    table = pd.DataFrame({MONTH: month_column(totals)})
    for column, words in health.WAIT_BANDS:
        table[words] = totals[column].astype(int).to_numpy()
    table["Waiting list"] = totals["waiting_list"].astype(int).to_numpy()
    over = totals["waiting_list"] - totals["waiting_0_13"]
    table[f"Over {STANDARD}"] = over.astype(int).to_numpy()
    table["% over 13 weeks"] = (
        (100.0 * over / totals["waiting_list"]).where(totals["waiting_list"] > 0).round(1).to_numpy()
    )
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            MONTH,
            [Series(b) for b in bands],
            y_title="Waiting at month end",
            line=Series("% over 13 weeks", f"% waiting over {STANDARD}", axis="y2"),
            line_title="Waiting over 13 weeks",
            events=events,
        )

    if table.empty:
        title = f"No neurodevelopmental waits were reported {ctx.months_words}"
    else:
        now = table.iloc[-1]
        title = (
            f"{fmt.count(now['Waiting list'])} waiting for an autism or ADHD assessment at the end of "
            f"{fmt.month_long(pd.Timestamp(now[MONTH]).date())}: {fmt.percent(now['% over 13 weeks'], 0)} beyond the "
            f"{STANDARD} standard, {fmt.count(now['Over 104 weeks'])} over two years"
        )
    return View(
        key="nd_waits",
        title=title,
        summary=(
            "Children and young people waiting for a neurodevelopmental (autism or ADHD) assessment at each "
            f"month end, {ctx.months_words}, by weeks waited since referral, all pathways and ICB places. The "
            "first band is within the NICE QS51 standard (an autism assessment starts within 13 weeks of "
            "referral); the line is the share waiting longer."
        ),
        table=table,
        draw=draw,
        filename=f"neurodevelopmental_waits_{ctx.file_months}.csv",
        spec=Spec(
            counts=(*bands, "Waiting list", f"Over {STANDARD}"),
            row_total="Waiting list",
            rates={"% over 13 weeks": SpecRate("Waiting list", f"Over {STANDARD}")},
            groups=(Group(tuple(bands[1:]), f"Over {STANDARD}"),),
        ),
        honours=WAITS_HONOURS,
    )


def places(ctx: Context, frame: pd.DataFrame) -> View:
    """Each pathway and place's list at the latest month, split at the 13-week standard."""
    latest = frame[frame["month"] == frame["month"].max()] if len(frame) else frame
    order = {p: i for i, p in enumerate(labels.options("pathway"))}
    latest = latest.sort_values(
        ["pathway", "place"], key=lambda s: s.map(order) if s.name == "pathway" else s
    )
    within, beyond = f"Within {STANDARD}", f"Over {STANDARD}"
    table = pd.DataFrame(
        {
            "Pathway and place": [
                f"{_pathway(p)}: {_place(q)}" for p, q in zip(latest["pathway"], latest["place"], strict=True)
            ],
            within: latest["waiting_0_13"].astype(int).to_numpy(),
            beyond: (latest["waiting_list"] - latest["waiting_0_13"]).astype(int).to_numpy(),
            "Waiting list": latest["waiting_list"].astype(int).to_numpy(),
        }
    )
    table["% over 13 weeks"] = (
        (100.0 * table[beyond] / table["Waiting list"]).where(table["Waiting list"] > 0).round(1)
    )
    month = latest["month"].iloc[0].date() if len(latest) else ctx.at

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            shown,
            "Pathway and place",
            [Series(within), Series(beyond)],
            y_title="Waiting at month end",
            horizontal=True,
        )

    rated = table[table["Waiting list"] >= health.MIN_DENOMINATOR]
    if rated.empty:
        title = f"No neurodevelopmental waiting list to compare at {fmt.month(month)}"
    else:
        worst = rated.loc[rated["% over 13 weeks"].idxmax()]
        title = (
            f"{worst['Pathway and place']} has the largest share beyond {STANDARD} at the end of "
            f"{fmt.month_long(month)}: {fmt.percent(worst['% over 13 weeks'], 0)} of {fmt.count(worst['Waiting list'])}"
        )
    return View(
        key="nd_places",
        title=title,
        summary=(
            f"The waiting list for each pathway and ICB place at the end of {fmt.month_long(month)}, split at the "
            f"NICE QS51 standard of {health.STANDARD_WEEKS} weeks from referral."
        ),
        table=table,
        draw=draw,
        filename=f"neurodevelopmental_waits_by_place_{month.isoformat()[:7]}.csv",
        spec=Spec(
            counts=(within, beyond, "Waiting list"),
            row_total="Waiting list",
            rates={"% over 13 weeks": SpecRate("Waiting list", beyond)},
        ),
        honours=WAITS_HONOURS,
    )


def flow(ctx: Context, frame: pd.DataFrame) -> View:
    """Referrals against assessments completed each month, and whether the list grows."""
    totals = health.monthly_totals(frame)
    table = pd.DataFrame(
        {
            MONTH: month_column(totals),
            "Referrals received": totals["referrals_received"].astype(int).to_numpy(),
            "Assessments completed": totals["assessments_completed"].astype(int).to_numpy(),
            "Waiting list": totals["waiting_list"].astype(int).to_numpy(),
        }
    )
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        return lines.time_series(
            shown,
            MONTH,
            [
                Series("Referrals received"),
                Series("Assessments completed"),
                Series("Waiting list", axis="y2"),
            ],
            y_title="Referrals and assessments a month",
            y2_title="Waiting list",
            events=events,
        )

    referrals, done = int(table["Referrals received"].sum()), int(table["Assessments completed"].sum())
    if table.empty:
        title = f"No neurodevelopmental referrals were reported {ctx.months_words}"
    elif referrals > done:
        title = (
            f"Referrals outran assessments {ctx.months_words}: {fmt.count(referrals)} received against "
            f"{fmt.count(done)} completed, so the list grew to {fmt.count(table['Waiting list'].iloc[-1])}"
        )
    else:
        title = (
            f"Assessments kept pace {ctx.months_words}: {fmt.count(done)} completed against {fmt.count(referrals)} "
            f"referrals; the list is {fmt.count(table['Waiting list'].iloc[-1])}"
        )
    return View(
        key="nd_flow",
        title=title,
        summary=(
            f"Neurodevelopmental referrals received and assessments completed each month, {ctx.months_words}, all "
            "pathways and places, with the waiting list at each month end (right axis). The list grows in any "
            "month with more referrals than assessments."
        ),
        table=table,
        draw=draw,
        filename=f"neurodevelopmental_referrals_assessments_{ctx.file_months}.csv",
        spec=Spec(counts=("Referrals received", "Assessments completed", "Waiting list")),
        honours=WAITS_HONOURS,
    )


def clear(ctx: Context, frame: pd.DataFrame) -> View:
    """Months to clear each pathway and place's list at the current completion rate."""
    result = health.months_to_clear(frame)
    table = pd.DataFrame(
        {
            "Pathway and place": [
                f"{_pathway(p)}: {_place(q)}" for p, q in zip(result["pathway"], result["place"], strict=True)
            ],
            "Waiting list": result["waiting_list"].astype(int).to_numpy(),
            "Assessments a month (latest 3 months)": result["monthly_completions"]
            .astype(float)
            .round(1)
            .to_numpy(),
            "Months to clear": result["months_to_clear"].astype(float).round(1).to_numpy(),
        }
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.ranked_bars(
            shown, "Pathway and place", "Months to clear", x_title="Months to clear the list"
        )

    overall = health.months_to_clear_all(frame)
    if table.empty:
        title = "No neurodevelopmental waiting list to clear"
    else:
        worst = table.dropna(subset=["Months to clear"])
        head = f"At the current rate the whole list would take {fmt.decimal(overall)} months to clear"
        if overall is None:
            head = "No assessments were completed in the latest three months, so the list would never clear"
        title = (
            head
            if worst.empty
            else (
                f"{head}; {worst.loc[worst['Months to clear'].idxmax(), 'Pathway and place']} longest, "
                f"{fmt.decimal(worst['Months to clear'].max())} months"
            )
        )
    never = table[table["Months to clear"].isna()]["Pathway and place"].tolist()
    return View(
        key="nd_clear",
        title=title,
        summary=(
            "Months each pathway and ICB place would take to clear its waiting list if no one else were referred, "
            f"at its mean assessments a month over the latest {health.CLEAR_MONTHS} months. "
            + (f"Not cleared at all (no assessments): {fmt.words(never)}." if never else "")
        ),
        table=table,
        draw=draw,
        filename="neurodevelopmental_months_to_clear.csv",
        # The rate and months to clear are worked out from counts, so they are left undeclared: the suppression
        # hides them wherever a count in their row is hidden.
        spec=Spec(counts=("Waiting list",)),
        honours=WAITS_HONOURS,
    )
