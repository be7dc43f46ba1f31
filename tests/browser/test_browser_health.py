"""End to end in headless Chromium on the bundled sample: the Health page draws every chart, section by section,
with no error, and the Overview's health advice tile lands on the same figure on the Health page.

Runs its own server on data/ (the shared server's area fixture has no health extracts). The figures are the
sample's; the measures are worked out by hand on tests/fixtures/health (tests/measures/test_health.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    NAV_LINK,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    metric_values,
    new_app_page,
    open_section,
    screenshot_whole_page,
    wait_for_chart,
    wait_for_section,
    wait_until_idle,
)
from tests.helpers import SAMPLE_DIR

pytestmark = pytest.mark.browser

PAGE = "pages/health.py"
SECTIONS = sections.of(PAGE)  # every view of the page is a chart


@pytest.fixture(scope="module")
def sample_server(served):
    return served(SAMPLE_DIR)


@pytest.fixture
def health_page(browser_context, sample_server):
    page = new_app_page(browser_context)
    try:
        yield page
    finally:
        page.close()
        sample_server.check_alive()


def test_every_section_draws_its_charts(health_page, sample_server):
    page = health_page
    page.goto(sample_server.url("/"))
    wait_for_chart(page)
    page.locator(NAV_LINK, has_text="Health").click()
    expect(page.locator("h1", has_text="Health")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_section(page, SECTIONS[0])
    values = metric_values(page)
    assert len(values) == 3 and values[0].endswith("%") and values[2].replace(",", "").isdigit()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "health-sample.png"))
    for number, section in enumerate(SECTIONS):
        open_section(page, section)
        charts = page.locator(".stPlotlyChart")
        expect(charts).to_have_count(len(sections.PAGES[PAGE][section]), timeout=RERUN_TIMEOUT_MS)
        wait_until_idle(page)
        for index in range(charts.count()):
            assert charts.nth(index).locator(".main-svg").count() >= 1, f"{section}: chart {index} not drawn"
            assert (
                charts.nth(index).locator(".bars path, .scatterlayer path.js-line, .points path").count() > 0
            ), f"{section}: chart {index} has no marks"
        assert_no_errors(page, sample_server)
        screenshot_whole_page(page, ARTIFACTS_DIR / f"health-sample-{number}-full.png")
    # The waits section names the standard it is drawn against.
    expect(page.get_by_text("NICE QS51", exact=False).first).to_be_visible()


def test_the_overviews_health_tile_lands_on_the_same_figure(health_page, sample_server):
    page = health_page
    page.goto(sample_server.url("/"))
    tile = page.locator("[class*='st-key-kpi_health_advice_12m']").first
    expect(tile.locator(METRIC_VALUE)).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    shown = tile.locator(METRIC_VALUE).inner_text()
    assert shown.endswith("%")
    tile.get_by_role("link", name="Details").click()
    expect(page.locator("h1", has_text="Health")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_section(page, SECTIONS[0])
    wait_until_idle(page)
    # The page's headline for health advice over the same 12 months gives the same figure.
    assert metric_values(page)[0] == shown
    expect(page.locator("#health-timeliness")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    assert_no_errors(page, sample_server)
