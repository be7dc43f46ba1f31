"""The outlook on the bundled sample: the defaults worked out by hand from its monthly flows, the backtest and
validation figures the page quotes (pinned), and the command line."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.outlook import model
from dashboard.outlook.__main__ import main
from dashboard.outlook.simulator import Capacity
from tests.helpers import SAMPLE_DIR


@pytest.fixture(scope="module")
def outlook(sample_store):
    return model.prepare(sample_store.query, sample_store.as_of)


def test_the_controls_default_to_the_last_three_months_actuals(outlook):
    assert outlook.start == date(2026, 10, 31)
    # outlook_monthly_flows for Aug, Sep and Oct 2026: decisions 258, 141, 249; EP advice completed 149, 330,
    # 227; plans issued 289, 220, 276.
    assert outlook.defaults.decisions == round((258 + 141 + 249) / 3, 1)
    assert outlook.defaults.ep_advice == round((149 + 330 + 227) / 3, 1)
    assert outlook.defaults.plans == round((289 + 220 + 276) / 3, 1)
    # Requests Aug-Oct 2026: 108 + 249 + 362 = 719, against 133 + 277 + 371 = 781 a year before: -7.9%.
    assert outlook.defaults.growth_pct == -7.9
    # The open caseload the simulator starts from is the one the EHCP page shows at 31 Oct 2026: 1,129.
    assert outlook.caseload.open() == 1129


def test_the_forecast_backtests_on_the_sample(outlook):
    assert outlook.specification == "level_seasonal"
    recent, step = outlook.backtests["recent"], outlook.backtests["step"]
    # Fitted to Oct 2025, the next 12 months: about 8% out, every month inside the 80% interval.
    assert recent.origin == outlook.history["month"].iloc[-13]
    assert recent.mape == pytest.approx(7.6, abs=0.1)
    assert recent.coverage_80 == 100
    # Fitted to Dec 2022, it cannot see 2023's step: about half out, no month inside, actual 108% above.
    assert step.mape == pytest.approx(51.3, abs=0.1)
    assert step.coverage_80 == 0
    assert step.bias == pytest.approx(108.3, abs=0.1)


def test_the_simulator_started_six_months_back_tracks_the_actual_caseload(outlook):
    check = outlook.validation
    assert check.start == date(2026, 4, 30)
    assert len(check.table) == 6
    # With each month's actual flows replayed, the open caseload matches month by month (it is what came in
    # less what left, and no stage ran dry).
    assert check.mean_abs_pct_error("open") == pytest.approx(0, abs=0.01)
    # The order of work is chosen on Nov 2025-Apr 2026: the sample's service works in no order of wait, so in
    # proportion (0) replays its overdue caseload best, 4.7% out; strictly oldest first would be 9.4% out.
    assert outlook.oldest_first == 0
    errors = outlook.calibration.set_index("oldest_first")["error"]
    assert errors.round(1)[[0.0, 1.0]].tolist() == [4.7, 9.4]
    # On the six months it never saw, the overdue caseload is 7.3% out on average, 18.6% at most (October).
    assert check.mean_abs_pct_error("overdue") == pytest.approx(7.3, abs=0.1)
    assert check.max_abs_pct_error("overdue") == pytest.approx(18.6, abs=0.1)


def test_more_capacity_clears_the_backlog_and_reaches_the_target(outlook):
    stuck = model.scenario(outlook, outlook.defaults)
    assert stuck.cleared is None and stuck.reached is None
    none_issued = model.scenario(outlook, Capacity(320, 300, 0, outlook.defaults.growth_pct))
    assert none_issued.cleared is None and none_issued.reached is None
    more = model.scenario(outlook, Capacity(320, 300, 330, outlook.defaults.growth_pct))
    assert more.cleared is not None and more.reached is not None
    needed = model.requirement(
        outlook, Capacity(320, 235, 262, outlook.defaults.growth_pct), date(2027, 12, 31)
    )
    assert needed.factor is not None
    again = model.scenario(outlook, needed.capacity)
    assert again.reached is not None and again.reached <= date(2027, 12, 1)


def test_the_command_line_prints_both_months_and_exits_0(outlook, sample_store, monkeypatch, capsys):
    # The app's settings, pointed at the sample's already built store.
    monkeypatch.setenv("SEND_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("SEND_STATE_DIR", str(sample_store.db_path.parents[2]))
    assert main(["--ep-per-month", "300", "--plans-per-month", "330", "--decisions-per-month", "320"]) == 0
    out = capsys.readouterr().out
    expected = model.scenario(outlook, Capacity(320, 300, 330, outlook.defaults.growth_pct))
    assert f"Overdue backlog clears: {expected.cleared:%B %Y}" in out
    assert f"20-week rate reaches 46.4%: {expected.reached:%B %Y}" in out


def test_the_command_line_refuses_values_out_of_range(capsys):
    for bad in (["--ep-per-month", "-1"], ["--growth", "nan"], ["--plans-per-month", "1e9"]):
        with pytest.raises(SystemExit) as stopped:
            main(bad)
        assert stopped.value.code == 2
