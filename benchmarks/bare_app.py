"""The yardstick for the browser benchmark: a bare Streamlit app with one month selectbox and one Plotly chart."""

import plotly.graph_objects as go
import streamlit as st

months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
with st.sidebar:
    chosen = st.selectbox("To (month)", months, index=len(months) - 1, key="to")
st.title("Bare app")
end = months.index(chosen) + 1
st.plotly_chart(go.Figure(go.Bar(x=months[:end], y=list(range(end)))), key="bare_chart")
