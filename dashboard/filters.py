"""The filters every page shares: period, locality and district, primary need, age group."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from dashboard import contract

# URL query-parameter names (the widgets' keys), so a copied link reproduces the view.
PERIOD_FROM, PERIOD_TO, LOCALITY, DISTRICT, NEED, AGE = "from", "to", "locality", "district", "need", "age"
FILTER_KEYS = (PERIOD_FROM, PERIOD_TO, LOCALITY, DISTRICT, NEED, AGE)


def month_key(day: date) -> str:
    """The URL form of a month: 2026-10."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> date:
    """First day of the month named by a key like 2026-10."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_end(key: str) -> date:
    """Last day of the month named by a key like 2026-10."""
    start = month_start(key)
    return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])


def month_label(key: str) -> str:
    """A month as people write it: Oct 2026."""
    return month_start(key).strftime("%b %Y")


def months_between(first: date, last: date) -> list[str]:
    """Month keys from `first` to `last` inclusive."""
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    """The shared filter selection. Empty tuples mean 'all'."""

    period_start: date
    period_end: date
    localities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    age_groups: tuple[str, ...] = field(default=())
    # The data's as-of date. When set, monthly figures are read from one query over all history to
    # this date and cut to the period, so changing the period reuses a cached result.
    through: date | None = None

    def scope_params(self) -> dict[str, list[str]]:
        """The who-and-where parameters every filtered query takes (lists bound to SQL)."""
        return {
            "localities": list(self.localities),
            "districts": list(self.districts),
            "needs": list(self.needs),
            "age_groups": list(self.age_groups),
        }

    def params(self) -> dict[str, object]:
        """Scope parameters plus the selected period."""
        return {**self.scope_params(), "period_start": self.period_start, "period_end": self.period_end}

    def describe(self) -> str:
        """The filters in words, for page headers, snapshots and exports."""
        period = f"{self.period_start:%b %Y} to {self.period_end:%b %Y}"
        return "; ".join([
            f"Period: {period}",
            "Area: " + _words(self.localities + self.districts, "all of Lancashire"),
            "Primary need: " + _words(tuple(contract.NEED_LABELS.get(n, n) for n in self.needs), "all needs"),
            "Age: " + _words(self.age_groups, "all ages"),
        ])


def _words(values: tuple[str, ...], everything: str) -> str:
    if not values:
        return everything
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]
