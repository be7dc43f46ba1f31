"""SEND demand and capacity dashboard: page setup, navigation of every page, and the shared filters.

?present=1 on any address opens the Board presentation: no sidebar, one question per slide.
"""

import streamlit as st

from dashboard.app import ui
from dashboard.outputs.slides import PRESENT_KEY

presenting = st.query_params.get(PRESENT_KEY) == "1"
st.set_page_config(page_title="SEND demand and capacity", page_icon="📊", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=not presenting,
            url_path="overview"),
    st.Page("pages/ehcp.py", title="EHC needs assessments and plans", icon=":material/assignment:",
            url_path="ehcp"),
    st.Page("pages/educational_psychology.py", title="Educational psychology", icon=":material/psychology:",
            url_path="educational-psychology"),
    st.Page("pages/specialist_places.py", title="Specialist places", icon=":material/school:",
            url_path="specialist-places"),
    st.Page("pages/spending.py", title="Spending", icon=":material/payments:", url_path="spending"),
    st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:", url_path="benchmarks"),
    st.Page("pages/snapshots.py", title="Snapshots", icon=":material/photo_camera:", url_path="snapshots"),
    st.Page("pages/methodology.py", title="Data and methodology", icon=":material/menu_book:", url_path="methodology"),
    st.Page("pages/presentation.py", title="Board presentation", icon=":material/slideshow:", url_path="present",
            default=presenting, visibility="visible" if presenting else "hidden"),
]

if presenting:
    # The presentation reads the filters from the URL and draws no sidebar.
    st.navigation(PAGES, position="hidden").run()
else:
    navigation = st.navigation(PAGES)
    # Drawn here, not in each page, so Streamlit keeps the filters (and their URL parameters) across pages.
    ui.app_filters()
    navigation.run()
