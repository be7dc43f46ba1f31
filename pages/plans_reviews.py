import streamlit as st

from dashboard.app import page
from dashboard.measures.plans import BREAKDOWNS
from dashboard.views import plans as views

store, ctx = page.start("Plans and reviews", views.INTRO, requires=("ehcp_plans",))
page.notice(views.FILTERS_NOTE)

reviews = store.usable("annual_reviews")
page.headlines(views.headlines(ctx, views.figures(ctx, reviews), reviews))

section, tab = page.sections("pages/plans_reviews.py")
with tab:
    if section == "Caseload":
        page.section("Active plans and where children are placed", anchor="plans-caseload")
        page.show(views.caseload(ctx), ctx)
        by = st.radio(
            "Show active plans by", list(BREAKDOWNS), key="plans_by", bind="query-params", horizontal=True
        )
        page.show(views.breakdown(ctx, by), ctx)
    elif section == "Ceased plans":
        page.section("Plans ceased and why", anchor="plans-ceased")
        page.show(views.ceased(ctx), ctx)
    elif not reviews:
        st.warning(views.NO_REVIEWS, icon="⚠️")
    elif section == "Overdue reviews":
        page.section("Annual reviews overdue, how long and where", anchor="plans-overdue")
        page.show(views.overdue_trend(ctx), ctx)
        area = st.radio(
            "Show overdue reviews by",
            ["District", "Locality"],
            key="plans_overdue_by",
            bind="query-params",
            horizontal=True,
        )
        page.show(views.overdue_areas(ctx, area), ctx)
    elif section == "Review timeliness":
        page.section("Review decisions within 4 weeks and amendments within 12", anchor="plans-timeliness")
        page.show(views.review_timeliness(ctx), ctx)
    else:
        page.section("Phase transfers and the 15 February deadline", anchor="plans-phase-transfers")
        page.show(views.phase_transfers(ctx), ctx)
