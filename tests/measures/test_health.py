"""Health measures on a real DuckDB over tests/fixtures/health, with answers worked out by hand.

The fixture and its hand-worked figures are in tests/fixtures/health/README.md.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.dates import Window
from dashboard.measures import Rate, health
from tests.helpers import everything

AS_OF = date(2025, 6, 16)  # R4's plan, the latest date in the requests and EP extracts
HALF_YEAR = Window(date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture()
def run(health_store):
    assert health_store.as_of == AS_OF
    return health_store.query


def test_advice_on_day_42_is_within_six_weeks_and_on_day_43_is_not(run):
    frame = health.completed(run, everything(), HALF_YEAR)
    by_id = frame.set_index(["month", "service", "provider"])
    march = pd.Timestamp("2025-03-01")
    # A1: 4 Feb to 18 Mar 2025 is 42 days (within); A2: 4 Feb to 19 Mar is 43 days (late).
    paediatrics = by_id.loc[(march, "community_paediatrics", "acute_east")]
    assert (paediatrics["completed"], paediatrics["within_6_weeks"]) == (1, 1)
    march_salt = by_id.loc[(march, "speech_and_language", "community_trust")]
    assert (march_salt["completed"], march_salt["within_6_weeks"]) == (2, 0)  # A2 (43 days) and A12 (56 days)


def test_health_and_social_care_six_week_rates(run):
    frame = health.completed(run, everything(), HALF_YEAR)
    # Health completed: A12 A1 A2 A3 A5 A6 A11 = 7; within 42 days: A1 (42) A3 (34) A6 (42) = 3.
    assert health.six_week_rate(frame) == Rate(3, 7)
    # Social care: A4 (70 days, late), A9 (42 days, within). A8 is cancelled, A7 and A10 are open.
    assert health.six_week_rate(frame, health.SOCIAL_CARE) == Rate(1, 2)


def test_six_week_rates_by_service_and_provider(run):
    frame = health.completed(run, everything(), HALF_YEAR)
    services = health.by_service(frame).set_index("service")
    assert services["completed"].to_dict() == {
        "community_paediatrics": 3,
        "speech_and_language": 2,
        "physiotherapy": 1,
        "camhs": 1,
        "social_care": 2,
    }
    assert services["within_6_weeks"].to_dict() == {
        "community_paediatrics": 3,
        "speech_and_language": 0,
        "physiotherapy": 0,
        "camhs": 0,
        "social_care": 1,
    }
    # Every service has fewer than 10 completions, so no rate is given.
    assert services["rate"].isna().all()
    providers = health.by_provider(frame).set_index("provider")
    assert providers.loc["community_trust", ["completed", "within_6_weeks"]].tolist() == [3, 0]  # A12 A2 A5
    assert providers.loc["acute_central", ["completed", "within_6_weeks"]].tolist() == [2, 2]  # A3 A6


def test_the_filters_apply_through_the_ehc_request(run):
    # Burnley's requests are R1 and R3: A1 (within), A2 (late), A5 (late).
    frame = health.completed(run, everything(districts=("Burnley",)), HALF_YEAR)
    assert health.six_week_rate(frame) == Rate(1, 3)


def test_open_advice_and_its_age(run):
    # At 16 Jun 2025: A7 (requested 8 Apr, 69 days) and A10 (1 May, 46 days, for a request not in the
    # requests extract): both 6 to 12 weeks. A8 is cancelled, so never open.
    frame = health.open_advice(run, everything(), AS_OF)
    assert sorted(zip(frame["service"], frame["band"], frame["open_advice"], strict=True)) == [
        ("community_paediatrics", "6 to 12 weeks", 1),
        ("speech_and_language", "6 to 12 weeks", 1),
    ]
    # At 30 Apr 2025: A7, A9 and A11 (requested 8 Apr, 22 days) are open and not yet six weeks old.
    april = health.open_advice(run, everything(), date(2025, 4, 30))
    assert april.groupby("band")["open_advice"].sum().to_dict() == {"Up to 6 weeks": 3}
    # At 31 Mar 2025: A4 (4 Feb, 55 days) and A5 (11 Feb, 48 days).
    march = health.open_advice(run, everything(), date(2025, 3, 31))
    assert march.groupby("band")["open_advice"].sum().to_dict() == {"6 to 12 weeks": 2}


def test_the_input_holding_up_late_plans_each_month(run):
    frame = health.bottlenecks(run, everything(), Window(date(2025, 5, 1), date(2025, 6, 30))).set_index(
        "month"
    )
    may, june = frame.loc["2025-05-01"], frame.loc["2025-06-01"]
    # May: R1 (119 days, within 20 weeks) and R6 (161 days, late). R6's EP advice took 35 days, its speech and
    # language advice 56: health advice held it up.
    assert (may["plans_issued"], may["issued_late"]) == (2, 1)
    assert (may["late_with_late_ep"], may["late_with_late_health"], may["late_with_late_social_care"]) == (
        0,
        1,
        0,
    )
    assert may["bottleneck"] == "health"
    # June: R2, R3, R4 all after 147 or 154 days. R2: EP 43 days (late), paediatrics 34, social care 70 (late);
    # R3: EP 37, CAMHS 70 (late); R4: EP 49 (late), paediatrics 42 (within). EP late on 2 of 3: the bottleneck.
    assert (june["plans_issued"], june["issued_late"]) == (3, 3)
    assert (june["late_with_late_ep"], june["late_with_late_health"], june["late_with_late_social_care"]) == (
        2,
        1,
        1,
    )
    assert june["late_with_no_late_advice"] == 0
    assert june["bottleneck"] == "ep"


def test_a_month_with_no_late_plans_has_no_bottleneck(run):
    frame = health.bottlenecks(run, everything(), Window(date(2025, 4, 1), date(2025, 4, 30)))
    assert frame["plans_issued"].tolist() == [0] and frame["bottleneck"].tolist() == [""]


def test_the_waiting_list_is_the_sum_of_its_bands_and_the_share_over_13_weeks(run):
    frame = health.waits(run, Window(date(2025, 4, 1), date(2025, 6, 30)))
    june = frame[frame["month"] == "2025-06-01"]
    # Autism 5-18 East: 28+24+14+8+8 = 82; Greater Preston 20; ADHD East 3+2 = 5. List 107.
    assert june.set_index(["pathway", "place"])["waiting_list"].to_dict() == {
        ("adhd", "east_lancashire"): 5,
        ("autism_5_to_18", "east_lancashire"): 82,
        ("autism_5_to_18", "greater_preston"): 20,
    }
    # Over 13 weeks: (82 - 28) + (20 - 20) + (5 - 3) = 56 of 107.
    assert health.share_over_standard(june) == Rate(56, 107)
    totals = health.monthly_totals(frame)
    # Referrals against completions: 20 v 10, 22 v 12, 33 v 18 (the list grows every month: 70, 78, 107).
    assert totals["referrals_received"].tolist() == [20, 22, 33]
    assert totals["assessments_completed"].tolist() == [10, 12, 18]
    assert totals["waiting_list"].tolist() == [70, 78, 107]


def test_months_to_clear_at_the_current_completion_rate(run):
    frame = health.waits(run, Window(date(2025, 4, 1), date(2025, 6, 30)))
    clear = health.months_to_clear(frame).set_index(["pathway", "place"])
    # Autism East: 82 / mean(10, 12, 8) = 82 / 10 = 8.2; Greater Preston: 20 / 10 (its one month) = 2.0;
    # ADHD East completed none, so its list would never clear at that rate.
    assert clear.loc[("autism_5_to_18", "east_lancashire"), "months_to_clear"] == pytest.approx(8.2)
    assert clear.loc[("autism_5_to_18", "greater_preston"), "months_to_clear"] == pytest.approx(2.0)
    assert (
        clear.loc[("adhd", "east_lancashire"), "months_to_clear"]
        != clear.loc[("adhd", "east_lancashire"), "months_to_clear"]
    )  # NaN
    # All of it: 107 / mean(10, 12, 18) = 107 / (40 / 3) = 8.025.
    assert health.months_to_clear_all(frame) == pytest.approx(8.025)


def test_each_health_query_runs_by_name_with_bound_parameters(run):
    scope = everything().scope_params()
    period = {**scope, "period_start": date(2025, 1, 1), "period_end": date(2025, 6, 30)}
    assert int(run("health_advice_completed", period)["completed"].sum()) == 9  # 7 health and 2 social care
    assert int(run("health_advice_open", {**scope, "at": AS_OF})["open_advice"].sum()) == 2  # A7 and A10
    assert run("advice_bottleneck", period)["issued_late"].tolist() == [0, 0, 0, 0, 1, 3]
    waits = run(
        "neurodevelopmental_waits", {"period_start": date(2025, 6, 1), "period_end": date(2025, 6, 30)}
    )
    assert int(waits["waiting_list"].sum()) == 107
    assert len(run("health_providers", {})) == 8  # the bundled reference file's providers
