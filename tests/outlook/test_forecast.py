"""The demand forecast and its backtest: the error arithmetic by hand, a fit on a series with a known answer,
and the figures on the bundled sample (pinned: the page and the closing note quote them)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.outlook import forecast


def test_backtest_errors_worked_by_hand():
    table = pd.DataFrame(
        {
            "month": pd.date_range("2025-01-01", periods=4, freq="MS"),
            "actual": [100.0, 200.0, 50.0, 0.0],
            "forecast": [110.0, 150.0, 50.0, 10.0],
            "lower_80": [90.0, 160.0, 40.0, 0.0],
            "upper_80": [130.0, 190.0, 60.0, 20.0],
        }
    )
    table["inside_80"] = (table["actual"] >= table["lower_80"]) & (table["actual"] <= table["upper_80"])
    test = forecast.Backtest(pd.Timestamp("2024-12-01"), table)
    # |110-100|/100 = 10%, |150-200|/200 = 25%, 0%; the month with no actual requests has no percentage error.
    assert test.mape == pytest.approx((10 + 25 + 0) / 3)
    # Inside the 80% interval: 100 (90-130) yes, 200 (160-190) no, 50 yes, 0 (0-20) yes: 3 of 4.
    assert test.coverage_80 == 75
    # Actual 350 against 320 forecast: 9.375% more than forecast.
    assert test.bias == pytest.approx(100 * (350 / 320 - 1))


def test_a_steady_seasonal_series_is_forecast_almost_exactly():
    months = pd.date_range("2018-01-01", periods=48, freq="MS")
    pattern = np.array([300, 280, 320, 250, 290, 300, 270, 120, 260, 330, 310, 240], float)
    series = pd.Series(np.tile(pattern, 4), index=months)
    test = forecast.backtest(series, months[-13], "level_seasonal")
    assert test.mape < 1
    assert test.coverage_80 == 100
    fit = forecast.fit(series, 24, "level_seasonal")
    assert len(fit.table) == 24
    assert fit.table["month"].iloc[0] == pd.Timestamp("2022-01-01")
    assert fit.table["forecast"].iloc[:12].to_numpy() == pytest.approx(pattern, rel=0.01)
    # The intervals nest and contain the centre line.
    t = fit.table
    assert ((t["lower_95"] <= t["lower_80"]) & (t["lower_80"] <= t["forecast"])).all()
    assert ((t["forecast"] <= t["upper_80"]) & (t["upper_80"] <= t["upper_95"])).all()


def test_a_forecast_needs_two_seasons_of_history():
    series = pd.Series([1.0] * 20, index=pd.date_range("2024-01-01", periods=20, freq="MS"))
    with pytest.raises(ValueError, match="at least 25 months"):
        forecast.fit(series, 12, "level_seasonal")
