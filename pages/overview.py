import streamlit as st

from dashboard import fmt, measures
from dashboard.app import ui
from dashboard.charts import legacy as charts
from dashboard.dates import month_key
from dashboard.measures import kpis
from dashboard.outputs.suppression import Rate, Spec

store, filters, run = ui.start_page("Overview")
ui.compact_top()
ui.require(store, "ehcp_requests", "ep_assessments", "specialist_places", "spending", stop=False)

as_of = store.as_of or filters.period_end
at = min(filters.period_end, as_of)
tiles = kpis.board_kpis(run, filters, at, store.usable, as_of)
link_params = ui.filter_link_params()

for row in (tiles[:5], tiles[5:]):
    for column, kpi in zip(st.columns(5), row, strict=False):
        with column:
            ui.kpi_tile(kpi, link_params)
st.caption(f"Figures at {fmt.day(at)}. Status: ✔ on track or met, ▲ at risk, ✖ off track or missed, judged against the targets in "
           "reference/targets.csv; hover the ⓘ on a tile for its rule. Tiles with no target are shown for context.")

st.subheader("What changed since last month")
changes = kpis.largest_movements(tiles)
st.markdown("\n".join(f"- {line}" for line in changes) if changes else "No figure moved since last month.")

if store.usable("ehcp_requests"):
    last_12 = measures.trailing_months(at, 12)
    monthly = measures.monthly_requests_and_plans(run, filters)
    recent = monthly[monthly["month"].dt.date >= last_12.start]
    events = run("events", filters.params())
    figure = charts.time_series(
        monthly, "month",
        [charts.Series("requests_received", "Requests received"), charts.Series("plans_issued", "Plans issued")],
        y_title="Per month", events=events)
    received = int(recent["requests_received"].sum())
    summary = (f"Monthly requests received and plans issued, {ui.month_range_label(filters.period_start, filters.period_end)}."
               f" In the 12 months to {fmt.day(at)}, {fmt.count(received)} requests were received and "
               f"{fmt.count(int(recent['plans_issued'].sum()))} plans issued.")
    table = monthly.assign(month=monthly["month"].dt.strftime("%Y-%m"),
                           twenty_week_rate=monthly["twenty_week_rate"].round(1))
    table.columns = ["Month", "Requests received", "Plans issued", "Plans issued within 20 weeks",
                     "% within 20 weeks (incl. exceptions)"]
    ui.chart_with_table(figure, table, key="overview_trend", title="Requests received and plans issued each month",
                        summary=summary,
                        export=Spec(counts=("Requests received", "Plans issued", "Plans issued within 20 weeks"),
                                    rates={"% within 20 weeks (incl. exceptions)": Rate(
                                        "Plans issued", "Plans issued within 20 weeks")}),
                        filename=f"requests_and_plans_{month_key(filters.period_start)}_{month_key(filters.period_end)}.csv")
