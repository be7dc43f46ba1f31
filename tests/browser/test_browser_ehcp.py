"""End to end in headless Chromium: the EHC needs assessments page draws every chart, section by section, its
tiles open the section showing their chart, its figures at a date follow the To month, and a click on the request
source chart or on a bar of the breakdown drills down by setting the shared filter (its label, in the URL)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    download_table,  # noqa: E402
    href,
    open_section,
    query_param,
    screenshot_whole_page,
    wait_for_section,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

SECTIONS = sections.of("pages/ehcp.py")
CHARTS = 11
# The charts in each section (the cases about to pass 20 weeks by need are a table).
SECTION_CHARTS = {"Demand and decisions": 3, "Timeliness": 4, "Waiting now": 3, "Where it is worst": 1}
TILES = 6


def open_ehcp(page, server, query: str = "", section: str = SECTIONS[0]) -> None:
    """Open the page by its address (at `section`, named in the address unless it is the first) and wait until
    the section's charts are drawn."""
    if section != SECTIONS[0]:
        query += ("&" if query else "?") + urlencode({sections.SECTION: section})
    page.goto(f"{server.base_url}/ehcp{query}")
    expect(page.locator("h1", has_text="EHC needs assessments and plans")).to_be_visible(
        timeout=RERUN_TIMEOUT_MS
    )
    wait_for_section(page, section)
    expect(page.locator(".stPlotlyChart")).to_have_count(SECTION_CHARTS[section])


def click_bar(page, bar) -> None:
    """Click the middle of a bar: Plotly's drag layer sits over the bars and turns a click there into a point
    selection."""
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def visible_bars(chart) -> list:
    """The bars of a chart that are drawn with some size (a zero count draws an empty path)."""
    return [
        bar
        for bar in chart.locator(".point path").all()
        if (box := bar.bounding_box()) and box["height"] > 2 and box["width"] > 2
    ]


def wait_for_filter(page, key: str) -> list[str]:
    page.wait_for_function(
        f"() => new URL(location.href).searchParams.getAll('{key}').length === 1", timeout=RERUN_TIMEOUT_MS
    )
    wait_until_idle(page)
    return page.evaluate(f"() => new URL(location.href).searchParams.getAll('{key}')")


def test_every_chart_is_drawn_and_every_tile_links_to_its_chart(app_page, app_server):
    page = app_page
    open_ehcp(page, app_server)
    # The default period is the last 12 months to the data's date (Apr 2024 to 25 Mar 2025).
    expect(page.locator(METRIC_VALUE)).to_have_count(TILES)
    assert page.locator(METRIC_VALUE).all_inner_texts() == ["8", "75.0%", "75.0%", "5", "2", "1 / 1"]
    # Every chart drawn, section by section, each section's tab clicked as a person would.
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    drawn = 0
    for number, section in enumerate(SECTIONS):
        open_section(page, section)
        charts = page.locator(".stPlotlyChart")
        expect(charts).to_have_count(SECTION_CHARTS[section])
        for index in range(charts.count()):
            assert charts.nth(index).locator(".main-svg").count() >= 1, f"{section}: chart {index} not drawn"
        drawn += charts.count()
        assert_no_errors(page, app_server)
        screenshot_whole_page(
            page, ARTIFACTS_DIR / ("ehcp-full.png" if not number else f"ehcp-{number}-full.png")
        )
    assert drawn == CHARTS
    # Each tile's button opens the section holding its chart, and the address keeps it.
    buttons = page.locator("[class*='st-key-see_']")
    expect(buttons).to_have_count(TILES)
    for index in range(TILES):
        button = buttons.nth(index)
        view = re.search(r"st-key-see_(\w+)_\d+", button.get_attribute("class"))[1]
        section = button.inner_text().strip().removeprefix("See the chart: ")
        assert sections.holding(view) == ("pages/ehcp.py", section)
        button.get_by_role("button").click()
        wait_for_section(page, section)
        expect(page.locator(f"h3#{view.replace('_', '-')}")).to_have_count(1)
        if section != SECTIONS[0]:
            assert query_param(page, sections.SECTION) == section, href(page)
    assert_no_errors(page, app_server)


def test_figures_at_a_date_follow_the_to_month(app_page, app_server):
    open_ehcp(app_page, app_server, "?from=2024-01&to=2024-12", section="Waiting now")
    # At 31 Dec 2024: R08, R09, R10, R13 and R15 open, R08 past 20 weeks, R15 (Burnley) passes 20 weeks next.
    expect(app_page.get_by_text("Open at 31 Dec 2024", exact=True)).to_be_visible()
    expect(app_page.locator("h2", has_text="Waiting at 31 Dec 2024")).to_be_visible()
    expect(
        app_page.locator(
            "h3", has_text="1 case will pass 20 weeks within 4 weeks of 31 Dec 2024; most in Burnley (1)"
        )
    ).to_have_count(1)
    assert app_page.locator(METRIC_VALUE).all_inner_texts()[3:] == ["5", "1", "1 / 1"]
    assert_no_errors(app_page, app_server)


def test_clicking_a_breakdown_bar_filters_the_dashboard(app_page, app_server):
    open_ehcp(
        app_page,
        app_server,
        "?period=All+months&breakdown=District&breakdown_measure=Requests+received",
        section="Where it is worst",
    )
    chart = app_page.locator(".st-key-ehcp_breakdown_chart .js-plotly-plot")
    bars = chart.locator(".bars .point path")
    expect(bars).to_have_count(3)
    # The largest bar is at the top: Burnley, 7 requests (R01, R04, R05, R08, R12, R13, R15).
    top = min(bars.all(), key=lambda bar: bar.bounding_box()["y"])
    click_bar(app_page, top)
    assert wait_for_filter(app_page, "district") == ["Burnley"]
    expect(app_page.locator("p", has_text="Area: Burnley").first).to_be_visible()
    assert_no_errors(app_page, app_server)


def test_clicking_a_placement_bar_filters_by_its_label(app_page, app_server):
    open_ehcp(
        app_page,
        app_server,
        "?period=All+months&breakdown=Placement+named+on+issue&breakdown_measure=Requests+received",
        section="Where it is worst",
    )
    chart = app_page.locator(".st-key-ehcp_breakdown_chart .js-plotly-plot")
    expect(chart.locator(".bars .point path")).to_have_count(6)
    # From the top: No plan issued 8 (no filter to set), Mainstream school 3 (R01, R04, R15), then 2 and 1s.
    second = sorted(chart.locator(".bars .point path").all(), key=lambda bar: bar.bounding_box()["y"])[1]
    click_bar(app_page, second)
    assert wait_for_filter(app_page, "placement") == ["Mainstream school"]
    expect(app_page.locator("p", has_text="Placement named: Mainstream school").first).to_be_visible()
    assert app_page.locator(METRIC_VALUE).first.inner_text() == "3"
    assert_no_errors(app_page, app_server)


def test_clicking_a_request_source_filters_by_its_label(app_page, app_server):
    open_ehcp(app_page, app_server)
    chart = app_page.locator(".st-key-ehcp_sources_chart .js-plotly-plot")
    # The third series is School or college (R09 and R10 in Nov 2024, R13 in Dec, R15 in Sep).
    school = chart.locator("g.trace.bars").nth(2)
    click_bar(app_page, visible_bars(school)[0])
    assert wait_for_filter(app_page, "source") == ["School or college"]
    expect(app_page.locator("p", has_text="Request source: School or college").first).to_be_visible()
    assert app_page.locator(METRIC_VALUE).first.inner_text() == "4"
    assert_no_errors(app_page, app_server)


def test_a_download_is_suppressed_and_formula_safe(app_page, app_server, tmp_path):
    import csv

    open_ehcp(app_page, app_server)
    path = download_table(app_page, "ehcp_decisions", tmp_path / "download.csv")
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
            timeout=RERUN_TIMEOUT_MS
        )
        wait_until_idle(page)
        nav = [
            text.split("\n")[-1].strip()
            for text in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
        ]
        assert "Overview" in nav and "Data and methodology" in nav, nav
        assert "app" not in nav, nav
        # The filters are app.py's: exactly one set, once the rerun through app.py has drawn them.
        expect(page.get_by_text("From (month)")).to_have_count(1)
        page.close()
    finally:
        server.stop()
