"""End to end in headless Chromium: the Demand and capacity outlook page on the session's server (the hand-made
area fixture, data to 25 Mar 2025; the dates below are worked out by hand in tests/views/test_outlook.py). The
simulator's section opens by its address with every chart drawn; changing the capacity controls redraws the tiles
and charts and keeps the values in the address; a named scenario joins the comparison and the address. (Every
section, the forecast's fan chart included, is drawn on sample-sized data by test_accessibility.py and
test_browser_hostile.py.)"""

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
    query_param,
    screenshot_whole_page,
    wait_for_section,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

PAGE = "pages/outlook.py"
CHART = ".stPlotlyChart .js-plotly-plot"
SIMULATOR = "Backlog simulator"
NEVER = "never at this capacity"


def drawn(page, section: str) -> None:
    wait_for_section(page, section)
    expect(page.locator(CHART)).to_have_count(len(sections.PAGES[PAGE][section]))
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")
    wait_until_idle(page)


def set_control(page, label: str, key: str, value: str) -> None:
    """Type a value into a control and wait until the rerun it starts has put it in the address and finished."""
    box = page.locator('[data-testid="stNumberInput"]').filter(has_text=label).locator("input")
    box.fill(value)
    box.press("Enter")
    page.wait_for_function(
        "([key, value]) => Number(new URL(location.href).searchParams.get(key)) === Number(value)",
        arg=[key, value],
    )
    wait_until_idle(page)


def test_the_simulator_redraws_when_a_control_changes(app_page, app_server):
    page = app_page
    # The first visit after a server start goes through the dashboard's root (see test_browser_ep.py).
    page.goto(app_server.url("/"))
    expect(page.locator("h1").first).to_be_visible()
    wait_until_idle(page)
    page.goto(app_server.url("/outlook?" + urlencode({sections.SECTION: SIMULATOR})))
    expect(page.locator("h1", has_text="Demand and capacity outlook")).to_be_visible()
    drawn(page, SIMULATOR)
    expect(page.locator(METRIC_VALUE)).to_have_count(2)
    # At the recent capacity no EP advice is completed, so nothing reaches a plan.
    assert metric_values(page) == [NEVER, NEVER]
    backlog = page.locator("h3#outlook-backlog")
    expect(backlog).to_contain_text("never clears")
    before = page.locator(CHART).first.evaluate(
        "gd => JSON.stringify(gd._fullData.map(t => Array.from(t.y)))"
    )

    set_control(page, "Decisions a month", "ol_decisions", "2")
    set_control(page, "EP advice completed a month", "ol_ep", "3")
    set_control(page, "Plans issued a month", "ol_plans", "3")
    # Worked by hand: the backlog clears in May 2025 and the rate reaches the target in June.
    expect(page.locator(METRIC_VALUE).first).to_have_text("May 2025")
    assert metric_values(page) == ["May 2025", "June 2025"]
    expect(backlog).to_have_text("The overdue backlog clears in May 2025")
    after = page.locator(CHART).first.evaluate("gd => JSON.stringify(gd._fullData.map(t => Array.from(t.y)))")
    assert after != before  # the chart itself was redrawn with the new projection

    # Keep it under a name: it joins the comparison and the address.
    page.get_by_role("textbox", name="Name this scenario").fill("More staff")
    page.get_by_role("button", name="Keep this scenario").click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('scenario') !== null")
    wait_until_idle(page)
    assert query_param(page, "scenario") == "More staff~2~3~3~-50"
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("More staff (2.0 decisions, 3.0 EP advice")
    assert_no_errors(page, app_server)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    screenshot_whole_page(page, ARTIFACTS_DIR / "outlook-simulator-full.png")
