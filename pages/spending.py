from datetime import date

import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.app import ui
from dashboard.charts import money as spending_charts
from dashboard.dates import FinancialYear
from dashboard.measures import rag, spending
from dashboard.measures.spending import METHODS
from dashboard.outputs.suppression import Spec
from dashboard.views import legacy as views

store, filters, run = ui.start_page(
    "Spending",
    "High-needs budget against actual spend, by month and by budget line: the year to date, the forecast "
    "outturn for the financial year and the lines driving it, spend by financial year beside the published "
    "high needs block allocation, and unit costs.",
    requires=("spending",))
st.caption("**Filters that apply here:** the finance extract is for the whole authority, so locality, district, "
           "primary need and age group do **not** apply to this page. The period chooses which financial years the "
           "year-by-year chart shows (every April-to-March year that overlaps it). The financial year, forecast "
           "method and budget lines chosen below set everything else, and a copied link keeps them.")

BADGE_COLOURS = {rag.Status.GREEN: "green", rag.Status.AMBER: "orange", rag.Status.RED: "red"}

as_of = store.as_of or date.today()
years = spending.financial_years(run, as_of)
if years.empty:
    st.info("The spending extract has no rows, so there is nothing to show.", icon="ℹ️")
    st.stop()
all_years = [FinancialYear(int(y)) for y in years["fy_start_year"]]
labels = [y.label for y in all_years]
current = FinancialYear.containing(as_of)

controls = st.columns([2, 3, 3])
year_label = controls[0].selectbox(
    "Financial year", labels[::-1], index=labels[::-1].index(current.label) if current.label in labels else 0,
    key="spend_fy", bind="query-params",
    help=f"April to March. The data's as-of date ({fmt.day(as_of)}) falls in {current.label}.")
# Options are what the URL holds (Streamlit writes the shown option), so they are short, readable words.
method_by_name = {m.short: m.key for m in METHODS.values()}
method_name = controls[1].radio(
    "Forecast method", list(method_by_name), key="spend_method", bind="query-params", horizontal=True,
    captions=[("Headline: " if m.key == spending.HEADLINE_METHOD else "") + m.label.lower()
              for m in METHODS.values()],
    help="How the rest of the year is forecast. Both are shown in the tiles; the headline method is the one the "
         "Overview uses.")
method = method_by_name[method_name]
scope_by_name = {label: key for key, (label, _, _) in spending.FUNDING_SCOPES.items()}
scope = scope_by_name[controls[2].selectbox(
    "Budget lines", list(scope_by_name), key="spend_funding", bind="query-params",
    help="All lines, or only those paid from one funding source (the high needs block of the dedicated schools "
         "grant, or the council's general fund). Unit costs are always for their own line.")]
year = FinancialYear.parse(year_label)
_, scope_words, funding = spending.FUNDING_SCOPES[scope]
other = next(key for key in METHODS if key != method)

ranked = spending.lines(run, year, as_of, method, funding)
# The same lines added up, once for each method (forecast_outturn, which the Overview calls, does the same).
outturn = spending.outturn_from_lines(ranked, year, as_of, method)
alternative = spending.outturn_from_lines(ranked, year, as_of, other)
ytd = outturn.year_to_date
closed_words = f"{outturn.months_closed} of {outturn.months} months closed"
closed_to = f" (to {outturn.last_closed_month:%b %Y})" if outturn.last_closed_month else ""


def pounds(value: float) -> str:
    return f"£{value:,.0f}" if value >= 0 else f"-£{-value:,.0f}"


st.markdown(f"#### {year.label}: {scope_words}, as at {fmt.day(as_of)}")
tiles = st.columns(5)
with tiles[0]:
    st.metric(f"Budget {year.label}", fmt.money(outturn.budget), border=True,
              help=f"{pounds(outturn.budget)}: the approved budget for the whole of {year.label}, {scope_words}.")
with tiles[1]:
    st.metric("Actual to date", fmt.money(outturn.actual_to_date), border=True, delta=closed_words,
              delta_color="off", delta_arrow="off",
              help=f"{pounds(outturn.actual_to_date)} spent in the closed months{closed_to}. A month is closed "
                   "once the extract has its actual and the month has ended.")
with tiles[2]:
    st.metric("Year-to-date variance", fmt.variance(ytd.variance, short=True), border=True,
              delta=f"on {fmt.money(ytd.budget_to_date)} budget to date", delta_color="off", delta_arrow="off",
              help=f"Actual {pounds(ytd.actual_to_date)} against budget {pounds(ytd.budget_to_date)} over the "
                   f"{ytd.months_closed} closed months: {pounds(ytd.variance)} ({fmt.variance(ytd.variance)}). "
                   "Positive is an overspend.")
with tiles[3]:
    st.metric("Forecast outturn" if not outturn.is_final else "Outturn", fmt.money(outturn.forecast), border=True,
              delta=fmt.variance(outturn.variance), delta_color="off", delta_arrow="off",
              help=f"{pounds(outturn.forecast)}, {pounds(outturn.variance)} against the budget of "
                   f"{pounds(outturn.budget)}. Method: {outturn.method_label}. {outturn.method_text}")
with tiles[4]:
    st.metric(f"{METHODS[alternative.method].short} variance", fmt.variance(alternative.variance, short=True),
              border=True, delta=f"outturn {fmt.money(alternative.forecast)}", delta_color="off", delta_arrow="off",
              help=f"The other method, for comparison: {pounds(alternative.forecast)} outturn, "
                   f"{pounds(alternative.variance)} against budget. {alternative.method_text}")

headline = METHODS[spending.HEADLINE_METHOD]
run_rate = METHODS["run_rate"]
st.markdown(
    f"**How the forecast is made.** The headline method (used on the Overview) is *{headline.label.lower()}*: "
    f"{headline.formula}; it assumes {headline.assumption}. Shown alongside is *{run_rate.label.lower()}*: "
    f"{run_rate.formula} (the ratio is 1 before any month closes and never below 0); it assumes "
    f"{run_rate.assumption}. Both are worked out line by line and added up. The tiles, line ranking and "
    f"year-by-year chart use **{METHODS[method].label.lower()}**"
    + (" (the headline)." if method == spending.HEADLINE_METHOD else ", chosen above instead of the headline."))

# --- Unit costs (tiles; charts further down) ---------------------------------------------------------


# Unit costs change only with the data, the as-of date and the method, never with the sidebar filters, so a
# filter change reuses them (the queries under them are cached already; this saves the arithmetic on top).
@st.cache_data(show_spinner=False, max_entries=32)
def unit_costs(version: str, as_of: date, first: int, last: int, method: str, _run=None) -> tuple:
    first_year, last_year = FinancialYear(first), FinancialYear(last)
    return (spending.independent_placement_costs(_run, first_year, last_year, as_of, method),
            spending.ep_assessment_costs(_run, first_year, last_year, as_of),
            spending.staffing_commitment(_run, as_of))


first_year, last_year = all_years[0], all_years[-1]
independent, ep_costs, staffing = unit_costs(store.version, as_of, first_year.start_year, last_year.start_year,
                                             method, _run=run)
independent_row = independent[independent["fy_start_year"] == year.start_year]
ep_row = ep_costs[ep_costs["fy_start_year"] == year.start_year]

unit_tiles = st.columns(3)
with unit_tiles[0]:
    if independent_row.empty or pd.isna(independent_row["cost_per_place_gbp"].iloc[0]):
        st.metric(f"Independent placement cost per place, {year.label}", "–", border=True,
                  help="Needs independent special placement spend and a places census in the year with "
                       "occupied independent special places.")
    else:
        row = independent_row.iloc[0]
        st.metric(f"Independent placement cost per place, {year.label}",
                  spending_charts.cost_label(row["cost_per_place_gbp"]), border=True,
                  delta="forecast" if row["forecast"] else "outturn", delta_color="off",
                  delta_arrow="off",
                  help=f"{pounds(row['spend_gbp'])} independent special placement spend"
                       f"{' (forecast outturn)' if row['forecast'] else ''} ÷ {fmt.count(row['occupied_places'])} "
                       f"occupied places in independent special settings at the census of "
                       f"{fmt.day(row['census_date'].date())} (the latest in the year) = "
                       f"{pounds(row['cost_per_place_gbp'])} a place a year.")
with unit_tiles[1]:
    if ep_row.empty or pd.isna(ep_row["cost_per_assessment_gbp"].iloc[0]):
        st.metric(f"EP spend per completed assessment, {year.label}", "–", border=True,
                  help="Needs closed months of EP service spend and EP advice completed in them.")
    else:
        row = ep_row.iloc[0]
        st.metric(f"EP spend per completed assessment, {year.label}",
                  spending_charts.cost_label(row["cost_per_assessment_gbp"]), border=True,
                  delta=f"{row['months_closed']} closed months", delta_color="off", delta_arrow="off",
                  help=f"{pounds(row['spend_gbp'])} EP service spend ÷ {fmt.count(row['completed'])} pieces of EP "
                       f"advice completed in the same {row['months_closed']} closed months = "
                       f"{pounds(row['cost_per_assessment_gbp'])} each.")
with unit_tiles[2]:
    if staffing is None:
        st.metric("Additional casework staffing", "–", border=True,
                  help="reference/targets.csv has no send_staffing_additional_gbp commitment.")
    else:
        commitment = spending_charts.short_money(staffing.target.target)
        st.metric(f"Additional casework staffing {staffing.year.label} (commitment {commitment})",
                  fmt.money(staffing.additional), border=True,
                  help=f"SEND casework staffing spend in {staffing.year.label} ({pounds(staffing.spend)} over its "
                       f"{staffing.months_closed} closed months) minus {staffing.baseline_year.label} spend over the "
                       f"same months ({pounds(staffing.baseline_spend)}) = {pounds(staffing.additional)}. "
                       f"The shared RAG rule, in pounds: {staffing.judgement.rule}")
        st.badge(staffing.judgement.label, color=BADGE_COLOURS[staffing.judgement.status])

money = ("Budget (£)", "Budget in closed months (£)", "Actual (£)", "Variance (£)", "Year-to-date variance (£)")

# --- Month by month ----------------------------------------------------------------------------------
st.header("Month by month")
line_by_name = {"All lines in scope": None} | {spending.LINE_LABELS.get(b, b): b for b in sorted(
    ranked["budget_line"].unique(), key=lambda b: spending.LINE_LABELS.get(b, b))}
chosen_line = line_by_name[st.columns([1, 2])[0].selectbox("Budget line for this chart", list(line_by_name),
                                                            key="spend_line", bind="query-params")]
line_filter = () if chosen_line is None else (chosen_line,)
line_words = scope_words if chosen_line is None else spending.LINE_LABELS.get(chosen_line, chosen_line)
months = spending.monthly(run, year.previous, year, as_of, line_filter, funding)
events = run("events", {"period_start": year.previous.start, "period_end": year.end})
figure = spending_charts.monthly_budget_and_actual(months, events)
this_year = months[months["fy_start_year"] == year.start_year]
closed_months = this_year[this_year["lines_closed"] > 0]
if this_year.empty:
    title = f"No spending on {line_words} in {year.label}"
elif closed_months.empty:
    title = f"No month of {year.label} has closed yet"
else:
    last = closed_months.iloc[-1]
    title = (f"{line_words[:1].upper() + line_words[1:]}: {fmt.variance(last['fytd_variance_gbp'])} after "
             f"{len(closed_months)} months of {year.label}")
table = months[["month", "financial_year", "budget_gbp", "budget_closed_gbp", "actual_gbp", "variance_gbp",
                "fytd_variance_gbp"]].rename(columns={
    "month": "Month", "financial_year": "Financial year", "budget_gbp": "Budget (£)",
    "budget_closed_gbp": "Budget in closed months (£)", "actual_gbp": "Actual (£)", "variance_gbp": "Variance (£)",
    "fytd_variance_gbp": "Year-to-date variance (£)"})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
ui.chart_with_table(
    figure, table, key="spending_monthly", title=title,
    summary=f"Budget and actual spend each month for {line_words}, {year.previous.label} and {year.label}. Months "
            f"not yet closed (no actual, or not ended by {fmt.day(as_of)}) show the budget only and are shaded. "
            "Milestones are marked. The table has exact pounds and the running year-to-date variance.",
    filename=f"spending_monthly_{year.label}.csv", export=Spec(counts=(), keep=money))

# --- By budget line ----------------------------------------------------------------------------------
st.header(f"By budget line, {year.label}")
ui.show(views.spending_lines_view(run, filters, as_of, year, method, funding))

# --- Year by year ------------------------------------------------------------------------------------
st.header("Year by year")
by_year = spending.by_year(run, first_year, last_year, as_of, funding, method)
in_period = by_year[(by_year["fy_start_year"] >= FinancialYear.containing(filters.period_start).start_year)
                    & (by_year["fy_start_year"] <= FinancialYear.containing(filters.period_end).start_year)]
if in_period.empty:
    in_period = by_year
    st.caption("No financial year overlaps the selected period, so every year in the extract is shown.")
allocation = spending.published_allocation(run)
# The allocation funds the high needs block lines, so it is not drawn against the general fund lines alone.
shown_allocation = allocation[allocation["financial_year"].isin(in_period["financial_year"])
                              & (scope != "council_general_fund")]
allocation_years = " to ".join(dict.fromkeys(shown_allocation["financial_year"].iloc[[0, -1]])) \
    if len(shown_allocation) else ""
allocation_name = f"{spending.ALLOCATION_LABEL}, before deductions ({allocation_years})"
figure = spending_charts.spend_by_year(in_period, shown_allocation, allocation_label=allocation_name)
complete = in_period[in_period["final"]]
if len(complete) >= 2:
    a, b = complete.iloc[0], complete.iloc[-1]
    change = b["forecast_gbp"] / a["forecast_gbp"] - 1 if a["forecast_gbp"] else None
    title = (f"Spend {'rose' if b['forecast_gbp'] >= a['forecast_gbp'] else 'fell'} from "
             f"{fmt.money(a['forecast_gbp'])} in {a['financial_year']} to {fmt.money(b['forecast_gbp'])} in "
             f"{b['financial_year']}"
             + (f" ({change:+.0%})" if change is not None else ""))
else:
    title = f"Spend by financial year, {scope_words}"
allocation_note = (" The published high needs block allocation is not drawn: it is for the high needs block lines "
                   "and covers 2019-20 to 2023-24 only." if shown_allocation.empty else "")
if len(shown_allocation):
    latest = shown_allocation.iloc[-1]
    hnb = in_period.set_index("financial_year").get("actual_high_needs_block_gbp")
    spent = hnb.get(latest["financial_year"]) if hnb is not None else None
    allocation_note = (
        f" The dotted line with diamonds is the {spending.ALLOCATION_LABEL} for Lancashire (E10000017, old "
        f"code 888), {spending.ALLOCATION_NOTE}: {latest['financial_year']} {fmt.money(latest['allocation_gbp'])}"
        + (f" against {fmt.money(spent)} spent on the high needs block lines here" if spent else "")
        + f". Source: {latest['release_label']}, file {latest['source_file']}. It is context, not this budget: "
          "the council's high-needs budget also reflects deductions, recoupment and any transfers between blocks.")
year_table = in_period[["financial_year", "budget_gbp", "actual_high_needs_block_gbp",
                        "actual_council_general_fund_gbp", "actual_to_date_gbp", "months_closed",
                        "not_closed_forecast_gbp", "forecast_gbp", "variance_gbp"]].merge(
    allocation[["financial_year", "allocation_gbp", "allocation_after_deductions_gbp", "release_label"]],
    on="financial_year", how="left").rename(columns={
        "financial_year": "Financial year", "budget_gbp": "Budget (£)",
        "actual_high_needs_block_gbp": "Actual, high needs block lines (£)",
        "actual_council_general_fund_gbp": "Actual, council general fund lines (£)",
        "actual_to_date_gbp": "Actual to date (£)", "months_closed": "Months closed",
        "not_closed_forecast_gbp": "Forecast for months not yet closed (£)",
        "forecast_gbp": "Outturn or forecast outturn (£)", "variance_gbp": "Variance (£)",
        "allocation_gbp": "Published high needs block allocation, before deductions (£)",
        "allocation_after_deductions_gbp": "Published high needs block allocation, after deductions (£)",
        "release_label": "Allocation source"})
ui.chart_with_table(
    figure, year_table, key="spending_years", title=title,
    summary=f"Spend each financial year (April to March) on {scope_words}, split by funding source, with the budget "
            f"marked as a black bar; a year not yet over shows its actual to date and, dotted grey, the forecast for "
            f"the months not yet closed ({METHODS[method].label.lower()}).{allocation_note}",
    filename=f"spending_by_year_{scope}.csv",
    export=Spec(counts=(), keep=tuple(c for c in year_table.columns if c.endswith("(£)"))))

# --- Unit costs ---------------------------------------------------------------------------------------
st.header("Unit costs")
st.caption("Unit costs are for the whole authority and ignore the budget lines control. Spend comes from the "
           "finance extract; places and EP assessments from the specialist places and EP extracts, counted exactly "
           "as on their own pages.")
shown = independent[independent["cost_per_place_gbp"].notna()]
figure = spending_charts.unit_cost_by_year(shown, value="cost_per_place_gbp", label="Spend per place a year")
if len(shown):
    last = shown.iloc[-1]
    title = (f"Independent placements cost {spending_charts.cost_label(last['cost_per_place_gbp'])} a place in "
             f"{last['financial_year']}" + (" (forecast)" if last["forecast"] else ""))
else:
    title = "Independent special placement spend per place"
table = independent[["financial_year", "spend_gbp", "forecast", "census_date", "occupied_places",
                     "cost_per_place_gbp"]].rename(columns={
    "financial_year": "Financial year", "spend_gbp": "Independent special placement spend (£)",
    "forecast": "Spend is a forecast", "census_date": "Latest census in the year",
    "occupied_places": "Occupied independent special places", "cost_per_place_gbp": "Spend per place (£)"})
table["Latest census in the year"] = pd.to_datetime(table["Latest census in the year"]).dt.strftime("%Y-%m-%d")
table["Spend per place (£)"] = table["Spend per place (£)"].round(0)
ui.chart_with_table(
    figure, table, key="spending_independent_unit_cost", title=title,
    summary="Independent special placement spend in each financial year (the forecast outturn, hatched, for a year "
            f"still open, {METHODS[method].label.lower()}) divided by the places occupied in independent special "
            "settings at the latest specialist places census in that year (so a year in progress uses the latest "
            "census so far).",
    filename="independent_placement_cost_per_place.csv",
    export=Spec(counts=("Occupied independent special places",),
                keep=("Independent special placement spend (£)",)))

shown = ep_costs[ep_costs["cost_per_assessment_gbp"].notna()]
figure = spending_charts.unit_cost_by_year(shown, value="cost_per_assessment_gbp", label="Spend per assessment",
                                           partial_words="to date")
if len(shown):
    last = shown.iloc[-1]
    title = (f"EP service spend per completed assessment: "
             f"{spending_charts.cost_label(last['cost_per_assessment_gbp'])} in "
             f"{last['financial_year']}" + (" so far" if last["forecast"] else ""))
else:
    title = "EP service spend per completed EP assessment"
table = ep_costs[["financial_year", "months_closed", "spend_gbp", "completed", "cost_per_assessment_gbp"]].rename(
    columns={"financial_year": "Financial year", "months_closed": "Months closed",
             "spend_gbp": "EP service spend in closed months (£)",
             "completed": "EP advice completed in those months",
             "cost_per_assessment_gbp": "Spend per assessment (£)"})
table["Spend per assessment (£)"] = table["Spend per assessment (£)"].round(0)
ui.chart_with_table(
    figure, table, key="spending_ep_unit_cost", title=title,
    summary="EP service spend in each financial year's closed months divided by the EP advice completed in those "
            "same months (every provider and district). A year still open is hatched and counts its closed months "
            "only, so both sides cover the same time.",
    filename="ep_spend_per_completed_assessment.csv",
    export=Spec(counts=("EP advice completed in those months",),
                keep=("EP service spend in closed months (£)", "Months closed")))

if staffing is None:
    st.info("reference/targets.csv has no additional SEND staffing commitment (send_staffing_additional_gbp), so "
            "casework staffing spend is not compared with one.", icon="ℹ️")
elif staffing.progress.empty:
    st.info(f"No month of {staffing.year.label} has closed yet, so additional casework staffing spend cannot be "
            "measured.", icon="ℹ️")
else:
    target_words = f"{spending_charts.short_money(staffing.target.target)} by {fmt.day(staffing.target.due_date)}"
    figure = spending_charts.staffing_progress(staffing.progress, target=staffing.target.target,
                                               target_label=f"Commitment: {target_words}")
    table = staffing.progress.assign(
        month=staffing.progress["month"].dt.strftime("%Y-%m"),
        required_gbp=staffing.progress["required_gbp"].round(0))[[
            "month", "spend_gbp", "baseline_spend_gbp", "additional_gbp", "cumulative_additional_gbp",
            "required_gbp"]].rename(columns={
                "month": "Month", "spend_gbp": f"Casework staffing spend {staffing.year.label} (£)",
                "baseline_spend_gbp": f"Same month of {staffing.baseline_year.label} (£)",
                "additional_gbp": "Additional (£)", "cumulative_additional_gbp": "Additional so far (£)",
                "required_gbp": "Needed by now on a straight line (£)"})
    ui.chart_with_table(
        figure, table, key="spending_staffing",
        title=(f"{staffing.judgement.status.symbol} {staffing.judgement.words}: {fmt.money(staffing.additional)} "
               f"additional casework staffing in {staffing.year.label} against {target_words}"),
        summary=f"SEND casework staffing spend in each closed month of {staffing.year.label} above the same month of "
                f"{staffing.baseline_year.label} (the baseline year: {pounds(staffing.baseline_full_year)} in its "
                f"closed months), added up, against a straight line from £0 on "
                f"{fmt.day(staffing.target.baseline_date)} to the commitment ({staffing.target.source}). The shared "
                "RAG rule, in pounds: "
                f"{staffing.judgement.rule} Measured to "
                f"{fmt.day(staffing.measured_to)}; cash terms, so pay awards count as additional.",
        filename=f"casework_staffing_commitment_{staffing.year.label}.csv",
        export=Spec(counts=(), keep=tuple(c for c in table.columns if c.endswith("(£)"))))
