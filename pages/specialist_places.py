import pandas as pd
import streamlit as st

from dashboard import contract, fmt
from dashboard.app import ui
from dashboard.charts import capacity as capacity_charts
from dashboard.dates import Window, month_key, trailing_months
from dashboard.measures import places
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views import legacy as views

store, filters, run = ui.start_page(
    "Specialist places",
    "Whether there are enough specialist places: commissioned against occupied places, spare places by need, "
    "the pipeline of new places against the Improvement Notice's 200-place commitment and the 2027 school, "
    "and demand for specialist placements from new EHC plans.",
    requires=("specialist_places",))
st.caption("**Filters that apply here:** period (which censuses are shown); locality and district (of the "
           "setting; out-of-area settings only when no area is chosen); primary need (the places' designation, "
           "so mixed-designation places drop out when a need is chosen). Age does not apply to places; it applies "
           "to the demand from new plans. The 200-place commitment and the new school are for all of Lancashire "
           "and ignore every filter.")

# Occupied places are children; commissioned and planned places are not, so only occupancy is suppressed.
OCCUPIED = Spec(counts=("Occupied places",), keep=("Settings", "Commissioned places", "Settings over 100%",
                                                   "Planned places"))
PLURALS = {"setting_type": "setting types", "designation": "designations", "district": "districts",
           "locality": "localities"}


def new_plans(count: int) -> str:
    return f"{fmt.count(count)} new plan{'' if count == 1 else 's'}"


def spare_words(spare: int) -> str:
    if spare >= 0:
        return f"{fmt.count(spare)} spare place{'' if spare == 1 else 's'}"
    return f"no spare places ({fmt.count(-spare)} more {'child' if spare == -1 else 'children'} than places)"


as_of = store.as_of or filters.period_end
end = min(filters.period_end, as_of)
events = run("events", filters.params())

controls = st.columns([3, 2])
with controls[0]:
    # Options are their URL forms (as the shared filters), so a link written by hand works too.
    setting_types = tuple(st.multiselect(
        "Setting type", list(contract.SETTING_TYPES), key="setting_type", bind="query-params",
        placeholder="All setting types", help="; ".join(f"{code}: {label}"
                                                        for code, label in places.SETTING_TYPE_LABELS.items())))
# Queried to the as-of date and cut at the period end, so changing the period end needs no new query.
over_time = places.census(run, filters, setting_types, end=as_of)
over_time = over_time[over_time["snapshot_date"].dt.date <= end]
census_options = [d.date().isoformat() for d in over_time["snapshot_date"]]
with controls[1]:
    census_key = st.selectbox("Census date", census_options[::-1], key="census", bind="query-params",
                              help="The termly census (snapshot) the occupancy, spare places and settings table "
                                   "are for. The latest in the period is chosen unless you pick another.")
if not census_options:
    st.info("There is no specialist places census in the selected period and filters. Choose a longer period "
            "or fewer filters.", icon="ℹ️")
    st.stop()
census_date = pd.Timestamp(census_key).date()
census_words = fmt.day(census_date)
type_words = ("all setting types" if not setting_types
              else ", ".join(places.SETTING_TYPE_LABELS[t] for t in setting_types))

occupancy = places.occupancy_in(over_time, census_date)
occupancy_status = places.occupancy_judgement(run, occupancy.rate)
promise = places.commitment(run, end)
school = places.new_school(run, end)

tiles = st.columns(5)
with tiles[0]:
    st.metric("Commissioned places", fmt.count(occupancy.commissioned), border=True,
              delta=f"at the {census_words} census", delta_color="off", delta_arrow="off",
              help=f"Places commissioned at the {census_words} census in {occupancy.settings} settings ({type_words}).")
with tiles[1]:
    st.metric("Occupancy", fmt.percent(occupancy.rate.percent), border=True,
              delta=occupancy_status.label if occupancy_status else None,
              delta_color=occupancy_status.status.colour_name if occupancy_status else "off", delta_arrow="off",
              help=f"{fmt.count(occupancy.occupied)} children in {fmt.count(occupancy.commissioned)} commissioned "
                   "places. Above 100% means more children than places. "
                   + (f"Status rule: {occupancy_status.rule}" if occupancy_status else ""))
with tiles[2]:
    st.metric("Settings over 100%", f"{occupancy.settings_over_capacity} of {occupancy.settings}", border=True,
              help="Settings with more children than commissioned places at the census.")
with tiles[3]:
    if promise is None:
        st.metric("Places added since the baseline", "–", border=True,
                  help="No census on or before the baseline date of the additional places target.")
    else:
        st.metric(f"Places added (target {fmt.count(promise.target.target)})",
                  fmt.count(promise.added), border=True, delta=promise.judgement.label,
                  delta_color=promise.judgement.status.colour_name, delta_arrow="off",
                  help=f"Commissioned places (all settings) at the census, less the {fmt.count(promise.baseline_places)} "
                       f"at the baseline census of {fmt.day(promise.baseline_census)}. "
                       f"Status rule: {promise.judgement.rule}")
with tiles[4]:
    if school is not None:
        st.metric(f"New special school ({school.opens:%b %Y})", f"{fmt.count(school.places)} places", border=True,
                  delta=school.judgement.label, delta_color=school.judgement.status.colour_name, delta_arrow="off",
                  help=f"{school.name}, planned to open on {fmt.day(school.opens)}. Status rule: "
                       f"{school.judgement.rule}")

# --- Commissioned and occupied over time ------------------------------------------------------------
title = (f"Occupancy {fmt.percent(occupancy.rate.percent)} at the {census_words} census: "
         f"{fmt.count(occupancy.occupied)} children in {fmt.count(occupancy.commissioned)} commissioned places")
figure = capacity_charts.places_over_time(over_time, events=events)
summary = (f"Commissioned and occupied specialist places at each census, {ui.month_range_label(filters.period_start, end)}, "
           f"{type_words}, with occupancy on the right-hand axis.")
if len(over_time):
    first = over_time.iloc[0]
    summary += (f" Occupancy was {fmt.percent(first['occupancy_pct'])} at the {fmt.day(first['snapshot_date'].date())} "
                f"census and {fmt.percent(occupancy.rate.percent)} at {census_words}.")
table = pd.DataFrame({"Census": over_time["snapshot_date"].dt.strftime("%Y-%m-%d"), "Settings": over_time["settings"],
                      "Commissioned places": over_time["commissioned"], "Occupied places": over_time["occupied"],
                      "Spare places": over_time["spare"], "Occupancy %": over_time["occupancy_pct"].round(1),
                      "Settings over 100%": over_time["settings_over_capacity"],
                      "Planned places": over_time["planned"]})
ui.chart_with_table(figure, table, key="places_trend", title=title, summary=summary, export=OCCUPIED,
                    filename=f"specialist_places_by_census_{month_key(filters.period_start)}_{month_key(end)}.csv")

# --- At the census: by setting type, designation or district ---------------------------------------------
breakdown_words = st.radio("Show places at the census by", list(places.BREAKDOWNS), key="places_by",
                           bind="query-params", horizontal=True)
breakdown = places.BREAKDOWNS[breakdown_words]
groups = places.by_group(run, filters, census_date, breakdown, setting_types)
over = groups[groups["occupancy_pct"] > 100]
if len(groups):
    fullest = groups.sort_values("occupancy_pct", ascending=False).iloc[0]
    title = (f"{len(over)} of {len(groups)} {PLURALS[breakdown]} are over 100% full at {census_words}; "
             f"the fullest is {fullest['group']} at {fmt.percent(fullest['occupancy_pct'])}")
else:
    title = f"No places match the filters at {census_words}"
figure = capacity_charts.occupancy_by_group(groups)
summary = (f"Commissioned against occupied places by {breakdown_words.lower()} at the {census_words} "
           "census; each occupied bar is labelled with its occupancy, and groups over 100% are marked '▲ over 100%'.")
table = pd.DataFrame({breakdown_words: groups["group"], "Settings": groups["settings"],
                      "Commissioned places": groups["commissioned"], "Occupied places": groups["occupied"],
                      "Spare places": groups["spare"], "Occupancy %": groups["occupancy_pct"].round(1),
                      "Settings over 100%": groups["settings_over_capacity"]})
ui.chart_with_table(figure, table, key="places_groups", title=title, summary=summary, export=OCCUPIED,
                    filename=f"specialist_places_by_{breakdown}_{census_key}.csv")

# --- Spare places by designation ---------------------------------------------------------------------------
designations = places.by_group(run, filters, census_date, "designation", setting_types)
designations = designations.sort_values(["spare", "group"], ignore_index=True)
designations["label"] = designations["breakdown"].map(places.need_label)
short = designations[designations["spare"] < 0]
if len(designations):
    title = (f"{spare_words(designations['spare'].sum()).capitalize()} overall at {census_words}; "
             + (f"{len(short)} designations have more children than places, most of all "
                f"{short.iloc[0]['breakdown']} (over by {fmt.count(-short.iloc[0]['spare'])})" if len(short)
                else "no designation has more children than places"))
else:
    title = f"No places match the filters at {census_words}"
figure = capacity_charts.spare_places(designations, "label")
summary = (f"Spare places (commissioned minus occupied) by designation at the {census_words} census, {type_words}. "
           "A bar left of zero, hatched and labelled 'over by', means more children than commissioned places.")
table = pd.DataFrame({"Designation": designations["label"], "Commissioned places": designations["commissioned"],
                      "Occupied places": designations["occupied"], "Spare places": designations["spare"],
                      "Free places in settings with room": designations["free_in_settings_with_room"]})
ui.chart_with_table(figure, table, key="places_spare", title=title, summary=summary, export=OCCUPIED,
                    filename=f"spare_places_by_designation_{census_key}.csv")

# --- The pipeline and the 200-place commitment ------------------------------------------------------------
st.header("New places: the pipeline and the 200-place commitment")
pipeline = places.pipeline(run, filters, end, setting_types)
if len(pipeline):
    opened = int(pipeline.loc[pipeline["opened"], "planned_places"].sum())
    still = int(pipeline.loc[~pipeline["opened"], "planned_places"].sum())
    title = f"{fmt.count(opened + still)} places in the pipeline: {fmt.count(opened)} opened by {fmt.day(end)}"
    if school is not None and school.name in set(pipeline["setting_name"]):
        title += f"; {school.name} ({fmt.count(school.places)} places) due {fmt.day(school.opens)}"
    elif still:
        title += f"; {fmt.count(still)} still to open"
else:
    title = "No planned places recorded for these filters"
figure = capacity_charts.pipeline_bars(pipeline)
summary = ("Planned places by opening date as last recorded at a census, one bar segment per setting, split into "
           f"places whose opening date has passed and places still to open, {type_words}.")
table = pd.DataFrame({"Setting": pipeline["setting_name"], "URN": pipeline["setting_id"],
                      "Setting type": pipeline["setting_type"].map(places.SETTING_TYPE_LABELS),
                      "District": pipeline["district"].map(lambda d: places.group_label("district", d)),
                      "Designation": pipeline["designation"], "Planned places": pipeline["planned_places"],
                      "Opening date": pd.to_datetime(pipeline["planned_open_date"]).dt.strftime("%Y-%m-%d"),
                      "Opened": pipeline["opened"].map({True: "Yes", False: "Not yet"}),
                      "New setting": pipeline["new_setting"].map({True: "Yes", False: "No"}),
                      "Last recorded at census": pd.to_datetime(pipeline["last_recorded"]).dt.strftime("%Y-%m-%d")})
ui.chart_with_table(figure, table, key="places_pipeline", title=title, summary=summary,
                    export=Spec(counts=(), keep=("Planned places",)),
                    filename=f"specialist_places_pipeline_{month_key(end)}.csv")

if promise is None:
    st.info("The additional places target (reference/targets.csv, specialist_places_added) is missing, or there is "
            "no census on or before its baseline date.")
else:
    target_words = fmt.count(promise.target.target)
    st.badge(promise.judgement.label, color=promise.judgement.status.colour_name)
    baseline_note = ""
    if promise.target.baseline is not None and int(promise.target.baseline) != promise.baseline_places:
        baseline_note = f" (targets.csv gives {fmt.count(promise.target.baseline)}; the census figure is used)"
    judged = (f"Judged on the first census on or after the due date ({fmt.day(promise.judged_census)}), because "
              "places are counted at censuses." if promise.judged_census is not None else
              f"Before the due date it is judged on places added so far plus the {fmt.count(promise.planned_by_due)} "
              "places planned to open by the due date and not yet counted.")
    st.markdown("\n".join(f"- {line}" for line in [
        f"**Commitment:** {promise.target.label}: {target_words} by {fmt.day(promise.target.due_date)} "
        f"({promise.target.source}).",
        f"**Baseline:** {fmt.count(promise.baseline_places)} commissioned places at the "
        f"{fmt.day(promise.baseline_census)} census{baseline_note}, all setting types.",
        "**Places added** = commissioned places at a census, less the baseline. All of Lancashire; the filters "
        "do not apply. " + judged,
        f"**Status rule:** {promise.judgement.rule}",
    ]))
    ui.show(views.places_commitment_view(run, filters, end, promise))

# --- Demand for specialist places -------------------------------------------------------------------------
st.header("Demand for specialist places from new EHC plans")
if not store.usable("ehcp_requests"):
    st.warning("The EHC needs assessment requests extract (ehcp_requests.csv) is not available, so demand from "
               "new plans cannot be shown. The rest of this page does not need it.", icon="⚠️")
else:
    st.caption("New EHC plans (by issue date) naming a specialist placement: special school (maintained), special "
               "academy, independent special school, or resourced provision (which includes SEN units, as in "
               "SEN2). The setting type filter narrows the placements counted to those the chosen settings "
               "provide; alternative provision is not a placement named in a plan.")
    window = trailing_months(end, 12)
    demand = places.demand_monthly(run, filters, Window(min(filters.period_start, window.start), as_of), setting_types)
    demand = demand[demand["month"].dt.date <= end]
    wide, shown = places.demand_by_need(demand, Window(filters.period_start, end))
    recent = demand[demand["month"].dt.date >= window.start].groupby("primary_need")["plans"].sum()
    recent = recent.sort_values(ascending=False, kind="stable")
    recent_total = int(recent.sum())
    if recent_total:
        title = (f"{new_plans(recent_total)} named a specialist placement in the 12 months to {end:%B %Y}; "
                 f"{recent.index[0]} {fmt.percent(100 * recent.iloc[0] / recent_total, 0)}")
        if len(recent) > 1:
            title += f" and {recent.index[1]} {fmt.percent(100 * recent.iloc[1] / recent_total, 0)}"
    else:
        title = f"No new plans named a specialist placement in the 12 months to {end:%B %Y}"
    labels = [(code, places.need_label(code) if code != "other" else "All other needs") for code in [*shown, "other"]]
    figure = capacity_charts.stacked_bars(wide, "month", labels, y_title="New plans naming a specialist placement",
                                          events=events)
    summary = (f"New EHC plans naming a specialist placement each month by primary need, "
               f"{ui.month_range_label(filters.period_start, end)}: the five largest needs over the period and the rest "
               "together.")
    table = wide.rename(columns={"month": "Month", **dict(labels)})
    table["Month"] = table["Month"].dt.strftime("%Y-%m")
    ui.chart_with_table(figure, table, key="places_demand", title=title, summary=summary,
                        export=Spec(counts=tuple(label for _, label in labels)),
                        filename=f"specialist_placement_demand_{month_key(filters.period_start)}_{month_key(end)}.csv")

    gap = places.demand_vs_spare(run, filters, census_date, setting_types)
    gap = gap[(gap["new_specialist_plans"] > 0) | (gap["commissioned"] > 0)].reset_index(drop=True)
    gap["label"] = gap["need"].map(places.need_label)
    gap_window = trailing_months(census_date, 12)
    if len(gap):
        first = gap.iloc[0]
        title = (f"{first['need']}: {new_plans(first['new_specialist_plans'])} naming a specialist placement in 12 "
                 f"months, against {spare_words(first['spare'])}")
        if len(gap) > 1:
            second = gap.iloc[1]
            title += f"; {second['need']}: {fmt.count(second['new_specialist_plans'])} against {spare_words(second['spare'])}"
    else:
        title = "No demand or places match the filters"
    figure = capacity_charts.horizontal_bars(
        gap, "label", [("new_specialist_plans", "New plans naming a specialist placement (12 months)"),
                       ("spare", f"Spare places at {census_words}")], x_title="Plans or places")
    summary = (f"By need: new plans naming a specialist placement in the 12 months "
               f"{ui.month_range_label(gap_window.start, gap_window.end)}, against spare places at the {census_words} "
               "census in settings of the same designation (negative: more children than places). The gap is demand "
               "minus spare places; places also free up as children leave, so it is a guide for comparing needs.")
    table = pd.DataFrame({"Need / designation": gap["label"],
                          "New plans naming a specialist placement (12 months)": gap["new_specialist_plans"],
                          "Commissioned places": gap["commissioned"], "Occupied places": gap["occupied"],
                          "Spare places": gap["spare"], "Gap (demand minus spare)": gap["gap"]})
    ui.chart_with_table(figure, table, key="places_gap", title=title, summary=summary,
                        export=Spec(counts=("New plans naming a specialist placement (12 months)", "Occupied places"),
                                    keep=("Commissioned places",)),
                        filename=f"specialist_demand_vs_spare_{census_key}.csv")

# --- Independent special placements ----------------------------------------------------------------------
st.header("Independent special schools")
independent = places.independent_over_time(run, filters, end=as_of)
independent = independent[independent["snapshot_date"].dt.date <= end]
if len(independent):
    first, last = independent.iloc[0], independent.iloc[-1]
    direction = "up" if last["occupied_independent"] >= first["occupied_independent"] else "down"
    title = (f"Children in independent special schools {direction} from {fmt.count(first['occupied_independent'])} "
             f"({first['snapshot_date']:%b %Y}) to {fmt.count(last['occupied_independent'])} ({last['snapshot_date']:%b %Y}), "
             f"{fmt.percent(last['independent_share'], 1)} of children in specialist places")
else:
    title = "No independent special school places in the period"
figure = capacity_charts.independent_chart(independent, events=events)
summary = ("Occupied places in independent special schools (the most expensive route) at each census, and their "
           "share of all occupied places in specialist settings (special schools and academies, resourced provision, "
           "SEN units and independent special schools). The setting type filter does not apply.")
table = pd.DataFrame({"Census": independent["snapshot_date"].dt.strftime("%Y-%m-%d"),
                      "Independent: commissioned": independent["commissioned_independent"],
                      "Independent: occupied": independent["occupied_independent"],
                      "All specialist settings: occupied": independent["occupied"],
                      "Independent share of occupied %": independent["independent_share"].round(1)})
ui.chart_with_table(figure, table, key="places_independent", title=title, summary=summary,
                    export=Spec(counts=("Independent: occupied", "All specialist settings: occupied"),
                                rates={"Independent share of occupied %": Rate("All specialist settings: occupied",
                                                                               "Independent: occupied")},
                                keep=("Independent: commissioned",)),
                    filename=f"independent_special_places_{month_key(end)}.csv")

# --- Settings table --------------------------------------------------------------------------------------------
st.header(f"Settings at the {census_words} census")
settings = places.settings(run, filters, census_date, setting_types)
table = pd.DataFrame({
    "Setting": settings["setting_name"], "URN": settings["setting_id"],
    "Setting type": settings["setting_type"].map(places.SETTING_TYPE_LABELS),
    "District": settings["district"].map(lambda d: places.group_label("district", d)),
    "Designation": settings["designation"], "Commissioned places": settings["commissioned"],
    "Occupied places": settings["occupied"], "Spare places": settings["spare"],
    "Occupancy %": settings["occupancy_pct"].round(1),
    "Over 100%": settings["over_capacity"].map({True: "▲ Yes", False: "No"}),
    "Planned places": settings["planned_places"],
    "Planned opening": pd.to_datetime(settings["planned_open_date"]).dt.strftime("%Y-%m-%d")})
st.caption(f"{len(table)} settings ({type_words}); {int(settings['over_capacity'].sum())} over 100% occupancy. "
           "Select a column heading to sort.")
st.dataframe(table, hide_index=True, key="places_settings_table")
st.download_button("Download this table (CSV)", data=lambda: ui.export_csv(table, OCCUPIED),
                   file_name=f"specialist_settings_{census_key}.csv", mime="text/csv", key="places_settings_download",
                   help=ui.EXPORT_NOTE)
