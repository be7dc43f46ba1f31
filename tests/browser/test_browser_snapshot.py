"""End to end in headless Chromium: a snapshot made in the app downloads, and opens from disk with the
network off in a fresh browser, drawing its charts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.machinery import ARTIFACTS_DIR, RERUN_TIMEOUT_MS, assert_no_errors, wait_until_idle  # noqa: E402

pytestmark = pytest.mark.browser


def test_snapshot_downloads_and_opens_offline(app_page, app_server, chromium, tmp_path):
    page = app_page
    page.goto(f"{app_server.base_url}/snapshots?district=Burnley")
    expect(page.locator("h1", has_text="Snapshots for advisers")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    page.get_by_label("Made by (name or role, shown in the snapshot)").fill("Browser test")
    page.get_by_role("button", name="Create snapshot").click()
    expect(page.get_by_text("Snapshot made:")).to_be_visible(timeout=RERUN_TIMEOUT_MS)
    with page.expect_download(timeout=RERUN_TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="Download the snapshot (HTML)").click()
    saved = tmp_path / "snapshot.html"
    download_info.value.save_as(saved)
    assert_no_errors(page, app_server)

    offline = chromium.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    try:
        requests = []
        offline.on("request", lambda request: requests.append(request.url))
        viewer = offline.new_page()
        viewer.goto(saved.as_uri())
        expect(viewer.locator("h1")).to_have_text("SEND demand and capacity: Improvement Board snapshot")
        viewer.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3",
            timeout=RERUN_TIMEOUT_MS,
        )
        text = viewer.locator("body").inner_text()
        assert "Area: Burnley" in text and "Content hash (SHA-256)" in text and "Browser test" in text
        assert [url for url in requests if not url.startswith("file://")] == []
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        viewer.screenshot(path=str(ARTIFACTS_DIR / "snapshot-offline.png"))
    finally:
        offline.close()
