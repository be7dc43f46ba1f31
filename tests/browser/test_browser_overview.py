"""End to end in headless Chromium: the Overview shows every KPI tile on one 1920x1080 screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.machinery import (  # noqa: E402
    ARTIFACTS_DIR,
    RERUN_TIMEOUT_MS,
    assert_no_errors,
    wait_for_chart,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

TILES = 9


def test_every_tile_fits_one_1920x1080_screen_and_links_keep_the_filters(app_page, app_server):
    page = app_page
    assert page.viewport_size == {"width": 1920, "height": 1080}
    page.goto(f"{app_server.base_url}/?district=Burnley")  # the Overview is the default page, served at /
    expect(page.locator("h1", has_text="Overview")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_for_chart(page)
    tiles = page.locator("[class*='st-key-kpi_'][data-testid='stVerticalBlock']")
    expect(tiles).to_have_count(TILES, timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "overview-tiles-1920x1080.png"))
    last = tiles.last.bounding_box()
    assert last is not None
    assert last["y"] >= 0 and last["y"] + last["height"] <= 1080, f"the last tile ends at {last}"
    assert last["x"] + last["width"] <= 1920
    for index in range(TILES):
        text = tiles.nth(index).inner_text()
        assert any(
            word in text
            for word in ("On track", "At risk", "Off track", "Met", "Missed", "No target", "not available")
        ), f"tile {index} has no status in words: {text}"
    link = tiles.first.get_by_role("link", name="Details")
    assert "district=Burnley" in link.get_attribute("href")
    assert_no_errors(page, app_server)
