import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.app import ui
from dashboard.charts import capacity as capacity_charts
from dashboard.dates import day_before, month_key, trailing_months
from dashboard.measures import ep
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views import legacy as views

store, filters, run = ui.start_page(
    "Educational psychology",
    "Whether educational psychology (EP) capacity keeps up with demand: advice requested and completed, "
    "the backlog and how long it has waited, six-week timeliness, the Improvement Notice's 1,200 additional "
    "assessments, and how late EP advice feeds the 20-week failure.",
    requires=("ep_assessments",))
st.caption("**Filters that apply here:** period; locality and district (of the EP request); primary need and "
           "age group (of the EHC request the advice is for). The 1,200 commitment is for all of Lancashire, "
           "so it ignores the area, need and age filters.")

as_of = store.as_of or filters.period_end
end = min(filters.period_end, as_of)
period_words = ui.month_range_label(filters.period_start, end)
file_period = f"{month_key(filters.period_start)}_{month_key(end)}"
events = run("events", filters.params())
last_12 = trailing_months(end, 12)
previous_12 = trailing_months(day_before(last_12.start), 12)
# One query by provider, from the period start or the start of the 24 months the tiles compare if earlier;
# the all-provider figures are its sum, so every figure on the page comes from the same rows.
by_provider = ep.monthly(run, filters, end, by="provider", start=min(filters.period_start, previous_12.start),
                         through=as_of)
everything = ep.total(by_provider)
now = ep.backlog_in(everything, end)
rate_12 = ep.six_week_rate_in(everything, last_12)
rate_before = ep.six_week_rate_in(everything, previous_12)
in_period = everything["month"].dt.date >= filters.period_start
monthly = everything[in_period].reset_index(drop=True)
providers = by_provider[by_provider["month"].dt.date >= filters.period_start]
promise = ep.commitment(run, end, through=as_of)
peak = ep.peak_backlog(monthly)

tiles = st.columns(4)
with tiles[0]:
    st.metric(f"EP backlog at {fmt.day(now.at)}", fmt.count(now.open), border=True,
              delta=(f"{now.open - int(peak['backlog']):+,} on the peak ({peak['month']:%b %Y})"
                     if peak is not None and now.open < peak["backlog"] else None), delta_color="inverse",
              help="EP advice requested and not yet completed at the date (cancelled requests excluded). "
                   "Lower is better.")
with tiles[1]:
    share = 100 * now.over_six_weeks / now.open if now.open else None
    st.metric("Backlog waiting over six weeks", fmt.count(now.over_six_weeks), border=True,
              delta=f"{fmt.percent(share, 0)} of the backlog", delta_color="off", delta_arrow="off",
              help="Open EP advice requests already past the statutory six weeks (42 days). Lower is better.")
with tiles[2]:
    delta = None
    if rate_12.percent is not None and rate_before.percent is not None:
        delta = f"{rate_12.percent - rate_before.percent:+.1f} points on the 12 months before"
    st.metric("EP advice within six weeks (12 months)", fmt.percent(rate_12.percent), delta=delta, border=True,
              help=f"{fmt.count(rate_12.numerator)} of {fmt.count(rate_12.denominator)} pieces of EP advice "
                   f"completed {ui.month_range_label(last_12.start, last_12.end)} were completed within 42 days of "
                   "the request. Higher is better.")
with tiles[3]:
    if promise is None:
        st.metric("Additional EP assessments", "–", border=True,
                  help="The commitment (targets.csv, ep_additional_assessments) has not started by this date.")
    else:
        st.metric(f"Additional EP assessments (target {fmt.count(promise.target.target)})",
                  fmt.count(promise.additional), border=True, delta=promise.judgement.label,
                  delta_color=promise.judgement.status.colour_name, delta_arrow="off",
                  help="Completions since the commitment started, above the pre-commitment baseline "
                       f"(see the commitment section below). Status rule: {promise.judgement.rule}")

# --- Requests, completions and the backlog ---------------------------------------------------------
if peak is not None and now.open < int(peak["backlog"]):
    title = (f"EP backlog down from {fmt.count(peak['backlog'])} at the end of {peak['month']:%B %Y} "
             f"to {fmt.count(now.open)} at {fmt.day(now.at)}")
elif peak is not None:
    title = f"EP backlog at its highest in the period: {fmt.count(now.open)} at {fmt.day(now.at)}"
else:
    title = "No EP advice waiting in the period"
figure = capacity_charts.lines(
    monthly, "month", [("requested", "Advice requested"), ("completed", "Advice completed"),
                       ("backlog", "Backlog at month end")], y_title="EP advice requests", events=events)
summary = (f"EP advice requested and completed each month, and the backlog at each month end, {period_words}. "
           f"{fmt.count(int(monthly['requested'].sum()))} requested and {fmt.count(int(monthly['completed'].sum()))} "
           "completed in the period.")
table = pd.DataFrame({
    "Month": monthly["month"].dt.strftime("%Y-%m"), "Advice requested": monthly["requested"],
    "Advice completed": monthly["completed"], "Completed within 6 weeks": monthly["completed_within_6_weeks"],
    "% within 6 weeks": monthly["six_week_rate"].round(1), "Backlog at month end": monthly["backlog"],
    "Backlog over 6 weeks": monthly["over_6_weeks"]})
ui.chart_with_table(figure, table, key="ep_flow", title=title, summary=summary,
                    filename=f"ep_requests_completions_backlog_{file_period}.csv",
                    export=Spec(counts=("Advice requested", "Advice completed", "Completed within 6 weeks",
                                        "Backlog at month end", "Backlog over 6 weeks"),
                                rates={"% within 6 weeks": Rate("Advice completed", "Completed within 6 weeks")}))

# --- Age of the backlog --------------------------------------------------------------------------------
worst = monthly.loc[monthly["waited_20_to_52_weeks"].add(monthly["waited_over_52_weeks"]).idxmax()] \
    if len(monthly) else None
long_wait = now.by_age["20 to 52 weeks"] + now.by_age["Over 52 weeks"]
title = (f"{fmt.count(now.over_six_weeks)} of the {fmt.count(now.open)} open EP requests at {fmt.day(now.at)} "
         f"have waited over six weeks; {fmt.count(long_wait)} over 20 weeks" if now.open
         else f"No EP advice requests open at {fmt.day(now.at)}")
if worst is not None and worst["waited_20_to_52_weeks"] + worst["waited_over_52_weeks"] > long_wait:
    title += (f", down from {fmt.count(worst['waited_20_to_52_weeks'] + worst['waited_over_52_weeks'])} "
              f"in {worst['month']:%B %Y}")
figure = capacity_charts.stacked_bars(monthly, "month", list(ep.AGE_BANDS), y_title="Open EP requests at month end",
                                      events=events)
summary = ("The EP backlog at each month end split by how long each request had waited since EP advice was "
           f"requested, {period_words}. At {fmt.day(now.at)}: "
           + "; ".join(f"{label.lower()}: {fmt.count(count)}" for label, count in now.by_age.items()) + ".")
table = pd.DataFrame({"Month end": monthly["month_end"].astype(str),
                      **{label: monthly[column] for column, label in ep.AGE_BANDS},
                      "Backlog": monthly["backlog"]})
ui.chart_with_table(figure, table, key="ep_backlog_age", title=title, summary=summary,
                    filename=f"ep_backlog_by_weeks_waited_{file_period}.csv",
                    export=Spec(counts=(*(label for _, label in ep.AGE_BANDS), "Backlog"), row_total="Backlog"))

# --- Six-week timeliness, overall and by provider ----------------------------------------------------
rates = providers.pivot(index="month", columns="breakdown", values="six_week_rate").reindex(
    columns=list(ep.PROVIDER_LABELS))
done = providers.pivot(index="month", columns="breakdown", values="completed").reindex(
    columns=list(ep.PROVIDER_LABELS)).fillna(0).astype(int).add_prefix("completed_")
timeliness = monthly[["month", "six_week_rate", "completed"]].merge(
    rates.join(done).reset_index(), on="month", how="left")
if rate_12.percent is None:
    title = f"No EP advice was completed in the 12 months to {end:%B %Y}"
else:
    title = (f"{fmt.percent(rate_12.percent)} of EP advice was completed within six weeks in the 12 months to "
             f"{end:%B %Y}")
    if rate_before.percent is not None:
        title += f", against {fmt.percent(rate_before.percent)} in the 12 months before"
figure = capacity_charts.lines(
    timeliness, "month", [("six_week_rate", "All providers"), *ep.PROVIDER_LABELS.items()],
    y_title="Completed within six weeks", percent=True, events=events)
summary = (f"Share of EP advice completed within six weeks (42 days) of the request, by month of completion, "
           f"{period_words}, for all providers and for in-house, agency and locum EPs. A provider's rate is not "
           f"drawn for a month with fewer than {ep.MIN_DENOMINATOR} completions.")
table = pd.DataFrame({"Month": timeliness["month"].dt.strftime("%Y-%m"),
                      "Completed (all providers)": timeliness["completed"],
                      "% within 6 weeks (all)": timeliness["six_week_rate"].round(1)})
for code, label in ep.PROVIDER_LABELS.items():
    table[f"Completed ({label})"] = timeliness[f"completed_{code}"]
    table[f"% within 6 weeks ({label})"] = timeliness[code].round(1)
ui.chart_with_table(figure, table, key="ep_timeliness", title=title, summary=summary,
                    filename=f"ep_six_week_timeliness_{file_period}.csv",
                    export=Spec(counts=("Completed (all providers)",
                                        *(f"Completed ({label})" for label in ep.PROVIDER_LABELS.values())),
                                rates={"% within 6 weeks (all)": Rate("Completed (all providers)"),
                                       **{f"% within 6 weeks ({label})": Rate(f"Completed ({label})")
                                          for label in ep.PROVIDER_LABELS.values()}}))

# --- Provider mix ----------------------------------------------------------------------------------------
mix = providers.pivot(index="month", columns="breakdown", values="completed").reindex(
    columns=list(ep.PROVIDER_LABELS), fill_value=0).fillna(0).astype(int).reset_index()
bought_in = ep.bought_in_share(by_provider, last_12)
bought_in_before = ep.bought_in_share(by_provider, previous_12)
if bought_in.percent is None:
    title = f"No EP advice was completed in the 12 months to {end:%B %Y}"
else:
    title = (f"Agency and locum EPs completed {fmt.percent(bought_in.percent, 0)} of EP advice in the 12 months to "
             f"{end:%B %Y}")
    if bought_in_before.percent is not None:
        title += f", against {fmt.percent(bought_in_before.percent, 0)} in the 12 months before"
figure = capacity_charts.stacked_bars(mix, "month", list(ep.PROVIDER_LABELS.items()), y_title="EP advice completed",
                                      events=events)
summary = (f"EP advice completed each month by in-house, agency and locum educational psychologists, {period_words}.")
table = mix.rename(columns={"month": "Month", **ep.PROVIDER_LABELS})
table["Month"] = table["Month"].dt.strftime("%Y-%m")
ui.chart_with_table(figure, table, key="ep_providers", title=title, summary=summary,
                    filename=f"ep_completions_by_provider_{file_period}.csv",
                    export=Spec(counts=tuple(ep.PROVIDER_LABELS.values())))

# --- The 1,200 commitment --------------------------------------------------------------------------------
st.header("The commitment to additional EP assessments")
if promise is None:
    st.info("The commitment to additional EP assessments (reference/targets.csv, ep_additional_assessments) has "
            "not started by the end of the selected period, or is not in the targets file.")
else:
    target = promise.target
    target_words = fmt.count(target.target)
    st.badge(promise.judgement.label, color=promise.judgement.status.colour_name)
    window = promise.baseline_window
    lines = [
        f"**Commitment:** {target.label}: {target_words} from {fmt.day(promise.start)} to "
        f"{fmt.day(promise.due)} ({target.source}).",
        f"**Baseline:** {promise.baseline_monthly:,.1f} completions a month, the average of the six full months "
        f"before the commitment started ({window.start:%b %Y} to {window.end:%b %Y}: "
        f"{fmt.count(promise.baseline_completions)} completions).",
        f"**Additional** = EP advice completed from {fmt.day(promise.start)} to the date (both days counted), less "
        f"{promise.baseline_monthly:,.1f} for each calendar month elapsed. By "
        f"{fmt.day(min(promise.at, promise.due))}: {fmt.count(promise.completions)} completed, "
        f"{fmt.count(promise.completions - promise.additional)} at the baseline rate, so "
        f"**{fmt.count(promise.additional)} additional**.",
        f"**Required run rate:** {promise.required_monthly:,.1f} additional a month "
        f"({promise.baseline_monthly + promise.required_monthly:,.1f} completions a month in all) to reach "
        f"{target_words} by {fmt.day(promise.due)}.",
    ]
    if promise.current_monthly is not None:
        lines.append(f"**Rate so far:** {promise.current_monthly:,.1f} additional a month.")
    if promise.needed_monthly_from_now is not None:
        lines.append(f"**Needed from now:** {promise.needed_monthly_from_now:,.1f} additional a month.")
    if promise.reached_month is not None:
        lines.append(f"**Reached:** the additional completions passed {target_words} by the end of "
                     f"{promise.reached_month:%B %Y}.")
    elif promise.projected_date is not None:
        lines.append(f"**Projected:** at the rate so far, {target_words} would be reached on about "
                     f"{fmt.day(promise.projected_date)}.")
    else:
        lines.append(f"**Projected:** at the rate so far, {target_words} would not be reached.")
    lines.append(f"**Status rule:** {promise.judgement.rule}")
    st.markdown("\n".join(f"- {line}" for line in lines))
    ui.show(views.ep_commitment_view(run, filters, end, promise))

# --- How late EP advice feeds the 20-week failure -------------------------------------------------------
st.header("How late EP advice feeds the 20-week failure")
if not store.usable("ehcp_requests"):
    st.warning("The EHC needs assessment requests extract is not available, so plans issued cannot be linked "
               "to their EP advice.", icon="⚠️")
else:
    quarters = ep.delay_by_quarter(run, filters, end, through=as_of)
    effect = ep.delay_effect(quarters)
    if effect.plans_issued:
        title = (f"{period_words}: {fmt.percent(effect.late_ep_advice.percent, 0)} of plans issued had EP advice "
                 "later than six weeks; "
                 f"{fmt.percent(effect.twenty_weeks_with_late_ep.percent, 0)} of those were issued within 20 weeks, "
                 f"against {fmt.percent(effect.twenty_weeks_with_timely_ep.percent, 0)} with timely advice")
    else:
        title = "No EHC plans were issued in the period"
    figure = capacity_charts.lines(
        quarters, "quarter", [("late_share", "Plans whose EP advice was late"),
                              ("late_twenty_week_rate", "Issued within 20 weeks: late EP advice"),
                              ("timely_twenty_week_rate", "Issued within 20 weeks: timely EP advice")],
        y_title="Share of plans issued", percent=True, events=events)
    summary = (f"For EHC plans issued in each quarter, {period_words}: the share whose EP advice took more than six "
               "weeks, and the share issued within 20 weeks for plans with late and with timely EP advice. In the "
               f"period {fmt.count(effect.plans_issued)} plans were issued; "
               f"{fmt.count(effect.late_ep_advice.numerator)} of the {fmt.count(effect.late_ep_advice.denominator)} "
               "with EP advice recorded had it late. Rates on fewer than "
               f"{ep.MIN_DENOMINATOR} plans are not drawn.")
    table = pd.DataFrame({
        "Quarter starting": quarters["quarter"].dt.strftime("%Y-%m"), "Plans issued": quarters["plans_issued"],
        "Issued within 20 weeks": quarters["within_20_weeks"], "With late EP advice": quarters["late_ep_advice"],
        "Late EP advice: within 20 weeks": quarters["late_ep_advice_within_20_weeks"],
        "With timely EP advice": quarters["timely_ep_advice"],
        "Timely EP advice: within 20 weeks": quarters["timely_ep_advice_within_20_weeks"],
        "No EP advice recorded": quarters["no_ep_advice"],
        "With EP advice recorded": quarters["late_ep_advice"] + quarters["timely_ep_advice"],
        "% with late EP advice": quarters["late_share"].round(1),
        "% within 20 weeks (late EP advice)": quarters["late_twenty_week_rate"].round(1),
        "% within 20 weeks (timely EP advice)": quarters["timely_twenty_week_rate"].round(1)})
    ui.chart_with_table(
        figure, table, key="ep_delay", title=title, summary=summary,
        filename=f"ep_delay_and_20_weeks_{file_period}.csv",
        export=Spec(counts=("Plans issued", "Issued within 20 weeks", "With late EP advice",
                            "Late EP advice: within 20 weeks", "With timely EP advice",
                            "Timely EP advice: within 20 weeks", "No EP advice recorded", "With EP advice recorded"),
                    rates={"% with late EP advice": Rate("With EP advice recorded", "With late EP advice"),
                           "% within 20 weeks (late EP advice)": Rate("With late EP advice",
                                                                      "Late EP advice: within 20 weeks"),
                           "% within 20 weeks (timely EP advice)": Rate("With timely EP advice",
                                                                        "Timely EP advice: within 20 weeks")}))

# --- By district and locality ----------------------------------------------------------------------------
st.header("By district and locality")
area_words = st.radio("Show EP figures by", list(ep.AREA_BREAKDOWNS), key="ep_by", bind="query-params",
                      horizontal=True)
area_by = ep.AREA_BREAKDOWNS[area_words]
areas = ep.by_area(run, filters, end, area_by, through=as_of)
areas["within_6_weeks_backlog"] = areas["backlog"] - areas["over_6_weeks"]
if len(areas) and areas["backlog"].sum():
    top = areas.iloc[0]
    title = (f"{top['area']} has the largest EP backlog at {fmt.day(end)}: {fmt.count(top['backlog'])}, "
             f"{fmt.count(top['over_6_weeks'])} of them over six weeks")
else:
    title = f"No EP advice waiting at {fmt.day(end)}"
figure = capacity_charts.horizontal_bars(
    areas, "area", [("within_6_weeks_backlog", "Waiting up to six weeks"), ("over_6_weeks", "Waiting over six weeks")],
    x_title=f"Open EP requests at {fmt.day(end)}", stacked=True)
summary = (f"EP backlog at {fmt.day(end)} by {area_words.lower()}, split by whether each request has "
           "waited more than six weeks. The table adds completions and six-week timeliness over the 12 months to "
           f"{end:%B %Y}.")
table = pd.DataFrame({area_words: areas["area"], "Backlog": areas["backlog"],
                      "Backlog over 6 weeks": areas["over_6_weeks"],
                      "Completed (12 months)": areas["completed"],
                      "Completed within 6 weeks (12 months)": areas["completed_within_6_weeks"],
                      "% within 6 weeks (12 months)": areas["six_week_rate"].round(1)})
ui.chart_with_table(figure, table, key="ep_areas", title=title, summary=summary,
                    filename=f"ep_by_{area_by}_{month_key(end)}.csv",
                    export=Spec(counts=("Backlog", "Backlog over 6 weeks", "Completed (12 months)",
                                        "Completed within 6 weeks (12 months)"),
                                rates={"% within 6 weeks (12 months)": Rate(
                                    "Completed (12 months)", "Completed within 6 weeks (12 months)")}))
