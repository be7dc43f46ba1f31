import streamlit as st

from dashboard import escape
from dashboard.app import page
from dashboard.views import overview

store, ctx = page.start("Overview")
page.require(store, "ehcp_requests", "ep_assessments", "specialist_places", "spending", stop=False)

board = overview.tiles(ctx, store.usable)
page.kpi_tiles(board, ctx)
st.caption(escape.markdown(overview.status_key(ctx)))

page.section("What changed since last month")
st.markdown(overview.movements(board))

if store.usable("ehcp_requests"):
    page.show(overview.trend(ctx), ctx)
