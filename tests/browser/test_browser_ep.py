"""End to end in headless Chromium: the Educational psychology and Specialist places pages draw every chart.

Runs the real app (`streamlit run app.py`) on the hand-made capacity fixture (tests/fixtures/capacity), on a
server of its own, and opens each page by its address as a person following a link would. Screenshots
(1920x1080 and the whole page) go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.machinery import (  # noqa: E402
    METRIC_VALUE,
    assert_no_errors,
    href,
    metric_values,
    start_app,
    wait_for_chart,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"

APP = Path(__file__).resolve().parents[2] / "app.py"

CHART = ".stPlotlyChart .js-plotly-plot"

PAGES = {
    # url path: (title, page file, charts, metric tiles)
    "educational-psychology": ("Educational psychology", "pages/educational_psychology.py", 7, 4),
    "specialist-places": ("Specialist places", "pages/specialist_places.py", 8, 5),
}

@pytest.fixture(scope="module")
def capacity_server(tmp_path_factory):
    missing = [file for _, file, _, _ in PAGES.values() if file not in APP.read_text()]
    if missing:
        pytest.fail(f"app.py does not register {missing} yet (st.Page in the navigation)", pytrace=False)
    server = start_app(tmp_path_factory.mktemp("capacity_state"), data_dir=CAPACITY_DIR)
    try:
        yield server
    finally:
        server.stop()

def open_page(page, server, path: str, query: str = "") -> None:
    title, _, charts, tiles = PAGES[path]
    page.goto(server.url(f"/{path}{query}"))
    wait_for_chart(page)
    expect(page.locator("h1", has_text=title)).to_be_visible()
    expect(page.locator(CHART)).to_have_count(charts)
    # Drawn, not just placed: every chart has Plotly's SVG (several layers each).
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")
    expect(page.locator(METRIC_VALUE)).to_have_count(tiles)
    wait_until_idle(page)
    assert_no_errors(page, server)


def test_ep_figures_and_a_control_that_reaches_the_url(app_page, capacity_server):
    page = app_page
    open_page(page, capacity_server, "educational-psychology")
    assert metric_values(page)[:2] == ["5", "4"]        # backlog at 31 May 2025 and waiting over six weeks
    page.get_by_role("radiogroup", name="Show EP figures by").get_by_text("Locality", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('ep_by') === 'Locality'")
    wait_until_idle(page)
    assert_no_errors(page, capacity_server)
    assert re.search(r"[?&]ep_by=Locality(&|$)", href(page))
