"""The backlog-clearance simulator: a month-by-month stock-and-flow model of the assessment pathway.

Every open request waits at one of three stages, as queries/outlook_open_cases.sql sorts them at the start:
  * 'decision': received, no decision yet;
  * 'ep_advice': agreed to assess, its educational psychology (EP) advice not yet completed;
  * 'plan': EP advice completed, the plan not yet issued.
Each month, in this order (so a case moves on at most one stage a month, as drafting follows advice):
  1. plans: up to `plans` cases leave 'plan' with a plan issued;
  2. EP advice: up to `ep_advice` cases move from 'ep_advice' to 'plan';
  3. decisions: up to `decisions` cases leave 'decision'; the share `carried_on` (decided to assess and not
     later ended without a plan, from recent actuals) moves to 'ep_advice' and the rest close;
  4. new requests arrive in 'decision', received mid-month.
Which cases a stage takes: the share `oldest_first` of its capacity goes to the longest-waiting cases, the rest to
every waiting case in proportion (as a service that works in no particular order of wait would). 1 is strictly
oldest first; the model calibrates it on the data (model.calibrate).
A case keeps its received date throughout, so its wait carries on from the real caseload. Work done in a month
is dated mid-month: a plan issued then is within 20 weeks when that date is at most 140 days after the request
(the dashboard's 20-week measure). At each month end a case is open until it leaves, and overdue once it has
waited more than 140 days (as open_caseload_by_month counts them). Counts are kept as fractions (capacity per
month need not be whole), and rounded only where shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.dates import add_months, last_day

TWENTY_WEEKS_DAYS = 140
STAGES = ("decision", "ep_advice", "plan")
# Fewer than half a case overdue rounds to none: the backlog is cleared.
CLEARED_BELOW = 0.5


@dataclass(frozen=True)
class Capacity:
    """What the service gets through each month, and how demand moves."""

    decisions: float
    ep_advice: float
    plans: float
    growth_pct: float = 0.0  # demand growth, % a year (see simulator.inflow)

    def scaled(self, factor: float) -> Capacity:
        """The same capacity with EP advice and plans multiplied by `factor` (the reverse question's lever)."""
        return replace(self, ep_advice=self.ep_advice * factor, plans=self.plans * factor)


class Queue:
    """One stage's waiting cases: received dates (day ordinals, ascending) and how many cases each."""

    def __init__(self, received: np.ndarray | None = None, cases: np.ndarray | None = None) -> None:
        self.received = np.zeros(0, dtype=np.int64) if received is None else np.asarray(received, np.int64)
        self.cases = np.zeros(0, dtype=float) if cases is None else np.asarray(cases, float)

    def total(self) -> float:
        return float(self.cases.sum())

    def overdue(self, at: date) -> float:
        return float(self.cases[at.toordinal() - self.received > TWENTY_WEEKS_DAYS].sum())

    def take_oldest(self, capacity: float) -> Queue:
        """Remove up to `capacity` cases, oldest request first, and return them as a queue."""
        before = np.cumsum(self.cases) - self.cases
        return self._remove(np.clip(max(capacity, 0.0) - before, 0.0, self.cases))

    def take(self, capacity: float, oldest_first: float = 1.0) -> Queue:
        """Remove up to `capacity` cases: the share `oldest_first` of it oldest first, the rest from every
        remaining case in proportion to how many are waiting at each received date."""
        capacity = max(capacity, 0.0)
        moved = self.take_oldest(capacity * oldest_first)
        rest, waiting = capacity - moved.total(), self.total()
        if rest > 1e-12 and waiting > 1e-12:
            moved.add(self._remove(self.cases * min(1.0, rest / waiting)))
        return moved

    def _remove(self, taken: np.ndarray) -> Queue:
        self.cases = self.cases - taken
        keep = self.cases > 1e-9
        moved = Queue(self.received[taken > 0], taken[taken > 0])
        self.received, self.cases = self.received[keep], self.cases[keep]
        return moved

    def add(self, other: Queue, share: float = 1.0) -> None:
        """Add another queue's cases (times `share`), keeping received dates in order."""
        if not len(other.cases) or share <= 0:
            return
        received = np.concatenate([self.received, other.received])
        cases = np.concatenate([self.cases, other.cases * share])
        order = np.argsort(received, kind="stable")
        self.received, self.cases = received[order], cases[order]

    def copy(self) -> Queue:
        return Queue(self.received.copy(), self.cases.copy())


@dataclass(frozen=True)
class Caseload:
    """The open requests at a month end, by stage, each with its received date."""

    at: date
    stages: dict[str, Queue]

    @classmethod
    def from_frame(cls, at: date, frame: pd.DataFrame) -> Caseload:
        """From outlook_open_cases rows (received_date, stage, cases)."""
        stages = {}
        for stage in STAGES:
            rows = frame[frame["stage"] == stage].sort_values("received_date")
            days = np.array(
                [pd.Timestamp(d).date().toordinal() for d in rows["received_date"]], dtype=np.int64
            )
            stages[stage] = Queue(days, rows["cases"].to_numpy(float))
        return cls(at, stages)

    def open(self) -> float:
        return sum(q.total() for q in self.stages.values())

    def overdue(self) -> float:
        return sum(q.overdue(self.at) for q in self.stages.values())


def _per_month(value: float | Sequence[float], months: int) -> list[float]:
    return [float(value)] * months if np.isscalar(value) else [float(v) for v in value][:months]


def simulate(
    start: Caseload,
    requests: Sequence[float],
    capacity: Capacity | Sequence[Capacity],
    carried_on: float | Sequence[float],
    oldest_first: float = 1.0,
) -> pd.DataFrame:
    """Project the pathway month by month from `start` for as many months as `requests` has.

    `capacity` is one for every month or one per month (a per-month list replays actual capacities, as the
    validation does); so is `carried_on`, the share of decisions going on towards a plan. Returns one row a
    month: month (its first day), requests, decisions, ep_advice, plans_issued, within_20_weeks,
    twenty_week_rate (% of plans issued that month; None with none issued), open and overdue at the month end,
    and open cases at each stage.
    """
    months = len(requests)
    capacities = [capacity] * months if isinstance(capacity, Capacity) else list(capacity)[:months]
    shares = _per_month(carried_on, months)
    stages = {stage: queue.copy() for stage, queue in start.stages.items()}
    rows = []
    first = start.at.replace(day=1)
    for index in range(months):
        month = add_months(first, index + 1)
        middle, end = month + timedelta(days=14), last_day(month)
        cap = capacities[index]
        issued = stages["plan"].take(cap.plans, oldest_first)
        waited = middle.toordinal() - issued.received
        within = float(issued.cases[waited <= TWENTY_WEEKS_DAYS].sum())
        advised = stages["ep_advice"].take(cap.ep_advice, oldest_first)
        stages["plan"].add(advised)
        decided = stages["decision"].take(cap.decisions, oldest_first)
        stages["ep_advice"].add(decided, shares[index])
        arriving = max(float(requests[index]), 0.0)
        stages["decision"].add(Queue(np.array([middle.toordinal()]), np.array([arriving])))
        plans = issued.total()
        rows.append(
            {
                "month": pd.Timestamp(month),
                "requests": arriving,
                "decisions": decided.total(),
                "ep_advice": advised.total(),
                "plans_issued": plans,
                "within_20_weeks": within,
                "twenty_week_rate": 100.0 * within / plans if plans > 1e-9 else None,
                "open": sum(q.total() for q in stages.values()),
                "overdue": sum(q.overdue(end) for q in stages.values()),
                **{f"open_{stage}": stages[stage].total() for stage in STAGES},
            }
        )
    return pd.DataFrame(rows)


def inflow(forecast: Sequence[float], growth_pct: float, baseline_growth_pct: float) -> list[float]:
    """New requests each month: the forecast, tilted by how far the growth control is from its default.

    At the default growth (`baseline_growth_pct`, the recent actual) demand is the forecast itself; each point
    above or below it raises or lowers demand by that much a year, compounding month by month.
    """
    tilt = (1 + growth_pct / 100) / (1 + baseline_growth_pct / 100) if growth_pct > -100 else 0.0
    return [max(value, 0.0) * tilt ** ((index + 1) / 12) for index, value in enumerate(forecast)]


def cleared_month(projection: pd.DataFrame) -> date | None:
    """The first month end from which no overdue case is left to the end of the projection (None if never)."""
    return _sustained(projection, projection["overdue"] < CLEARED_BELOW)


def target_month(projection: pd.DataFrame, target_pct: float) -> date | None:
    """The first month from which the 20-week rate of plans issued stays at or above the target to the end
    of the projection (None if it never does). A month issuing no plans does not count as meeting it."""
    rate = projection["twenty_week_rate"].astype(float)
    return _sustained(projection, rate.notna() & (rate >= target_pct - 1e-9))


def _sustained(projection: pd.DataFrame, met: pd.Series) -> date | None:
    if not len(met) or not bool(met.iloc[-1]):
        return None
    failing = np.flatnonzero(~met.to_numpy())
    first = 0 if not len(failing) else int(failing[-1]) + 1
    return projection["month"].iloc[first].date()


@dataclass(frozen=True)
class Requirement:
    """The reverse question's answer: the EP advice and plans a month that reach the target by a date."""

    by: date
    factor: float | None  # times the chosen capacity; None when no capacity up to the ceiling does it
    capacity: Capacity | None
    reached: date | None  # the month the target is reached at that capacity


MAX_FACTOR = 10.0


def required_capacity(
    start: Caseload,
    requests: Sequence[float],
    capacity: Capacity,
    carried_on: float,
    target_pct: float,
    by: date,
    oldest_first: float = 1.0,
) -> Requirement:
    """The smallest multiple of the chosen EP advice and plans capacity (to 1%) at which the 20-week rate
    reaches the target by the month of `by` and stays there, decisions and demand as chosen.

    Searched by halving between no extra capacity and MAX_FACTOR times it; the answer is checked by running
    the model forward at it, so it always meets the date when it is given.
    """
    base = Capacity(
        capacity.decisions, max(capacity.ep_advice, 1.0), max(capacity.plans, 1.0), capacity.growth_pct
    )
    deadline = by.replace(day=1)

    def reached(factor: float) -> date | None:
        return target_month(
            simulate(start, requests, base.scaled(factor), carried_on, oldest_first), target_pct
        )

    def meets(factor: float) -> bool:
        month = reached(factor)
        return month is not None and month <= deadline

    if not meets(MAX_FACTOR):
        return Requirement(by, None, None, None)
    low, high = 0.0, MAX_FACTOR
    if meets(low):
        high = low
    while high - low > 0.005:
        middle = (low + high) / 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return Requirement(by, high, base.scaled(high), reached(high))
