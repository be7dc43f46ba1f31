"""Red, amber and green: the one rule that judges a figure against its target, with the rule in words.

Every page and KPI tile judges through here, so a status means the same thing everywhere. A status is
given by a symbol and words as well as a colour, so colour is never the only signal.

The rule: compare the actual figure with the level expected by now (by default the target itself; for a
target due later, the straight line from the baseline to the target, see `expected_by`).
  * On track: at or better than expected.
  * At risk: worse than expected, but by no more than the tolerance (10% of the expected level unless a
    margin in the measure's own units is given).
  * Off track: worse than that.
Once the due date has passed the same bands read "Met", "Missed narrowly" and "Missed".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from types import MappingProxyType

from dashboard.measures import shared

HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
DEFAULT_TOLERANCE = 0.10


class Status(Enum):
    """Green, amber or red, each with a symbol so it reads without colour."""

    GREEN = ("✔", "#00703C")
    AMBER = ("▲", "#B45309")
    RED = ("✖", "#D4351C")

    @property
    def symbol(self) -> str:
        return self.value[0]

    @property
    def colour(self) -> str:
        """The hex colour, for charts and exports."""
        return self.value[1]

    @property
    def colour_name(self) -> str:
        """'green', 'orange' or 'red': the names Streamlit's badges and metric deltas take."""
        return {"GREEN": "green", "AMBER": "orange", "RED": "red"}[self.name]


_WORDS = {
    (Status.GREEN, False): "On track",
    (Status.AMBER, False): "At risk",
    (Status.RED, False): "Off track",
    (Status.GREEN, True): "Met",
    (Status.AMBER, True): "Missed narrowly",
    (Status.RED, True): "Missed",
}


@dataclass(frozen=True)
class Judgement:
    """A status, the words shown for it, and the rule that gave it."""

    status: Status
    words: str
    rule: str

    @property
    def label(self) -> str:
        """Symbol and words together, e.g. '✔ On track'."""
        return f"{self.status.symbol} {self.words}"


@dataclass(frozen=True)
class Target:
    """One row of reference/targets.csv."""

    metric: str
    label: str
    target: float
    unit: str
    due_date: date | None
    baseline: float | None
    baseline_date: date | None
    polarity: str
    source: str

    @classmethod
    def from_row(cls, row) -> Target:
        """Build from a query row (a pandas Series or mapping with the targets.csv columns)."""

        def day(value) -> date | None:
            return None if value is None or value != value else getattr(value, "date", lambda: value)()

        def number(value) -> float | None:
            return None if value is None or value != value else float(value)

        return cls(
            str(row["metric"]),
            str(row["label"]),
            float(row["target"]),
            str(row["unit"]),
            day(row["due_date"]),
            number(row["baseline"]),
            day(row["baseline_date"]),
            str(row["polarity"]),
            str(row["source"]),
        )


@shared
def targets(run) -> Mapping[str, Target]:
    """Every target in reference/targets.csv, by metric: read once per data version and shared by every page,
    tile and session (a tile row read seven times a rerun cost the Overview about 8 ms), so it cannot be
    changed."""
    return MappingProxyType({row["metric"]: Target.from_row(row) for _, row in run("targets", {}).iterrows()})


def expected_by(at: date, *, start: date, due: date, start_value: float, target: float) -> float:
    """The level expected at `at` on a straight line from `start_value` at `start` to `target` at `due`."""
    if at <= start:
        return start_value
    if at >= due:
        return target
    return start_value + (target - start_value) * (at - start).days / (due - start).days


def required_path(target: Target, days: Sequence[date]) -> list[float | None]:
    """The level the straight line from the target's baseline to the target requires on each day: the run rate
    the target needs (None before its baseline date, or for a target with no baseline)."""
    if target.baseline is None or target.baseline_date is None or target.due_date is None:
        return [None] * len(days)
    return [
        None
        if day < target.baseline_date
        else expected_by(
            day,
            start=target.baseline_date,
            due=target.due_date,
            start_value=target.baseline,
            target=target.target,
        )
        for day in days
    ]


def judge(
    actual: float,
    target: float,
    *,
    polarity: str,
    expected: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    margin: float | None = None,
    due_passed: bool = False,
    unit: str = "",
) -> Judgement:
    """Judge `actual` against the level expected by now (the target unless `expected` is given).

    `margin` is the width of the amber band in the measure's own units; without it the band is
    `tolerance` times the expected level. `due_passed` switches the words to Met / Missed.
    """
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        raise ValueError(f"unknown polarity {polarity!r}")
    level = target if expected is None else expected
    band = abs(level) * tolerance if margin is None else abs(margin)
    slack = 1e-9 * max(1.0, abs(level))  # so a value exactly on a boundary is not lost to rounding
    if polarity == HIGHER_IS_BETTER:
        status = (
            Status.GREEN
            if actual >= level - slack
            else Status.AMBER
            if actual >= level - band - slack
            else Status.RED
        )
        better, worse = "at or above", "below"
    else:
        status = (
            Status.GREEN
            if actual <= level + slack
            else Status.AMBER
            if actual <= level + band + slack
            else Status.RED
        )
        better, worse = "at or below", "above"
    what = (
        f"the target of {_number(target, unit)}"
        if expected is None or due_passed
        else f"{_number(level, unit)}, the level needed by now on a straight line to the target of "
        f"{_number(target, unit)}"
    )
    width = f"{_number(band, unit)}" if margin is not None else f"{tolerance:.0%} ({_number(band, unit)})"
    good, middle, bad = (_WORDS[(s, due_passed)] for s in (Status.GREEN, Status.AMBER, Status.RED))
    rule = (
        f"{good} when {better} {what}; {middle.lower()} when {worse} it by no more than {width}; "
        f"{bad.lower()} otherwise."
    )
    return Judgement(status, _WORDS[(status, due_passed)], rule)


def judge_milestone(*, done: bool, planned: date | None, due: date, at: date) -> Judgement:
    """Judge a one-off milestone (a school opening, say) by whether it is done or planned in time."""
    rule = (
        "On track when it is planned to happen on or before the due date; off track when it is "
        "planned for later or not planned; met once it has happened by the due date."
    )
    if done:
        status = Status.GREEN
    elif planned is None or planned > due:
        status = Status.RED
    else:
        status = Status.GREEN
    due_passed = at > due
    if due_passed and not done:
        status = Status.RED
    words = "Met" if done else _WORDS[(status, due_passed)]
    return Judgement(status, words, rule)


def _number(value: float, unit: str) -> str:
    text = f"{value:,.1f}".removesuffix(".0")
    return f"{text}%" if unit == "percent" else text
