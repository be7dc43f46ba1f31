"""EP and specialist places queries and measures on a real DuckDB over tests/fixtures/capacity, by hand.

The fixture's EP advice requests (requested -> completed, days taken; late = more than 42):
  baseline  B01-B12  two a month Sep 2024 to Feb 2025, all in-house, each 14 or 15 days (on time)
  Mar 2025  C01 (7), C02 (53, late), C03 (42, on time: the boundary), C04 (23)
  Apr 2025  C05 (60, late), C06 (26), C07 (29; completed 30 Apr, so not in that month end's backlog)
  May 2025  C08 (53, late), C09 (32), C10 (32), C11 (21), C12 (103, late; completed 31 May, the as-of date)
  open      O01 Burnley 20 May 2025, O02 Preston 10 Apr 2025, O03 Lancaster 28 Feb 2025,
            O04 Burnley 1 Nov 2024, O05 Preston 15 May 2024
  cancelled X01 (never in the backlog: the extract has no cancellation date)
Linked to EHC requests (for need, age and the 20-week link): B01->R01, B03 and C12->R15, C02->R13,
O02->R09 (SLCN, 11), O04->R08 (ASD, 5), O05->R14 (SEMH, 17); the rest carry request ids the requests
extract does not have (allowed by the contract, with a warning).

Specialist places, commissioned/occupied at the four censuses (16 May 2024, 3 Oct 2024, 16 Jan 2025,
15 May 2025): S1 Brookfield (special, Burnley, ASD) 100/104 (10 planned for 1 Sep 2024), 110/112,
110/112, 110/115; S2 Riverside (resourced, Preston, SLCN) 12/10, 12/12, 12/12, 12/11; S3 Heron unit
(SEN unit, Lancaster, ASD) 0/0 (8 planned for 1 Sep 2024), 8/6, 8/8, 8/9; S4 Oakwood (independent,
out of area, SEMH) 20/20, 22/22, 24/24, 25/25; S5 Hillside (academy, Preston, MIXED) 50/45 throughout;
S6 Northgate (AP, Lancaster, SEMH) 10/12 throughout; S7 Meadow View (new special school, Lancaster,
SEMH) 0/0 with 60 planned for 1 Sep 2026, from January 2025.
Totals: commissioned 192, 212, 214, 215; occupied 191, 209, 213, 217.

Targets (reference/targets.csv): 6 additional EP assessments from 1 Mar to 31 May 2025; 20 additional
places by 31 Dec 2024 from 192 at 20 May 2024; a new special school by 1 Sep 2027; occupancy 95%.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.charts import capacity as capacity_charts
from dashboard.filters import Filters
from dashboard.measures import Rate, Window, ep, places, rag
from dashboard.serving.store import open_store

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"
AS_OF = date(2025, 5, 31)
SCOPE_ALL = {"localities": [], "districts": [], "needs": [], "age_groups": []}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    store = open_store(CAPACITY_DIR, tmp_path_factory.mktemp("capacity_state"), today=date(2025, 6, 30))
    assert store.as_of == AS_OF  # C12 completed on 31 May 2025, the latest date in the extracts
    yield store.query
    store.close()


def everything(start: date = date(2014, 9, 1), end: date = date(2030, 12, 31), **scope) -> Filters:
    return Filters(start, end, **scope)


# --- EP: requests, completions and the backlog ---------------------------------------------------------

def test_ep_monthly_counts_and_backlog_at_each_month_end(run):
    frame = ep.monthly(run, everything(date(2025, 3, 1), date(2025, 5, 31)), AS_OF)
    assert list(frame["month"].dt.strftime("%Y-%m")) == ["2025-03", "2025-04", "2025-05"]
    assert list(frame["requested"]) == [5, 4, 2]       # C01 C04 C06 C08 X01; C07 C09 C10 O02; C11 O01
    assert list(frame["completed"]) == [4, 3, 5]
    assert list(frame["completed_within_6_weeks"]) == [3, 2, 3]  # late: C02; C05; C08 and C12
    # 31 Mar: C05 C06 C08 C12 O03 O04 O05. 30 Apr: C08 C09 C10 C12 O02 O03 O04 O05. 31 May: the five open.
    assert list(frame["backlog"]) == [7, 8, 5]
    assert list(frame["over_6_weeks"]) == [3, 5, 4]
    assert frame["six_week_rate"].round(2).tolist() == [75.0, 66.67, 60.0]


@pytest.mark.parametrize("end", [date(2025, 4, 30), date(2025, 5, 31), date(2025, 4, 20)])
def test_querying_through_the_as_of_date_and_cutting_gives_the_same_rows(run, end):
    # The page queries to the as-of date once and cuts at the period end, so a new period end costs no query.
    filters = everything(date(2025, 1, 1), date(2025, 5, 31))
    assert ep.monthly(run, filters, end, by="provider", through=AS_OF).equals(
        ep.monthly(run, filters, end, by="provider"))
    shared, alone = ep.commitment(run, end, through=AS_OF), ep.commitment(run, end)
    assert (shared.completions, shared.additional, shared.judgement) == (alone.completions, alone.additional,
                                                                         alone.judgement)
    assert shared.progress.equals(alone.progress)
    assert ep.by_area(run, filters, end, "district", through=AS_OF).equals(ep.by_area(run, filters, end, "district"))
    assert ep.delay_by_quarter(run, filters, end, through=AS_OF).equals(ep.delay_by_quarter(run, filters, end))


def test_backlog_age_profile_at_a_month_end(run):
    # At 31 Mar 2025: C06 (11 days), C08 (21), O03 (31) and C12 (requested 17 Feb: exactly 42 days, so still
    # within six weeks); C05 (56 days); O04 (150) and O05 (320).
    got = ep.backlog(run, everything(), date(2025, 3, 31))
    assert got.open == 7
    assert got.by_age == {"Up to 6 weeks": 4, "6 to 12 weeks": 1, "12 to 20 weeks": 0, "20 to 52 weeks": 2,
                          "Over 52 weeks": 0}
    assert got.over_six_weeks == 3


def test_backlog_at_the_as_of_date_has_one_request_in_each_age_band(run):
    # O01 11 days, O02 51, O03 92, O04 211, O05 381; C12 was completed that day and has left the backlog.
    got = ep.backlog(run, everything(), AS_OF)
    assert (got.open, got.over_six_weeks) == (5, 4)
    assert list(got.by_age.values()) == [1, 1, 1, 1, 1]


def test_advice_leaves_the_backlog_on_the_day_it_is_completed(run):
    # C02 was completed on 14 Mar 2025. X01 (cancelled) never counts.
    assert ep.backlog(run, everything(), date(2025, 3, 13)).open == 9
    assert ep.backlog(run, everything(), date(2025, 3, 14)).open == 8


@pytest.mark.parametrize(("scope", "expected"), [
    ({"districts": ("Burnley",)}, 2),               # O01, O04
    ({"localities": ("Central",)}, 2),              # Preston: O02, O05
    ({"needs": ("SLCN",)}, 1),                      # O02, through its request R09
    ({"needs": ("ASD",)}, 1),                       # O04, through R08; unlinked O01 and O03 drop out
    ({"age_groups": ("11 to 15",)}, 1),             # O02 (R09, aged 11)
    ({"districts": ("Burnley' or '1'='1",)}, 0),    # a value, never SQL
])
def test_filters_narrow_the_backlog(run, scope, expected):
    assert ep.backlog(run, everything(**scope), AS_OF).open == expected


@pytest.mark.parametrize(("window", "expected"), [
    (Window(date(2025, 3, 1), date(2025, 3, 31)), Rate(3, 4)),
    (Window(date(2025, 3, 1), date(2025, 5, 31)), Rate(8, 12)),
    (Window(date(2024, 9, 1), date(2025, 2, 28)), Rate(12, 12)),
    (Window(date(2025, 3, 21), date(2025, 3, 21)), Rate(1, 1)),   # C03 took exactly 42 days: on time
    (Window(date(2025, 5, 31), date(2025, 5, 31)), Rate(0, 1)),   # C12 took 103 days
])
def test_six_week_timeliness_by_completion_date(run, window, expected):
    assert ep.six_week_rate(run, everything(), window) == expected


def test_timeliness_by_provider_hides_rates_on_fewer_than_ten(run):
    frame = ep.monthly(run, everything(date(2025, 5, 1), date(2025, 5, 31)), AS_OF, by="provider")
    rows = {r.breakdown: (r.completed, r.completed_within_6_weeks) for r in frame.itertuples()}
    assert rows == {"agency": (2, 0), "in_house": (2, 2), "locum": (1, 1)}  # C08 C12; C09 C10; C11
    assert frame["six_week_rate"].isna().all()


def test_ep_by_district_and_locality(run):
    frame = ep.by_area(run, everything(), AS_OF, "district")
    # Completed Jun 2024-May 2025: Burnley B01 B03 B07 B10 C01 C02 C04 C05 C09 C10 C12 (late: C02 C05 C12);
    # Preston B02 B05 B08 B11 C06 C07; Lancaster B04 B06 B09 B12 C03 C08 C11 (late: C08).
    assert [tuple(r) for r in frame[["area", "backlog", "over_6_weeks", "completed",
                                     "completed_within_6_weeks"]].itertuples(index=False)] == [
        ("Burnley", 2, 1, 11, 8), ("Preston", 2, 2, 6, 6), ("Lancaster", 1, 1, 7, 6)]
    assert frame["six_week_rate"].round(1).tolist()[0] == 72.7
    assert frame["six_week_rate"].isna().tolist() == [False, True, True]   # fewer than 10 completions
    localities = ep.by_area(run, everything(), AS_OF, "locality")
    assert list(localities["area"]) == ["Central", "East", "North"]        # backlog 2, 2, 1; ties by name


# --- EP: the commitment to additional assessments ------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2025, 6, 5), date(2026, 3, 5), 9.0),
    (date(2025, 3, 1), date(2025, 4, 1), 1.0),
    (date(2025, 6, 5), date(2025, 6, 30), 25 / 30),
    (date(2025, 1, 31), date(2025, 2, 28), 1.0),    # the 31st to the last day of February is a month
    (date(2025, 6, 5), date(2025, 6, 5), 0.0),
])
def test_months_elapsed_counts_calendar_months(start, end, expected):
    assert ep.months_elapsed(start, end) == pytest.approx(expected)


def test_add_months_exact_is_the_inverse_of_months_elapsed():
    assert ep.add_months_exact(date(2025, 3, 1), 4.0) == date(2025, 7, 1)
    assert ep.add_months_exact(date(2025, 6, 5), 9.5) == date(2026, 3, 21)   # 5 Mar + half of 31 days
    assert ep.months_elapsed(date(2025, 6, 5), ep.add_months_exact(date(2025, 6, 5), 9.5)) == pytest.approx(
        9 + 16 / 31)


def test_commitment_baseline_is_the_six_full_months_before_the_start(run):
    got = ep.commitment(run, AS_OF)
    assert got.baseline_window == Window(date(2024, 9, 1), date(2025, 2, 28))
    assert (got.baseline_completions, got.baseline_monthly) == (12, 2.0)
    assert got.months_total == 3.0                 # 1 Mar to 31 May, both days counted
    assert got.required_monthly == 2.0             # 6 additional in 3 months


def test_additional_completions_against_the_baseline_at_each_month_end(run):
    got = ep.commitment(run, AS_OF)
    progress = got.progress
    assert list(progress["cumulative"]) == [4, 7, 12]
    assert list(progress["baseline_expected"]) == [2.0, 4.0, 6.0]
    assert list(progress["additional"]) == [2.0, 3.0, 6.0]
    assert list(progress["required"]) == [2.0, 4.0, 6.0]


@pytest.mark.parametrize(("at", "additional", "expected", "label", "projected", "needed"), [
    # 4 completed less 2 at the baseline rate = 2, exactly the straight line: on track.
    (date(2025, 3, 31), 2.0, 2.0, "✔ On track", date(2025, 6, 1), 2.0),
    # 7 - 4 = 3 against 4 needed; the amber band is 10% of 4, so 3 is off track. At 1.5 a month the six
    # are reached 4 months after 1 Mar; 3 more are needed in the one month left.
    (date(2025, 4, 30), 3.0, 4.0, "✖ Off track", date(2025, 7, 1), 3.0),
    # 12 - 6 = 6 by the due date: met.
    (date(2025, 5, 31), 6.0, 6.0, "✔ Met", date(2025, 6, 1), None),
])
def test_commitment_status_projection_and_run_rate(run, at, additional, expected, label, projected, needed):
    got = ep.commitment(run, at)
    assert (got.additional, got.expected, got.judgement.label) == (additional, expected, label)
    assert got.projected_date == projected
    assert got.needed_monthly_from_now == needed


def test_commitment_part_way_through_a_month(run):
    # 1-16 Mar: C01 and C02 completed; 16 days of March's 31 at 2 a month.
    got = ep.commitment(run, date(2025, 3, 16))
    assert got.completions == 2
    assert got.additional == pytest.approx(2 - 2 * 16 / 31)


def test_commitment_reached_month_and_not_before_it_starts(run):
    assert ep.commitment(run, AS_OF).reached_month == date(2025, 5, 31)
    assert ep.commitment(run, date(2025, 4, 30)).reached_month is None
    assert ep.commitment(run, date(2025, 2, 28)) is None


# --- EP: how late advice feeds the 20-week failure -----------------------------------------------------

def test_plans_issued_by_whether_their_ep_advice_was_late(run):
    frame = ep.delay_by_quarter(run, everything(date(2024, 1, 1), date(2025, 3, 31)), date(2025, 3, 31))
    assert list(frame["quarter"].dt.strftime("%Y-%m")) == ["2024-01", "2024-04", "2024-07", "2024-10", "2025-01"]
    # Q1 2024: R01 (within 20 weeks; EP B01 on time) and R03 (late, no EP advice recorded).
    # Q2 2024: R04, R05, R16, none with EP advice. Q1 2025: R13 (within; C02 late) and R15 (late; its
    # slowest advice C12 was late, though B03 was on time).
    assert list(frame["plans_issued"]) == [2, 3, 0, 0, 2]
    assert list(frame["late_ep_advice"]) == [0, 0, 0, 0, 2]
    assert list(frame["late_ep_advice_within_20_weeks"]) == [0, 0, 0, 0, 1]
    assert list(frame["timely_ep_advice"]) == [1, 0, 0, 0, 0]
    assert list(frame["no_ep_advice"]) == [1, 3, 0, 0, 0]
    effect = ep.delay_effect(frame)
    assert effect == ep.DelayEffect(7, Rate(2, 3), Rate(1, 2), Rate(1, 1))


# --- Specialist places: occupancy ------------------------------------------------------------------------

def test_places_at_each_census(run):
    frame = places.census(run, everything())
    assert list(frame["snapshot_date"].dt.strftime("%Y-%m-%d")) == ["2024-05-16", "2024-10-03", "2025-01-16",
                                                                   "2025-05-15"]
    assert list(frame["commissioned"]) == [192, 212, 214, 215]
    assert list(frame["occupied"]) == [191, 209, 213, 217]
    assert list(frame["settings_over_capacity"]) == [2, 2, 2, 3]   # S1 and S6; then S3 too in May 2025


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
    assert pd.isna(frame.loc["900007", "occupancy_pct"])           # Meadow View: no places yet
    assert frame.loc["900007", "planned_places"] == 60


@pytest.mark.parametrize(("scope", "setting_types", "expected"), [
    ({"localities": ("North",)}, (), (18, 21)),                   # Lancaster: S3 8/9, S6 10/12, S7 0/0
    ({"districts": ("Preston",)}, (), (62, 56)),                  # S2, S5; out-of-area S4 drops out
    ({"needs": ("ASD",)}, (), (118, 124)),                        # designation: S1 and S3
    ({}, ("independent_special", "sen_unit"), (33, 34)),          # S4 25/25 and S3 8/9
    ({"needs": ("SEMH",)}, ("alternative_provision",), (10, 12)),
])
def test_filters_and_setting_types_narrow_places(run, scope, setting_types, expected):
    got = places.occupancy(run, everything(**scope), date(2025, 5, 15), setting_types)
    assert (got.commissioned, got.occupied) == expected


def test_spare_places_by_designation(run):
    frame = places.by_group(run, everything(), date(2025, 5, 15), "designation")
    assert {r.breakdown: r.spare for r in frame.itertuples()} == {"ASD": -6, "MIXED": 5, "SEMH": -2, "SLCN": 1}
    assert list(frame["breakdown"]) == ["ASD", "MIXED", "SEMH", "SLCN"]   # most commissioned first
    assert frame.set_index("breakdown").loc["SEMH", "free_in_settings_with_room"] == 0


def test_places_by_setting_type_and_locality(run):
    types = places.by_group(run, everything(), date(2025, 5, 15), "setting_type")
    assert types.set_index("breakdown").loc["special_maintained", ["settings", "commissioned", "occupied"]].tolist() \
        == [2, 110, 115]
    assert "Special school (maintained)" in set(types["group"])
    localities = places.by_group(run, everything(), date(2025, 5, 15), "locality")
    assert set(localities["group"]) == {"East", "Central", "North", "Out of area"}


def test_independent_special_places_over_time(run):
    frame = places.independent_over_time(run, everything())
    assert list(frame["occupied_independent"]) == [20, 22, 24, 25]
    # Specialist settings (not AP) in May 2025: 115 + 11 + 9 + 25 + 45 + 0 = 205 occupied.
    assert frame["occupied"].tolist()[-1] == 205
    assert frame["independent_share"].tolist()[-1] == pytest.approx(100 * 25 / 205)


# --- Specialist places: pipeline and commitments ---------------------------------------------------------

def test_pipeline_of_planned_places(run):
    frame = places.pipeline(run, everything(), AS_OF)
    assert [(r.setting_id, r.planned_places, r.opened, r.new_setting) for r in frame.itertuples()] == [
        ("900001", 10, True, False), ("900003", 8, True, True), ("900007", 60, False, True)]
    assert frame.set_index("setting_id").loc["900007", "first_recorded"] == pd.Timestamp("2025-01-16")


@pytest.mark.parametrize(("at", "added", "planned_by_due", "judged", "label"), [
    # Only the baseline census so far: 0 added + 18 planned for 1 Sep 2024 = 18, within 10% of 20.
    (date(2024, 6, 30), 0, 18, None, "▲ At risk"),
    # October 2024 census: 212 - 192 = 20 added, before the due date.
    (date(2024, 10, 31), 20, 0, None, "✔ On track"),
    # Judged on the first census on or after 31 Dec 2024 (16 Jan 2025): 214 - 192 = 22.
    (AS_OF, 22, 0, date(2025, 1, 16), "✔ Met"),
])
def test_cumulative_places_added_against_the_target(run, at, added, planned_by_due, judged, label):
    got = places.commitment(run, at)
    assert (got.baseline_census, got.baseline_places) == (date(2024, 5, 16), 192)
    assert (got.added, got.planned_by_due, got.judged_census, got.judgement.label) == (
        added, planned_by_due, judged, label)


def test_places_added_at_every_census_and_planned_by_opening_date(run):
    got = places.commitment(run, AS_OF)
    assert list(got.progress["added"]) == [0, 20, 22, 23]
    assert got.latest_added == 23
    assert list(got.planned["planned"]) == [0, 18, 78]
    assert list(got.planned["snapshot_date"].dt.strftime("%Y-%m-%d")) == ["2024-05-16", "2024-09-01", "2026-09-01"]


def test_new_special_school_is_a_new_special_school_not_a_new_unit(run):
    got = places.new_school(run, AS_OF)        # Heron's new unit had 0 places too, but is not a school
    assert (got.name, got.places, got.opens, got.judgement.label) == (
        "Meadow View School", 60, date(2026, 9, 1), "✔ On track")


def test_occupancy_is_judged_against_the_planning_level(run):
    got = places.occupancy_judgement(run, Rate(217, 215))
    assert got.label == "▲ At risk"            # 100.9% is above 95% but within 10% of it (104.5%)


# --- Demand for specialist places -----------------------------------------------------------------------

def test_new_plans_naming_a_specialist_placement(run):
    frame = places.demand_monthly(run, everything(), Window(date(2023, 11, 1), date(2024, 10, 31)))
    # R02 Dec 2023 (SEMH, special), R03 Mar 2024 (SLCN, academy), R16 Apr 2024 (ASD, special),
    # R05 May 2024 (ASD, resourced); R01 and R04 were mainstream.
    assert [(m.strftime("%Y-%m"), n, c) for m, n, c in frame.itertuples(index=False)] == [
        ("2023-12", "SEMH", 1), ("2024-03", "SLCN", 1), ("2024-04", "ASD", 1), ("2024-05", "ASD", 1)]
    wide, shown = places.demand_by_need(frame, Window(date(2024, 2, 1), date(2024, 5, 31)), top=1)
    assert shown == ["ASD"]                        # 2 plans; SLCN (1) goes into 'other'; SEMH is before the window
    assert wide.to_dict("list") == {"month": list(pd.date_range("2024-02-01", "2024-05-01", freq="MS")),
                                    "ASD": [0, 0, 1, 1], "other": [0, 1, 0, 0]}


def test_demand_versus_spare_by_designation(run):
    # 12 months to the October 2024 census: ASD 2, SEMH 1, SLCN 1 new plans. Spare places then, in specialist
    # settings (not AP): ASD 118 - 118 = 0, SEMH 22 - 22 = 0 (Oakwood), SLCN 0, MIXED 50 - 45 = 5.
    frame = places.demand_vs_spare(run, everything(), date(2024, 10, 3))
    assert [tuple(r) for r in frame[["need", "new_specialist_plans", "spare", "gap"]].itertuples(index=False)] == [
        ("ASD", 2, 0, 2), ("SEMH", 1, 0, 1), ("SLCN", 1, 0, 1), ("MIXED", 0, 5, -5)]


def test_demand_versus_spare_for_sen_units_counts_resourced_provision_plans(run):
    # SEN units provide the plans' resourced_provision placement: R05 (ASD); Heron unit had 8 - 6 = 2 spare.
    frame = places.demand_vs_spare(run, everything(), date(2024, 10, 3), ("sen_unit",))
    assert [tuple(r) for r in frame[["need", "new_specialist_plans", "spare", "gap"]].itertuples(index=False)] == [
        ("ASD", 1, 2, -1)]
    assert places.placement_types_for(("alternative_provision",)) == ()
    assert places.placement_types_for(()) == (
        "special_maintained", "special_academy", "resourced_provision", "independent_special")


# --- The raw queries -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "params", "expected"), [
    ("targets", {}, [("ep_additional_assessments", 6.0, date(2025, 5, 31), date(2025, 3, 1)),
                     ("new_special_school", 1.0, date(2027, 9, 1), date(2024, 5, 20)),
                     ("specialist_occupancy_pct", 95.0, date(2026, 12, 31), None),
                     ("specialist_places_added", 20.0, date(2024, 12, 31), date(2024, 5, 20)),
                     ("twenty_week_rate_ex", 46.4, date(2026, 12, 31), date(2024, 12, 31))]),
])
def test_target_queries(run, name, params, expected):
    frame = run(name, params)
    rows = [(r.metric, r.target, None if pd.isna(r.due_date) else r.due_date.date(),
             None if pd.isna(r.baseline_date) else r.baseline_date.date()) for r in frame.itertuples()]
    assert rows == expected


def test_raw_ep_monthly_returns_every_month_and_group_even_when_empty(run):
    frame = run("ep_monthly", {**SCOPE_ALL, "by": "district", "period_start": date(2024, 6, 1),
                               "period_end": date(2024, 7, 31)})
    # Only O05 (Preston) was waiting then; every district that has EP rows gets a row per month.
    assert [(m.strftime("%Y-%m"), b, k) for m, b, k in frame[["month", "breakdown", "backlog"]].itertuples(
        index=False)] == [("2024-06", "Burnley", 0), ("2024-06", "Lancaster", 0), ("2024-06", "Preston", 1),
                          ("2024-07", "Burnley", 0), ("2024-07", "Lancaster", 0), ("2024-07", "Preston", 1)]


def test_raw_ep_delay_query_fills_empty_months(run):
    frame = run("ep_delay_and_twenty_weeks", {**SCOPE_ALL, "period_start": date(2024, 3, 1),
                                              "period_end": date(2024, 6, 30)})
    assert frame["plans_issued"].tolist() == [1, 1, 2, 0]      # R03 (Mar); R16 (Apr); R04 and R05 (May)


def test_raw_places_queries_bind_every_value(run):
    params = {"localities": [], "districts": ["Preston' or '1'='1"], "needs": [], "setting_types": []}
    assert run("places_census", {**params, "by": "all", "period_start": date(2024, 1, 1),
                                 "period_end": date(2025, 12, 31)}).empty
    assert run("places_settings", {**params, "census_date": date(2025, 5, 15)}).empty
    assert run("places_pipeline", {**params, "at": AS_OF}).empty
    demand = run("specialist_demand_monthly", {**SCOPE_ALL, "start": date(2024, 1, 1), "end": date(2024, 12, 31),
                                               "placement_types": ["special_maintained"]})
    assert demand["plans"].tolist() == [1]      # R16


# --- The red, amber and green rule -------------------------------------------------------------------------

@pytest.mark.parametrize(("actual", "kwargs", "label"), [
    (100, {}, "✔ On track"),                      # at the target
    (90, {}, "▲ At risk"),                        # 10% below: the edge of amber
    (89.9, {}, "✖ Off track"),
    (45, {"expected": 50}, "▲ At risk"),          # against the level expected by now, not the target
    (44.9, {"expected": 50}, "✖ Off track"),
    (50, {"expected": 50}, "✔ On track"),
    (95, {"margin": 5}, "▲ At risk"),             # an amber band in the measure's own units
    (94, {"margin": 5}, "✖ Off track"),
    (100, {"due_passed": True}, "✔ Met"),
    (92, {"due_passed": True}, "▲ Missed narrowly"),
    (80, {"due_passed": True}, "✖ Missed"),
])
def test_rag_higher_is_better(actual, kwargs, label):
    assert rag.judge(actual, 100, polarity=rag.HIGHER_IS_BETTER, **kwargs).label == label


@pytest.mark.parametrize(("actual", "kwargs", "label"), [
    (95, {}, "✔ On track"),
    (104.5, {}, "▲ At risk"),                     # 10% above 95
    (104.6, {}, "✖ Off track"),
    (120, {"expected": 110}, "▲ At risk"),        # within 11 of the 110 expected by now
    (121.1, {"expected": 110}, "✖ Off track"),
    (-5, {}, "✔ On track"),
])
def test_rag_lower_is_better(actual, kwargs, label):
    assert rag.judge(actual, 95, polarity=rag.LOWER_IS_BETTER, **kwargs).label == label


def test_rag_boundaries_survive_floating_point():
    assert rag.judge(0.1 + 0.2, 0.3, polarity=rag.LOWER_IS_BETTER).label == "✔ On track"   # 0.30000000000000004
    assert rag.judge(0.9 * 46.4, 46.4, polarity=rag.HIGHER_IS_BETTER).label == "▲ At risk"


def test_rag_rule_is_stated_in_words():
    got = rag.judge(30, 46.4, polarity=rag.HIGHER_IS_BETTER, expected=40, unit="percent")
    assert got.status is rag.Status.RED and got.status.symbol == "✖"
    assert got.rule == ("On track when at or above 40%, the level needed by now on a straight line to the target "
                        "of 46.4%; at risk when below it by no more than 10% (4%); off track otherwise.")
    assert rag.judge(0, 0, polarity=rag.LOWER_IS_BETTER).rule == (
        "On track when at or below the target of 0; at risk when above it by no more than 10% (0); "
        "off track otherwise.")
    with pytest.raises(ValueError):
        rag.judge(1, 1, polarity="sideways")


def test_expected_by_is_a_straight_line():
    line = {"start": date(2025, 1, 1), "due": date(2025, 1, 11), "start_value": 100.0, "target": 0.0}
    assert [rag.expected_by(date(2025, 1, d), **line) for d in (1, 6, 11, 20)] == [100.0, 50.0, 0.0, 0.0]


@pytest.mark.parametrize(("done", "planned", "at", "label"), [
    (False, date(2027, 9, 1), date(2026, 10, 31), "✔ On track"),
    (False, date(2028, 1, 1), date(2026, 10, 31), "✖ Off track"),
    (False, None, date(2026, 10, 31), "✖ Off track"),
    (True, date(2027, 9, 1), date(2027, 10, 1), "✔ Met"),
    (False, date(2027, 9, 1), date(2027, 10, 1), "✖ Missed"),
])
def test_rag_milestones(done, planned, at, label):
    assert rag.judge_milestone(done=done, planned=planned, due=date(2027, 9, 1), at=at).label == label


def test_target_from_a_targets_row(run):
    target = rag.targets(run)["specialist_occupancy_pct"]
    assert target == rag.Target("specialist_occupancy_pct", "Specialist place occupancy", 95.0, "percent",
                                date(2026, 12, 31), None, None, "lower_is_better", "Fixture: keep about 5% of places free")


# --- Chart builders ----------------------------------------------------------------------------------------

def test_chart_builders_mark_milestones_and_tell_series_apart_without_colour(run):
    events = run("events", {"period_start": date(2024, 1, 1), "period_end": date(2025, 12, 31)})
    frame = ep.monthly(run, everything(date(2025, 3, 1), date(2025, 5, 31)), AS_OF)
    bars = capacity_charts.stacked_bars(frame, "month", list(ep.AGE_BANDS), y_title="Open", events=events)
    shapes = [t.marker.pattern.shape for t in bars.data]
    assert len(set(shapes)) == len(shapes) == 5
    # Hatching drawn over the bar's colour: the default ("replace") leaves white-on-white, invisible bars.
    assert {t.marker.pattern.fillmode for t in bars.data} == {"overlay"}
    assert [a.text for a in bars.layout.annotations] == ["Area SEND inspection", "Improvement Notice issued"]
    lines = capacity_charts.lines(frame, "month", [("requested", "Requested"), ("completed", "Completed")],
                                  y_title="Per month")
    assert len({(t.line.dash, t.marker.symbol) for t in lines.data}) == 2
    promise = ep.commitment(run, AS_OF)
    chart = capacity_charts.commitment(promise.progress, "month_end", ("additional", "Additional"),
                                       required=("required", "Required"), target=6, target_text="Target: 6",
                                       due=promise.due, due_text="Due 31 May 2025", y_title="Additional")
    assert [a.text for a in chart.layout.annotations] == ["Target: 6", "Due 31 May 2025"]
    assert list(chart.data[0].y) == [2.0, 3.0, 6.0]
    spare = places.by_group(run, everything(), date(2025, 5, 15), "designation")
    figure = capacity_charts.spare_places(spare, "breakdown")
    assert list(figure.data[0].text) == ["over by 6", "5 spare", "over by 2", "1 spare"]
    assert list(figure.data[0].marker.pattern.shape) == ["x", "", "x", ""]   # over-full bars are hatched
