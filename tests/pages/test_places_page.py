"""The Educational psychology and Specialist places pages under AppTest, and the figures the bundled sample promises.

The pages are run from their own files (each draws the shared sidebar through ui.start_page), so these
tests do not depend on app.py. Fixture figures are worked out in tests/test_ep_places_queries.py.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.build.loader import BUNDLED_DATA_DIR
from dashboard.filters import Filters
from dashboard.measures import places
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


def test_places_page_shows_the_fixture_figures(capacity_env):
    at = start(PLACES_PAGE)
    assert not at.exception
    assert metrics(at) == {
        "Commissioned places": "215",
        "Occupancy": "100.9%",                                  # 217 / 215
        "Settings over 100%": "3 of 7",                         # S1, S3, S6
        "Places added (target 20)": "22",        # 214 at 16 Jan 2025 less 192
        "New special school (Sep 2026)": "60 places",           # Meadow View
    }
    assert statuses(at) == {"Occupancy": "▲ At risk",                  # within 10% above the 95% level
                            "Places added (target 20)": "✔ Met",
                            "New special school (Sep 2026)": "✔ On track"}
    titles = subheaders(at)
    assert titles[0] == "Occupancy 100.9% at the 15 May 2025 census: 217 children in 215 commissioned places"
    assert titles[2].startswith("No spare places (2 more children than places) overall at 15 May 2025; "
                                "2 designations have more children than places, most of all ASD (over by 6)")
    assert "22 places added since the 16 May 2024 census, against the 20 target: ✔ Met (23 by 15 May 2025)" in titles
    assert len(charts(at)) == PLACES_CHARTS
    settings = at.dataframe[-1].value
    assert len(settings) == 7 and list(settings["Over 100%"]).count("▲ Yes") == 3


def test_places_census_control(capacity_env):
    at = start(PLACES_PAGE)
    at.selectbox(key="census").set_value("2024-10-03").run()
    assert not at.exception
    got = metrics(at)
    assert got["Commissioned places"] == "212"
    assert got["Occupancy"] == "98.6%"                          # 209 / 212
    assert got["Settings over 100%"] == "2 of 6"                # S1 and S6; Meadow View not yet listed
    # Demand against spare places uses the census too: ASD 2 new plans in the 12 months to October 2024.
    assert ("ASD: 2 new plans naming a specialist placement in 12 months, against 0 spare places; "
            "SEMH: 1 against 0 spare places") in subheaders(at)


def test_places_setting_type_and_breakdown_controls(capacity_env):
    at = start(PLACES_PAGE)
    at.multiselect(key="setting_type").set_value(["sen_unit", "independent_special"]).run()
    assert not at.exception
    assert metrics(at)["Commissioned places"] == "33"   # Heron 8 and Oakwood 25
    assert metrics(at)["Settings over 100%"] == "1 of 2"
    at.radio(key="places_by").set_value("District").run()
    groups = at.dataframe[1].value           # the table twin of the second chart
    assert list(groups["District"]) == ["Out of area", "Lancaster"]
    # The same view from a link.
    linked = start(PLACES_PAGE, setting_type=["sen_unit", "independent_special"], places_by="District",
                   census="2024-10-03")
    assert metrics(linked)["Commissioned places"] == "30"   # Heron 8 and Oakwood 22
    assert list(linked.dataframe[1].value["District"]) == ["Out of area", "Lancaster"]


def test_places_need_filter_uses_the_designation(capacity_env):
    at = start(PLACES_PAGE, need="ASD")
    assert metrics(at)["Commissioned places"] == "118"   # Brookfield 110 and Heron 8


def test_places_page_without_requests_hides_only_the_demand_charts(capacity_env, monkeypatch, tmp_path):
    folder = tmp_path / "no_requests"
    shutil.copytree(CAPACITY_DIR, folder)
    (folder / "ehcp_requests.csv").write_text("request_id;child_id\nR1;C1\n")
    monkeypatch.setenv("SEND_DATA_DIR", str(folder))
    at = start(PLACES_PAGE)
    assert not at.exception
    assert any("ehcp_requests.csv" in w.value and "demand" in w.value for w in at.warning)
    assert len(charts(at)) == PLACES_CHARTS - 2
    assert metrics(at)["Commissioned places"] == "215"


def test_sample_specialist_places_pipeline_and_the_2027_school(sample):
    run, as_of = sample.query, sample.as_of
    promise = places.commitment(run, as_of)
    assert (promise.baseline_census, promise.baseline_places) == (date(2025, 5, 15), 2782)
    assert promise.baseline_places == promise.target.baseline   # the census agrees with targets.csv
    assert (promise.judged_census, promise.added, promise.judgement.label) == (date(2025, 10, 2), 253, "✔ Met")
    before = places.commitment(run, date(2025, 6, 30))
    assert (before.added, before.planned_by_due, before.judgement.label) == (0, 212, "✔ On track")
    school = places.new_school(run, as_of)
    assert (school.name, school.places, school.opens, school.judgement.label) == (
        "Skylark Fields School", 150, date(2027, 9, 1), "✔ On track")
    pipeline = places.pipeline(run, Filters(date(2018, 1, 1), as_of), as_of)
    assert int(pipeline["planned_places"].sum()) == 362         # 212 opened in September 2025 and the 150
    occupancy = places.occupancy(run, Filters(date(2018, 1, 1), as_of), date(2026, 10, 1))
    assert round(occupancy.rate.percent, 1) == 105.5


def test_sample_asd_demand_far_outstrips_spare_asd_places(sample):
    gap = places.demand_vs_spare(sample.query, Filters(date(2018, 1, 1), sample.as_of), date(2026, 10, 1))
    top = gap.iloc[0]
    assert (top["need"], int(top["new_specialist_plans"]), int(top["spare"])) == ("ASD", 645, -57)
    assert list(gap["need"][:2]) == ["ASD", "SEMH"]
