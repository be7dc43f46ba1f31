"""End to end in headless Chromium: the Demand and capacity outlook page on the bundled sample (the fixtures are
too short for a forecast), on a server of its own. The simulator's section opens by its address with every
chart drawn; changing a capacity control redraws the tiles and charts and keeps the value in the address; a
named scenario joins the comparison chart and the address; the forecast section draws its fan and backtests."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    assert_no_errors,
    metric_values,
    new_app_page,
    open_section,
    query_param,
    screenshot_whole_page,
    start_app,
    wait_for_section,
    wait_until_idle,
)
from tests.helpers import SAMPLE_DIR

pytestmark = pytest.mark.browser

PAGE = "pages/outlook.py"
CHART = ".stPlotlyChart .js-plotly-plot"
SIMULATOR = "Backlog simulator"
NEVER = "never at this capacity"


@pytest.fixture(scope="module")
def outlook_server(tmp_path_factory, browser_context):
    server = start_app(tmp_path_factory.mktemp("outlook_state"), data_dir=SAMPLE_DIR)
    try:
        # The first visit after a server start goes through the dashboard's root (see test_browser_ep.py).
        first = new_app_page(browser_context)
        first.goto(server.url("/"))
        expect(first.locator("h1").first).to_be_visible()
        wait_until_idle(first)
        first.close()
        yield server
    finally:
        server.stop()


def drawn(page, section: str) -> None:
    wait_for_section(page, section)
    expect(page.locator(CHART)).to_have_count(len(sections.PAGES[PAGE][section]))
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")
    wait_until_idle(page)


def control(page, label: str):
    return page.locator('[data-testid="stNumberInput"]').filter(has_text=label).locator("input")


def set_control(page, label: str, key: str, value: str) -> None:
    """Type a value into a control and wait until the rerun it starts has put it in the address and finished."""
    box = control(page, label)
    box.fill(value)
    box.press("Enter")
    page.wait_for_function(
        "([key, value]) => Number(new URL(location.href).searchParams.get(key)) === Number(value)",
        arg=[key, value],
    )
    wait_until_idle(page)


def test_the_simulator_redraws_when_a_control_changes(app_page, outlook_server):
    page = app_page
    page.goto(outlook_server.url("/outlook?" + urlencode({sections.SECTION: SIMULATOR})))
    expect(page.locator("h1", has_text="Demand and capacity outlook")).to_be_visible()
    drawn(page, SIMULATOR)
    expect(page.locator(METRIC_VALUE)).to_have_count(2)
    assert metric_values(page) == [NEVER, NEVER]
    backlog = page.locator("h3#outlook-backlog")
    expect(backlog).to_contain_text("never clears")

    set_control(page, "Decisions a month", "ol_decisions", "320")
    set_control(page, "EP advice completed a month", "ol_ep", "300")
    set_control(page, "Plans issued a month", "ol_plans", "330")
    # The tiles and the backlog chart's title now give months, and the address keeps every control.
    expect(page.locator(METRIC_VALUE).first).not_to_have_text(NEVER)
    expect(backlog).to_contain_text("The overdue backlog clears in")
    assert all(value != NEVER for value in metric_values(page))

    # Keep it under a name: it joins the comparison and the address.
    name = page.get_by_role("textbox", name="Name this scenario")
    name.fill("More staff")
    page.get_by_role("button", name="Keep this scenario").click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('scenario') !== null")
    wait_until_idle(page)
    assert query_param(page, "scenario").startswith("More staff~320~300~330~")
    # The same capacity as the current one, so the two clear together (the first named wins the title).
    expect(page.locator("h3#outlook-compare")).to_contain_text(
        "This scenario clears the overdue backlog first"
    )
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(
        "More staff (320.0 decisions, 300.0 EP advice"
    )
    assert_no_errors(page, outlook_server)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    screenshot_whole_page(page, ARTIFACTS_DIR / "outlook-simulator-full.png")

    # The forecast section: the fan chart and both backtests, drawn.
    open_section(page, "Demand forecast")
    drawn(page, "Demand forecast")
    expect(page.locator("h3#outlook-backtest-2023")).to_contain_text("could not foresee 2023")
    assert_no_errors(page, outlook_server)
    screenshot_whole_page(page, ARTIFACTS_DIR / "outlook-forecast-full.png")
