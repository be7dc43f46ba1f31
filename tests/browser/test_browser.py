"""End to end in headless Chromium: the Overview draws, and the shared filters drive it through the URL.

Runs the real app (`streamlit run app.py`) on the hand-made data set in tests/fixtures/area, so the
numbers are small and known (all areas: 8 requests in the last 12 months; Burnley: 4).
Screenshots for a person to look at go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

# tests/browser.py asserts too; have pytest rewrite its asserts (informative failures) before importing it.
from tests.browser.machinery import (  # noqa: E402
    ARTIFACTS_DIR,
    METRIC_VALUE,
    NAV_LINK,
    VIEWPORT,
    assert_no_errors,
    choose,
    href,
    metric_values,
    new_app_page,
    plotly_traces,
    screenshot_whole_page,
    sidebar_widget,
    wait_for_chart,
    wait_for_traces_other_than,
    wait_until_idle,
)

# The fixtures (app_server, chromium, browser_context, app_page) live in tests/browser.py; registering
# it as a plugin makes them session-wide, so every browser test module shares one server and browser.

pytestmark = pytest.mark.browser

REQUESTS_TRACE = "Requests received"


def header_line(page):
    """The 'Data as of …' line under the page title, which states the filters in words."""
    return page.locator(
        '[data-testid="stMain"] [data-testid="stMarkdownContainer"]', has_text="Data as of"
    ).first


def header(page) -> str:
    return header_line(page).inner_text()


def district_widget(page):
    return sidebar_widget(page, "stMultiSelect", "District")


def trace(traces: list[dict], name: str) -> dict:
    matches = [t for t in traces if t["name"] == name]
    assert matches, f"no trace called {name!r} in {[t['name'] for t in traces]}"
    return matches[0]


def count(text: str) -> int:
    return int(text.replace(",", ""))


def open_overview(page, app_server, query: str = "") -> None:
    page.goto(app_server.url("/" + query))
    wait_for_chart(page)
    expect(page.locator("h1", has_text="Overview")).to_be_visible()
    expect(page.locator(METRIC_VALUE)).to_have_count(
        11
    )  # nine Improvement Notice tiles, overdue reviews, health advice
    assert_no_errors(page, app_server)


def test_overview_screenshots(app_page, app_server):
    """The unfiltered Overview at 1920x1080 (and the whole page), saved for a person to look at."""
    page = app_page
    open_overview(page, app_server)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "overview.png"))
    screenshot_whole_page(page, ARTIFACTS_DIR / "overview-full.png")
    assert page.viewport_size == VIEWPORT


def test_district_filter_drives_url_chart_and_tiles(app_page, app_server):
    page = app_page
    open_overview(page, app_server)
    before_traces = plotly_traces(page)
    before_metrics = metric_values(page)
    before_requests = trace(before_traces, REQUESTS_TRACE)["y"]
    assert "Area: all of" in header(page)
    assert "district=" not in href(page)
    # The tile and the chart agree: requests in the last 12 months = the chart's last 12 points.
    assert count(before_metrics[0]) == sum(before_requests[-12:])

    choose(page, "stMultiSelect", "District", "Burnley")

    page.wait_for_function("() => new URL(location.href).searchParams.getAll('district').includes('Burnley')")
    expect(header_line(page)).to_contain_text("Area: Burnley")
    after_traces = wait_for_traces_other_than(page, before_traces)
    expect(page.locator(METRIC_VALUE).first).not_to_have_text(before_metrics[0])
    wait_until_idle(page)

    url = href(page)
    assert re.search(r"[?&]district=Burnley(&|$)", url), url
    after_metrics = metric_values(page)
    after_requests = trace(after_traces, REQUESTS_TRACE)["y"]
    assert after_metrics != before_metrics
    assert after_requests != before_requests
    # One district is a subset of all districts, month by month, over the same months.
    assert trace(after_traces, REQUESTS_TRACE)["x"] == trace(before_traces, REQUESTS_TRACE)["x"]
    assert all(a <= b for a, b in zip(after_requests, before_requests, strict=True))
    assert count(after_metrics[0]) == sum(after_requests[-12:])
    expect(district_widget(page)).to_contain_text("Burnley")
    assert_no_errors(page, app_server)

    # The link reproduces the view: a new page (a new Streamlit session) opening the copied URL.
    shared = new_app_page(page.context)
    try:
        shared.goto(url)
        wait_for_chart(shared)
        assert "Area: Burnley" in header(shared)
        assert metric_values(shared) == after_metrics
        assert plotly_traces(shared) == after_traces
        assert "district=Burnley" in href(shared)
        expect(district_widget(shared)).to_contain_text("Burnley")
        assert_no_errors(shared, app_server)
    finally:
        shared.close()


def test_period_filter_in_url_reproduces_view(app_page, app_server):
    page = app_page
    open_overview(page, app_server)
    before_traces = plotly_traces(page)
    before_x = trace(before_traces, REQUESTS_TRACE)["x"]
    assert not before_x[0].startswith("2024-01")

    choose(page, "stSelectbox", "From (month)", "2024-01")

    page.wait_for_function("() => new URL(location.href).searchParams.get('from') === '2024-01'")
    expect(header_line(page)).to_contain_text("Period: Jan 2024 to")
    after_traces = wait_for_traces_other_than(page, before_traces)
    wait_until_idle(page)
    after_x = trace(after_traces, REQUESTS_TRACE)["x"]
    assert after_x[0].startswith("2024-01"), after_x
    # The default period is the last 12 months: the longer period ends with the same months.
    assert after_x[-len(before_x) :] == before_x
    after_metrics = metric_values(page)
    assert_no_errors(page, app_server)

    # Reloading the URL (as a shared link would be) gives the same period, chart and tiles.
    url = href(page)
    page.goto("about:blank")
    page.goto(url)
    wait_for_chart(page)
    assert "Period: Jan 2024 to" in header(page)
    assert plotly_traces(page) == after_traces
    assert metric_values(page) == after_metrics
    assert href(page) == url
    assert_no_errors(page, app_server)


def test_page_navigation_keeps_filters(app_page, app_server):
    page = app_page
    open_overview(page, app_server, "?district=Burnley")
    assert "Area: Burnley" in header(page)
    filtered_metrics = metric_values(page)

    page.locator(NAV_LINK, has_text="Data and methodology").click()
    expect(page.locator("h1", has_text="Data and methodology")).to_be_visible()
    page.wait_for_function("() => location.pathname.endsWith('/methodology')")
    wait_until_idle(page)
    assert_no_errors(page, app_server)
    seen = {"url": href(page), "header": header(page), "district filter": district_widget(page).inner_text()}
    assert (
        "district=Burnley" in seen["url"]
        and "Area: Burnley" in seen["header"]
        and "Burnley" in seen["district filter"]
    ), f"moving to Data and methodology lost the filter: {seen}"

    page.locator(NAV_LINK, has_text="Overview").click()
    expect(page.locator("h1", has_text="Overview")).to_be_visible()
    page.wait_for_function("() => !location.pathname.endsWith('/methodology')")
    wait_for_chart(page)
    assert_no_errors(page, app_server)
    seen = {"url": href(page), "header": header(page), "district filter": district_widget(page).inner_text()}
    assert "district=Burnley" in seen["url"] and "Area: Burnley" in seen["header"], (
        f"moving back to the Overview lost the filter: {seen}"
    )
    assert metric_values(page) == filtered_metrics
