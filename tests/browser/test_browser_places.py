"""End to end in headless Chromium: the Educational psychology and Specialist places pages draw every chart, section
by section.

Runs the real app (`streamlit run app.py`) on the hand-made capacity fixture (tests/fixtures/capacity), on a
server of its own, and opens each page by its address as a person following a link would. Screenshots
(1920x1080 and the whole page) go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.app.navigation import BY_FILE
from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    assert_no_errors,
    download_table,  # noqa: E402
    metric_values,
    open_section,
    screenshot_whole_page,
    wait_for_section,
)

pytestmark = pytest.mark.browser

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"

CHART = ".stPlotlyChart .js-plotly-plot"

PAGES = {
    # url path: (title, page file, charts, metric tiles)
    "educational-psychology": ("Educational psychology", "pages/educational_psychology.py", 7, 4),
    "specialist-places": ("Specialist places", "pages/specialist_places.py", 8, 5),
}
TABLES = {"places_settings"}  # the views that are a table, not a chart


def section_charts(path: str, section: str) -> int:
    """How many charts a section of the page draws: its views, less those that are a table."""
    return len(set(sections.PAGES[PAGES[path][1]][section]) - TABLES)


@pytest.fixture(scope="module")
def capacity_server(served):
    # app.py builds its navigation from dashboard.app.navigation, which must list each page at this address.
    missing = [
        path for path, (_, file, _, _) in PAGES.items() if getattr(BY_FILE.get(file), "url_path", "") != path
    ]
    if missing:
        pytest.fail(f"the navigation does not serve {missing} (dashboard/app/navigation.py)", pytrace=False)
    return served(CAPACITY_DIR)


def open_page(page, server, path: str, query: str = "", section: str | None = None) -> None:
    """Open the page by its address (at `section`, in the address, or at its first) and wait until every chart
    of the section is drawn."""
    title, file, _, tiles = PAGES[path]
    if section:
        query += ("&" if query else "?") + urlencode({sections.SECTION: section})
    page.goto(server.url(f"/{path}{query}"))
    expect(page.locator("h1", has_text=title)).to_be_visible()
    wait_for_drawn(page, path, section or sections.of(file)[0])
    expect(page.locator(METRIC_VALUE)).to_have_count(tiles)
    assert_no_errors(page, server)


def wait_for_drawn(page, path: str, section: str) -> None:
    """Wait until the section is open and its charts drawn, not just placed: each has Plotly's SVG."""
    wait_for_section(page, section)
    expect(page.locator(CHART)).to_have_count(section_charts(path, section))
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_is_drawn_with_its_table_and_download(app_page, capacity_server, path):
    page = app_page
    open_page(page, capacity_server, path)
    _, file, charts, _ = PAGES[path]
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{path}.png"))
    # Section by section, each tab clicked as a person would: every chart has a table twin (an expander) and a
    # download; the places page adds its settings table.
    main = page.locator('[data-testid="stMain"]')
    sizes, expanders, downloads = [], 0, 0
    for number, section in enumerate(sections.of(file)):
        open_section(page, section)
        wait_for_drawn(page, path, section)
        expanders += main.locator('[data-testid="stExpander"]').count()
        downloads += main.locator('[data-testid="stDownloadButton"]').count()
        # Each drawn chart has traces with data, not an empty frame.
        sizes += page.evaluate(f"""() => Array.from(document.querySelectorAll('{CHART}'))
            .map(gd => (gd._fullData || []).reduce((n, t) => n + ((t.x && t.x.length) || 0), 0))""")
        assert_no_errors(page, capacity_server)
        screenshot_whole_page(
            page, ARTIFACTS_DIR / (f"{path}-{number}-full.png" if number else f"{path}-full.png")
        )
    assert expanders == charts
    assert downloads == charts + (path == "specialist-places")
    assert len(sizes) == charts and all(size > 0 for size in sizes), sizes


def test_places_census_link_reproduces_the_view(app_page, capacity_server):
    page = app_page
    open_page(page, capacity_server, "specialist-places", "?census=2024-10-03")
    assert metric_values(page)[:3] == ["212", "98.6%", "2 of 6"]  # the October 2024 census
    expect(page.locator("h3", has_text="Occupancy 98.6% at the 3 Oct 2024 census")).to_be_visible()


def test_a_download_is_suppressed(app_page, capacity_server, tmp_path):
    import csv

    page = app_page
    open_page(page, capacity_server, "specialist-places", section="Demand from new plans")
    # New plans naming a specialist placement by month and need: the fixture's counts are all 0 or 1.
    path = download_table(page, "places_demand", tmp_path / "demand.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    cells = [value for row in rows for column, value in row.items() if column != "Month"]
    assert rows and "c" in cells
    assert not [v for v in cells if v in {"1", "2", "3", "4"}], "a count from 1 to 4 survived in the download"


def test_tiles_say_in_full_which_census_and_what_the_filters_do_not_reach(app_page, capacity_server):
    page = app_page
    open_page(page, capacity_server, "specialist-places", "?district=Preston")
    deltas = page.locator('[data-testid="stMetricDelta"]')
    assert deltas.all_inner_texts() == [
        "At the 15 May 2025 census",
        "15 May 2025; not judged",  # Preston's occupancy against a level set for all of Lancashire
        "At the 15 May 2025 census",
        "All of Lancashire (no filters)",
        "All of Lancashire (no filters)",
    ]
    # Shown in full, not cut off with an ellipsis (a tile's delta line does not wrap).
    cut = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stMetricDelta"] *'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")
    assert not cut, cut
