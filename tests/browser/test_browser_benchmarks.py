"""End to end in headless Chromium: the Benchmarks page draws every chart, and the authority control drives it.

Runs the real app (`streamlit run app.py`) through tests/browser.py; the figures are the published DfE
ones (Lancashire's 2024 20-week rate excluding exceptions, 17.3%; Wigan's, 42.6%).
Screenshots for a person to look at go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# tests/browser.py asserts too; have pytest rewrite its asserts (informative failures) before importing it.
from tests.browser.machinery import (  # noqa: E402
    ARTIFACTS_DIR,
    METRIC_VALUE,
    PLOTLY_DRAWN,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    href,
    metric_values,
    new_app_page,
    plotly_traces,
    screenshot_whole_page,
    wait_for_traces_other_than,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# The first visit after the server starts builds the store (a few seconds alone, longer on a busy machine).
FIRST_LOAD_MS = 120_000
LANCASHIRE_TILES = ["17.3%", "46.4%", "50.5%", "67.7%", "130th of 151"]
WIGAN_TILES = ["42.6%", "46.4%", "50.5%", "54.2%", "89th of 151"]

# For each Plotly chart on the page: its trace names and how many marks (points, bars, filled areas)
# Plotly actually drew into the SVG.
_DRAWN_JS = """() => Array.from(document.querySelectorAll('.stPlotlyChart .js-plotly-plot')).map(gd => ({
    traces: (gd._fullData || []).map(t => t.name),
    marks: gd.querySelectorAll('.scatterlayer path.point, .scatterlayer path.js-line, .scatterlayer path.js-fill, '
                               + '.barlayer .point path').length,
    width: gd.getBoundingClientRect().width,
}))"""


def drawn_charts(page) -> list[dict]:
    return page.evaluate(_DRAWN_JS)


def open_benchmarks(page, server, query: str = "") -> None:
    page.goto(server.url("/benchmarks" + query))
    expect(page.locator("h1", has_text="Benchmarks")).to_be_visible(timeout=FIRST_LOAD_MS)
    page.locator(PLOTLY_DRAWN).nth(1).wait_for(state="visible", timeout=RERUN_TIMEOUT_MS)
    expect(page.locator(METRIC_VALUE)).to_have_count(5, timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_errors(page, server)


def main_selectbox(page, label: str):
    return page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label)
    )


def test_benchmarks_page_draws_every_chart(app_page, app_server):
    page = app_page
    open_benchmarks(page, app_server)
    charts = drawn_charts(page)
    assert len(charts) == 2, charts
    trend, bars = charts
    assert trend["traces"] == [
        "Neighbours' lowest",
        "Neighbours' range (lowest to highest)",
        "Lancashire",
        "England",
        "North West",
        "Statistical neighbours' average",
    ]
    assert trend["marks"] > 0 and bars["marks"] == 11  # Lancashire and its ten neighbours
    assert all(chart["width"] > 300 for chart in charts)
    assert metric_values(page) == LANCASHIRE_TILES
    expect(page.get_by_text("Series break: person-level SEN2 from 2023")).to_be_visible(
        timeout=RERUN_TIMEOUT_MS
    )
    expect(page.get_by_text("▶ Lancashire (chosen)")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "benchmarks.png"))
    screenshot_whole_page(page, ARTIFACTS_DIR / "benchmarks-full.png")


def test_choosing_wigan_redraws_every_figure_and_the_link_reproduces_it(app_page, app_server):
    page = app_page
    open_benchmarks(page, app_server)
    before = plotly_traces(page)
    widget = main_selectbox(page, "Local authority")
    widget.get_by_role("combobox").click()
    page.keyboard.type("Wigan")
    page.get_by_role("listbox").get_by_role("option", name="Wigan", exact=True).click()

    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('la') === 'Wigan'", timeout=RERUN_TIMEOUT_MS
    )
    expect(page.locator(METRIC_VALUE).first).to_have_text("42.6%", timeout=RERUN_TIMEOUT_MS)
    after = wait_for_traces_other_than(page, before)
    wait_until_idle(page)
    assert metric_values(page) == WIGAN_TILES
    assert "Wigan" in [t["name"] for t in after]
    assert len(drawn_charts(page)) == 2
    expect(page.get_by_text("▶ Wigan (chosen)")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    assert_no_errors(page, app_server)

    shared = new_app_page(page.context)
    try:
        shared.goto(href(page))
        shared.locator(PLOTLY_DRAWN).nth(1).wait_for(state="visible", timeout=RERUN_TIMEOUT_MS)
        expect(shared.locator(METRIC_VALUE).first).to_have_text("42.6%", timeout=RERUN_TIMEOUT_MS)
        wait_until_idle(shared)
        assert metric_values(shared) == WIGAN_TILES
        assert_no_errors(shared, app_server)
    finally:
        shared.close()


def test_each_tile_links_to_the_section_that_shows_its_figure(app_page, app_server):
    page = app_page
    open_benchmarks(page, app_server, "?la=Wigan")
    tiles = page.locator('[data-testid="stMetric"]')
    expect(tiles.first).to_contain_text("42.6%", timeout=RERUN_TIMEOUT_MS)
    links = page.get_by_role("link", name="See the chart")
    expect(links).to_have_count(5, timeout=RERUN_TIMEOUT_MS)
    # The rank tile (the last) leads to the every-authority table, whose title gives the same rank.
    links.nth(4).click()
    page.wait_for_function("() => location.hash === '#benchmark-all'", timeout=RERUN_TIMEOUT_MS)
    heading = page.locator("#benchmark-all")
    expect(heading).to_contain_text(
        "Wigan ranks 89th of 151 local authorities in 2024 (1 = best)", timeout=RERUN_TIMEOUT_MS
    )
    expect(heading).to_be_in_viewport(timeout=RERUN_TIMEOUT_MS)
    assert metric_values(page)[4] == "89th of 151"
    # The neighbours' average tile leads to the neighbour chart.
    links.nth(3).click()
    page.wait_for_function("() => location.hash === '#benchmark-neighbours'", timeout=RERUN_TIMEOUT_MS)
    expect(page.locator("#benchmark-neighbours")).to_be_in_viewport(timeout=RERUN_TIMEOUT_MS)
    assert "la=Wigan" in href(page)
    assert_no_errors(page, app_server)
