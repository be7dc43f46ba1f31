"""EP advice measures on a real DuckDB over tests/fixtures/capacity, with answers worked out by hand.

The fixture and the hand-worked figures the tests use are in tests/fixtures/capacity/README.md.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.dates import Window
from dashboard.filters import whole_area
from dashboard.measures import Rate, ep
from tests.helpers import everything

AS_OF = date(2025, 5, 31)

SCOPE_ALL = whole_area()


@pytest.fixture()
def run(capacity_store):
    assert capacity_store.as_of == AS_OF  # C12 completed on 31 May 2025, the latest date in the extracts
    return capacity_store.query


def test_ep_monthly_counts_and_backlog_at_each_month_end(run):
    frame = ep.monthly(run, everything(date(2025, 3, 1), date(2025, 5, 31)), AS_OF)
    assert list(frame["month"].dt.strftime("%Y-%m")) == ["2025-03", "2025-04", "2025-05"]
    assert list(frame["requested"]) == [5, 4, 2]  # C01 C04 C06 C08 X01; C07 C09 C10 O02; C11 O01
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
        ep.monthly(run, filters, end, by="provider")
    )
    shared, alone = ep.commitment(run, end, through=AS_OF), ep.commitment(run, end)
    assert (shared.completions, shared.additional, shared.judgement) == (
        alone.completions,
        alone.additional,
        alone.judgement,
    )
    assert shared.progress.equals(alone.progress)
    assert ep.by_area(run, filters, end, "district", through=AS_OF).equals(
        ep.by_area(run, filters, end, "district")
    )
    assert ep.delay_by_quarter(run, filters, end, through=AS_OF).equals(
        ep.delay_by_quarter(run, filters, end)
    )


def test_backlog_age_profile_at_a_month_end(run):
    # At 31 Mar 2025: C06 (11 days), C08 (21), O03 (31) and C12 (requested 17 Feb: exactly 42 days, so still
    # within six weeks); C05 (56 days); O04 (150) and O05 (320).
    got = ep.backlog(run, everything(), date(2025, 3, 31))
    assert got.open == 7
    assert got.by_age == {
        "Up to 6 weeks": 4,
        "6 to 12 weeks": 1,
        "12 to 20 weeks": 0,
        "20 to 52 weeks": 2,
        "Over 52 weeks": 0,
    }
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


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"districts": ("Burnley",)}, 2),  # O01, O04
        ({"localities": ("Central",)}, 2),  # Preston: O02, O05
        ({"needs": ("SLCN",)}, 1),  # O02, through its request R09
        ({"needs": ("ASD",)}, 1),  # O04, through R08; unlinked O01 and O03 drop out
        ({"age_groups": ("11 to 15",)}, 1),  # O02 (R09, aged 11)
        ({"districts": ("Burnley' or '1'='1",)}, 0),  # a value, never SQL
    ],
)
def test_filters_narrow_the_backlog(run, scope, expected):
    assert ep.backlog(run, everything(**scope), AS_OF).open == expected


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Window(date(2025, 3, 1), date(2025, 3, 31)), Rate(3, 4)),
        (Window(date(2025, 3, 1), date(2025, 5, 31)), Rate(8, 12)),
        (Window(date(2024, 9, 1), date(2025, 2, 28)), Rate(12, 12)),
        (Window(date(2025, 3, 21), date(2025, 3, 21)), Rate(1, 1)),  # C03 took exactly 42 days: on time
        (Window(date(2025, 5, 31), date(2025, 5, 31)), Rate(0, 1)),  # C12 took 103 days
    ],
)
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
    assert [
        tuple(r)
        for r in frame[
            ["area", "backlog", "over_6_weeks", "completed", "completed_within_6_weeks"]
        ].itertuples(index=False)
    ] == [("Burnley", 2, 1, 11, 8), ("Preston", 2, 2, 6, 6), ("Lancaster", 1, 1, 7, 6)]
    assert frame["six_week_rate"].round(1).tolist()[0] == 72.7
    assert frame["six_week_rate"].isna().tolist() == [False, True, True]  # fewer than 10 completions
    localities = ep.by_area(run, everything(), AS_OF, "locality")
    assert list(localities["area"]) == ["Central", "East", "North"]  # backlog 2, 2, 1; ties by name


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 6, 5), date(2026, 3, 5), 9.0),
        (date(2025, 3, 1), date(2025, 4, 1), 1.0),
        (date(2025, 6, 5), date(2025, 6, 30), 25 / 30),
        (date(2025, 1, 31), date(2025, 2, 28), 1.0),  # the 31st to the last day of February is a month
        (date(2025, 6, 5), date(2025, 6, 5), 0.0),
    ],
)
def test_months_elapsed_counts_calendar_months(start, end, expected):
    assert ep.months_elapsed(start, end) == pytest.approx(expected)


def test_add_months_exact_is_the_inverse_of_months_elapsed():
    assert ep.add_months_exact(date(2025, 3, 1), 4.0) == date(2025, 7, 1)
    assert ep.add_months_exact(date(2025, 6, 5), 9.5) == date(2026, 3, 21)  # 5 Mar + half of 31 days
    assert ep.months_elapsed(date(2025, 6, 5), ep.add_months_exact(date(2025, 6, 5), 9.5)) == pytest.approx(
        9 + 16 / 31
    )


def test_commitment_baseline_is_the_six_full_months_before_the_start(run):
    got = ep.commitment(run, AS_OF)
    assert got.baseline_window == Window(date(2024, 9, 1), date(2025, 2, 28))
    assert (got.baseline_completions, got.baseline_monthly) == (12, 2.0)
    assert got.months_total == 3.0  # 1 Mar to 31 May, both days counted
    assert got.required_monthly == 2.0  # 6 additional in 3 months


def test_additional_completions_against_the_baseline_at_each_month_end(run):
    got = ep.commitment(run, AS_OF)
    progress = got.progress
    assert list(progress["cumulative"]) == [4, 7, 12]
    assert list(progress["baseline_expected"]) == [2.0, 4.0, 6.0]
    assert list(progress["additional"]) == [2.0, 3.0, 6.0]
    assert list(progress["required"]) == [2.0, 4.0, 6.0]


@pytest.mark.parametrize(
    ("at", "additional", "expected", "label", "projected", "needed"),
    [
        # 4 completed less 2 at the baseline rate = 2, exactly the straight line: on track.
        (date(2025, 3, 31), 2.0, 2.0, "✔ On track", date(2025, 6, 1), 2.0),
        # 7 - 4 = 3 against 4 needed; the amber band is 10% of 4, so 3 is off track. At 1.5 a month the six
        # are reached 4 months after 1 Mar; 3 more are needed in the one month left.
        (date(2025, 4, 30), 3.0, 4.0, "✖ Off track", date(2025, 7, 1), 3.0),
        # 12 - 6 = 6 by the due date: met.
        (date(2025, 5, 31), 6.0, 6.0, "✔ Met", date(2025, 6, 1), None),
    ],
)
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


def test_plans_issued_by_whether_their_ep_advice_was_late(run):
    frame = ep.delay_by_quarter(run, everything(date(2024, 1, 1), date(2025, 3, 31)), date(2025, 3, 31))
    assert list(frame["quarter"].dt.strftime("%Y-%m")) == [
        "2024-01",
        "2024-04",
        "2024-07",
        "2024-10",
        "2025-01",
    ]
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
    # Every share is on fewer than 10 plans, so none is given (and none drawn).
    assert frame[["late_share", "late_twenty_week_rate", "timely_twenty_week_rate"]].isna().all().all()


def test_raw_ep_monthly_returns_every_month_and_group_even_when_empty(run):
    frame = run(
        "ep_monthly",
        {**SCOPE_ALL, "by": "district", "period_start": date(2024, 6, 1), "period_end": date(2024, 7, 31)},
    )
    # Only O05 (Preston) was waiting then; every district that has EP rows gets a row per month.
    assert [
        (m.strftime("%Y-%m"), b, k)
        for m, b, k in frame[["month", "breakdown", "backlog"]].itertuples(index=False)
    ] == [
        ("2024-06", "Burnley", 0),
        ("2024-06", "Lancaster", 0),
        ("2024-06", "Preston", 1),
        ("2024-07", "Burnley", 0),
        ("2024-07", "Lancaster", 0),
        ("2024-07", "Preston", 1),
    ]


def test_raw_ep_delay_query_fills_empty_months(run):
    frame = run(
        "ep_delay_and_twenty_weeks",
        {**SCOPE_ALL, "period_start": date(2024, 3, 1), "period_end": date(2024, 6, 30)},
    )
    assert frame["plans_issued"].tolist() == [1, 1, 2, 0]  # R03 (Mar); R16 (Apr); R04 and R05 (May)
