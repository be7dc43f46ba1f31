"""Specialist places measures on a real DuckDB over tests/fixtures/capacity, with answers worked out by hand.

The fixture and the hand-worked figures the tests use are in tests/fixtures/capacity/README.md.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.dates import Window
from dashboard.filters import whole_area
from dashboard.measures import Rate, places
from tests.helpers import everything

AS_OF = date(2025, 5, 31)

SCOPE_ALL = whole_area()


@pytest.fixture()
def run(capacity_store):
    assert capacity_store.as_of == AS_OF  # C12 completed on 31 May 2025, the latest date in the extracts
    return capacity_store.query


def test_places_at_each_census(run):
    frame = places.census(run, everything())
    assert list(frame["snapshot_date"].dt.strftime("%Y-%m-%d")) == [
        "2024-05-16",
        "2024-10-03",
        "2025-01-16",
        "2025-05-15",
    ]
    assert list(frame["commissioned"]) == [192, 212, 214, 215]
    assert list(frame["occupied"]) == [191, 209, 213, 217]
    assert list(frame["settings_over_capacity"]) == [2, 2, 2, 3]  # S1 and S6; then S3 too in May 2025


def test_occupancy_including_over_occupancy(run):
    got = places.occupancy(run, everything(), date(2025, 5, 15))
    assert (got.settings, got.commissioned, got.occupied, got.settings_over_capacity) == (7, 215, 217, 3)
    assert got.rate == Rate(217, 215) and got.rate.percent == pytest.approx(100.93, abs=0.005)
    assert got.spare == -2


def test_settings_flag_over_occupancy_and_leave_empty_settings_without_a_rate(run):
    frame = places.settings(run, everything(), date(2025, 5, 15)).set_index("setting_id")
    assert frame.loc["900001", ["commissioned", "occupied", "spare"]].tolist() == [110, 115, -5]
    assert frame.loc["900001", "occupancy_pct"] == pytest.approx(104.545, abs=0.001)
    assert sorted(frame.index[frame["over_capacity"]]) == ["900001", "900003", "900006"]
    assert pd.isna(frame.loc["900007", "occupancy_pct"])  # Meadow View: no places yet
    assert frame.loc["900007", "planned_places"] == 60


@pytest.mark.parametrize(
    ("scope", "setting_types", "expected"),
    [
        ({"localities": ("North",)}, (), (18, 21)),  # Lancaster: S3 8/9, S6 10/12, S7 0/0
        ({"districts": ("Preston",)}, (), (62, 56)),  # S2, S5; out-of-area S4 drops out
        ({"needs": ("ASD",)}, (), (118, 124)),  # designation: S1 and S3
        ({}, ("independent_special", "sen_unit"), (33, 34)),  # S4 25/25 and S3 8/9
        ({"needs": ("SEMH",)}, ("alternative_provision",), (10, 12)),
    ],
)
def test_filters_and_setting_types_narrow_places(run, scope, setting_types, expected):
    got = places.occupancy(run, everything(**scope), date(2025, 5, 15), setting_types)
    assert (got.commissioned, got.occupied) == expected


def test_spare_places_by_designation(run):
    frame = places.by_group(run, everything(), date(2025, 5, 15), "designation")
    assert {r.breakdown: r.spare for r in frame.itertuples()} == {
        "ASD": -6,
        "MIXED": 5,
        "SEMH": -2,
        "SLCN": 1,
    }
    assert list(frame["breakdown"]) == ["ASD", "MIXED", "SEMH", "SLCN"]  # most commissioned first
    assert frame.set_index("breakdown").loc["SEMH", "free_in_settings_with_room"] == 0


def test_places_by_setting_type_and_locality(run):
    types = places.by_group(run, everything(), date(2025, 5, 15), "setting_type")
    assert types.set_index("breakdown").loc[
        "special_maintained", ["settings", "commissioned", "occupied"]
    ].tolist() == [2, 110, 115]
    localities = places.by_group(run, everything(), date(2025, 5, 15), "locality")
    # Codes only: the views put them into words (tests/views/test_places.py).
    assert set(localities["breakdown"]) == {"East", "Central", "North", "out_of_area"}


def test_independent_special_places_over_time(run):
    frame = places.independent_over_time(run, everything())
    assert list(frame["occupied_independent"]) == [20, 22, 24, 25]
    # Specialist settings (not AP) in May 2025: 115 + 11 + 9 + 25 + 45 + 0 = 205 occupied.
    assert frame["occupied"].tolist()[-1] == 205
    assert frame["independent_share"].tolist()[-1] == pytest.approx(100 * 25 / 205)


def test_pipeline_of_planned_places(run):
    frame = places.pipeline(run, everything(), AS_OF)
    assert [(r.setting_id, r.planned_places, r.opened, r.new_setting) for r in frame.itertuples()] == [
        ("900001", 10, True, False),
        ("900003", 8, True, True),
        ("900007", 60, False, True),
    ]
    assert frame.set_index("setting_id").loc["900007", "first_recorded"] == pd.Timestamp("2025-01-16")


@pytest.mark.parametrize(
    ("at", "added", "planned_by_due", "judged", "label"),
    [
        # Only the baseline census so far: 0 added + 18 planned for 1 Sep 2024 = 18, within 10% of 20.
        (date(2024, 6, 30), 0, 18, None, "▲ At risk"),
        # October 2024 census: 212 - 192 = 20 added, before the due date.
        (date(2024, 10, 31), 20, 0, None, "✔ On track"),
        # Judged on the first census on or after 31 Dec 2024 (16 Jan 2025): 214 - 192 = 22.
        (AS_OF, 22, 0, date(2025, 1, 16), "✔ Met"),
    ],
)
def test_cumulative_places_added_against_the_target(run, at, added, planned_by_due, judged, label):
    got = places.commitment(run, at)
    assert (got.baseline_census, got.baseline_places) == (date(2024, 5, 16), 192)
    assert (got.added, got.planned_by_due, got.judged_census, got.judgement.label) == (
        added,
        planned_by_due,
        judged,
        label,
    )


def test_places_added_at_every_census_and_planned_by_opening_date(run):
    got = places.commitment(run, AS_OF)
    assert list(got.progress["added"]) == [0, 20, 22, 23]
    assert got.latest_added == 23
    assert list(got.planned["planned"]) == [0, 18, 78]
    assert list(got.planned["snapshot_date"].dt.strftime("%Y-%m-%d")) == [
        "2024-05-16",
        "2024-09-01",
        "2026-09-01",
    ]


@pytest.mark.parametrize(
    ("at", "counted", "planned_opened", "unplanned"),
    [
        # Not yet judged: counted at the latest census, 3 Oct 2024: 20 added = the 18 planned for 1 Sep 2024
        # (Brookfield 10, Heron unit 8) + Oakwood's 2 (20 -> 22), which no census recorded as planned.
        (date(2024, 10, 31), date(2024, 10, 3), 18, 2),
        # Judged at 16 Jan 2025: 22 added = 18 planned + Oakwood's 4 (20 -> 24). Meadow View's 60 open in 2026.
        (AS_OF, date(2025, 1, 16), 18, 4),
    ],
)
def test_places_added_split_into_planned_openings_and_growth_beyond_them(
    run, at, counted, planned_opened, unplanned
):
    got = places.commitment(run, at)
    assert (got.counted_census, got.planned_opened, got.unplanned) == (counted, planned_opened, unplanned)
    assert got.planned_opened + got.unplanned == got.added


def test_new_special_school_is_a_new_special_school_not_a_new_unit(run):
    got = places.new_school(run, AS_OF)  # Heron's new unit had 0 places too, but is not a school
    assert (got.name, got.places, got.opens, got.judgement.label) == (
        "Meadow View School",
        60,
        date(2026, 9, 1),
        "✔ On track",
    )


def test_occupancy_is_judged_against_the_planning_level(run):
    got = places.occupancy_judgement(run, Rate(217, 215))
    assert got.label == "▲ At risk"  # 100.9% is above 95% but within 10% of it (104.5%)


def test_new_plans_naming_a_specialist_placement(run):
    frame = places.demand_monthly(run, everything(), Window(date(2023, 11, 1), date(2024, 10, 31)))
    # R02 Dec 2023 (SEMH, special), R03 Mar 2024 (SLCN, academy), R16 Apr 2024 (ASD, special),
    # R05 May 2024 (ASD, resourced); R01 and R04 were mainstream.
    assert [(m.strftime("%Y-%m"), n, c) for m, n, c in frame.itertuples(index=False)] == [
        ("2023-12", "SEMH", 1),
        ("2024-03", "SLCN", 1),
        ("2024-04", "ASD", 1),
        ("2024-05", "ASD", 1),
    ]
    wide, shown = places.demand_by_need(frame, Window(date(2024, 2, 1), date(2024, 5, 31)), top=1)
    assert shown == ["ASD"]  # 2 plans; SLCN (1) goes into 'other'; SEMH is before the window
    assert wide.to_dict("list") == {
        "month": list(pd.date_range("2024-02-01", "2024-05-01", freq="MS")),
        "ASD": [0, 0, 1, 1],
        "other": [0, 1, 0, 0],
    }


@pytest.mark.parametrize(
    ("census", "at", "expected"),
    [
        # The 12 whole months ending with the census's month, as the monthly demand chart counts them.
        (date(2024, 10, 3), None, Window(date(2023, 11, 1), date(2024, 10, 31))),
        # ... cut at the date the figures are for when that comes first (the month is not over).
        (date(2025, 5, 15), date(2025, 5, 20), Window(date(2024, 6, 1), date(2025, 5, 20))),
    ],
)
def test_demand_window_is_whole_months_to_the_census_month(census, at, expected):
    assert places.demand_window(census, at) == expected


def test_demand_versus_spare_by_designation(run):
    # Nov 2023 to Oct 2024 (the census's month): ASD 2, SEMH 1, SLCN 1 new plans. Spare places at the
    # 3 Oct 2024 census, in specialist settings (not AP): ASD 118 - 118 = 0, SEMH 22 - 22 = 0 (Oakwood),
    # SLCN 0, MIXED 50 - 45 = 5.
    frame = places.demand_vs_spare(run, everything(), date(2024, 10, 3))
    assert [
        tuple(r) for r in frame[["need", "new_specialist_plans", "spare", "gap"]].itertuples(index=False)
    ] == [("ASD", 2, 0, 2), ("SEMH", 1, 0, 1), ("SLCN", 1, 0, 1), ("MIXED", 0, 5, -5)]


def test_demand_versus_spare_for_sen_units_counts_resourced_provision_plans(run):
    # SEN units provide the plans' resourced_provision placement: R05 (ASD); Heron unit had 8 - 6 = 2 spare.
    frame = places.demand_vs_spare(run, everything(), date(2024, 10, 3), ("sen_unit",))
    assert [
        tuple(r) for r in frame[["need", "new_specialist_plans", "spare", "gap"]].itertuples(index=False)
    ] == [("ASD", 1, 2, -1)]
    assert places.placement_types_for(("alternative_provision",)) == ()
    assert places.placement_types_for(()) == (
        "special_maintained",
        "special_academy",
        "resourced_provision",
        "independent_special",
    )


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        (
            "targets",
            {},
            [
                ("ep_additional_assessments", 6.0, date(2025, 5, 31), date(2025, 3, 1)),
                ("new_special_school", 1.0, date(2027, 9, 1), date(2024, 5, 20)),
                ("specialist_occupancy_pct", 95.0, date(2026, 12, 31), None),
                ("specialist_places_added", 20.0, date(2024, 12, 31), date(2024, 5, 20)),
                ("twenty_week_rate_ex", 46.4, date(2026, 12, 31), date(2024, 12, 31)),
            ],
        ),
    ],
)
def test_target_queries(run, name, params, expected):
    frame = run(name, params)
    rows = [
        (
            r.metric,
            r.target,
            None if pd.isna(r.due_date) else r.due_date.date(),
            None if pd.isna(r.baseline_date) else r.baseline_date.date(),
        )
        for r in frame.itertuples()
    ]
    assert rows == expected


def test_raw_places_queries_bind_every_value(run):
    params = {"localities": [], "districts": ["Preston' or '1'='1"], "needs": [], "setting_types": []}
    assert run(
        "places_census",
        {**params, "by": "all", "period_start": date(2024, 1, 1), "period_end": date(2025, 12, 31)},
    ).empty
    assert run("places_settings", {**params, "census_date": date(2025, 5, 15)}).empty
    assert run("places_pipeline", {**params, "at": AS_OF}).empty
    demand = run(
        "specialist_demand_monthly",
        {
            **SCOPE_ALL,
            "start": date(2024, 1, 1),
            "end": date(2024, 12, 31),
            "placement_types": ["special_maintained"],
        },
    )
    assert demand["plans"].tolist() == [1]  # R16
