"""The yardstick for the browser benchmark: a bare Streamlit app with one month selectbox and one Plotly chart.

Query parameters give it more of Streamlit's own elements, so a page can also be set beside Streamlit's cost of
drawing what it draws (bench_browser.py counts them on the page, SHAPE below):

- `charts`: Plotly bar charts, each under a heading; `headings`: headings beyond those;
- `texts`: markdown paragraphs; `metrics`: metrics with a delta and help; `buttons`: tertiary buttons;
- `images`: small SVG images (the Overview's sparklines); `tables`: tables, each in an expander with a
  download button; `inputs`: radio groups in the page;
- `selects`, `multis`: selectboxes (beyond the month's) and multiselects in the sidebar.

Every element shows the chosen month, so a change redraws all of them, as a filter change does on a page.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

# The elements a page is counted by (bench_browser.SHAPE_JS), and the most of each the app will draw.
SHAPE = {
    "charts": 20,
    "headings": 40,
    "texts": 100,
    "metrics": 40,
    "buttons": 40,
    "images": 40,
    "tables": 20,
    "inputs": 20,
    "selects": 20,
    "multis": 20,
}


def asked(name: str) -> int:
    value = st.query_params.get(name, "1" if name == "charts" else "0")
    return min(max(int(value), 0), SHAPE[name]) if value.isdigit() else 0


months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
shape = {name: asked(name) for name in SHAPE}
shape["charts"] = max(shape["charts"], 1)
with st.sidebar:
    chosen = st.selectbox("To (month)", months, index=len(months) - 1, key="to")
    for index in range(shape["selects"]):
        st.selectbox(f"Choice {index}", months, key=f"select_{index}")
    for index in range(shape["multis"]):
        st.multiselect(f"Filter {index}", ["North", "South", "East", "West"], key=f"multi_{index}")
st.title("Bare app")
end = months.index(chosen) + 1
for index in range(shape["metrics"]):
    st.metric(f"Measure {index}", f"{end * 10 + index:,}", delta=index - 2, help=f"To {chosen}")
for index in range(shape["buttons"]):
    st.button(f"Details {index}", type="tertiary", key=f"button_{index}")
for index in range(shape["images"]):
    points = " ".join(f"{x * 8},{40 - (x * (index + 3) + end) % 40}" for x in range(end))
    st.image(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="190" height="44"><polyline points="{points}" '
        'fill="none" stroke="#12436D" stroke-width="2"/></svg>'
    )
for index in range(shape["headings"]):
    st.subheader(f"Heading {index} to {chosen}", anchor=False)
for index in range(shape["charts"]):
    if shape["charts"] > 1 or sum(shape.values()) > 1:
        st.subheader(f"Chart {index} to {chosen}", anchor=False)
    st.plotly_chart(
        go.Figure(go.Bar(x=months[:end], y=list(range(index, end + index)))), key=f"bare_chart_{index}"
    )
for index in range(shape["texts"]):
    st.markdown(f"Paragraph {index}: the figures run to {chosen}.")
for index in range(shape["inputs"]):
    st.radio(f"Show {index}", ["Number", "Rate"], horizontal=True, key=f"input_{index}")
for index in range(shape["tables"]):
    with st.expander(f"Table {index} to {chosen}"):
        st.dataframe(pd.DataFrame({"month": months[:end], "value": range(end)}), hide_index=True)
        st.download_button(
            "Download this table (CSV)", data=lambda: "month,value\n", file_name=f"table-{index}.csv"
        )
