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
