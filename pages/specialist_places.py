from datetime import date

import streamlit as st

from dashboard.app import page
from dashboard.measures import places
from dashboard.views import places as views

store, ctx = page.start(
    "Specialist places",
    "Whether there are enough specialist places: commissioned against occupied places, spare places by need, "
    "the pipeline of new places against the Improvement Notice's 200-place commitment and the 2027 school, "
    "and demand for specialist placements from new EHC plans.",
    requires=("specialist_places",),
)
page.notice(
    "**Filters that apply here:** period (which censuses are shown); locality and district (of the setting; "
    "settings outside Lancashire only when no area is chosen); primary need (the places' designation, so "
    "mixed-needs places drop out when a need is chosen). Age does not apply to places; it applies to the "
    "demand from new plans. The 200-place commitment and the new school are for all of Lancashire and "
    "ignore every filter."
)

controls = page.controls()
setting_types = views.setting_type_codes(
    controls.multiselect(
        "Setting type",
        list(views.SETTING_TYPES.values()),
        key="setting_type",
        bind="query-params",
        placeholder="All setting types",
        width=460,
    )
)
over_time = places.census(ctx.run, ctx.filters, setting_types, end=ctx.at)
censuses = views.census_options(over_time)
chosen = controls.selectbox(
    "Census date",
    censuses,
    key="census",
    bind="query-params",
    help="The termly census the occupancy, spare places and settings table are for. "
    "The latest in the period is chosen unless you pick another.",
    width=220,
)
if not censuses:
    st.info(
        "There is no specialist places census in the selected period and filters. Choose a longer period "
        "or fewer filters.",
        icon="ℹ️",
    )
    st.stop()
# A census chosen before the period moved can drop out of the list; Streamlit then gives None, and the page
# falls back to the latest census in the period, as the help says.
census = date.fromisoformat(chosen or censuses[0])
promise = places.commitment(ctx.run, ctx.at)
school = places.new_school(ctx.run, ctx.at)
page.headlines(views.headlines(ctx, over_time, census, setting_types, promise, school))

# The demand against spare places frame is read once: the spare places chart says where the two differ.
gap = (
    places.demand_vs_spare(ctx.run, ctx.filters, census, setting_types, ctx.at)
    if store.usable("ehcp_requests")
    else None
)

section, tab = page.sections("pages/specialist_places.py")
with tab:
    if section == "Places and occupancy":
        page.show(views.trend(ctx, over_time, census, setting_types), ctx)
        by = views.BREAKDOWNS[
            st.radio(
                "Show places at the census by",
                list(views.BREAKDOWNS),
                key="places_by",
                bind="query-params",
                horizontal=True,
            )
        ]
        groups = places.by_group(ctx.run, ctx.filters, census, by, setting_types)
        page.show(views.groups(ctx, groups, by, census, setting_types), ctx)
        designations = places.by_group(ctx.run, ctx.filters, census, "designation", setting_types)
        page.show(views.spare(ctx, designations, census, setting_types, gap), ctx)
    elif section == "Pipeline and commitment":
        page.section("New places: the pipeline and the 200-place commitment", anchor="pipeline")
        pipeline = places.pipeline(ctx.run, ctx.filters, ctx.at, setting_types)
        page.show(views.pipeline(ctx, pipeline, setting_types), ctx)
        commitment = views.commitment(ctx, promise)
        if commitment is None:
            st.info(
                "The additional places target (reference/targets.csv, specialist_places_added) is missing, or "
                "there is no census on or before its baseline date."
            )
        else:
            page.show(commitment, ctx)
    elif section == "Demand from new plans":
        page.section("Demand for specialist places from new EHC plans", anchor="demand")
        if gap is None:
            st.warning(
                "The EHC needs assessment requests extract (ehcp_requests.csv) is not available, so demand from "
                "new plans cannot be shown. The rest of this page does not need it.",
                icon="⚠️",
            )
        else:
            designations = places.by_group(ctx.run, ctx.filters, census, "designation", setting_types)
            monthly = places.demand_monthly(ctx.run, ctx.filters, ctx.period, setting_types)
            page.show(views.demand(ctx, monthly), ctx)
            page.show(views.gap(ctx, gap, census, designations), ctx)
    elif section == "Independent schools":
        page.section("Independent special schools", anchor="independent")
        independent = places.independent_over_time(ctx.run, ctx.filters, end=ctx.at)
        page.show(views.independent(ctx, independent), ctx)
    else:
        page.section("Settings", anchor="settings")
        settings = places.settings(ctx.run, ctx.filters, census, setting_types)
        page.show(views.settings(ctx, settings, census, setting_types), ctx)
