"""The Overview's KPI tiles: values from the same measures as the detail pages, judged by dashboard.rag."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.measures import kpis, rag
from tests.helpers import SAMPLE_DIR, app, deltas, everything, page_alone, tiles

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 3, 25)


def test_requests_tile_counts_twelve_months_and_compares_with_a_month_earlier(run):
    kpi = kpis.requests_kpi(run, everything(), AS_OF)
    # Apr 2024 to Mar 2025: R08-R15 and R11, R12 = 8. Mar 2024 to Feb 2025: R07-R10, R13-R15 = 7.
    assert (kpi.value, kpi.previous) == (8, 7)
    assert kpi.change_words() == "+1 on a month earlier"
    assert kpi.judgement is None and kpi.status_words == "No target: context"


def test_overdue_tile_is_judged_against_the_target(run):
    kpi = kpis.overdue_kpi(run, everything(), AS_OF)
    # At 25 Mar 2025 R08 (295 days) and R09 (144) are past 20 weeks; at 28 Feb only R08 (R09 was at 119 days).
    assert (kpi.value, kpi.previous) == (2, 1)
    assert kpi.judgement is None  # the fixture's targets.csv has no overdue target


def test_twenty_week_tile_is_judged_against_the_england_average_target(run):
    kpi = kpis.twenty_week_kpi(run, everything(), AS_OF, 12)
    # Apr 2024 to Mar 2025, excluding exceptions: R04 (140 days), R13, R16 within; R05 late -> 3 of 4.
    assert kpi.value == 75.0
    # targets.csv: at least 46.4%, from 17.3% at 31 Dec 2024, due 31 Dec 2026: 75% is above the line and target.
    assert kpi.judgement.status is rag.Status.GREEN and kpi.status_words == "✔ On track"
    assert kpi.target == "Target 46.4% by 31 Dec 2026" and kpi.source == "Fixture"


def test_every_tile_is_present_and_says_when_its_data_is_missing(run):
    tiles = kpis.board_kpis(run, everything(), AS_OF, usable=lambda table: table != "spending")
    assert [t.key for t in tiles] == [
        "requests_12m",
        "twenty_week_3m",
        "twenty_week_12m",
        "overdue",
        "ep_backlog",
        "ep_commitment",
        "places_added",
        "occupancy",
        "forecast_variance",
        "overdue_reviews",
        "health_advice_12m",
    ]
    spending = tiles[8]
    assert (
        not spending.available and spending.status_words == "Data not available" and spending.shown() == "–"
    )
    assert not tiles[5].available  # no EP commitment row in the fixture's targets.csv
    # The area fixture has no plans or reviews extract: the overdue reviews tile says so.
    assert [
        t.available
        for t in kpis.board_kpis(run, everything(), AS_OF, usable=lambda table: table.startswith("e"))
    ][-1] is False


def test_largest_movements_in_words():
    a = kpis.Kpi("a", "Open past 20 weeks", 305, 353, "count", "p", "", polarity=rag.LOWER_IS_BETTER)
    b = kpis.Kpi(
        "b", "20-week rate (3 months)", 33.8, 27.5, "percent", "p", "", polarity=rag.HIGHER_IS_BETTER
    )
    c = kpis.Kpi("c", "Requests (12 months)", 3460, 3469, "count", "p", "")
    d = kpis.Kpi("d", "Unmoved", 10, 10, "count", "p", "")
    assert kpis.largest_movements([a, b, c, d]) == [
        "20-week rate (3 months) rose from 27.5% to 33.8% (better).",
        "Open past 20 weeks fell from 353 to 305 (better).",
        "Requests (12 months) fell from 3,469 to 3,460.",
    ]


def test_overview_tiles_equal_the_ehcp_page_for_the_same_filters(app_data):
    """The Overview's EHCP tiles and the EHCP page's tiles, over the same 12 months and district."""
    app_data(SAMPLE_DIR)
    overview = tiles(app("pages/overview.py", district="Preston"))
    ehcp = tiles(app("pages/ehcp.py", district="Preston", **{"from": "2025-11", "to": "2026-10"}))
    assert overview["Requests (12 months)"] == ehcp["Requests received"]
    assert overview["20-week rate (12 months)"] == ehcp["20-week rate (excl. exceptions)"]
    assert overview["Open past 20 weeks"] == ehcp["Open past 20 weeks"]


def test_overview_runs_on_the_fixture_with_missing_targets(app_data):
    at = page_alone("pages/overview.py")
    assert not at.exception
    assert tiles(at)["Requests (12 months)"] == "8"


def test_targets_query_reads_the_reference_file(run):
    frame = run("targets", {})
    assert list(frame["metric"]) == ["twenty_week_rate_ex"]
    assert frame.loc[0, "target"] == 46.4 and frame.loc[0, "polarity"] == "higher_is_better"


def test_overview_tiles_equal_the_capacity_and_spending_pages(app_data):
    """Each capacity and spending tile on the Overview shows the figure its own page shows."""
    app_data(SAMPLE_DIR)
    overview = tiles(app("pages/overview.py"))
    ep_page = tiles(app("pages/educational_psychology.py"))
    places_page = tiles(app("pages/specialist_places.py"))
    spending_page = deltas(app("pages/spending.py"))
    assert overview["EP backlog"] == ep_page["EP backlog at 31 Oct 2026"]
    assert overview["Extra EP assessments"] == ep_page["Additional EP assessments (target 1,200)"]
    assert overview["Places added"] == places_page["Places added (target 200)"]
    assert overview["Place occupancy"] == places_page["Occupancy"]
    assert spending_page["Forecast outturn"] == f"{overview['Forecast variance']} over budget"


def test_health_advice_tile_on_the_health_fixture(health_store):
    # tests/fixtures/health: 3 of the 7 pieces of health advice completed in the 12 months to 16 Jun 2025 came
    # within six weeks; none was completed in June, so the 12 months to 31 May give the same.
    kpi = kpis.health_advice_kpi(health_store.query, everything(), date(2025, 6, 16))
    assert kpi.value == pytest.approx(300 / 7) and kpi.previous == pytest.approx(300 / 7)
    assert (kpi.denominator, kpi.view, kpi.page) == (7, "health_timeliness", "pages/health.py")
    assert kpi.trend["y"].round(1).tolist() == [60.0, 0.0, 0.0]  # Mar 3 of 5; Apr A5 late; May A11 late
