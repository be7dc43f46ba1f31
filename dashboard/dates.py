"""Months, windows and financial years: the one home for date arithmetic shared by measures, views and pages."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def month_key(day: date) -> str:
    """The URL form of a month: 2026-10."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(key: str) -> date:
    """First day of the month named by a key like 2026-10."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def last_day(day: date) -> date:
    """The last day of `day`'s month: 2026-02-14 -> 2026-02-28."""
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def month_end(key: str) -> date:
    """Last day of the month named by a key like 2026-10."""
    return last_day(month_start(key))


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


def month_end_before(day: date) -> date:
    """The last day of the month before `day`'s month."""
    return day.replace(day=1) - timedelta(days=1)


def day_before(day: date) -> date:
    """The day before `day`."""
    return day - timedelta(days=1)


def is_month_end(day: date) -> bool:
    """Whether `day` is the last day of its month."""
    return day == last_day(day)


def census_day(year: int) -> date:
    """The January school census day (the third Thursday of January), when SEN2 counts plans. The plans
    caseload is shown on these days, and the store counts the plans active on each once when it is built
    (build/plan_aggregates.py)."""
    first = date(year, 1, 1)
    return date.fromordinal(first.toordinal() + (3 - first.weekday()) % 7 + 14)


@dataclass(frozen=True)
class Window:
    """A closed date range a measure is counted over."""

    start: date
    end: date

    def describe(self) -> str:
        """'1 Nov 2025 to 31 Oct 2026'."""
        return f"{self.start.day} {self.start:%b %Y} to {self.end.day} {self.end:%b %Y}"

    def months(self) -> str:
        """'Nov 2025 to Oct 2026'."""
        return f"{self.start:%b %Y} to {self.end:%b %Y}"


def trailing_months(end: date, months: int) -> Window:
    """The `months` whole calendar months ending with the month of `end` (e.g. the last 12 months)."""
    return Window(add_months(end, -(months - 1)), end)


@dataclass(frozen=True, order=True)
class FinancialYear:
    """An April-to-March financial year, labelled as councils write it: 2025-26."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """'2025-26' -> FinancialYear(2025)."""
        return cls(int(label[:4]))

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def __str__(self) -> str:
        return self.label
