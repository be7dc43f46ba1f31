"""The Streamlit side of the core: the cached store and queries, shared filters, page furniture.

Pages call these and only draw; nothing here computes a measure.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import fmt
from dashboard.app import sidebar, state
from dashboard.dates import month_key, month_start
from dashboard.filters import FILTER_KEYS, Filters
from dashboard.measures import QueryRunner
from dashboard.outputs import suppression
from dashboard.outputs.downloads import safe_csv_bytes
from dashboard.serving.store import DataStore

EXPORT_NOTE = ("Downloads follow the statistical disclosure rules: counts of 1 to 4 show as c, with further cells "
               "hidden where a total would reveal them, and percentages on fewer than 10 show as c.")

TABLE_LABELS = {
    "ehcp_requests": "EHC needs assessment requests",
    "ep_assessments": "educational psychology advice",
    "specialist_places": "specialist places",
    "spending": "high-needs spending",
}


store = state.store
runner = state.runner


def filters_from_url(current: DataStore) -> Filters:
    return sidebar.from_url(current)


def sidebar_filters(current: DataStore) -> Filters:
    return sidebar.draw(current)


def _run_through_app_py() -> None:
    """Make sure a page runs inside app.py's navigation, not on its own.

    Until some session in a fresh server process has called st.navigation, Streamlit treats a
    pages/ folder as an old-style multipage app and runs the page named in the URL directly,
    without app.py (so no page config, filters or navigation). Turning that mode off and rerunning
    hands the same URL to app.py instead. Only the first visit after a server start takes this path.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and _SCRIPT_RUNS_UNDER_SERVER():
        PagesManager.uses_pages_directory = False
        st.rerun()


def _SCRIPT_RUNS_UNDER_SERVER() -> bool:  # noqa: N802 - a check, named for what it asks
    from streamlit import runtime

    return runtime.exists()


def start_page(title: str, intro: str | None = None, requires: tuple[str, ...] = ()) -> tuple[
        DataStore, Filters, QueryRunner]:
    """Open the store, draw the shared filters and the page header, and stop if a needed extract is missing.

    Every page calls this first, so every page has the same filters and the same header.
    """
    _run_through_app_py()
    current = store()
    # app.py draws the filters before the page runs (so Streamlit keeps them, and the URL, across
    # page changes); a page run on its own, as in AppTest, draws them here.
    selection = sidebar.recall() or sidebar_filters(current)
    page_header(title, current, selection, intro)
    require(current, *requires)
    return current, selection, runner(current)


def page_header(title: str, current: DataStore, filters: Filters, intro: str | None = None) -> None:
    """Title, data date, the filters in words and the synthetic-data notice."""
    st.title(title)
    as_of = fmt.day(current.as_of)
    st.markdown(f"**Data as of {as_of}.** {filters.describe()}.")
    if intro:
        st.markdown(intro)
    if current.is_sample:
        st.caption("Running on the bundled synthetic sample data (see Data and methodology).")


def require(current: DataStore, *tables: str, stop: bool = True) -> None:
    """Say clearly when an extract this page needs is missing or refused, and stop the page (unless `stop`
    is False: the Overview carries on and marks the affected tiles)."""
    for table in tables:
        report = current.report.files[table]
        label = TABLE_LABELS[table]
        if not report.usable:
            reason = "; ".join(report.errors) or report.status
            what = "so this page cannot show its figures" if stop else "so the tiles that need it show no figure"
            st.error(f"**The {label} extract ({report.filename}) is not available, {what}.** {reason}. Other "
                     "pages still work; the Data and methodology page lists every problem found.", icon="🚫")
            if stop:
                st.stop()
        elif report.serving == "last_good":
            st.warning(f"**{report.filename} was refused**, so this page shows the last good version of it. "
                       + "; ".join(report.errors), icon="⚠️")


def chart_with_table(figure: go.Figure, table: pd.DataFrame, *, key: str, title: str, summary: str,
                     filename: str, on_select: Callable[[], None] | None = None,
                     export: suppression.Spec | None = None) -> None:
    """A chart with its text summary, its table twin and a download of exactly that table.

    The download is an export, so small numbers are suppressed in it (`export` says which columns
    are counts and rates; without it whole-number columns count as counts). With `on_select`,
    clicking a point of the chart calls it (the selection is in st.session_state[f"{key}_chart"]),
    for drill-down from a bar to a filter.
    """
    st.subheader(title)
    if on_select is None:
        # theme=None: Streamlit's chart theme would replace our template's dark, 16 px text with light grey
        # that fails WCAG contrast.
        st.plotly_chart(figure, key=f"{key}_chart", config={"displaylogo": False}, alt=summary, theme=None)
    else:
        st.plotly_chart(figure, key=f"{key}_chart", config={"displaylogo": False}, alt=summary, theme=None,
                        on_select=on_select, selection_mode="points")
    st.caption(summary)
    with st.expander(f"Table: {title}"):
        st.dataframe(table, hide_index=True, key=f"{key}_table")
        # Deferred: the CSV is only made when someone clicks, not on every rerun.
        st.download_button("Download this table (CSV)", data=lambda: export_csv(table, export),
                           file_name=filename, mime="text/csv", key=f"{key}_download", help=EXPORT_NOTE)


def show(view, on_select: Callable[[], None] | None = None) -> None:
    """Show a dashboard.views.View: its chart, summary, table twin and suppressed download."""
    chart_with_table(view.figure, view.table, key=view.key, title=view.title, summary=view.summary,
                     filename=view.filename, export=view.export, on_select=on_select)


def compact_top() -> None:
    """Less empty space above the page title, so the Overview fits one 1920x1080 screen (fixed CSS, no data)."""
    st.html("<style>[data-testid='stMainBlockContainer']{padding-top:3rem;}</style>")


_STATUS_BADGE = {"GREEN": "green", "AMBER": "orange", "RED": "red"}


def presentation_style() -> None:
    """Large type and no sidebar for the Board's shared screen (fixed CSS, no data)."""
    st.html("<style>"
            "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header[data-testid='stHeader']"
            "{display:none;}"
            "[data-testid='stMainBlockContainer']{padding-top:1rem;max-width:100%;}"
            ".st-key-present_slide p,.st-key-present_slide li{font-size:1.5rem;}"
            ".st-key-present_slide h1{font-size:3rem;}"
            ".st-key-present_slide [data-testid='stMetricValue'],"
            ".st-key-present_slide [data-testid='stMetricValue'] *{font-size:3rem;line-height:1.2;}"
            ".st-key-present_slide [data-testid='stMetricLabel'] p{font-size:1.35rem;font-weight:600;}"
            ".st-key-present_slide [data-testid='stMetricDelta'] *,.st-key-present_slide .stCaption p"
            "{font-size:1.15rem;}"
            "</style>")


def kpi_tile(kpi, link_params: dict, large: bool = False) -> None:
    """One Board tile: figure, change, status in words and symbol (colour as well, never alone), target,
    sparkline, and a link to its page that keeps the current filters."""
    from dashboard.charts import legacy as charts

    with st.container(border=True, key=f"kpi_{kpi.key}"):
        colour = {"higher_is_better": "normal", "lower_is_better": "inverse"}.get(kpi.polarity, "off")
        moved = kpi.change is not None and round(kpi.change, 1) != 0
        st.metric(kpi.label, kpi.shown(), delta=kpi.change_words() if kpi.available else None,
                  delta_color=colour if moved else "off", delta_arrow="auto" if moved else "off",
                  help=f"{kpi.help} Status rule: {kpi.rule}")
        if kpi.judgement is not None:
            st.badge(kpi.status_words, color=_STATUS_BADGE[kpi.judgement.status.name])
        else:
            st.badge(kpi.status_words, color="gray")
        if kpi.target:
            st.caption(kpi.target)
        if len(kpi.trend) > 1:
            st.plotly_chart(charts.sparkline(kpi.trend, height=50 if large else 44), key=f"kpi_{kpi.key}_trend",
                            theme=None,
                            config={"displayModeBar": False, "staticPlot": True},
                            alt=f"Trend of {kpi.label} over the last months: from {kpi.shown(kpi.trend['y'].iloc[0])} "
                                f"to {kpi.shown(kpi.trend['y'].iloc[-1])}.")
        page_link(kpi.page, "Details", link_params)


def page_link(page: str, label: str, query_params: dict) -> None:
    """A link to another page of the app keeping the filters; plain text when the page runs outside app.py."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(page, label=label, icon=":material/arrow_forward:", query_params=query_params)
    except StreamlitPageNotFoundError:
        st.caption(f"{label}: see the {page.removeprefix('pages/').removesuffix('.py').replace('_', ' ')} page")


def filter_link_params() -> dict:
    """The current shared filters as URL parameters, for links that keep them."""

    return {key: st.query_params.get_all(key) for key in FILTER_KEYS if st.query_params.get_all(key)}


def export_csv(table: pd.DataFrame, export: suppression.Spec | None = None) -> bytes:
    """What a download holds: the table with small numbers suppressed, as formula-safe CSV."""
    return safe_csv_bytes(suppression.suppress(table, export))


def month_label(key: str) -> str:
    return month_start(key).strftime("%b %Y")


def month_range_label(start: date, end: date) -> str:
    """'Nov 2025 to Oct 2026'."""
    return f"{month_label(month_key(start))} to {month_label(month_key(end))}"
