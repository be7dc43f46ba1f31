"""SEND demand and capacity dashboard: page setup and the navigation of every page.

Each page draws the shared sidebar filters itself through dashboard.ui.start_page (same widgets,
same keys, bound to the URL), so a selection survives moving between pages.
"""

import streamlit as st

st.set_page_config(page_title="SEND demand and capacity", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True, url_path="overview"),
    st.Page("pages/methodology.py", title="Data and methodology", icon="📖", url_path="methodology"),
]

st.navigation(PAGES).run()
