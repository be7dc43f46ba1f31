"""The Demand and capacity outlook page under AppTest on the bundled sample (the fixtures are too short for a
forecast). Figures are the model's (tests/outlook); here: the page draws them, its controls drive the simulator,
scenarios round-trip through the URL and bad values in it are refused, and a scenario goes into a snapshot."""

from __future__ import annotations

import pytest

from dashboard.outlook import model
from dashboard.outlook.simulator import Capacity
from tests.helpers import SAMPLE_DIR, charts, in_section, plain, switch_section, text, tiles, views_shown

PAGE = "pages/outlook.py"
MORE = {"ol_decisions": "320", "ol_ep": "300", "ol_plans": "330"}


@pytest.fixture()
def sample(app_data):
    app_data(SAMPLE_DIR)


@pytest.fixture(scope="module")
def outlook(sample_store):
    return model.prepare(sample_store.query, sample_store.as_of)


def test_the_simulator_starts_at_recent_capacity_and_its_controls_redraw_it(sample, outlook):
    at = in_section(PAGE, "Backlog simulator")
    assert not at.exception
    assert views_shown(at) == ["outlook_backlog", "outlook_rate", "outlook_compare"]
    assert tiles(at) == {
        "Overdue backlog clears": "never at this capacity",
        "20-week rate reaches 46.4%": "never at this capacity",
    }
    assert [n.value for n in at.number_input] == [216.0, 235.3, 261.7, -7.9]
    at.number_input(key="ol_decisions").set_value(320.0)
    at.number_input(key="ol_ep").set_value(300.0)
    at.number_input(key="ol_plans").set_value(330.0).run()
    assert not at.exception
    expected = model.scenario(outlook, Capacity(320, 300, 330, -7.9))
    assert tiles(at) == {
        "Overdue backlog clears": f"{expected.cleared:%B %Y}",
        "20-week rate reaches 46.4%": f"{expected.reached:%B %Y}",
    }

    # Name it and keep it: it goes into the address and onto the comparison chart with the current one.
    at.text_input(key="ol_name").input("More staff")
    at.button(key="ol_keep").click().run()
    assert not at.exception
    assert at.query_params["scenario"] in ("More staff~320~300~330~-7.9", ["More staff~320~300~330~-7.9"])
    (compare,) = [c for c in charts(at) if any(t.get("name") == "More staff: overdue" for t in c["data"])]
    assert [t["name"] for t in compare["data"]] == ["This scenario: overdue", "More staff: overdue"]
    assert "More staff (320.0 decisions" in text(at)

    # Into a snapshot: made, kept with the others, and it carries the scenarios' comparison.
    at.button(key="ol_snapshot").click().run()
    assert not at.exception
    assert "Snapshot made" in text(at)


def test_scenarios_and_controls_from_the_address_are_validated(sample):
    at = in_section(
        PAGE,
        "Backlog simulator",
        scenario=["Plan B~300~250~280~0", "=HYPERLINK(1)~1~1~1~1", "Big~1e99~1~1~1", "Short~1~2"],
        ol_ep="-50",
    )
    assert not at.exception
    assert "A scenario in the address was not valid and is left out." in text(at)
    (compare,) = [c for c in charts(at) if any("Plan B" in (t.get("name") or "") for t in c["data"])]
    assert [t["name"] for t in compare["data"]] == ["This scenario: overdue", "Plan B: overdue"]
    # A value out of range is not used: the control keeps its default.
    assert at.number_input(key="ol_ep").value == 235.3


def test_the_forecast_section_shows_the_model_its_backtests_and_a_locality(sample):
    at = in_section(PAGE, "Demand forecast", ol_locality="East")
    assert not at.exception
    assert views_shown(at) == ["outlook_forecast", "outlook_backtest", "outlook_backtest_2023"]
    words = text(at)
    assert "ETS(A,N,A)" in words and "What it cannot do" in words
    assert "forecast for the East locality" in plain(at.subheader[0].value)
    assert "could not foresee 2023's step" in plain(at.subheader[2].value)
    at = switch_section(at, "Reaching the target")
    assert views_shown(at) == ["outlook_requirement"]
    # By the target's due date (Dec 2026), at the recent capacity: decisions are the limit.
    assert "decisions (or the time left) are the limit" in text(at)
    at = switch_section(at, "Simulator validation")
    assert views_shown(at) == ["outlook_validation"]
    assert "the overdue within 19%" in plain(at.subheader[0].value)
