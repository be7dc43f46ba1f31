"""The Educational psychology and Specialist places pages under AppTest, and the figures the bundled sample promises.

The pages are run from their own files (each draws the shared sidebar through ui.start_page), so these
tests do not depend on app.py. Fixture figures are worked out in tests/test_ep_places_queries.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.build.loader import BUNDLED_DATA_DIR
from dashboard.filters import Filters
from dashboard.measures import ep
from dashboard.serving.store import open_store

ROOT = Path(__file__).resolve().parents[2]

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"

EP_PAGE = "pages/educational_psychology.py"

PLACES_PAGE = "pages/specialist_places.py"

EP_CHARTS = 7

PLACES_CHARTS = 8

@pytest.fixture()
def capacity_env(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("SEND_DATA_DIR", str(CAPACITY_DIR))
    monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path_factory.getbasetemp() / "capacity_app_state"))

def start(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()

def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}

def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]

def statuses(at: AppTest) -> dict[str, str]:
    """The red/amber/green status shown on each tile that has one (as its delta, in the status colour)."""
    return {m.label: m.delta for m in at.metric if m.delta and m.delta[0] in "✔▲✖"}

def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]

def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    store = open_store(BUNDLED_DATA_DIR, tmp_path_factory.mktemp("sample_state"), today=date(2026, 11, 30))
    yield store
    store.close()


def test_ep_page_shows_the_fixture_figures(capacity_env):
    at = start(EP_PAGE)
    assert not at.exception
    assert at.title[0].value == "Educational psychology"
    assert metrics(at) == {
        "EP backlog at 31 May 2025": "5",                       # O01-O05
        "Backlog waiting over six weeks": "4",                  # all but O01
        "EP advice within six weeks (12 months)": "83.3%",      # 20 of the 24 completed Jun 2024-May 2025
        "Additional EP assessments (target 6)": "6",            # 12 completed less 3 months at 2 a month
    }
    assert statuses(at) == {"Additional EP assessments (target 6)": "✔ Met"}
    assert badges(at) == [":green-badge[✔ Met]"]                        # and beside the commitment chart
    titles = subheaders(at)
    # Month-end backlog peaked at 8 at the end of April 2025 (C08 C09 C10 C12 O02-O05).
    assert titles[0] == "EP backlog down from 8 at the end of April 2025 to 5 at 31 May 2025"
    assert titles[1].startswith("4 of the 5 open EP requests at 31 May 2025 have waited over six weeks; 2 over 20")
    assert "6 additional EP assessments by the due date (31 May 2025), against 6: ✔ Met" in titles
    assert len(charts(at)) == EP_CHARTS
    assert len(at.get("download_button")) == EP_CHARTS
    text = " ".join(m.value for m in at.markdown)
    assert "**Baseline:** 2.0 completions a month" in text and "(Sep 2024 to Feb 2025: 12 completions)" in text
    assert "**Status rule:** Met when at or above the target of 6" in text


def test_ep_period_control_moves_every_figure_to_the_new_end(capacity_env):
    at = start(EP_PAGE)
    at.selectbox(key="to").set_value("2025-04").run()
    assert not at.exception
    got = metrics(at)
    assert got["EP backlog at 30 Apr 2025"] == "8"
    assert got["Additional EP assessments (target 6)"] == "3"          # 7 completed less 2 months at 2
    assert badges(at) == [":red-badge[✖ Off track]"]                   # 3 against 4 needed by now
    text = " ".join(m.value for m in at.markdown)
    assert "**Projected:** at the rate so far, 6 would be reached on about 1 Jul 2025." in text


def test_ep_area_control_switches_between_districts_and_localities(capacity_env):
    at = start(EP_PAGE)
    areas = at.dataframe[-1].value
    assert list(areas["District"]) == ["Burnley", "Preston", "Lancaster"]
    assert list(areas["Backlog"]) == [2, 2, 1]
    at.radio(key="ep_by").set_value("Locality").run()
    assert not at.exception
    areas = at.dataframe[-1].value
    assert list(areas["Locality"]) == ["Central", "East", "North"]
    # Bound to the URL: a link with ?ep_by=Locality reproduces the view.
    assert list(start(EP_PAGE, ep_by="Locality").dataframe[-1].value["Locality"]) == ["Central", "East", "North"]


def test_ep_shared_filters_apply_through_the_url_and_the_sidebar(capacity_env):
    at = start(EP_PAGE, district="Preston")
    assert metrics(at)["EP backlog at 31 May 2025"] == "2"               # O02, O05
    # The commitment is for the whole area, so the filter leaves it alone.
    assert metrics(at)["Additional EP assessments (target 6)"] == "6"
    at = start(EP_PAGE)
    at.multiselect(key="need").set_value(["SLCN"]).run()
    assert metrics(at)["EP backlog at 31 May 2025"] == "1"               # O02, through request R09


def test_sample_ep_backlog_built_up_in_2024_25_and_is_being_worked_down(sample):
    run, as_of = sample.query, sample.as_of
    assert as_of == date(2026, 10, 31)
    monthly = ep.monthly(run, Filters(date(2024, 1, 1), as_of), as_of)
    peak = ep.peak_backlog(monthly)
    assert (peak["month"].strftime("%Y-%m"), int(peak["backlog"])) == ("2025-08", 1696)
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), date(2024, 1, 31)).open == 539
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), date(2025, 3, 31)).open == 1447
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), as_of).open == 180


def test_sample_additional_ep_assessments_since_the_notice(sample):
    got = ep.commitment(sample.query, sample.as_of)
    assert got.start == date(2025, 6, 5) and got.due == date(2026, 3, 5)
    assert got.baseline_window == ep.Window(date(2024, 12, 1), date(2025, 5, 31))
    assert (got.baseline_completions, got.baseline_monthly) == (957, 159.5)
    assert got.completions == 2540                     # 5 Jun 2025 to 5 Mar 2026, both days counted
    # 2,540 less 159.5 a month for 9 months and 1 day (1/31 of a month): about 1,100, just short of 1,200.
    assert got.additional == pytest.approx(2540 - 159.5 * (9 + 1 / 31))
    assert round(got.additional) == 1099
    assert got.judgement.label == "▲ Missed narrowly"
    assert got.reached_month == date(2026, 3, 31)
