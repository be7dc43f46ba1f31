"""SEND demand and capacity dashboard: page setup, navigation of every page, and the shared filters.

?present=1 on any address opens the Board presentation: no sidebar, one question per slide.
"""

import streamlit as st

from dashboard.app import admin, navigation, sidebar, state

presenting = st.query_params.get(navigation.PRESENT_KEY) == "1"
st.set_page_config(
    page_title="SEND demand and capacity",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)

PAGES = [
    st.Page(
        page.file,
        title=page.title,
        icon=page.icon,
        url_path=page.url_path,
        default=(page is navigation.PRESENTATION) == presenting
        and page in (navigation.OVERVIEW, navigation.PRESENTATION),
        visibility="hidden"
        if (page is navigation.PRESENTATION and not presenting)
        or (page is navigation.ADMIN and not admin.enabled())
        else "visible",
    )
    for page in navigation.PAGES
]

if presenting:
    # The presentation reads the filters from the URL and draws no sidebar.
    st.navigation(PAGES, position="hidden").run()
else:
    navigation_menu = st.navigation(PAGES)
    # Drawn here, not in each page, so Streamlit keeps the filters (and their URL parameters) across pages.
    sidebar.remember(sidebar.draw(state.store()))
    navigation_menu.run()
