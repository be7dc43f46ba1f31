"""End to end in headless Chromium: the Spending page draws every chart, section by section, the forecast method
control changes the tiles and the link, a tile's button opens the section showing its chart, and the Overview's
forecast variance tile lands on the same figure here.

Runs its own server on tests/fixtures/finance (the shared server's area fixture has only four spending
rows); the figures are worked out in tests/views/test_spending.py and tests/measures/test_spending.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (  # noqa: E402
    ARTIFACTS_DIR,
    METRIC_VALUE,
    NAV_LINK,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    href,
    metric_values,
    new_app_page,
    open_section,
    query_param,
    screenshot_whole_page,
    start_app,
    wait_for_chart,
    wait_for_section,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

FINANCE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "finance"
CHARTS = 6
SECTIONS = sections.of("pages/spending.py")  # every view of the page is a chart


@pytest.fixture(scope="module")
def finance_server(tmp_path_factory):
    server = start_app(tmp_path_factory.mktemp("finance_browser_state"), data_dir=FINANCE_DIR)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def spending_page(browser_context, finance_server):
    page = new_app_page(browser_context)
    try:
        yield page
    finally:
        page.close()
        finance_server.check_alive()


def open_spending(page, server) -> None:
    """Open the app and go to Spending through the navigation, as a person would."""
    page.goto(server.url("/"))
    wait_for_chart(page)
    page.locator(NAV_LINK, has_text="Spending").click()
    expect(page.locator("h1", has_text="Spending")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_section(page, SECTIONS[0])
    expect(page.locator(".stPlotlyChart")).to_have_count(1)


def test_every_chart_is_drawn(spending_page, finance_server):
    page = spending_page
    open_spending(page, finance_server)
    assert "£253k over" in metric_values(page)
    expect(page.get_by_text("do not apply", exact=False).first).to_be_visible()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "spending-finance.png"))
    # Section by section, each tab clicked as a person would.
    drawn = 0
    for number, section in enumerate(SECTIONS):
        open_section(page, section)
        charts = page.locator(".stPlotlyChart")
        expect(charts).to_have_count(len(sections.PAGES["pages/spending.py"][section]))
        for index in range(charts.count()):
            assert charts.nth(index).locator(".main-svg").count() >= 1, f"{section}: chart {index} not drawn"
            # Every bar or line chart has drawn marks, not only axes.
            assert (
                charts.nth(index).locator(".bars path, .scatterlayer path.js-line, .points path").count() > 0
            ), f"{section}: chart {index} has no marks"
        drawn += charts.count()
        assert_no_errors(page, finance_server)
        name = "spending-finance" + (f"-{number}" if number else "")
        screenshot_whole_page(page, ARTIFACTS_DIR / f"{name}-full.png")
    assert drawn == CHARTS


def test_forecast_method_changes_the_tiles_and_the_link(spending_page, finance_server):
    page = spending_page
    open_spending(page, finance_server)
    page.get_by_text("Run-rate forecast", exact=True).first.click()
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('spend_method') === 'Run-rate forecast'",
        timeout=RERUN_TIMEOUT_MS,
    )
    # The forecast tile (the fourth) redraws with the run-rate outturn; the at-budget variance moves alongside.
    expect(page.locator(METRIC_VALUE).nth(3)).to_have_text("£2.5m", timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    assert metric_values(page)[4] == "£253k over"
    assert "spend_method=Run-rate" in href(page)
    assert_no_errors(page, finance_server)


def test_a_tile_links_to_its_chart(spending_page, finance_server):
    page = spending_page
    open_spending(page, finance_server)
    tile = page.locator("[class*='st-key-headlines'] [data-testid='stVerticalBlock']").filter(
        has_text="Independent placement cost per place"
    )
    tile.get_by_role("button", name="See the chart: Unit costs").first.click()
    wait_for_section(page, "Unit costs")
    assert query_param(page, sections.SECTION) == "Unit costs"
    heading = page.locator("#spending-independent-unit-cost")
    expect(heading).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    expect(heading).to_contain_text("Independent placements cost £115k a place in 2024-25 (forecast)")
    assert_no_errors(page, finance_server)


def test_the_overviews_forecast_tile_lands_on_the_same_figure(spending_page, finance_server):
    page = spending_page
    # The Overview with its period ending in September 2024: the forecast variance tile at 30 Sep 2024.
    page.goto(finance_server.url("/?to=2024-09"))
    tile = page.locator("[class*='st-key-kpi_forecast_variance']").first
    expect(tile.locator(METRIC_VALUE)).to_have_text("£166k", timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    link = tile.get_by_role("link", name="Details")
    # The Spending page's financial year follows the To month, so the link names only the month, and the
    # section holding the chart.
    assert link.get_attribute("href") == "spending?to=2024-09&section=By+budget+line#spending-lines"
    link.click()
    expect(page.locator("h1", has_text="Spending")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_section(page, "By budget line")
    forecast = page.locator('[data-testid="stMetric"]').filter(has_text="Forecast outturn").first
    expect(forecast.locator('[data-testid="stMetricDelta"]')).to_have_text(
        "£166k over budget", timeout=RERUN_TIMEOUT_MS
    )
    assert "to=2024-09" in href(page) and href(page).endswith("#spending-lines")
    assert query_param(page, sections.SECTION) == "By budget line"
    expect(page.locator("#spending-lines")).to_contain_text(
        "Forecast overspend of £166k in 2024-25", timeout=RERUN_TIMEOUT_MS
    )
    wait_until_idle(page)
    assert_no_errors(page, finance_server)
