import pandas as pd
import streamlit as st

from dashboard import fmt, measures
from dashboard.app import ui
from dashboard.charts import legacy as charts
from dashboard.charts.legacy import Series
from dashboard.measures import ehcp
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views import legacy as views

store, filters, run = ui.start_page(
    "EHC needs assessments and plans",
    "How many requests for an EHC needs assessment arrive and from whom, how many are agreed, how long "
    "families wait for a plan, where it is worst, and which open cases will pass 20 weeks soon.",
    requires=("ehcp_requests",))

as_of = store.as_of or filters.period_end
period = ehcp.period(filters)
period_words = ui.month_range_label(period.start, period.end)
events = run("events", filters.params())
file_stub = f"{filters.period_start:%Y-%m}_{filters.period_end:%Y-%m}"

received = measures.requests_received(run, filters, period)
rate_excl = measures.twenty_week_rate(run, filters, period, exclude_exceptions=True)
open_now = measures.open_assessments(run, filters, as_of)
decisions = ehcp.decisions_by_month(run, filters)
share_assessed = ehcp.share_agreed_to_assess(decisions).percent
breach = ehcp.about_to_breach(run, filters, as_of)

st.header(period_words)
tiles = st.columns(6)
tiles[0].metric("Requests received", fmt.count(received), border=True,
                help="Requests for an EHC needs assessment received in the period.")
tiles[1].metric("Agreed to assess", fmt.percent(share_assessed), border=True,
                help="Requests agreed for assessment as a share of all requests received in the period, as DfE "
                     "publishes it (requests still awaiting a decision count in the total).")
tiles[2].metric("20-week rate (excl. exceptions)", fmt.percent(rate_excl.percent), border=True,
                help=f"{fmt.count(rate_excl.numerator)} of {fmt.count(rate_excl.denominator)} plans issued in the "
                     "period were issued within 20 weeks of the request (excluding exception cases). Higher is better.")
tiles[3].metric(f"Open at {fmt.day(as_of)}", fmt.count(open_now.open), border=True,
                help=f"{fmt.count(open_now.awaiting_decision)} awaiting a decision, "
                     f"{fmt.count(open_now.being_assessed)} being assessed.")
tiles[4].metric("Open past 20 weeks", fmt.count(open_now.overdue), border=True,
                help="Open requests that have waited more than 20 weeks (140 days). Lower is better.")
tiles[5].metric("Will pass 20 weeks in 4 / 8 weeks",
                f"{fmt.count(int(breach['breach_within_4_weeks'].sum()))} / "
                f"{fmt.count(int(breach['breach_within_8_weeks'].sum()))}", border=True,
                help="Open cases not yet at 20 weeks that will pass it within the next 4 (and 8) weeks unless a plan "
                     "is issued first.")

st.header("Demand and decisions")
yearly_requests = decisions.assign(year=decisions["month"].dt.year).groupby("year")["requests"].sum()
full_years = [y for y in yearly_requests.index if pd.Timestamp(y, 1, 1).date() >= filters.period_start
              and pd.Timestamp(y, 12, 31).date() <= min(period.end, as_of)]
title = "Requests received each month, by decision"
if len(full_years) >= 2:
    first, last = full_years[0], full_years[-1]
    title = (f"Requests {'rose' if yearly_requests[last] > yearly_requests[first] else 'fell'} from "
             f"{fmt.count(yearly_requests[first])} in {first} to {fmt.count(yearly_requests[last])} in {last}")
figure = charts.stacked_bars(
    decisions, "month", [Series(k, v) for k, v in ehcp.DECISION_LABELS.items()], y_title="Requests per month",
    line=Series("share_assessed", "% agreed to assess"), line_title="Agreed to assess", events=events)
table = decisions.rename(columns={"month": "Month", **ehcp.DECISION_LABELS, "requests": "Requests received",
                                  "share_assessed": "% agreed to assess"})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
ui.chart_with_table(figure, table.round(1), key="ehcp_decisions", title=title,
                    export=Spec(counts=(*ehcp.DECISION_LABELS.values(), "Requests received"),
                                row_total="Requests received",
                                rates={"% agreed to assess": Rate("Requests received", "Agreed to assess")}),
                    summary=f"Requests received each month from {period_words}, stacked by the decision made on them, "
                            f"with the share agreed to assess as a dotted line (right axis). "
                            f"{fmt.count(received)} requests in all; {fmt.percent(share_assessed)} agreed to assess.",
                    filename=f"requests_by_decision_{file_stub}.csv")

by_source = ehcp.requests_by_month_and_category(run, filters, "request_source")
source_wide = (by_source.pivot_table(index="month", columns="category", values="requests", aggfunc="sum")
               .reindex(columns=list(ehcp.SOURCE_LABELS)).fillna(0).astype(int).reset_index())
source_totals = source_wide[list(ehcp.SOURCE_LABELS)].sum().sort_values(ascending=False)
top_source = source_totals.index[0] if source_totals.sum() else None
figure = charts.stacked_bars(source_wide, "month", [Series(k, v) for k, v in ehcp.SOURCE_LABELS.items()],
                             y_title="Requests per month", events=events)
table = source_wide.rename(columns={"month": "Month", **ehcp.SOURCE_LABELS})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
ui.chart_with_table(
    figure, table, key="ehcp_sources",
    title=(f"{ehcp.SOURCE_LABELS[top_source]} made the most requests "
           f"({source_totals[top_source] / source_totals.sum():.0%})" if top_source else "Requests by who made them"),
    summary="Requests received each month, stacked by who made the request: " + "; ".join(
        f"{ehcp.SOURCE_LABELS[s]} {fmt.count(n)}" for s, n in source_totals.items()) + ".",
    filename=f"requests_by_source_{file_stub}.csv")

funnel = ehcp.assessment_funnel(run, filters)
stages = [("Requests received", funnel.requests), ("Decided", funnel.decided),
          ("Agreed to assess", funnel.agreed_to_assess), ("Plan issued", funnel.plan_issued)]
figure = charts.funnel(stages)
funnel_table = pd.DataFrame([
    ("Requests received", funnel.requests), ("Decided", funnel.decided),
    ("  Awaiting a decision", funnel.awaiting_decision), ("  Not agreed", funnel.not_assessed),
    ("  Withdrawn before a decision", funnel.withdrawn_before_decision), ("Agreed to assess", funnel.agreed_to_assess),
    ("  Plan issued", funnel.plan_issued), ("  Plan not issued", funnel.plan_not_issued),
    ("  Withdrawn during assessment", funnel.withdrawn_during_assessment),
    ("  Assessment ongoing", funnel.assessment_ongoing)], columns=["Stage", "Requests"])
ui.chart_with_table(
    figure, funnel_table, key="ehcp_funnel",
    title=(f"Of {fmt.count(funnel.requests)} requests, {fmt.count(funnel.plan_issued)} have a plan so far"
           if funnel.requests else "The journey from request to plan"),
    summary=f"Requests received {period_words} and what has happened to them by {fmt.day(as_of)}: "
            f"{fmt.count(funnel.decided)} decided, {fmt.count(funnel.agreed_to_assess)} agreed to assess, "
            f"{fmt.count(funnel.plan_issued)} plans issued, {fmt.count(funnel.plan_not_issued)} not issued, "
            f"{fmt.count(funnel.withdrawn_during_assessment)} withdrawn during assessment and "
            f"{fmt.count(funnel.assessment_ongoing)} still being assessed.",
    filename=f"assessment_funnel_{file_stub}.csv")

st.header("Timeliness")
timeliness = ehcp.timeliness_by_month(run, filters)
yearly = ehcp.yearly_timeliness(timeliness)
ui.show(views.twenty_week_view(run, filters, as_of))

bands = yearly[yearly["plans_issued"] > 0].copy()
bands["Within 20 weeks"] = bands["within_20_weeks"]
bands["Over 20 up to 52 weeks"] = bands["over_20_to_52_weeks"]
bands["Over 52 weeks"] = bands["over_52_weeks"]
bands["Year"] = bands["year"].astype(str)
figure = charts.stacked_bars(bands, "Year", [Series("Within 20 weeks", "Within 20 weeks"),
                                             Series("Over 20 up to 52 weeks", "Over 20 up to 52 weeks"),
                                             Series("Over 52 weeks", "Over 52 weeks")], y_title="Plans issued")
band_table = bands[["Year", "plans_issued", "Within 20 weeks", "Over 20 up to 52 weeks", "Over 52 weeks",
                    "mean_weeks"]].rename(columns={"plans_issued": "Plans issued", "mean_weeks": "Mean weeks"})
worst = bands.loc[bands["over_52_weeks"].idxmax()] if len(bands) else None
ui.chart_with_table(
    figure, band_table.round(1), key="ehcp_weeks_bands",
    export=Spec(counts=("Plans issued", "Within 20 weeks", "Over 20 up to 52 weeks", "Over 52 weeks"),
                row_total="Plans issued"),
    title=(f"{fmt.count(int(worst['over_52_weeks']))} plans took over a year in {worst['Year']}"
           if worst is not None and worst["over_52_weeks"] else "Weeks from request to plan, by year of issue"),
    summary="Plans issued each calendar year by how long they took from request, in DfE's bands: within 20 weeks, "
            "over 20 weeks up to 52, and over 52 weeks.",
    filename=f"weeks_to_issue_bands_{file_stub}.csv")

figure = charts.time_series(timeliness, "month", [Series("mean_weeks", "Mean weeks"),
                                                  Series("median_weeks", "Median weeks")],
                            y_title="Weeks from request to plan", events=events)
figure.add_hline(y=20, line={"color": charts.EVENT_COLOUR, "dash": "dash"}, annotation_text="20 weeks",
                 annotation_position="top left")
table = timeliness[["month", "plans_issued", "mean_weeks", "median_weeks"]].rename(columns={
    "month": "Month", "plans_issued": "Plans issued", "mean_weeks": "Mean weeks", "median_weeks": "Median weeks"})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
latest = timeliness.dropna(subset=["median_weeks"]).tail(1)
ui.chart_with_table(
    figure, table.round(1), key="ehcp_weeks", title=(
        f"Median wait for a plan: {latest['median_weeks'].iloc[0]:.0f} weeks in {latest['month'].iloc[0]:%B %Y}"
        if len(latest) else "Mean and median weeks from request to plan"),
    summary="Mean and median weeks from request to plan for plans issued each month, against the 20-week limit.",
    filename=f"weeks_to_plan_{file_stub}.csv")

decision_months = ehcp.decision_timeliness_by_month(run, filters)
decision_total = ehcp.decision_rate(decision_months)
figure = charts.time_series(decision_months, "month", [Series("rate", "Decided within 6 weeks")],
                            y_title="% of decisions within 6 weeks", percent_axis="y", events=events)
table = decision_months.rename(columns={"month": "Month", "decisions": "Decisions", "within_6_weeks": "Within 6 weeks",
                                        "rate": "% within 6 weeks"})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
ui.chart_with_table(
    figure, table.round(1), key="ehcp_decision_timeliness",
    export=Spec(counts=("Decisions", "Within 6 weeks"), rates={"% within 6 weeks": Rate("Decisions", "Within 6 weeks")}),
    title=f"{fmt.percent(decision_total.percent, 0)} of decisions to assess were made within 6 weeks",
    summary=f"Share of decisions on whether to assess made within six weeks (42 days) of the request, by month of "
            f"decision: {fmt.count(decision_total.numerator)} of {fmt.count(decision_total.denominator)} over "
            f"{period_words}.",
    filename=f"six_week_decisions_{file_stub}.csv")

st.header(f"Waiting now ({fmt.day(as_of)})")
ui.show(views.open_by_wait_view(run, filters, as_of))

caseload = ehcp.open_caseload_by_month(run, filters, as_of)
figure = charts.time_series(caseload, "month_end", [Series("open_cases", "Open cases"),
                                                    Series("overdue", "Open past 20 weeks")],
                            y_title="Cases at month end", events=events)
peak = caseload.loc[caseload["overdue"].idxmax()] if len(caseload) else None
table = caseload.rename(columns={"month_end": "Month end", "open_cases": "Open cases", "overdue": "Open past 20 weeks"})
table["Month end"] = table["Month end"].dt.strftime("%Y-%m-%d")
ui.chart_with_table(
    figure, table, key="ehcp_caseload", title=(
        f"Overdue cases peaked at {fmt.count(int(peak['overdue']))} in {peak['month_end']:%B %Y}; "
        f"{fmt.count(open_now.overdue)} now" if peak is not None and peak["overdue"] else "Open and overdue cases"),
    summary="Requests open at each month end and how many had waited more than 20 weeks. Assessments that ended "
            "without a plan have no end date in the extract, so before the as-of date they count as closed from "
            "the decision date.",
    filename=f"open_caseload_{file_stub}.csv")

st.subheader("About to breach 20 weeks")
st.markdown("Open cases that will pass 20 weeks within the next 4 and 8 weeks unless a plan is issued first, by "
            "district and primary need. Counts only; case lists stay in the case-management system.")
ui.show(views.about_to_breach_view(run, filters, as_of))

st.header("Where it is worst")
controls = st.columns(2)
dimension = controls[0].selectbox("Break down by", list(ehcp.DIMENSIONS), key="breakdown", bind="query-params",
                                  format_func=lambda d: ehcp.DIMENSIONS[d][0])
MEASURE_CHOICES = {"requests_received": "Requests received", "rate_excl": "20-week rate (excl. exceptions)",
                   "open_cases": "Open cases now", "overdue": "Open past 20 weeks now"}
shown = controls[1].selectbox("Measure", list(MEASURE_CHOICES), key="breakdown_measure", bind="query-params",
                              format_func=MEASURE_CHOICES.get)
detail = ehcp.breakdown(run, filters, dimension, as_of)
label, filter_key = ehcp.DIMENSIONS[dimension]
figure = charts.ranked_bars(detail, "category", shown, x_title=MEASURE_CHOICES[shown], percent=shown == "rate_excl")


def drill_down() -> None:
    points = st.session_state["ehcp_breakdown_chart"].selection.points
    if points and filter_key:
        st.session_state[filter_key] = [points[0]["y"]]


if filter_key:
    st.caption(f"Click a bar to filter the whole dashboard to that {label.lower()}; clear it in the sidebar.")
detail_table = detail.rename(columns={
    "category": label, "requests_received": "Requests received", "plans_issued": "Plans issued",
    "within_20_weeks": "Within 20 weeks", "plans_issued_ex": "Plans issued (excl. exceptions)",
    "within_20_weeks_ex": "Within 20 weeks (excl. exceptions)", "open_cases": "Open now", "overdue": "Open past 20 weeks",
    "rate_incl": "% within 20 weeks (incl. exceptions)", "rate_excl": "% within 20 weeks (excl. exceptions)"})
ordered = detail.sort_values(shown, ascending=False, na_position="last")
top = ordered.iloc[0] if len(ordered) and pd.notna(ordered[shown].iloc[0]) else None
ui.chart_with_table(
    figure, detail_table.round(1), key="ehcp_breakdown",
    export=Spec(counts=("Requests received", "Plans issued", "Within 20 weeks", "Plans issued (excl. exceptions)",
                        "Within 20 weeks (excl. exceptions)", "Open now", "Open past 20 weeks"),
                rates={"% within 20 weeks (incl. exceptions)": Rate("Plans issued", "Within 20 weeks"),
                       "% within 20 weeks (excl. exceptions)": Rate("Plans issued (excl. exceptions)",
                                                                    "Within 20 weeks (excl. exceptions)")}), on_select=drill_down if filter_key else None,
    title=(f"{MEASURE_CHOICES[shown]} by {label.lower()}: highest in {top['category']}" if top is not None
           else f"{MEASURE_CHOICES[shown]} by {label.lower()}"),
    summary=f"{MEASURE_CHOICES[shown]} by {label.lower()}: " + "; ".join(
        f"{r.category} {fmt.percent(getattr(r, shown)) if shown == 'rate_excl' else fmt.count(getattr(r, shown))}"
        for r in ordered.itertuples()) + ". The table has every measure for each category.",
    filename=f"breakdown_by_{dimension}_{file_stub}.csv")
