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
from dashboard.measures import ep, places
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


# --- Educational psychology ------------------------------------------------------------------------------

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


# --- Specialist places -----------------------------------------------------------------------------------

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


def test_pages_stop_with_a_message_when_their_extract_is_missing(capacity_env, monkeypatch, tmp_path):
    folder = tmp_path / "no_places"
    shutil.copytree(CAPACITY_DIR, folder)
    (folder / "specialist_places.csv").unlink()
    (folder / "ep_assessments.csv").unlink()
    monkeypatch.setenv("SEND_DATA_DIR", str(folder))
    for page, filename in ((PLACES_PAGE, "specialist_places.csv"), (EP_PAGE, "ep_assessments.csv")):
        at = start(page)
        assert not at.exception
        assert filename in at.error[0].value
        assert not at.get("plotly_chart")


# --- The bundled sample's story ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    store = open_store(BUNDLED_DATA_DIR, tmp_path_factory.mktemp("sample_state"), today=date(2026, 11, 30))
    yield store
    store.close()


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


@pytest.mark.parametrize(("page", "expected"), [
    (EP_PAGE, {"EP backlog at 31 Oct 2026": "180", "Additional EP assessments (target 1,200)": "1,099"}),
    (PLACES_PAGE, {"Places added (target 200)": "253", "New special school (Sep 2027)": "150 places"}),
])
def test_pages_on_the_bundled_sample(monkeypatch, tmp_path_factory, page, expected):
    monkeypatch.delenv("SEND_DATA_DIR", raising=False)
    monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path_factory.getbasetemp() / "sample_app_state"))
    at = start(page)
    assert not at.exception
    got = metrics(at)
    assert {label: got[label] for label in expected} == expected
    assert len(charts(at)) == (EP_CHARTS if page == EP_PAGE else PLACES_CHARTS)


@pytest.mark.parametrize(("page", "query"), [
    (EP_PAGE, {"need": "PMLD"}),                                              # no EP advice for this need
    (EP_PAGE, {"from": "2023-08", "to": "2023-09"}),                          # before any EP request
    (PLACES_PAGE, {"district": "Burnley", "setting_type": "alternative_provision"}),  # no such setting
    (PLACES_PAGE, {"from": "2023-08", "to": "2023-09"}),                      # before the first census
])
def test_pages_say_so_when_nothing_matches(capacity_env, page, query):
    at = start(page, **query)
    assert not at.exception
    assert at.title[0].value
