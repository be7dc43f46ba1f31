"""SEND demand and capacity dashboard: page setup, navigation of every page, and the shared filters."""

import streamlit as st

from dashboard import ui

st.set_page_config(page_title="SEND demand and capacity", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page("pages/ehcp.py", title="EHC needs assessments and plans", icon=":material/assignment:",
            url_path="ehcp"),
    st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:", url_path="benchmarks"),
    st.Page("pages/methodology.py", title="Data and methodology", icon=":material/menu_book:", url_path="methodology"),
]

navigation = st.navigation(PAGES)
# Drawn here, not in each page, so Streamlit keeps the filters (and their URL parameters) across pages.
ui.app_filters()
navigation.run()
