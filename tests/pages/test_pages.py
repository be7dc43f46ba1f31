"""Every page under Streamlit's AppTest, on the hand-made fixture extracts."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import navigation
from tests.helpers import AREA_DIR as FIXTURE_DIR
from tests.helpers import ROOT, app, header_line, page_alone, plain, tiles

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture()
def app_env(app_data):
    """The app on the area fixture (as of 25 Mar 2025)."""


def start(page: str | None = None, **query) -> AppTest:
    return app(page, **query)


def test_every_page_file_is_in_the_navigation():
    assert {page.file for page in navigation.PAGES} == set(PAGES)
    assert "navigation.PAGES" in (ROOT / "app.py").read_text()


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app_env, page):
    at = start(page)
    assert not at.exception
    assert at.title[0].value


def test_overview_shows_the_fixture_figures(app_env):
    at = start()
    shown = tiles(at)
    assert {
        k: shown[k] for k in ("Requests (12 months)", "20-week rate (12 months)", "Open past 20 weeks")
    } == {
        "Requests (12 months)": "8",  # Apr 2024 to Mar 2025: R08-R15
        "20-week rate (12 months)": "75.0%",  # R04, R13, R16 of R04, R05, R13, R16 (excl. exceptions)
        "Open past 20 weeks": "2",  # R08 and R09 at 25 Mar 2025
    }
    assert (
        len(shown) == 11
    )  # nine Improvement Notice tiles, overdue reviews and health advice within six weeks
    assert shown["Annual reviews overdue"] == "–"  # the area fixture has no plans or reviews extract
    assert not at.exception
    assert "Data as of 25 Mar 2025" in header_line(at)


def test_a_month_and_need_in_the_url_are_read_as_written(app_env):
    at = start(to="2024-06", need="Autism (ASD)")
    assert "Period: Aug 2023 to Jun 2024" in header_line(at)
    assert "Primary need: Autism (ASD)" in header_line(at)


def test_a_filter_in_the_url_narrows_every_tile(app_env):
    at = start(district="Burnley")
    shown = tiles(at)
    assert {
        k: shown[k] for k in ("Requests (12 months)", "20-week rate (12 months)", "Open past 20 weeks")
    } == {
        "Requests (12 months)": "4",  # R08, R15, R13, R12
        "20-week rate (12 months)": "66.7%",  # R04, R13 within; R05 late
        "Open past 20 weeks": "1",  # R08
    }
    assert "Area: Burnley" in header_line(at)


def test_changing_the_period_control_changes_the_tiles(app_env):
    at = page_alone("pages/overview.py")
    at.selectbox(key="to").set_value("2024-06").run()
    # Twelve months to June 2024: requests Jul 2023-Jun 2024 = R01, R02, R03, R16, R04-R08, R14 = 10.
    assert tiles(at)["Requests (12 months)"] == "10"
    # Plans issued Jul 2023-Jun 2024, excluding exceptions: R02 late, R01, R04, R16 within, R05 late -> 3 of 5.
    assert tiles(at)["20-week rate (12 months)"] == "60.0%"


def test_changing_the_need_control_changes_the_tiles(app_env):
    at = page_alone("pages/overview.py")
    at.multiselect(key="need").set_value(["Autism (ASD)"]).run()
    assert tiles(at)["Open past 20 weeks"] == "1"  # of the open ASD cases only R08 is past 20 weeks


def test_methodology_page_lists_sources_and_definitions(app_env):
    at = start("pages/methodology.py")
    sources = at.dataframe[0].value
    assert list(sources["File"])[:4] == [
        "ehcp_requests.csv",
        "ep_assessments.csv",
        "specialist_places.csv",
        "spending.csv",
    ]
    assert list(sources["Rows served"])[:4] == [16, 3, 4, 4]
    text = " ".join(m.value for m in at.markdown)
    assert "20-week timeliness" in text and "SENDIAS" in text
    assert not at.exception


def test_a_broken_extract_stops_only_the_pages_that_need_it(app_data, tmp_path):
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(FIXTURE_DIR, folder)
    (folder / "ehcp_requests.csv").write_text("request_id;child_id\nR1;C1\n")
    app_data(folder)
    at = start()
    assert not at.exception
    assert "ehcp_requests.csv" in plain(at.error[0].value) and "semicolon-delimited" in plain(
        at.error[0].value
    )
    assert tiles(at)["Requests (12 months)"] == "–" and tiles(at)["Open past 20 weeks"] == "–"
    assert tiles(at)["EP backlog"] == "1"  # the other extracts still serve their tiles
    at = start("pages/ehcp.py")
    assert not at.exception and not at.metric and "semicolon-delimited" in plain(at.error[0].value)
    at = start("pages/methodology.py")
    assert not at.exception
    sources = at.dataframe[0].value
    assert list(sources["Status"])[:2] == ["🚫 Refused", "✅ Loaded"]


def test_the_period_defaults_to_the_last_12_months(app_env):
    at = start()
    assert "Period: Last 12 months (Apr 2024 to Mar 2025)" in header_line(at)


@pytest.mark.parametrize(
    ("preset", "words"),
    [
        ("This financial year", "Period: This financial year (Apr 2024 to Mar 2025)"),
        ("Since the inspection", "Period: Since the inspection (Dec 2024 to Mar 2025)"),
        ("All months", "Period: All months (Aug 2023 to Mar 2025)"),
    ],
)
def test_a_period_preset_in_the_url_sets_the_months(app_env, preset, words):
    assert words in header_line(start(period=preset))


def test_months_in_a_link_without_a_preset_are_chosen_months(app_env):
    at = start(**{"from": "2024-01", "to": "2024-06"})
    assert "Period: Jan 2024 to Jun 2024;" in header_line(at)


def test_choosing_a_preset_sets_the_months_and_picking_a_month_makes_them_chosen(app_env):
    at = page_alone("pages/overview.py")
    at.selectbox(key="period").set_value("All months").run()
    assert (at.selectbox(key="from").value, at.selectbox(key="to").value) == ("2023-08", "2025-03")
    assert "Period: All months (Aug 2023 to Mar 2025)" in header_line(at)
    at.selectbox(key="from").set_value("2024-02").run()
    assert at.selectbox(key="period").value == "Chosen months"
    assert "Period: Feb 2024 to Mar 2025;" in header_line(at)
