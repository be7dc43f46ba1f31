import streamlit as st

from dashboard.app import page
from dashboard.measures.ep import AREA_BREAKDOWNS
from dashboard.views import ep as views

store, ctx = page.start("Educational psychology", views.INTRO, requires=("ep_assessments",))
page.notice(views.FILTERS_NOTE)

months = views.monthly(ctx)
promise = views.commitment_progress(ctx)
page.headlines(views.headlines(ctx, months, promise))

section, tab = page.sections("pages/educational_psychology.py")
with tab:
    if section == "Requests and backlog":
        page.section("Requests, completions and the backlog", anchor="ep-demand")
        page.show(views.flow(ctx, months), ctx)
        page.show(views.backlog_age(ctx, months), ctx)
    elif section == "Timeliness and providers":
        page.section("Six-week timeliness and who completes the advice", anchor="ep-timeliness-and-providers")
        page.show(views.timeliness(ctx, months), ctx)
        page.show(views.providers(ctx, months), ctx)
    elif section == "Additional assessments":
        page.section("The commitment to additional EP assessments", anchor="ep-additional-assessments")
        if promise is None:
            st.info(views.NO_COMMITMENT)
        else:
            st.markdown(views.commitment_details(promise))
            page.show(views.commitment(ctx, promise), ctx)
    elif section == "Late advice and 20 weeks":
        page.section("How late EP advice feeds the 20-week failure", anchor="ep-late-advice")
        if store.usable("ehcp_requests"):
            page.show(views.delay(ctx), ctx)
        else:
            st.warning(views.NO_REQUESTS, icon="⚠️")
    else:
        page.section("By district and locality", anchor="ep-by-area")
        by = st.radio(
            "Show EP figures by", list(AREA_BREAKDOWNS), key="ep_by", bind="query-params", horizontal=True
        )
        page.show(views.areas(ctx, by), ctx)
