"""The demand forecast: monthly requests for an EHC needs assessment, 12 to 24 months ahead, with 80% and 95%
prediction intervals, from statsmodels' exponential smoothing (ETS) state-space model.

The model is fitted to the logarithm of (requests + 1): demand here moves by proportions (it more than doubled
in 2023), so a level, trend and seasonal pattern that add on the log scale multiply on the count scale, and the
intervals widen with the level and never go below zero. Two specifications are fitted to the whole area's
months and the one with the lower corrected Akaike information criterion (AICc, fit against complexity) is
used everywhere: ETS(A,N,A), a level and a 12-month seasonal pattern, and ETS(A,Ad,A), which adds a damped
trend. Prediction intervals are the model's own analytic ones (exact for an all-additive ETS), taken back
through the exponential; the centre line is the median forecast.

The backtest fits the same specification to the months up to a past date and compares its next 12 months
with what happened: the mean absolute percentage error (MAPE) of the centre line and the share of months
whose actual fell inside the 80% interval. A model like this learns from the past only; it cannot foresee a
break such as 2023's, when requests more than doubled, and the backtest across that year shows by how much.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

SPECIFICATIONS = {
    "level_seasonal": ("ETS(A,N,A) on log requests: a level and a 12-month seasonal pattern", None, False),
    "damped_trend": (
        "ETS(A,Ad,A) on log requests: a level, a damped trend and a 12-month pattern",
        "add",
        True,
    ),
}
SEASON = 12
# The starting level, trend and season come from statsmodels' heuristic (a classical decomposition of the first
# years, as Hyndman and Athanasopoulos describe) rather than being estimated with the smoothing parameters: a
# fit takes a fraction of the time (the page fits seven models on a new data version), the AICc still compares
# the specifications like for like, and on the sample the backtests are no worse.
INITIALIZATION = "heuristic"
MIN_MONTHS = 2 * SEASON + 1  # two full seasons to learn the pattern from


@dataclass(frozen=True)
class Fit:
    """A fitted specification: which one, its AICc, and its forecast by month."""

    specification: str
    aicc: float
    table: pd.DataFrame  # month, forecast, lower_80, upper_80, lower_95, upper_95 (requests a month)


def _model(series: pd.Series, specification: str):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    _, trend, damped = SPECIFICATIONS[specification]
    values = pd.Series(
        np.log1p(series.to_numpy(float).clip(min=0)),
        index=pd.period_range(series.index[0], periods=len(series), freq="M"),
    )
    return ETSModel(
        values,
        error="add",
        trend=trend,
        damped_trend=damped,
        seasonal="add",
        seasonal_periods=SEASON,
        initialization_method=INITIALIZATION,
    )


def fit(series: pd.Series, horizon: int, specification: str) -> Fit:
    """Fit one specification to a monthly series (a DatetimeIndex of month starts) and forecast `horizon` months."""
    if len(series) < MIN_MONTHS:
        raise ValueError(f"a forecast needs at least {MIN_MONTHS} months of history, not {len(series)}")
    # Made before the filter below: statsmodels' first import sets its own "always" filter for convergence
    # warnings, which would otherwise win inside the block.
    model = _model(series, specification)
    with warnings.catch_warnings():
        # The optimiser's convergence chatter is not for viewers; the AICc and the backtest judge the fit.
        warnings.simplefilter("ignore")
        result = model.fit(disp=False, maxiter=200)
        prediction = result.get_prediction(start=len(series), end=len(series) + horizon - 1)
        eighty = prediction.summary_frame(alpha=0.2)
        ninety_five = prediction.summary_frame(alpha=0.05)
    months = pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS")
    back = np.expm1
    table = pd.DataFrame(
        {
            "month": months,
            "forecast": back(eighty["mean"].to_numpy()).clip(min=0),
            "lower_80": back(eighty["pi_lower"].to_numpy()).clip(min=0),
            "upper_80": back(eighty["pi_upper"].to_numpy()),
            "lower_95": back(ninety_five["pi_lower"].to_numpy()).clip(min=0),
            "upper_95": back(ninety_five["pi_upper"].to_numpy()),
        }
    )
    return Fit(specification, float(result.aicc), table)


def choose(series: pd.Series, horizon: int) -> tuple[Fit, dict[str, float]]:
    """Fit every specification and keep the one with the lowest AICc; also return each one's AICc."""
    fits = [fit(series, horizon, name) for name in SPECIFICATIONS]
    best = min(fits, key=lambda f: f.aicc)
    return best, {f.specification: f.aicc for f in fits}


@dataclass(frozen=True)
class Backtest:
    """The forecast made at a past month end set against the months that followed."""

    origin: pd.Timestamp  # the last month the model saw
    table: pd.DataFrame  # month, actual, forecast, lower_80, upper_80, lower_95, upper_95, inside_80

    @property
    def mape(self) -> float:
        """Mean absolute percentage error of the centre line, over months with any actual requests."""
        rows = self.table[self.table["actual"] > 0]
        return float((100 * (rows["forecast"] - rows["actual"]).abs() / rows["actual"]).mean())

    @property
    def coverage_80(self) -> float:
        """The share of months (%) whose actual fell inside the 80% interval."""
        return float(100 * self.table["inside_80"].mean())

    @property
    def bias(self) -> float:
        """Actual requests over the months less the forecast, as % of the forecast (+ means under-forecast)."""
        return float(100 * (self.table["actual"].sum() / self.table["forecast"].sum() - 1))


def backtest(series: pd.Series, origin: pd.Timestamp, specification: str, months: int = 12) -> Backtest:
    """Fit to the months up to `origin` and compare the next `months` with what happened."""
    seen = series[series.index <= origin]
    after = series[series.index > origin].iloc[:months]
    table = fit(seen, len(after), specification).table
    table.insert(1, "actual", after.to_numpy(float))
    table["inside_80"] = (table["actual"] >= table["lower_80"]) & (table["actual"] <= table["upper_80"])
    return Backtest(origin, table)
