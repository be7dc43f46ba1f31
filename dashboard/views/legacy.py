"""Views: a chart with its title in words, its text summary, its table twin and its export rules.

A view is built once from the measures and shown by a page, a presentation slide or a snapshot alike,
so the three always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, measures
from dashboard.charts import capacity as capacity_charts
from dashboard.charts import legacy as charts
from dashboard.charts import money as spending_charts
from dashboard.charts.legacy import Series
from dashboard.dates import FinancialYear
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, ehcp, ep, places, spending
from dashboard.outputs.suppression import Rate, Spec


@dataclass
class View:
    """Everything one chart needs wherever it is shown."""

    key: str
    title: str
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    filename: str
    export: Spec | None = None


def _full_years(filters: Filters, as_of: date) -> list[int]:
    end = min(filters.period_end, as_of)
    return [y for y in range(filters.period_start.year, end.year + 1)
            if date(y, 1, 1) >= filters.period_start and date(y, 12, 31) <= end]


def twenty_week_view(run: QueryRunner, filters: Filters, as_of: date) -> View:
    """20-week timeliness by month of issue, including and excluding exceptions, against England's published rate."""
    events = run("events", filters.params())
    timeliness = ehcp.timeliness_by_month(run, filters)
    yearly = ehcp.yearly_timeliness(timeliness)
    england = run("england_twenty_week_rate", {})
    rate = measures.twenty_week_rate(run, filters, ehcp.period(filters), exclude_exceptions=True)
    title = "Plans issued within 20 weeks, by month of issue"
    complete = yearly[yearly["year"].isin(_full_years(filters, as_of)) & yearly["rate_excl"].notna()]
    if len(complete) >= 2:
        a, b = complete.iloc[-2], complete.iloc[-1]
        verb = "rose" if b["rate_excl"] > a["rate_excl"] else "fell"
        title = (f"20-week rate {verb} from {a['rate_excl']:.0f}% in {int(a['year'])} "
                 f"to {b['rate_excl']:.0f}% in {int(b['year'])}")
    figure = charts.time_series(
        timeliness, "month", [Series("rate_incl", "Including exceptions"), Series("rate_excl", "Excluding exceptions")],
        y_title="% of plans issued within 20 weeks", percent_axis="y", events=events)
    years = pd.DataFrame({"year": list(range(filters.period_start.year, min(filters.period_end, as_of).year + 1))})
    england_steps = years.merge(england, on="year", how="left").dropna(subset=["rate_excl"])
    if not england_steps.empty:
        england_steps["month"] = pd.to_datetime(england_steps["year"].astype(str) + "-01-01").clip(
            lower=pd.Timestamp(filters.period_start))
        last = england_steps.iloc[[-1]].copy()
        last["month"] = pd.Timestamp(int(last["year"].iloc[0]), 12, 1)
        charts.reference_steps(figure, pd.concat([england_steps, last]), x="month", y="rate_excl",
                               label="England, excl. exceptions (DfE)")
    table = timeliness[["month", "plans_issued", "within_20_weeks", "rate_incl", "plans_issued_ex",
                        "within_20_weeks_ex", "rate_excl"]].rename(columns={
        "month": "Month", "plans_issued": "Plans issued", "within_20_weeks": "Within 20 weeks",
        "rate_incl": "% within 20 weeks (incl. exceptions)", "plans_issued_ex": "Plans issued (excl. exceptions)",
        "within_20_weeks_ex": "Within 20 weeks (excl. exceptions)",
        "rate_excl": "% within 20 weeks (excl. exceptions)"})
    table["Month"] = table["Month"].dt.strftime("%Y-%m")
    england_note = ""
    if not england_steps.empty:
        england_note = (" The grey dashed steps are England's published rate excluding exceptions for each calendar "
                        "year (" + "; ".join(f"{int(r.year)}: {r.rate_excl:.1f}%" for r in england_steps.itertuples())
                        + f"; source: DfE {england_steps['release'].iloc[-1]}).")
        table["England % (excl. exceptions, calendar year)"] = table["Month"].str[:4].astype(int).map(
            england.set_index("year")["rate_excl"])
    return View(
        key="ehcp_timeliness", title=title, figure=figure, table=table.round(1),
        summary=f"Share of EHC plans issued each month that were issued within 20 weeks of the request, including "
                f"and excluding exception cases (as DfE reports both). Over "
                f"{fmt.day(filters.period_start)} to {fmt.day(min(filters.period_end, as_of))}: "
                f"{fmt.percent(rate.percent)} excluding exceptions.{england_note}",
        filename=f"twenty_week_timeliness_{filters.period_start:%Y-%m}_{filters.period_end:%Y-%m}.csv",
        export=Spec(counts=("Plans issued", "Within 20 weeks", "Plans issued (excl. exceptions)",
                            "Within 20 weeks (excl. exceptions)"),
                    rates={"% within 20 weeks (incl. exceptions)": Rate("Plans issued", "Within 20 weeks"),
                           "% within 20 weeks (excl. exceptions)": Rate("Plans issued (excl. exceptions)",
                                                                        "Within 20 weeks (excl. exceptions)")},
                    keep=("England % (excl. exceptions, calendar year)",)))


def open_by_wait_view(run: QueryRunner, filters: Filters, as_of: date) -> View:
    """Cases open at the as-of date by weeks waited and stage."""
    open_now = measures.open_assessments(run, filters, as_of)
    waits = ehcp.open_cases_by_wait(run, filters, as_of)
    figure = charts.stacked_bars(waits, "weeks_waited", [Series("Awaiting decision", "Awaiting decision"),
                                                         Series("Being assessed", "Being assessed")],
                                 y_title="Open cases")
    return View(
        key="ehcp_waits", figure=figure, table=waits.rename(columns={"weeks_waited": "Weeks waited"}),
        title=f"{fmt.count(open_now.overdue)} of {fmt.count(open_now.open)} open cases have waited more than 20 weeks",
        summary=f"Requests open at {fmt.day(as_of)} by how long they have waited since the request, split by stage. "
                + "; ".join(f"{r['weeks_waited']}: {fmt.count(r['Open cases'])}" for _, r in waits.iterrows()) + ".",
        filename=f"open_cases_by_wait_{as_of:%Y-%m-%d}.csv",
        export=Spec(counts=("Awaiting decision", "Being assessed", "Open cases"), row_total="Open cases"))


def about_to_breach_view(run: QueryRunner, filters: Filters, as_of: date) -> View:
    """Open cases that pass 20 weeks within 4 and 8 weeks, by district (the table adds primary need)."""
    breach = ehcp.about_to_breach(run, filters, as_of)
    by_district = (breach.groupby("district", as_index=False)[["breach_within_4_weeks", "breach_within_8_weeks"]]
                   .sum().sort_values("breach_within_8_weeks", ascending=False))
    figure = charts.stacked_bars(
        by_district.assign(later=by_district["breach_within_8_weeks"] - by_district["breach_within_4_weeks"]),
        "district", [Series("breach_within_4_weeks", "Within 4 weeks"), Series("later", "In 4 to 8 weeks")],
        y_title="Open cases about to pass 20 weeks", horizontal=True)
    within_4, within_8 = int(breach["breach_within_4_weeks"].sum()), int(breach["breach_within_8_weeks"].sum())
    return View(
        key="ehcp_breach", figure=figure,
        table=breach.rename(columns={"district": "District", "primary_need": "Primary need",
                                     "breach_within_4_weeks": "Within 4 weeks",
                                     "breach_within_8_weeks": "Within 8 weeks"}),
        title=(f"{fmt.count(within_4)} cases pass 20 weeks within 4 weeks; most in {by_district['district'].iloc[0]}"
               if len(by_district) else "No open cases are about to pass 20 weeks"),
        summary=f"At {fmt.day(as_of)}: {fmt.count(within_4)} open cases pass 20 weeks within 4 weeks and "
                f"{fmt.count(within_8)} within 8 weeks, unless a plan is issued first. By district (4 / 8 weeks): "
                + "; ".join(f"{r.district} {r.breach_within_4_weeks} / {r.breach_within_8_weeks}"
                            for r in by_district.itertuples()) + ".",
        filename=f"about_to_breach_{as_of:%Y-%m-%d}.csv")


PRESENTATION_FONT = 22


def for_presentation(view: View) -> View:
    """The same view restyled for a shared screen: larger text, thicker lines, a taller chart."""
    figure = go.Figure(view.figure)
    figure.update_layout(font={"size": PRESENTATION_FONT}, height=620, legend={"font": {"size": PRESENTATION_FONT}},
                         hoverlabel={"font": {"size": PRESENTATION_FONT}})
    figure.update_traces(line={"width": 5}, selector={"type": "scatter"})
    figure.update_annotations(font={"size": PRESENTATION_FONT - 4})
    return View(view.key + "_present", view.title, figure, view.summary, view.table, view.filename, view.export)


def ep_commitment_view(run: QueryRunner, filters: Filters, at: date,
                       promise: ep.EpCommitment | None = None) -> View | None:
    """Additional EP completions against the straight line to the 1,200 target (None before it starts)."""
    promise = promise or ep.commitment(run, at)
    if promise is None:
        return None
    target = promise.target
    target_words = fmt.count(target.target)
    if promise.due_passed:
        title = (f"{fmt.count(promise.additional)} additional EP assessments by the due date ({fmt.day(promise.due)}), "
                 f"against {target_words}: {promise.judgement.label}")
        if promise.reached_month is not None and promise.additional < target.target:
            title += f"; {target_words} reached by the end of {promise.reached_month:%B %Y}"
    else:
        title = (f"{fmt.count(promise.additional)} additional EP assessments so far, against "
                 f"{fmt.count(promise.expected)} needed by now on the way to {target_words}: {promise.judgement.label}")
    figure = capacity_charts.commitment(
        promise.progress, "month_end", ("additional", "Additional completions (cumulative)"),
        required=("required", "Required: straight line to the target"), target=target.target,
        target_text=f"Target: {target_words}", due=promise.due, due_text=f"Due {fmt.day(promise.due)}",
        y_title="Additional EP assessments", events=run("events", {"period_start": promise.start,
                                                                    "period_end": promise.at}))
    progress = promise.progress
    table = pd.DataFrame({"Month end": progress["month_end"].dt.strftime("%Y-%m-%d"),
                          "Completed in month": progress["completed"],
                          "Completed since start": progress["cumulative"],
                          "At the baseline rate": progress["baseline_expected"].round(1),
                          "Additional": progress["additional"].round(1),
                          "Required by the straight line": progress["required"].round(1)})
    return View(
        key="ep_commitment", title=title, figure=figure, table=table,
        summary=f"Cumulative EP advice completed above the baseline of {promise.baseline_monthly:,.1f} a month, at "
                f"each month end from {fmt.day(promise.start)} to {fmt.day(promise.at)}, against the straight line "
                f"from 0 to {target_words} by {fmt.day(promise.due)}. All of Lancashire; the filters do not apply.",
        filename=f"ep_additional_assessments_{promise.at:%Y-%m}.csv",
        export=Spec(counts=("Completed in month", "Completed since start"),
                    keep=("At the baseline rate", "Additional", "Required by the straight line")))


def places_commitment_view(run: QueryRunner, filters: Filters, at: date,
                           promise: places.PlacesCommitment | None = None) -> View | None:
    """Commissioned places added since the baseline census, with planned openings, against the 200 target."""
    promise = promise or places.commitment(run, at)
    if promise is None:
        return None
    target_words = fmt.count(promise.target.target)
    title = (f"{fmt.count(promise.added)} places added since the {fmt.day(promise.baseline_census)} census, against "
             f"the {target_words} target: {promise.judgement.label}")
    if promise.judged_census is not None and promise.latest_added != promise.added:
        title += f" ({fmt.count(promise.latest_added)} by {fmt.day(promise.latest_census)})"
    progress, steps = promise.progress, promise.planned
    figure = capacity_charts.commitment(
        progress, "snapshot_date", ("added", "Places added (census)"), planned=steps,
        planned_label="Planned places by opening date (cumulative)", target=promise.target.target,
        target_text=f"Target: {target_words} more places", due=promise.target.due_date,
        due_text=f"Due {fmt.day(promise.target.due_date)}", y_title="Places added since the baseline",
        events=run("events", {"period_start": promise.baseline_census, "period_end": max(
            at, steps["snapshot_date"].max().date())}))
    table = pd.DataFrame({"Census": progress["snapshot_date"].dt.strftime("%Y-%m-%d"),
                          "Commissioned places": progress["commissioned"], "Places added": progress["added"]})
    return View(
        key="places_commitment", title=title, figure=figure, table=table,
        summary=f"Commissioned places added since the {fmt.day(promise.baseline_census)} census at each later census, "
                f"with the planned places by opening date, against the target of {target_words} by "
                f"{fmt.day(promise.target.due_date)}.",
        filename=f"specialist_places_added_{at:%Y-%m}.csv",
        export=Spec(counts=(), keep=("Commissioned places", "Places added")))


def spending_lines_view(run: QueryRunner, filters: Filters, at: date, year: FinancialYear | None = None,
                        method: str = spending.HEADLINE_METHOD, funding: tuple[str, ...] = ()) -> View:
    """Each budget line's forecast variance for a financial year, largest overspend first."""
    year = year or FinancialYear.containing(at)
    ranked = spending.lines(run, year, at, method, funding)
    outturn = spending.outturn_from_lines(ranked, year, at, method)
    drivers = spending.overspend_drivers(ranked)
    if outturn.variance > 0 and len(drivers):
        names = [fmt.in_sentence(spending.LINE_LABELS.get(b, b)) for b in drivers["budget_line"]]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        title = (f"{'Forecast overspend' if not outturn.is_final else 'Overspend'} of {fmt.money(outturn.variance)} "
                 f"in {year.label}, mostly {who}")
    elif outturn.variance < 0:
        title = (f"{'Forecast underspend' if not outturn.is_final else 'Underspend'} of "
                 f"{fmt.money(-outturn.variance)} in {year.label}")
    else:
        title = f"{year.label} is forecast to spend its budget"
    figure = spending_charts.variance_by_line(ranked, x_title=(
        "Variance (outturn − budget)" if outturn.is_final else "Forecast variance (forecast outturn − budget)"))
    methods = spending.METHODS
    table = ranked.assign(funding=ranked["funding_source"].map(spending.FUNDING_LABELS))[[
        "line", "funding", "budget_gbp", "months_closed", "budget_to_date_gbp", "actual_to_date_gbp",
        "ytd_variance_gbp", "run_rate_ratio", "forecast_budget_gbp", "variance_budget_gbp", "forecast_run_rate_gbp",
        "variance_run_rate_gbp"]].rename(columns={
            "line": "Budget line", "funding": "Funding source", "budget_gbp": "Budget (£)",
            "months_closed": "Months closed", "budget_to_date_gbp": "Budget to date (£)",
            "actual_to_date_gbp": "Actual to date (£)", "ytd_variance_gbp": "Year-to-date variance (£)",
            "run_rate_ratio": "Actual ÷ budget to date",
            "forecast_budget_gbp": f"Forecast outturn, {methods['budget'].label.lower()} (£)",
            "variance_budget_gbp": f"Forecast variance, {methods['budget'].label.lower()} (£)",
            "forecast_run_rate_gbp": "Forecast outturn, run-rate adjusted (£)",
            "variance_run_rate_gbp": "Forecast variance, run-rate adjusted (£)"})
    table["Actual ÷ budget to date"] = table["Actual ÷ budget to date"].round(4)
    closed = f"{outturn.months_closed} of {outturn.months} months closed"
    closed_to = f" (to {outturn.last_closed_month:%b %Y})" if outturn.last_closed_month else ""
    return View(
        key="spending_lines", title=title, figure=figure, table=table,
        summary=f"Each budget line's forecast variance for {year.label} ({methods[method].label.lower()}), largest "
                "overspend first: " + "; ".join(f"{r.line} {fmt.variance(r.variance_gbp)}"
                                                for r in ranked.itertuples())
                + f". {closed[0].upper() + closed[1:]}{closed_to}. The table has both methods in exact pounds.",
        filename=f"spending_by_line_{year.label}.csv",
        export=Spec(counts=(), keep=tuple(c for c in table.columns if c not in ("Budget line", "Funding source"))))
