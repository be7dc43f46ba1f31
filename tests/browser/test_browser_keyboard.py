"""End to end in headless Chromium: keyboard users see where they are, charts add no tab stops, and tiles
read whole on a 1366x768 laptop and a 820x1180 tablet."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    new_app_page,
    wait_for_chart,
)

pytestmark = pytest.mark.browser

PAGES = {
    "/": "Overview",
    "/ehcp": "EHC needs assessments and plans",
    "/educational-psychology": "Educational psychology",
    "/specialist-places": "Specialist places",
    "/spending": "Spending",
    "/benchmarks": "Benchmarks",
}

# The elements a Tab key can reach inside the charts (Plotly's mode bar links and buttons, say).
CHART_TAB_STOPS_JS = """() => [...document.querySelectorAll(
    '.stPlotlyChart a, .stPlotlyChart button, .stPlotlyChart [tabindex]')]
    .filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length"""

# Tiles whose label, value, delta or status badge is cut off (ellipsis or clipped text) at the current size.
CUT_TILES_JS = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stMetricDelta"], .stMarkdownBadge')]
    .filter(e => e.offsetParent !== null)
    .flatMap(e => [e, ...e.querySelectorAll('*')])
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
    .map(e => e.innerText.slice(0, 40))"""


def open_page(page, server, path: str) -> None:
    page.goto(f"{server.base_url}{path}")
    expect(page.locator("h1", has_text=PAGES[path])).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_chart(page)


def test_the_focused_control_has_a_visible_ring(app_page, app_server):
    open_page(app_page, app_server, "/ehcp")
    app_page.locator("[data-testid='stSidebar'] input").first.focus()
    app_page.keyboard.press("Shift+Tab")
    app_page.keyboard.press("Tab")
    ring = app_page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {width: parseFloat(s.outlineWidth), style: s.outlineStyle, colour: s.outlineColor,
                shadow: s.boxShadow}; }""")
    assert ring["width"] >= 3 and ring["style"] == "solid", ring
    assert ring["colour"] == "rgb(11, 12, 12)" and "255, 221, 0" in ring["shadow"], ring  # black on yellow
    assert_no_errors(app_page, app_server)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (820, 1180)])
def test_tiles_read_whole_and_charts_add_no_tab_stops_on_a_laptop_and_a_tablet(
    chromium, app_server, width, height
):
    # One context per size, loading each page in turn: the app's static files are fetched once, not per page.
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(RERUN_TIMEOUT_MS)
    page = new_app_page(context)
    try:
        for path in PAGES:
            open_page(page, app_server, path)
            expect(page.locator(METRIC_VALUE).first).to_be_visible()
            # A tile measured while its web font is still loading, or mid-layout on a busy machine, can read as
            # cut for a moment: wait (bounded) for fonts and a layout with nothing cut, then assert on what shows.
            try:
                page.wait_for_function(
                    f"() => document.fonts.status === 'loaded' && ({CUT_TILES_JS})().length === 0",
                    timeout=15_000,
                )
            except PlaywrightTimeoutError:
                pass
            assert page.evaluate(CUT_TILES_JS) == [], path
            # Nothing runs off the side: the page does not scroll sideways.
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
            # Keyboard users do not tab through Plotly's mode bar or points.
            assert page.evaluate(CHART_TAB_STOPS_JS) == 0, path
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS_DIR / f"tiles-{path.strip('/') or 'overview'}-{width}x{height}.png")
            )
            assert_no_errors(page, app_server)
    finally:
        context.close()
