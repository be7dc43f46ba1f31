"""End to end in headless Chromium: the Educational psychology page on the hand-made capacity fixture.

Runs the real app (`streamlit run app.py`) on tests/fixtures/capacity (data to 31 May 2025), on a server of its
own, and opens the page by its address as a person following a link would: every chart drawn, section by
section, headline tiles that open the section showing their chart, the period's end reaching every figure at a
date, the area control and drill-down bound to the URL, and a download with small numbers hidden. Screenshots go
to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    download_table,  # noqa: E402
    headline_tiles_land,
    href,
    metric_values,
    open_section,
    screenshot_whole_page,
    wait_for_section,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"
CHART = ".stPlotlyChart .js-plotly-plot"
CHARTS, TILES = 7, 4
PAGE = "pages/educational_psychology.py"
SECTIONS = sections.of(PAGE)
MAIN = '[data-testid="stMain"]'


@pytest.fixture(scope="module")
def capacity_server(served):
    return served(CAPACITY_DIR)


def open_ep(page, server, query: str = "", section: str = SECTIONS[0]) -> None:
    """Open the page by its address (at `section`, named in the address unless it is the first) and wait until
    every chart of the section is drawn (each of the page's views is a chart)."""
    if section != SECTIONS[0]:
        query += ("&" if query else "?") + urlencode({sections.SECTION: section})
    page.goto(server.url(f"/educational-psychology{query}"))
    expect(page.locator("h1", has_text="Educational psychology")).to_be_visible()
    wait_for_section(page, section)
    expect(page.locator(CHART)).to_have_count(len(sections.PAGES[PAGE][section]))
    # Drawn, not just placed: every chart has Plotly's SVG.
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")
    expect(page.locator(METRIC_VALUE)).to_have_count(TILES)
    wait_until_idle(page)
    assert_no_errors(page, server)


def tile(page, label: str):
    """The headline tile with this label."""
    return page.locator('[data-testid="stMetric"]').filter(has_text=label)


def test_ep_figures_every_chart_and_the_whole_area_tile(app_page, capacity_server):
    page = app_page
    open_ep(page, capacity_server)
    assert metric_values(page) == ["5", "4", "83.3%", "6"]
    # The commitment's tile says on its face, not only in a tooltip, that the filters do not apply to it.
    expect(tile(page, "Additional EP assessments (target 6)")).to_contain_text(
        "All of Lancashire (no filters)"
    )
    # Every chart with its table and download, section by section, each tab clicked as a person would.
    main = page.locator(MAIN)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    charts = expanders = downloads = 0
    for number, section in enumerate(SECTIONS):
        open_section(page, section)
        shown = page.locator(CHART).count()
        assert shown == len(sections.PAGES[PAGE][section]), section
        charts += shown
        expanders += main.locator('[data-testid="stExpander"]').count()
        downloads += main.locator('[data-testid="stDownloadButton"]').count()
        assert_no_errors(page, capacity_server)
        name = "educational-psychology" + (f"-{number}" if number else "")
        screenshot_whole_page(page, ARTIFACTS_DIR / f"{name}-full.png")
    assert (charts, expanders, downloads) == (CHARTS, CHARTS, CHARTS)


def test_each_headline_tile_lands_on_its_chart(app_page, capacity_server):
    page = app_page
    open_ep(page, capacity_server)
    headline_tiles_land(
        page,
        [
            ("Requests and backlog", "ep-flow", "to 5 at 31 May 2025"),
            ("Requests and backlog", "ep-backlog-age", "4 of the 5 open EP requests at 31 May 2025"),
            (
                "Timeliness and providers",
                "ep-timeliness",
                "83.3% of EP advice was completed within six weeks",
            ),
            ("Additional assessments", "ep-commitment", "6 additional EP assessments by the due date"),
        ],
        SECTIONS[0],
    )
    assert_no_errors(page, capacity_server)


def test_the_to_month_reaches_every_figure_at_a_date(app_page, capacity_server):
    page = app_page
    open_ep(page, capacity_server, "?from=2024-06&to=2025-04")
    expect(tile(page, "EP backlog at 30 Apr 2025")).to_contain_text("8")
    main = page.locator(MAIN)
    expect(
        main.get_by_role("heading", name="EP backlog at its highest in the period: 8 at 30 Apr 2025")
    ).to_be_visible()
    open_section(page, "Additional assessments")
    expect(
        main.get_by_role("heading", name=re.compile(r"^3 additional EP assessments by 30 Apr 2025"))
    ).to_have_count(1)
    open_section(page, "By area")
    expect(main.get_by_role("heading", name=re.compile(r"largest EP backlog at 30 Apr 2025"))).to_have_count(
        1
    )
    assert "to=2025-04" in href(page)  # the sections keep the period


def test_the_area_control_reaches_the_url(app_page, capacity_server):
    page = app_page
    open_ep(page, capacity_server)
    open_section(page, "By area")
    page.get_by_role("radiogroup", name="Show EP figures by").get_by_text("Locality", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('ep_by') === 'Locality'")
    wait_until_idle(page)
    assert_no_errors(page, capacity_server)
    assert re.search(r"[?&]ep_by=Locality(&|$)", href(page))


def test_clicking_an_area_bar_filters_the_dashboard(app_page, capacity_server):
    page = app_page
    open_ep(page, capacity_server, section="By area")
    chart = page.locator(".st-key-ep_areas_chart .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    # The first series (waiting up to six weeks), first bar: Burnley, at the top.
    bar = chart.locator(".trace.bars").first.locator(".point path").first
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('district') === 'Burnley'", timeout=RERUN_TIMEOUT_MS
    )
    wait_until_idle(page)
    expect(tile(page, "EP backlog at 31 May 2025")).to_contain_text("2")  # O01 and O04
    assert_no_errors(page, capacity_server)


def test_a_download_hides_small_numbers_and_the_cell_a_total_would_give_away(
    app_page, capacity_server, tmp_path
):
    page = app_page
    open_ep(page, capacity_server, section="Timeliness and providers")
    path = download_table(page, "ep_timeliness", tmp_path / "timeliness.csv")
    rows = {row["Month"]: row for row in csv.DictReader(path.open(encoding="utf-8-sig"))}
    # May 2025: 5 completed (shown), by 2 in-house, 2 agency and 1 locum EPs (each hidden).
    assert [
        rows["2025-05"][c]
        for c in (
            "Completed (all providers)",
            "Completed (In-house)",
            "Completed (Agency)",
            "Completed (Locum)",
        )
    ] == ["5", "c", "c", "c"]
    counts = [row[c] for row in rows.values() for c in row if c.startswith("Completed")]
    assert not [v for v in counts if v in {"1", "2", "3", "4"}], (
        "a count from 1 to 4 survived in the download"
    )
