"""The yardstick for the browser benchmark: a bare Streamlit app with one month selectbox and one Plotly chart,
or `?charts=N` of them (up to 20), so a page can also be set beside Streamlit's own cost of drawing as many
charts as it does."""

import plotly.graph_objects as go
import streamlit as st

months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
asked = st.query_params.get("charts", "1")
charts = min(max(int(asked), 1), 20) if asked.isdigit() else 1
with st.sidebar:
    chosen = st.selectbox("To (month)", months, index=len(months) - 1, key="to")
st.title("Bare app")
end = months.index(chosen) + 1
for index in range(charts):
    st.plotly_chart(
        go.Figure(go.Bar(x=months[:end], y=list(range(index, end + index)))), key=f"bare_chart_{index}"
    )
