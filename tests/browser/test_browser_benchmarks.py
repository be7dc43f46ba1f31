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
    expect(page.locator("h1", has_text="Benchmarks")).to_be_visible()
    page.locator(PLOTLY_DRAWN).nth(1).wait_for(state="visible")
    expect(page.locator(METRIC_VALUE)).to_have_count(5)
    wait_until_idle(page)
    assert_no_errors(page, server)


def main_selectbox(page, label: str):
    return page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))


def test_benchmarks_page_draws_every_chart(app_page, app_server):
    page = app_page
    open_benchmarks(page, app_server)
    charts = drawn_charts(page)
    assert len(charts) == 2, charts
    trend, bars = charts
    assert trend["traces"] == ["Neighbours' lowest", "Neighbours' range (lowest to highest)", "Lancashire", "England",
                               "North West", "Statistical neighbours' average"]
    assert trend["marks"] > 0 and bars["marks"] == 11  # Lancashire and its ten neighbours
    assert all(chart["width"] > 300 for chart in charts)
    assert metric_values(page) == LANCASHIRE_TILES
    expect(page.get_by_text("Series break: person-level SEN2 from 2023")).to_be_visible()
    expect(page.get_by_text("▶ Lancashire (chosen)")).to_be_visible()
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

    page.wait_for_function("() => new URL(location.href).searchParams.get('la') === 'Wigan'")
    expect(page.locator(METRIC_VALUE).first).to_have_text("42.6%")
    after = wait_for_traces_other_than(page, before)
    wait_until_idle(page)
    assert metric_values(page) == WIGAN_TILES
    assert "Wigan" in [t["name"] for t in after]
    assert len(drawn_charts(page)) == 2
    expect(page.get_by_text("▶ Wigan (chosen)")).to_be_visible()
    assert_no_errors(page, app_server)

    shared = new_app_page(page.context)
    try:
        shared.goto(href(page))
        shared.locator(PLOTLY_DRAWN).nth(1).wait_for(state="visible")
        expect(shared.locator(METRIC_VALUE).first).to_have_text("42.6%")
        wait_until_idle(shared)
        assert metric_values(shared) == WIGAN_TILES
        assert_no_errors(shared, app_server)
    finally:
        shared.close()
