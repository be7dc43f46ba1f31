"""The backlog-clearance simulator on small queues worked out by hand (no data, no Streamlit)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.outlook import simulator
from dashboard.outlook.simulator import Capacity, Caseload, Queue

START = date(2026, 1, 31)
OLD = date(2025, 6, 1)  # long overdue at the start


def caseload(**stages: list[tuple[date, float]]) -> Caseload:
    queues = {}
    for stage in simulator.STAGES:
        rows = stages.get(stage, [])
        queues[stage] = Queue(np.array([d.toordinal() for d, _ in rows]), np.array([n for _, n in rows]))
    return Caseload(START, queues)


def months(projection: pd.DataFrame) -> list[str]:
    return [m.strftime("%Y-%m") for m in projection["month"]]


# 100 overdue cases waiting for their plan; 20 requests a month, 20 decisions a month of which half go on
# (10 a month), 10 EP advice a month, 30 plans a month. By hand (a case moves one stage a month):
#   Feb: 30 old plans issued (none within 20 weeks) -> 70 old left; the decision queue is empty until
#        Feb's 20 arrive (received 15 Feb).
#   Mar: 30 old -> 40 left; Feb's 20 decided, 10 go on to EP advice.
#   Apr: 30 old -> 10 left; Feb's 10 get EP advice; Mar's 10 go on.
#   May: the last 10 old (late) and Feb's 10 (15 Feb to 15 May, 89 days: within) -> 20 issued, 10 within:
#        50%; no overdue case is left at 31 May, so the backlog clears in May.
#   From Jun every plan is a cohort three months old: 10 issued, all within 20 weeks, 100%.
FLOWING = Capacity(decisions=20, ep_advice=10, plans=30)


def test_a_queue_with_fixed_inflow_and_capacity_clears_in_the_month_worked_by_hand():
    start = caseload(plan=[(OLD, 100)])
    projection = simulator.simulate(start, [20] * 8, FLOWING, 0.5)
    assert months(projection)[:4] == ["2026-02", "2026-03", "2026-04", "2026-05"]
    assert projection["overdue"].round(6).tolist()[:5] == [70, 40, 10, 0, 0]
    assert projection["plans_issued"].round(6).tolist()[:5] == [30, 30, 30, 20, 10]
    assert projection["within_20_weeks"].round(6).tolist()[:5] == [0, 0, 0, 10, 10]
    assert projection["twenty_week_rate"].round(6).tolist()[:5] == [0, 0, 0, 50, 100]
    # Open at each month end: Feb 70 old + 20 arrivals = 90; Mar 40 old + 10 (Feb's at EP) + 20 = 70;
    # Apr 10 old + 10 (Feb's at plan) + 10 (Mar's at EP) + 20 = 50; May 10 (Mar's) + 10 (Apr's) + 20 = 40.
    assert projection["open"].round(6).tolist()[:4] == [90, 70, 50, 40]
    assert simulator.cleared_month(projection) == date(2026, 5, 1)
    assert simulator.target_month(projection, 46.4) == date(2026, 5, 1)
    assert simulator.target_month(projection, 60) == date(2026, 6, 1)


def test_zero_capacity_never_clears_and_never_reaches_the_target():
    start = caseload(plan=[(OLD, 100)], decision=[(date(2026, 1, 10), 5)])
    projection = simulator.simulate(start, [20] * 24, Capacity(0, 0, 0), 0.5)
    assert projection["plans_issued"].sum() == 0
    # Nothing leaves: open grows by 20 a month, from 105.
    assert projection["open"].iloc[-1] == pytest.approx(105 + 20 * 24)
    assert simulator.cleared_month(projection) is None
    assert simulator.target_month(projection, 46.4) is None


def test_the_twenty_week_rate_of_a_known_cohort():
    # Plans issued in Feb are dated 15 Feb 2026. Received 28 Sep 2025: 140 days, within 20 weeks; received
    # 27 Sep: 141 days, not; received 10 Jan 2026: within. All 10 issued: 3 + 5 = 8 within, 80%.
    cohort = [(date(2025, 9, 27), 2), (date(2025, 9, 28), 3), (date(2026, 1, 10), 5)]
    first = simulator.simulate(caseload(plan=cohort), [0], Capacity(0, 0, 10), 0)
    assert first["within_20_weeks"].iloc[0] == 8
    assert first["twenty_week_rate"].iloc[0] == 80
    # Four a month, oldest first: the 2 late ones and 2 of the 3 on the day -> 2 of 4 within, 50%.
    some = simulator.simulate(caseload(plan=cohort), [0], Capacity(0, 0, 4), 0)
    assert some["plans_issued"].iloc[0] == 4
    assert some["twenty_week_rate"].iloc[0] == 50


def test_a_month_issuing_no_plans_has_no_rate_and_does_not_meet_a_target():
    projection = simulator.simulate(caseload(), [0, 0], Capacity(5, 5, 5), 1)
    assert projection["twenty_week_rate"].isna().all()
    assert simulator.target_month(projection, 0) is None
    assert simulator.cleared_month(projection) == date(2026, 2, 1)


def test_the_target_month_is_the_one_from_which_the_rate_stays_at_target():
    frame = pd.DataFrame(
        {"month": pd.date_range("2026-02-01", periods=4, freq="MS"), "twenty_week_rate": [50, 10, 47, 60]}
    )
    assert simulator.target_month(frame, 46.4) == date(2026, 4, 1)


def test_the_reverse_calculation_gives_a_capacity_that_fed_forward_meets_the_date():
    start = caseload(plan=[(OLD, 100)])
    base = Capacity(decisions=20, ep_advice=10, plans=10)
    requests = [20] * 24
    # At the chosen capacity the 100 old plans take ten months, so the target is missed by June.
    assert (simulator.target_month(simulator.simulate(start, requests, base, 0.5), 46.4) or date.max) > date(
        2026, 6, 1
    )
    needed = simulator.required_capacity(start, requests, base, 0.5, 46.4, date(2026, 6, 30))
    assert needed.factor is not None and needed.factor > 1
    assert needed.capacity.ep_advice == pytest.approx(10 * needed.factor)
    assert needed.capacity.plans == pytest.approx(10 * needed.factor)
    assert needed.capacity.decisions == 20
    fed_forward = simulator.simulate(start, requests, needed.capacity, 0.5)
    reached = simulator.target_month(fed_forward, 46.4)
    assert reached is not None and reached <= date(2026, 6, 1)
    assert reached == needed.reached


def test_the_reverse_calculation_says_so_when_decisions_are_the_limit():
    start = caseload(plan=[(OLD, 100)])
    # Two decisions a month against 20 requests: the wait for a decision grows past 20 weeks whatever EP and
    # plan capacity there is.
    needed = simulator.required_capacity(start, [20] * 24, Capacity(2, 10, 10), 0.5, 46.4, date(2026, 12, 31))
    assert needed.factor is None and needed.capacity is None


def test_the_growth_control_tilts_the_forecast_from_its_default():
    assert simulator.inflow([100, 100], 5.0, 5.0) == [100, 100]
    # 10% more a year than the default: 1.1 ** (1/12) after a month, 1.1 ** (2/12) after two.
    tilted = simulator.inflow([120, 120], 10.0, 0.0)
    assert tilted == pytest.approx([120 * 1.1 ** (1 / 12), 120 * 1.1 ** (2 / 12)])


def test_a_stage_takes_oldest_first_or_in_proportion_as_told():
    def queue():
        return Queue(
            np.array([date(2025, 1, 1).toordinal(), date(2025, 6, 1).toordinal()]), np.array([10.0, 30.0])
        )

    # Strictly oldest first: 20 takes all 10 of January and 10 of June.
    assert queue().take(20, 1.0).cases.tolist() == [10, 10]
    # In proportion: 20 of 40 waiting is half of each date, 5 and 15.
    assert queue().take(20, 0.0).cases.tolist() == [5, 15]
    # Half and half: 10 oldest first (January's 10), then 10 of the 30 left, all June's.
    taken = queue()
    assert taken.take(20, 0.5).cases.tolist() == [10, 10]
    assert taken.cases.tolist() == [20]
    # More capacity than cases takes them all, whatever the order.
    assert queue().take(100, 0.3).total() == 40
