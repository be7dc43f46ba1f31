import streamlit as st

from dashboard import charts, fmt, measures, ui
from dashboard.filters import month_key
from dashboard.suppression import Rate, Spec

store, filters, run = ui.start_page(
    "Overview", "Where the partnership stands on EHC needs assessments: demand, timeliness and waiting cases.",
    requires=("ehcp_requests",))

as_of = store.as_of or filters.period_end
end = min(filters.period_end, as_of)
last_12 = measures.trailing_months(end, 12)
previous_12 = measures.trailing_months(measures.day_before(last_12.start), 12)

received = measures.requests_received(run, filters, last_12)
received_before = measures.requests_received(run, filters, previous_12)
rate = measures.twenty_week_rate(run, filters, last_12, exclude_exceptions=True)
rate_before = measures.twenty_week_rate(run, filters, previous_12, exclude_exceptions=True)
open_now = measures.open_assessments(run, filters, as_of)
monthly = measures.monthly_requests_and_plans(run, filters)
recent = monthly[monthly["month"].dt.date >= last_12.start]

st.header(f"Last 12 months: {ui.month_range_label(last_12.start, last_12.end)}")
tiles = st.columns(4)
with tiles[0]:
    change = received - received_before
    st.metric("Requests received (12 months)", fmt.count(received),
              delta=f"{change:+,} on the 12 months before" if change else "Unchanged on the 12 months before",
              delta_color="off", delta_arrow="auto" if change else "off", border=True,
              help="Requests for an EHC needs assessment received in the 12 months shown. The change is "
                   "against the 12 months before; more requests is neither good nor bad in itself.")
with tiles[1]:
    delta = None
    if rate.percent is not None and rate_before.percent is not None:
        points = rate.percent - rate_before.percent
        delta = f"{points:+.1f} points on the 12 months before" if round(points, 1) else "Unchanged"
    st.metric("20-week rate (excl. exceptions)", fmt.percent(rate.percent), delta=delta,
              border=True,
              help=f"{fmt.count(rate.numerator)} of {fmt.count(rate.denominator)} plans issued in the 12 months "
                   "were issued within 20 weeks of the request, excluding cases where an exception applies. "
                   "Higher is better.")
with tiles[2]:
    st.metric(f"Open assessments at {fmt.day(open_now.at)}", fmt.count(open_now.open), border=True,
              help=f"{fmt.count(open_now.awaiting_decision)} awaiting a decision and "
                   f"{fmt.count(open_now.being_assessed)} being assessed (agreed to assess, no plan yet). "
                   "Counted at the data's as-of date.")
with tiles[3]:
    share = 100 * open_now.overdue / open_now.open if open_now.open else None
    st.metric("Open for more than 20 weeks", fmt.count(open_now.overdue), border=True,
              delta=f"{fmt.percent(share, 0)} of open cases", delta_color="off", delta_arrow="off",
              help="Open requests that have waited more than 20 weeks (140 days) since they were received, at "
                   "the data's as-of date. Lower is better.")

events = run("events", filters.params())
figure = charts.time_series(
    monthly, "month",
    [charts.Series("requests_received", "Requests received"), charts.Series("plans_issued", "Plans issued")],
    y_title="Per month", events=events)
peak = monthly.loc[monthly["requests_received"].idxmax()] if len(monthly) else None
summary = (f"Monthly requests received and plans issued, {ui.month_range_label(filters.period_start, filters.period_end)}. "
           f"In the last 12 months {fmt.count(received)} requests were received and "
           f"{fmt.count(int(recent['plans_issued'].sum()))} plans issued.")
if peak is not None:
    summary += f" The busiest month for requests was {peak['month']:%B %Y} ({fmt.count(peak['requests_received'])})."
title = "Requests received and plans issued each month"
if received_before and received != received_before:
    direction = "up" if received > received_before else "down"
    title = (f"Requests {direction} {abs(received - received_before) / received_before:.0%} on the year before; "
             f"plans issued each month")
table = monthly.assign(month=monthly["month"].dt.strftime("%Y-%m"),
                       twenty_week_rate=monthly["twenty_week_rate"].round(1))
table.columns = ["Month", "Requests received", "Plans issued", "Plans issued within 20 weeks",
                 "% within 20 weeks (incl. exceptions)"]
ui.chart_with_table(figure, table, key="overview_trend", title=title, summary=summary,
                    export=Spec(counts=("Requests received", "Plans issued", "Plans issued within 20 weeks"),
                                rates={"% within 20 weeks (incl. exceptions)": Rate(
                                    "Plans issued", "Plans issued within 20 weeks")}),
                    filename=f"requests_and_plans_{month_key(filters.period_start)}_{month_key(filters.period_end)}.csv")
