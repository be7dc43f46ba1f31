import streamlit as st

from dashboard.app import page
from dashboard.views import health as views

store, ctx = page.start("Health", views.INTRO)
page.notice(views.FILTERS_NOTE)
# Both extracts are optional: each section says when its extract is not supplied, and the rest still shows.
advice_ok, waits_ok = store.usable("advice_requests"), store.usable("neurodevelopmental_waits")
for table, ok in (("advice_requests", advice_ok), ("neurodevelopmental_waits", waits_ok)):
    if ok:
        page.require(store, table)  # says so when the last good version is served
    elif store.report.files[table].status != "missing":
        st.error(views.refused(store.report.files[table]), icon="🚫")
page.headlines(views.headlines(ctx, advice_ok, waits_ok))

section, tab = page.sections("pages/health.py")
with tab:
    if section == "Advice timeliness":
        page.section("Health and social care advice within six weeks", anchor="health-advice")
        if not advice_ok:
            st.info(views.NO_ADVICE)
        else:
            page.show(views.timeliness(ctx), ctx)
            page.show(views.services(ctx), ctx)
            page.show(views.providers(ctx), ctx)
    elif section == "Open advice":
        page.section("Advice still awaited, and how long it has waited", anchor="health-open")
        if not advice_ok:
            st.info(views.NO_ADVICE)
        else:
            page.show(views.open_advice(ctx), ctx)
    elif section == "Late advice and 20 weeks":
        page.section("Which advice holds up the plans that miss 20 weeks", anchor="health-late-advice")
        if not advice_ok:
            st.info(views.NO_ADVICE)
        elif not store.usable("ehcp_requests"):
            st.warning(views.NO_REQUESTS, icon="⚠️")
        else:
            page.show(views.bottleneck(ctx), ctx)
    else:
        page.section("Neurodevelopmental assessment waits", anchor="health-waits")
        if not waits_ok:
            st.info(views.NO_WAITS)
        else:
            frame = views.waits_frame(ctx)
            page.show(views.waits(ctx, frame), ctx)
            page.show(views.places(ctx, frame), ctx)
            page.show(views.flow(ctx, frame), ctx)
            page.show(views.clear(ctx, frame), ctx)
