"""End to end in headless Chromium: the Board presentation is reached by a link, has no sidebar, and moves
through every slide with the keyboard, the slide position kept in the URL."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.outputs.slides import SLIDES  # noqa: E402
from tests.browser.machinery import ARTIFACTS_DIR, RERUN_TIMEOUT_MS, assert_no_errors, href, wait_until_idle  # noqa: E402

pytestmark = pytest.mark.browser


def heading(page) -> str:
    return page.locator(".st-key-present_slide h1").first.inner_text()


def test_presentation_moves_through_every_slide_by_keyboard(app_page, app_server):
    page = app_page
    page.goto(f"{app_server.base_url}/?present=1&district=Burnley")
    expect(page.locator(".st-key-present_slide h1")).to_have_text(SLIDES[0].title, timeout=RERUN_TIMEOUT_MS)
    wait_until_idle(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert "Area: Burnley" in page.locator(".st-key-present_slide").inner_text()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "presentation-1.png"))
    for slide in SLIDES[1:]:
        # Keys go to the page once the slide has finished drawing; clicking the heading gives it focus
        # without focusing a widget (a focused select box would take the arrow key itself).
        wait_until_idle(page)
        expect(page.get_by_role("button", name="Next")).to_be_enabled(timeout=RERUN_TIMEOUT_MS)
        page.locator(".st-key-present_slide h1").click()
        page.keyboard.press("ArrowRight")
        expect(page.locator(".st-key-present_slide h1")).to_have_text(slide.title, timeout=RERUN_TIMEOUT_MS)
        page.wait_for_function(
            f"() => new URL(location.href).searchParams.get('slide') === '{slide.number}'",
            timeout=RERUN_TIMEOUT_MS,
        )
        wait_until_idle(page)
        text = page.locator(".st-key-present_slide").inner_text()
        assert f"Slide {slide.number} of {len(SLIDES)}" in text and "Data as of" in text and "Source:" in text
        assert "present=1" in href(page) and "district=Burnley" in href(page)
        assert_no_errors(page, app_server)
        page.screenshot(path=str(ARTIFACTS_DIR / f"presentation-{slide.number}.png"))
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".st-key-present_slide h1")).to_have_text(SLIDES[-2].title, timeout=RERUN_TIMEOUT_MS)
    # A bookmarked slide opens on that slide.
    page.goto(f"{app_server.base_url}/?present=1&slide=3")
    expect(page.locator(".st-key-present_slide h1")).to_have_text(SLIDES[2].title, timeout=RERUN_TIMEOUT_MS)
    assert_no_errors(page, app_server)
