"""SEND demand and capacity dashboard: page setup, navigation of every page, and the shared filters."""

import streamlit as st

from dashboard import ui

st.set_page_config(page_title="SEND demand and capacity", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True, url_path="overview"),
    st.Page("pages/methodology.py", title="Data and methodology", icon="📖", url_path="methodology"),
]

navigation = st.navigation(PAGES)
ui.sidebar_filters(ui.store())
navigation.run()
