"""End to end in headless Chromium: the Plans and reviews page on the hand-made plans fixture.

Runs the real app (`streamlit run app.py`) on tests/fixtures/plans (data to 31 Mar 2025; the figures are worked
out in tests/measures/test_plans.py), on a server of its own, and opens the page by its address: every chart
drawn with its table and download, section by section; headline tiles that open the section showing their
chart; the breakdown control bound to the URL; and a download with small numbers hidden. Screenshots go to
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from dashboard.views import sections
from tests.browser.machinery import (
    ARTIFACTS_DIR,
    METRIC_VALUE,
    assert_no_errors,
    download_table,
    headline_tiles_land,
    href,
    metric_values,
    new_app_page,
    open_section,
    screenshot_whole_page,
    start_app,
    wait_for_section,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

PLANS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
CHART = ".stPlotlyChart .js-plotly-plot"
PAGE = "pages/plans_reviews.py"
SECTIONS = sections.of(PAGE)
CHARTS, TILES = sum(len(v) for v in sections.PAGES[PAGE].values()), 4
MAIN = '[data-testid="stMain"]'


@pytest.fixture(scope="module")
def plans_server(tmp_path_factory, browser_context):
    server = start_app(tmp_path_factory.mktemp("plans_state"), data_dir=PLANS_DIR)
    try:
        # A fresh server's first visit to a page's own address meets Streamlit's old-style multipage mode (see
        # test_browser_ep.py): open the dashboard once first, as a person would.
        first = new_app_page(browser_context)
        first.goto(server.url("/"))
        expect(first.locator("h1").first).to_be_visible()
        wait_until_idle(first)
        first.close()
        yield server
    finally:
        server.stop()


def open_plans(page, server, query: str = "", section: str = SECTIONS[0]) -> None:
    """Open the page by its address at `section` and wait until every chart of the section is drawn."""
    if section != SECTIONS[0]:
        query += ("&" if query else "?") + urlencode({sections.SECTION: section})
    page.goto(server.url(f"/plans-and-reviews{query}"))
    expect(page.locator("h1", has_text="Plans and reviews")).to_be_visible()
    wait_for_section(page, section)
    expect(page.locator(CHART)).to_have_count(len(sections.PAGES[PAGE][section]))
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{CHART}'))
        .every(gd => gd._fullData && gd.querySelector('.main-svg'))""")
    expect(page.locator(METRIC_VALUE)).to_have_count(TILES)
    wait_until_idle(page)
    assert_no_errors(page, server)


def test_plans_figures_and_every_chart_with_its_table(app_page, plans_server):
    page = app_page
    open_plans(page, plans_server)
    assert metric_values(page) == ["12", "4", "62.5%", "2"]
    main = page.locator(MAIN)
    expect(
        main.get_by_role("heading", name="12 active EHC plans at 31 Mar 2025, up from 5 in January 2019")
    ).to_be_visible()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    charts = expanders = downloads = 0
    for number, section in enumerate(SECTIONS):
        open_section(page, section)
        shown = page.locator(CHART).count()
        assert shown == len(sections.PAGES[PAGE][section]), section
        charts += shown
        expanders += main.locator('[data-testid="stExpander"]').count()
        downloads += main.locator('[data-testid="stDownloadButton"]').count()
        assert_no_errors(page, plans_server)
        screenshot_whole_page(
            page, ARTIFACTS_DIR / f"plans-and-reviews{f'-{number}' if number else ''}-full.png"
        )
    assert (charts, expanders, downloads) == (CHARTS, CHARTS, CHARTS)


def test_each_headline_tile_lands_on_its_chart(app_page, plans_server):
    page = app_page
    open_plans(page, plans_server)
    headline_tiles_land(
        page,
        [
            ("Caseload", "plans-caseload", "12 active EHC plans at 31 Mar 2025"),
            ("Overdue reviews", "plans-overdue", "4 annual reviews overdue at 31 Mar 2025"),
            (
                "Review timeliness",
                "plans-review-timeliness",
                "62% of review decisions notified within 4 weeks",
            ),
            ("Phase transfers", "plans-phase-transfers", "2 of 4 placements named by the deadline"),
        ],
        SECTIONS[0],
    )
    assert_no_errors(page, plans_server)


def test_the_breakdown_control_reaches_the_url(app_page, plans_server):
    page = app_page
    open_plans(page, plans_server)
    page.get_by_role("radiogroup", name="Show active plans by").get_by_text("District", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('plans_by') === 'District'")
    wait_until_idle(page)
    expect(
        page.locator(MAIN).get_by_role(
            "heading", name="Burnley grew most in the year to 31 Mar 2025: 3 to 4 active plans"
        )
    ).to_be_visible()
    assert re.search(r"[?&]plans_by=District(&|$)", href(page))
    assert_no_errors(page, plans_server)


def test_no_serious_accessibility_violations_in_any_section(app_page, plans_server):
    # The shared accessibility test runs on the area fixture, which holds no plans (see its ELSEWHERE).
    from tests.browser.test_accessibility import FAILING_IMPACTS, OPEN_PANEL, describe, run_axe, split_known

    page = app_page
    open_plans(page, plans_server)
    for number, section in enumerate(SECTIONS):
        if (
            number
        ):  # the other sections opened by their tab and checked within it (the page around: with the first)
            open_section(page, section)
        found = run_axe(page, None if number == 0 else OPEN_PANEL)["violations"]
        failing = [v for v in split_known(found)[0] if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"{section}: " + "\n".join(describe(v) for v in failing)


def test_a_download_hides_small_numbers(app_page, plans_server, tmp_path):
    page = app_page
    open_plans(page, plans_server, section="Overdue reviews")
    path = download_table(page, "plans_overdue_areas", tmp_path / "overdue.csv")
    rows = {row["District"]: row for row in csv.DictReader(path.open(encoding="utf-8-sig"))}
    # Preston 2 of 5, Burnley 1 of 4, Lancaster 1 of 3: every count 1 to 4 and every share on under 10 plans.
    assert set(rows) == {"Preston", "Burnley", "Lancaster"}
    assert {row["Overdue reviews"] for row in rows.values()} == {"c"}
    assert {row["% of active plans overdue"] for row in rows.values()} == {"c"}
