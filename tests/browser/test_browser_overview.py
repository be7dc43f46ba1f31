"""End to end in headless Chromium: the Overview's tiles fit one 1920x1080 screen, and each tile's Details
link opens its page on the tile's own period, at the section (tab) and the chart that show the same figure."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    RERUN_TIMEOUT_MS,
    SPARKLINE,
    assert_no_errors,
    new_app_page,
    wait_for_chart,
    wait_for_section,
    wait_until_idle,
)
from tests.helpers import SAMPLE_DIR

pytestmark = pytest.mark.browser

TILES = 11  # nine Improvement Notice tiles, overdue annual reviews and health advice
STATUSES = ("On track", "At risk", "Off track", "Met", "Missed", "No target", "not available", "Not judged")

# Each tile, the page its link opens, and the label (or its start) of the tile there that shows the same figure.
LANDINGS = {
    "requests_12m": ("EHC needs assessments and plans", "Requests received"),
    "twenty_week_3m": ("EHC needs assessments and plans", "20-week rate (excl. exceptions)"),
    "twenty_week_12m": ("EHC needs assessments and plans", "20-week rate (excl. exceptions)"),
    "overdue": ("EHC needs assessments and plans", "Open past 20 weeks"),
    "ep_backlog": ("Educational psychology", "EP backlog at"),
    "ep_commitment": ("Educational psychology", "Additional EP assessments"),
    "places_added": ("Specialist places", "Places added"),
    "occupancy": ("Specialist places", "Occupancy"),
    "forecast_variance": ("Spending", "Forecast outturn"),
}

# Every tile on the page: its label, value and delta line.
TILES_JS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => ({
    label: m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim(),
    value: m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim(),
    delta: m.querySelector('[data-testid="stMetricDelta"]')?.innerText.trim() || ''}))"""


@pytest.fixture(scope="module")
def sample_server(served):
    return served(SAMPLE_DIR)


def open_overview(page, server, query: str = "") -> None:
    page.goto(f"{server.base_url}/{query}")  # the Overview is the default page, served at /
    expect(page.locator("h1", has_text="Overview")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_chart(page)
    expect(page.locator("[class*='st-key-kpi_'][data-testid='stVerticalBlock']")).to_have_count(TILES)
    wait_until_idle(page)


def tile(page, key: str):
    return page.locator(f".st-key-kpi_{key}")


def test_every_tile_fits_one_1920x1080_screen_and_links_keep_the_filters(app_page, app_server):
    page = app_page
    assert page.viewport_size == {"width": 1920, "height": 1080}
    open_overview(page, app_server, "?district=Burnley")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "overview-tiles-1920x1080.png"))
    tiles = page.locator("[class*='st-key-kpi_'][data-testid='stVerticalBlock']")
    last = tiles.last.bounding_box()
    assert last is not None
    assert last["y"] >= 0 and last["y"] + last["height"] <= 1080, f"the last tile ends at {last}"
    assert last["x"] + last["width"] <= 1920
    for index in range(TILES):
        text = tiles.nth(index).inner_text()
        assert any(word in text for word in STATUSES), f"tile {index} has no status in words: {text}"
    # Burnley is part of the area: the 20-week target is for all of Lancashire, so it is not judged here.
    assert "Not judged\n\nThe target is for all of Lancashire" in tile(page, "twenty_week_12m").inner_text()
    assert "All of Lancashire: the filters do not apply" in tile(page, "places_added").inner_text()
    link = tile(page, "requests_12m").get_by_role("link", name="Details")
    assert "district=Burnley" in link.get_attribute("href")
    # Each tile's trend is an image that loaded, named in words for a screen reader by the tile's own label.
    sparklines = page.evaluate(
        """s => [...document.querySelectorAll(s)].map(i => ({alt: i.alt, loaded: i.complete && i.naturalWidth > 0,
            label: i.closest("[class*='st-key-kpi_']").querySelector('[data-testid="stMetricLabel"]').innerText}))""",
        SPARKLINE,
    )
    # The area fixture: the other tiles have a trend of one point or none.
    assert len(sparklines) == 6, sparklines
    for spark in sparklines:
        assert spark["loaded"] and spark["alt"].startswith(f"Trend of {spark['label'].strip()}: from "), spark
    assert_no_errors(page, app_server)


@pytest.mark.parametrize("key", list(LANDINGS))
def test_a_tile_link_lands_on_the_same_figure_for_the_same_period(browser_context, sample_server, key):
    page = new_app_page(browser_context)
    try:
        open_overview(page, sample_server, "?district=Preston" if key in ("requests_12m", "overdue") else "")
        shown = tile(page, key).locator('[data-testid="stMetricValue"]').inner_text().strip()
        link = tile(page, key).get_by_role("link", name="Details")
        address = urlsplit(link.get_attribute("href"))
        anchor = address.fragment
        # The link names the section (tab) holding the chart, unless it is the page's first (the page opens there).
        file, section_label = sections.holding(anchor.replace("-", "_"))
        first = section_label == sections.of(file)[0]
        assert parse_qs(address.query).get(sections.SECTION) == (None if first else [section_label])
        link.click()
        title, label = LANDINGS[key]
        expect(page.locator("h1", has_text=title)).to_be_visible(timeout=RERUN_TIMEOUT_MS)
        wait_for_section(page, section_label)
        wait_for_chart(page)
        tiles = page.evaluate(TILES_JS)
        there = next((t for t in tiles if t["label"] and t["label"].startswith(label)), None)
        assert there is not None, f"no tile starting {label!r} on {title}: {[t['label'] for t in tiles]}"
        if key == "forecast_variance":  # the Spending page gives the variance in words under the outturn
            assert there["delta"].startswith(shown), (there, shown)
        else:
            assert there["value"] == shown, (there, shown)
        # The link lands at the section holding the figure, and the address keeps it.
        assert page.evaluate("() => location.hash") == f"#{anchor}"
        section = page.locator(f"[id='{anchor}']")
        try:
            expect(section).to_be_in_viewport(timeout=15_000)
        except AssertionError:
            # Streamlit scrolls to an address's #anchor once, when the heading first mounts; on a loaded machine
            # the page above it can still be growing then, leaving the heading out of view (seen in about one
            # full run in four, never alone). The same address, loaded again, must land on it.
            page.reload()
            wait_for_section(page, section_label)
            wait_for_chart(page)
            expect(section).to_be_in_viewport()
        assert_no_errors(page, sample_server)
    finally:
        page.close()
