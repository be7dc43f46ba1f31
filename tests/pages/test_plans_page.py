"""The Plans and reviews page under AppTest on tests/fixtures/plans (data to 31 Mar 2025).

Figures are worked out in tests/measures/test_plans.py and tests/views/test_plans.py. The page runs from its own
file (it draws the shared sidebar itself). Which view each section shows is checked in tests/pages/test_sections.py.
"""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import PLANS_DIR, every_section, in_section, plain, subheaders, tiles

PAGE = "pages/plans_reviews.py"


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """Every section of the page on the fixture, run once for the module."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SEND_DATA_DIR", str(PLANS_DIR))
    monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path_factory.mktemp("plans_page_state")))
    yield every_section(PAGE)
    monkeypatch.undo()


def test_the_page_shows_the_fixture_figures(shown):
    at = shown["Caseload"]
    assert not at.exception
    assert at.title[0].value == "Plans and reviews"
    assert tiles(at) == {
        "Active EHC plans at 31 Mar 2025": "12",
        "Annual reviews overdue at 31 Mar 2025": "4",
        "Review decisions within 4 weeks (12 months)": "62.5%",
        "Moving in September 2025: placement named": "2",
    }
    assert subheaders(at)[0] == "12 active EHC plans at 31 Mar 2025, up from 5 in January 2019"
    assert subheaders(shown["Overdue reviews"])[0].startswith("4 annual reviews overdue at 31 Mar 2025")
    assert subheaders(shown["Phase transfers"])[0] == (
        "September 2025 transfers: 2 of 4 placements named by the deadline (50%)"
    )
    assert subheaders(shown["Ceased plans"])[0].startswith("3 EHC plans ceased Apr 2024 to Mar 2025")
    for label, each in shown.items():
        assert not each.exception, label
        # A table twin and a download for every chart.
        assert len(each.get("download_button")) == len(each.get("plotly_chart")) > 0, label


def test_the_breakdown_control_changes_the_view(shown):
    at = shown["Caseload"]
    at.radio(key="plans_by").set_value("District").run()
    assert not at.exception
    assert subheaders(at)[1] == "Burnley grew most in the year to 31 Mar 2025: 3 to 4 active plans"


def test_without_the_reviews_extract_the_review_sections_say_so(monkeypatch, tmp_path):
    folder = tmp_path / "no_reviews"
    shutil.copytree(PLANS_DIR, folder)
    (folder / "annual_reviews.csv").unlink()
    monkeypatch.setenv("SEND_DATA_DIR", str(folder))
    monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path / "state"))
    at = in_section(PAGE, "Overdue reviews")
    assert not at.exception
    assert list(tiles(at)) == ["Active EHC plans at 31 Mar 2025"]
    assert "annual reviews extract (annual_reviews.csv) is not available" in plain(at.warning[0].value)
    # Without the plans extract the page stops and says why; the other pages carry on (test_pages.py). A plans
    # file that is refused is an error, as for every extract.
    folder = shutil.copytree(folder, tmp_path / "no_plans")
    (folder / "ehcp_plans.csv").unlink()
    monkeypatch.setenv("SEND_DATA_DIR", str(folder))
    at = in_section(PAGE, "Caseload")
    assert not at.exception and not at.metric and not at.error
    # Not supplied is not a fault: the page says so as information.
    assert "does not supply the EHC plans extract (ehcp_plans.csv), an optional extract" in plain(
        at.info[0].value
    )
    folder = shutil.copytree(folder, tmp_path / "refused_plans")
    (folder / "ehcp_plans.csv").write_text("plan_id;child_id\nP1;C1\n")
    monkeypatch.setenv("SEND_DATA_DIR", str(folder))
    at = in_section(PAGE, "Caseload")
    assert not at.exception and not at.metric
    assert "semicolon-delimited" in plain(at.error[0].value)
