"""The red, amber and green rule and the targets it reads, with answers worked out by hand.

The fixture and the hand-worked figures the tests use are in tests/fixtures/capacity/README.md.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.filters import whole_area
from dashboard.measures import rag

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"

AS_OF = date(2025, 5, 31)

SCOPE_ALL = whole_area()


@pytest.fixture()
def run(capacity_store):
    return capacity_store.query


@pytest.mark.parametrize(
    ("actual", "kwargs", "label"),
    [
        (100, {}, "✔ On track"),  # at the target
        (90, {}, "▲ At risk"),  # 10% below: the edge of amber
        (89.9, {}, "✖ Off track"),
        (45, {"expected": 50}, "▲ At risk"),  # against the level expected by now, not the target
        (44.9, {"expected": 50}, "✖ Off track"),
        (50, {"expected": 50}, "✔ On track"),
        (95, {"margin": 5}, "▲ At risk"),  # an amber band in the measure's own units
        (94, {"margin": 5}, "✖ Off track"),
        (100, {"due_passed": True}, "✔ Met"),
        (92, {"due_passed": True}, "▲ Missed narrowly"),
        (80, {"due_passed": True}, "✖ Missed"),
    ],
)
def test_rag_higher_is_better(actual, kwargs, label):
    assert rag.judge(actual, 100, polarity=rag.HIGHER_IS_BETTER, **kwargs).label == label


@pytest.mark.parametrize(
    ("actual", "kwargs", "label"),
    [
        (95, {}, "✔ On track"),
        (104.5, {}, "▲ At risk"),  # 10% above 95
        (104.6, {}, "✖ Off track"),
        (120, {"expected": 110}, "▲ At risk"),  # within 11 of the 110 expected by now
        (121.1, {"expected": 110}, "✖ Off track"),
        (-5, {}, "✔ On track"),
    ],
)
def test_rag_lower_is_better(actual, kwargs, label):
    assert rag.judge(actual, 95, polarity=rag.LOWER_IS_BETTER, **kwargs).label == label


def test_rag_boundaries_survive_floating_point():
    assert (
        rag.judge(0.1 + 0.2, 0.3, polarity=rag.LOWER_IS_BETTER).label == "✔ On track"
    )  # 0.30000000000000004
    assert rag.judge(0.9 * 46.4, 46.4, polarity=rag.HIGHER_IS_BETTER).label == "▲ At risk"


def test_rag_rule_is_stated_in_words():
    got = rag.judge(30, 46.4, polarity=rag.HIGHER_IS_BETTER, expected=40, unit="percent")
    assert got.status is rag.Status.RED and got.status.symbol == "✖"
    assert got.rule == (
        "On track when at or above 40%, the level needed by now on a straight line to the target "
        "of 46.4%; at risk when below it by no more than 10% (4%); off track otherwise."
    )
    assert rag.judge(0, 0, polarity=rag.LOWER_IS_BETTER).rule == (
        "On track when at or below the target of 0; at risk when above it by no more than 10% (0); "
        "off track otherwise."
    )
    with pytest.raises(ValueError):
        rag.judge(1, 1, polarity="sideways")


def test_expected_by_is_a_straight_line():
    line = {"start": date(2025, 1, 1), "due": date(2025, 1, 11), "start_value": 100.0, "target": 0.0}
    assert [rag.expected_by(date(2025, 1, d), **line) for d in (1, 6, 11, 20)] == [100.0, 50.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("done", "planned", "at", "label"),
    [
        (False, date(2027, 9, 1), date(2026, 10, 31), "✔ On track"),
        (False, date(2028, 1, 1), date(2026, 10, 31), "✖ Off track"),
        (False, None, date(2026, 10, 31), "✖ Off track"),
        (True, date(2027, 9, 1), date(2027, 10, 1), "✔ Met"),
        (False, date(2027, 9, 1), date(2027, 10, 1), "✖ Missed"),
    ],
)
def test_rag_milestones(done, planned, at, label):
    assert rag.judge_milestone(done=done, planned=planned, due=date(2027, 9, 1), at=at).label == label


def test_target_from_a_targets_row(run):
    target = rag.targets(run)["specialist_occupancy_pct"]
    assert target == rag.Target(
        "specialist_occupancy_pct",
        "Specialist place occupancy",
        95.0,
        "percent",
        date(2026, 12, 31),
        None,
        None,
        "lower_is_better",
        "Fixture: keep about 5% of places free",
    )


def test_the_targets_are_read_once_per_data_version_and_shared_unchangeable(capacity_store, monkeypatch):
    """Every page and tile reads the targets; in the app they are turned into Targets once and handed to every
    caller, so nobody can change them."""
    from dashboard.app import state

    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=16))
    made = []
    monkeypatch.setattr(
        rag.Target, "from_row", classmethod(lambda cls, row: made.append(row) or row["metric"])
    )
    first = rag.targets(state.runner(capacity_store))
    assert made and "specialist_occupancy_pct" in first
    count = len(made)
    assert rag.targets(state.runner(capacity_store)) is first
    assert len(made) == count  # not made again
    with pytest.raises(TypeError):
        first["specialist_occupancy_pct"] = None


def test_the_required_path_is_the_straight_line_from_the_baseline_to_the_target():
    target = rag.Target(
        "m", "M", 20.0, "count", date(2024, 12, 31), 0.0, date(2024, 5, 16), "higher_is_better", "s"
    )
    # 229 days from baseline to due: 108 days in is 20 x 108 / 229; before the baseline there is no path.
    assert rag.required_path(
        target, [date(2024, 5, 1), date(2024, 5, 16), date(2024, 9, 1), date(2025, 6, 1)]
    ) == [None, 0.0, pytest.approx(9.432, abs=0.001), 20.0]
    no_baseline = rag.Target(
        "m", "M", 95.0, "percent", date(2026, 12, 31), None, None, "lower_is_better", "s"
    )
    assert rag.required_path(no_baseline, [date(2026, 1, 1)]) == [None]
