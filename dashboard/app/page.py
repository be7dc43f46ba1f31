"""Page furniture: the start of every page, headline tiles, sections, and how a view is shown.

Pages call these and only choose and lay out views; nothing here computes a measure or writes a title.
Views hand over plain text (titles, summaries, notes, tile words); every one of them is escaped here, where it
lands (dashboard.escape), so text from the data in them is shown as written and never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from dashboard import escape, fmt, labels
from dashboard.app import sidebar, state
from dashboard.app.navigation import BY_FILE, OVERVIEW
from dashboard.charts.lines import sparkline
from dashboard.charts.template import for_screen
from dashboard.filters import NEED, PERIOD_FROM, PERIOD_TO, PLACEMENT, SCOPE_KEYS, SOURCE
from dashboard.measures.kpis import Kpi
from dashboard.outputs.downloads import export_csv
from dashboard.outputs.snapshot import SNAPSHOT_AS_OF, SNAPSHOT_VERSION
from dashboard.serving.store import DataStore
from dashboard.views import sections as page_sections
from dashboard.views.base import Context, Headline, View
from dashboard.views.overview import tile_link

EXPORT_NOTE = (
    "Downloads follow the statistical disclosure rules: counts of 1 to 4 show as c, with further cells "
    "hidden where a total would reveal them, and percentages on fewer than 10 show as c."
)

TABLE_LABELS = {
    "ehcp_requests": "EHC needs assessment requests",
    "ep_assessments": "educational psychology advice",
    "specialist_places": "specialist places",
    "spending": "high-needs spending",
    "ehcp_plans": "EHC plans",
    "annual_reviews": "annual reviews",
    "advice_requests": "health and social care advice",
    "neurodevelopmental_waits": "neurodevelopmental waits",
}
# Plotly's mode bar is left out: its dozen buttons per chart are tab stops for no gain (the table twin and
# its download give the figures; Streamlit's own toolbar gives full screen).
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}

# Fixed CSS, no data: a visible focus ring on every control (WCAG 2.2 focus appearance: 3px, 3:1 or more
# against white and against the yellow), and tile labels that wrap instead of being cut off.
BASE_CSS = """<style>
:focus-visible,[data-baseweb] :focus-visible{outline:3px solid #0B0C0C !important;outline-offset:2px !important;
  box-shadow:0 0 0 6px #FFDD00 !important;}
[data-testid='stMetric'] .stMarkdownEllipsis,[data-testid='stMetric'] .stMarkdownEllipsis p,
[data-testid='stMetricLabel'] div,[data-testid='stMetricLabel'] p,.stMarkdownBadge{white-space:normal !important;
  overflow:visible !important;text-overflow:clip !important;}
[data-testid='stMainBlockContainer']{padding-top:3rem;}
</style>"""

# Fixed CSS, no data. A slide fills the screen and no more at 1280x720 and up: type and the chart's height
# follow the viewport's height (vh), so the title, chart and source line always fit.
PRESENTATION_CSS = """<style>
[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header[data-testid='stHeader'],
[data-testid='stToolbar'],[data-testid='stDecoration']{display:none !important;}
[data-testid='stMainBlockContainer']{padding:0.5rem 2rem 0.25rem !important;max-width:100% !important;}
.st-key-present_controls{gap:0.25rem;}
.st-key-present_controls button{min-height:0;padding:0.1rem 0.5rem;}
.st-key-present_slide{gap:0.4rem;}
.st-key-present_slide > div{flex-shrink:0 !important;}
.st-key-present_slide [data-testid='stHeading'] [data-testid='stMarkdownContainer']{margin-bottom:0 !important;}
.st-key-present_slide p{font-size:clamp(0.95rem,2.1vh,1.4rem);line-height:1.3;margin:0;}
.st-key-present_slide h1{font-size:clamp(1.4rem,3.6vh,2.6rem);line-height:1.2;padding:0.35rem 0 0.15rem;margin:0;}
/* Streamlit gives the chart's frame the figure's height (as a height and a flex basis); on a slide the frame
   and chart fill the screen. */
.st-key-present_chart .stElementContainer{flex:0 0 auto !important;}
.st-key-present_chart .stElementContainer,.st-key-present_chart [data-testid='stFullScreenFrame'],
.st-key-present_chart .stPlotlyChart,.st-key-present_chart .js-plotly-plot{height:calc(100vh - 15rem) !important;}
.st-key-present_slide [data-testid='stMetricValue'],.st-key-present_slide [data-testid='stMetricValue'] *{
  font-size:clamp(1.6rem,5.5vh,3.2rem);line-height:1.15;}
.st-key-present_slide [data-testid='stMetricLabel'] p{font-size:clamp(0.95rem,2.2vh,1.4rem);font-weight:600;}
.st-key-present_slide [data-testid='stMetricDelta'] *,.st-key-present_slide .stCaption p,
.st-key-present_slide .stMarkdownBadge{font-size:clamp(0.85rem,1.9vh,1.2rem);}
</style>"""


def _run_through_app_py() -> None:
    """Make sure a page runs inside app.py's navigation, not on its own.

    Until some session in a fresh server process has called st.navigation, Streamlit treats a
    pages/ folder as an old-style multipage app and runs the page named in the URL directly,
    without app.py (so no page config, filters or navigation). Turning that mode off and rerunning
    hands the same URL to app.py instead. Only the first visit after a server start takes this path.
    """
    from streamlit import runtime
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and runtime.exists():
        PagesManager.uses_pages_directory = False
        st.rerun()


def start(title: str, intro: str | None = None, requires: Sequence[str] = ()) -> tuple[DataStore, Context]:
    """Open the store, read the shared filters, draw the page header, and stop if a needed extract is missing.

    Every page calls this first, so every page has the same filters, header and styles.
    """
    _run_through_app_py()
    current = state.store()
    # app.py draws the filters before the page runs (so Streamlit keeps them, and the URL, across page
    # changes); a page run on its own, as in AppTest, draws them here.
    filters = sidebar.recall() or sidebar.draw(current)
    st.html(BASE_CSS)
    st.title(title)
    st.markdown(f"**Data as of {fmt.day(current.as_of)}.** {escape.markdown(filters.describe())}.")
    if intro:
        st.markdown(intro)
    if current.is_sample:
        st.caption("Running on the bundled synthetic sample data (see Data and methodology).")
    snapshot_banner(current)
    if current.problem:
        st.warning(
            f"**Newer data could not be prepared: {current.problem}.** The last data built is shown, as of "
            f"{fmt.day(current.as_of)}; saving snapshots is not possible until the team that runs the dashboard "
            "fixes it.",
            icon="⚠️",
        )
    elif current.preparing:
        st.caption(
            f"Newer extracts are being checked and prepared; until they are ready, the data as of "
            f"{fmt.day(current.as_of)} is shown. Reload the page in a minute or two to see them."
        )
    require(current, *requires)
    return current, Context(state.runner(current), filters, state.as_of(current))


def snapshot_banner(current: DataStore) -> None:
    """Say so when the page was opened from a snapshot's link and the data has changed since the snapshot."""
    version = st.query_params.get(SNAPSHOT_VERSION)
    if not version or version == current.version:
        return
    try:
        then = fmt.day(date.fromisoformat(st.query_params.get(SNAPSHOT_AS_OF) or ""))
    except ValueError:
        then = "an earlier date"
    st.warning(
        f"**This link came from a snapshot of the data as of {then}.** The dashboard now has data as of "
        f"{fmt.day(current.as_of)}, so its figures may differ from the snapshot's.",
        icon="🕒",
    )


def require(current: DataStore, *tables: str, stop: bool = True) -> None:
    """Say clearly when an extract this page needs is missing or refused, and stop the page (unless `stop`
    is False: the Overview carries on and marks the affected tiles)."""
    for table in tables:
        report = current.report.files[table]
        label = TABLE_LABELS[table]
        if not report.usable and report.status == "missing" and report.optional:
            # An optional extract this deployment does not supply: not a fault, so said as information.
            what = "so this page has nothing to show" if stop else "so the tiles that need it show no figure"
            st.info(
                f"**This deployment does not supply the {label} extract ({escape.markdown(report.filename)}), "
                f"an optional extract of the data contract, {what}.** Other pages still work; "
                "docs/data-contract.md describes the file.",
                icon="ℹ️",
            )
            if stop:
                st.stop()
        elif not report.usable:
            reason = "; ".join(report.errors) or report.status
            what = (
                "so this page cannot show its figures" if stop else "so the tiles that need it show no figure"
            )
            st.error(
                f"**The {label} extract ({escape.markdown(report.filename)}) is not available, {what}.** "
                f"{escape.markdown(reason)}. Other pages still work; the Data and methodology page lists "
                "every problem found.",
                icon="🚫",
            )
            if stop:
                st.stop()
        elif report.held:
            st.warning(
                f"**This page shows the last good version of {escape.markdown(report.filename)}.** "
                f"{escape.markdown(report.held[0].upper() + report.held[1:])}",
                icon="⚠️",
            )
        elif report.serving == "last_good":
            st.warning(
                f"**{escape.markdown(report.filename)} was refused**, so this page shows the last good "
                f"version of it. {escape.markdown('; '.join(report.errors))}",
                icon="⚠️",
            )


def notice(text: str) -> None:
    """A short note under the page header (which filters apply here, say)."""
    st.caption(text)


def controls():
    """A row for a page's own controls that wraps onto more rows on a narrow screen (give each control a width)."""
    return st.container(horizontal=True, gap="medium")


def section(title: str, anchor: str | None = None) -> None:
    """A page section heading (plain text), with an anchor a link can land on."""
    st.header(escape.markdown(title), anchor=anchor)


def sections(page_file: str):
    """The page's sections (dashboard.views.sections) as tabs, of which only the open one is run and drawn.

    Returns the open section's label and its tab, to draw that section's views in. The open section is kept in
    the URL (?section=...), so a copied link, a headline or a Board tile opens the same section.
    """
    names = page_sections.of(page_file)
    tabs = st.tabs(names, key=page_sections.SECTION, bind="query-params")
    return next(((name, tab) for name, tab in zip(names, tabs, strict=True) if tab.open), (names[0], tabs[0]))


def _open_section(name: str) -> None:
    st.session_state[page_sections.SECTION] = name


def headlines(items: Sequence[Headline]) -> None:
    """The page's headline figures as tiles that wrap to fit the screen, each linking to its chart."""
    with st.container(horizontal=True, gap="small", key="headlines"):
        for index, item in enumerate(items):
            with st.container(border=True, width=250):
                st.metric(
                    escape.markdown(item.label),
                    escape.markdown(item.value),
                    delta=None if item.delta is None else escape.metric_delta(item.delta),
                    delta_color=item.delta_colour,
                    delta_arrow="off" if item.delta_colour == "off" else "auto",
                    help=escape.markdown(item.help),
                )
                if item.judgement is not None:
                    st.badge(item.judgement.label, color=item.judgement.status.colour_name)
                place = page_sections.holding(item.view) if item.view else None
                if place is None and item.view:
                    st.markdown(f"[See the chart](#{item.view.replace('_', '-')})")
                elif place is not None:
                    # The chart may be in a section not open: the button opens it (a link would reload the page).
                    st.button(
                        f"See the chart: {place[1]}",
                        key=f"see_{item.view}_{index}",
                        on_click=_open_section,
                        args=(place[1],),
                        type="tertiary",
                    )


def show(view: View, context: Context) -> None:
    """A view: its title, chart, summary, notes, table twin and a suppressed download of exactly that table.

    Says when a filter the user set does not apply to it. With a drill-down, clicking a part of the chart
    sets the shared filter it stands for.
    """
    st.subheader(escape.markdown(view.title), anchor=view.key.replace("_", "-"))
    if view.figure is None:
        # A table-only view: the table is what it shows, so it is not tucked away.
        st.caption(escape.markdown(view.summary))
        st.dataframe(view.table, hide_index=True, key=f"{view.key}_table")
        _download(view)
        return
    figure = view.figure
    # theme=None: Streamlit's chart theme would replace our template's dark, 16 px text with light grey
    # that fails WCAG contrast.
    options = {"key": f"{view.key}_chart", "config": CHART_CONFIG, "theme": None, "alt": view.summary}
    if view.drill is not None:
        drill = view.drill

        def chosen() -> None:
            points = st.session_state[f"{view.key}_chart"].selection.points
            # The chart's labels are escaped for Plotly; the drill reads the names they were made from.
            point = {key: escape.from_plotly(value) for key, value in points[0].items()} if points else None
            code = drill.code_of(point) if point else None
            if code:
                st.session_state[drill.filter_key] = [_filter_value(drill.filter_key, code)]

        options.update(on_select=chosen, selection_mode="points")
    st.plotly_chart(figure, **options)
    st.caption(escape.markdown(view.summary))
    for note in (*view.notes, view.honours.words(context.filters)):
        if note:
            st.caption(escape.markdown(note))
    with st.expander(f"Table: {escape.markdown(view.title)}"):
        st.dataframe(view.table, hide_index=True, key=f"{view.key}_table")
        _download(view)


def _download(view: View) -> None:
    # Deferred: the CSV is only made when someone clicks, not on every rerun.
    st.download_button(
        "Download this table (CSV)",
        data=lambda: export_csv(view),
        file_name=view.filename,
        mime="text/csv",
        key=f"{view.key}_download",
        on_click="ignore",  # no rerun: a click changes nothing on the page, and a rerun raced the deferred file
        help=EXPORT_NOTE,
    )


TILE_WIDTH_PX = 215
TILE_INSIDE_PX = TILE_WIDTH_PX - 32  # less the tile's border and padding: the width a sparkline fills


def kpi_tiles(board: Sequence[Kpi], context: Context) -> None:
    """The Board's tiles, wrapping to fit the screen: figure, change, status in symbol and words (colour too,
    never alone), what the filters cover, target, a sparkline, and a link to the page and section showing the
    same figure for the same period."""
    with st.container(horizontal=True, gap="small", key="board_tiles"):
        for kpi in board:
            # Six tiles to a row beside the sidebar at 1920 wide, so eleven fit one screen in two rows.
            with st.container(border=True, width=TILE_WIDTH_PX, key=f"kpi_{kpi.key}"):
                _tile(kpi, context.filters.scoped or kpi.not_judged is not None)
                if len(kpi.trend) > 1:
                    st.image(
                        sparkline(kpi.trend, width=TILE_INSIDE_PX, height=44),
                        alt=f"Trend of {kpi.label}: from {kpi.shown(kpi.trend['y'].iloc[0])} to "
                        f"{kpi.shown(kpi.trend['y'].iloc[-1])}.",
                    )
                target = tile_link(kpi, context)
                months = sidebar.period_params(target.params[PERIOD_FROM], target.params[PERIOD_TO])
                opens = {k: v for k, v in target.params.items() if k == page_sections.SECTION}
                link("Details", target.page, {**current_scope(), **months, **opens}, target.anchor)


def board_slide(board: Sequence[Kpi], context: Context) -> None:
    """The Board's tiles on one screen: two rows (of six for eleven tiles), figure, change, status and target,
    no more."""
    per_row = -(-len(board) // 2)
    for row in (board[:per_row], board[per_row:]):
        # The second row may be one short; every tile has a column (five columns once dropped the eleventh).
        for column, kpi in zip(st.columns(per_row, gap="small"), row, strict=False):
            with column, st.container(border=True, key=f"kpi_{kpi.key}"):
                _tile(kpi, context.filters.scoped)


def _tile(kpi: Kpi, say_scope: bool) -> None:
    colour = {"higher_is_better": "normal", "lower_is_better": "inverse"}.get(kpi.polarity, "off")
    moved = kpi.change is not None and round(kpi.change, 1) != 0
    st.metric(
        escape.markdown(kpi.label),
        escape.markdown(kpi.shown()),
        delta=escape.metric_delta(kpi.change_words()) if kpi.available else None,
        delta_color=colour if moved else "off",
        delta_arrow="auto" if moved else "off",
        help=escape.markdown(f"{kpi.help} Status rule: {kpi.rule}"),
    )
    st.badge(kpi.status_words, color=kpi.judgement.status.colour_name if kpi.judgement else "gray")
    # A whole-area tile always says the filters do not apply to it; on the Board's screen only when they are set.
    for words in (kpi.scope_words if say_scope or kpi.whole_area else None, kpi.target):
        if words:
            st.caption(escape.markdown(words))


def slide(view: View) -> None:
    """A view as a slide shows it: the finding as the heading and the chart filling the rest of the screen,
    in the Board's larger type (the words stay in the chart's accessible name)."""
    st.title(escape.markdown(view.title), anchor=False)
    with st.container(key="present_chart"):
        st.plotly_chart(
            for_screen(view.figure, height=None),
            key=f"{view.key}_slide",
            config=CHART_CONFIG,
            theme=None,
            alt=view.summary,
        )


def current_scope() -> dict[str, list[str]]:
    """The area, need, age, source and placement filters as the URL holds them, for links that keep them."""
    return {key: st.query_params.get_all(key) for key in SCOPE_KEYS if st.query_params.get_all(key)}


def _filter_value(filter_key: str, code: str) -> str:
    """What the filter widget holds for a code (its label for needs, sources and placements)."""
    kind = {NEED: "primary_need", SOURCE: "request_source", PLACEMENT: "placement_type"}.get(filter_key)
    return labels.label(kind, code) if kind else code


def link(label: str, page_file: str, params: dict[str, str | list[str]], anchor: str | None = None) -> None:
    """A plain link to another page that opens it with these URL parameters (and at this section).

    A full page load, so the page's filters come from the URL exactly as a copied link would give them.
    """
    query = urlencode(
        [(k, v) for k, values in params.items() for v in ([values] if isinstance(values, str) else values)]
    )
    # The default page is served at the app's root (its own path answers "Page not found"); paths are relative,
    # so the link also works when the app is served under a base path.
    path = "./" if page_file == OVERVIEW.file else BY_FILE[page_file].url_path
    href = path + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")
    st.html(f'<a href="{escape.html(href)}" class="send-link">{escape.html(label)} →</a>')
