"""Views: a chart with its title in words, its text summary, its table twin and its export rules.

A view is built once from the measures and shown by a page, a presentation slide or a snapshot alike,
so the three always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, ehcp, fmt, measures
from dashboard.charts import Series
from dashboard.filters import Filters
from dashboard.measures import QueryRunner
from dashboard.suppression import Rate, Spec


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
