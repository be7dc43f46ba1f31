"""End to end in headless Chromium: the EHC needs assessments page draws every chart, and a click on a
bar of the breakdown drills down by setting the shared filter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.machinery import (  # noqa: E402
    ARTIFACTS_DIR,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    href,
    screenshot_whole_page,
    wait_for_chart,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

CHARTS = 11


def open_ehcp(page, server, query: str = "") -> None:
    page.goto(f"{server.base_url}/ehcp{query}")
    expect(page.locator("h1", has_text="EHC needs assessments and plans")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_chart(page)
    page.wait_for_function(
        f"() => document.querySelectorAll('.stPlotlyChart .js-plotly-plot .main-svg').length >= {CHARTS}",
        timeout=RERUN_TIMEOUT_MS)


def test_every_chart_is_drawn(app_page, app_server):
    open_ehcp(app_page, app_server)
    charts = app_page.locator(".stPlotlyChart")
    assert charts.count() == CHARTS
    for index in range(CHARTS):
        assert charts.nth(index).locator(".main-svg").count() >= 1, f"chart {index} was not drawn"
    assert_no_errors(app_page, app_server)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    screenshot_whole_page(app_page, ARTIFACTS_DIR / "ehcp-full.png")


def test_clicking_a_breakdown_bar_filters_the_dashboard(app_page, app_server):
    open_ehcp(app_page, app_server, "?breakdown=district&breakdown_measure=requests_received")
    chart = app_page.locator(".st-key-ehcp_breakdown_chart .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".bars .point path")
    expect(bars).to_have_count(3)
    # Bars are sorted ascending from the bottom; the top bar is the largest (Burnley, 9 requests).
    # Plotly's drag layer sits over the bars and turns a click there into a point selection.
    box = bars.last.bounding_box()
    app_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app_page.wait_for_function("() => new URL(location.href).searchParams.getAll('district').length === 1",
                               timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(app_page)
    assert "district=Burnley" in href(app_page)
    expect(app_page.locator("p", has_text="Area: Burnley").first).to_be_visible()
    assert_no_errors(app_page, app_server)


def test_a_download_is_suppressed_and_formula_safe(app_page, app_server, tmp_path):
    import csv

    open_ehcp(app_page, app_server)
    app_page.get_by_text("Table: Requests", exact=False).first.click()
    with app_page.expect_download() as download_info:
        app_page.locator(".st-key-ehcp_decisions_download").get_by_role("button", name="Download this table (CSV)").click()
    path = tmp_path / "download.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert rows, "the download is empty"
    counts = ["Agreed to assess", "Not agreed", "Withdrawn", "Awaiting decision", "Requests received"]
    cells = [row[c] for row in rows for c in counts]
    assert "c" in cells  # the fixture's monthly counts are small
    assert not [v for v in cells if v in {"1", "2", "3", "4"}], "a count from 1 to 4 survived in the download"


def test_the_first_visit_to_a_fresh_server_runs_through_app_py(browser_context, tmp_path):
    """A new server treats pages/ as an old-style multipage app until st.navigation has run once."""
    from tests.browser.machinery import new_app_page, start_app

    server = start_app(tmp_path / "state")
    try:
        page = new_app_page(browser_context)
        page.goto(f"{server.base_url}/ehcp")
        expect(page.locator("h1", has_text="EHC needs assessments and plans")).to_be_visible(
            timeout=RERUN_TIMEOUT_MS)
        wait_until_idle(page)
        nav = [text.split("\n")[-1].strip() for text in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()]
        assert "Overview" in nav and "Data and methodology" in nav, nav
        assert "app" not in nav, nav
        assert page.get_by_text("From (month)").count() == 1
        page.close()
    finally:
        server.stop()
