"""Numbers, money and dates in words and figures the way UK public-sector dashboards write them.

The one home for formatting: every tile, title, summary, axis label and table reads its words here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from dashboard.dates import last_day

MISSING = "–"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: float | None) -> str:
    """A whole number with thousands separators: 3,658."""
    return MISSING if _missing(value) else f"{value:,.0f}"


def percent(value: float | None, places: int = 1) -> str:
    """A percentage: 17.3%."""
    return MISSING if _missing(value) else f"{value:.{places}f}%"


def decimal(value: float | None, places: int = 1) -> str:
    """A figure to a fixed number of decimal places, with thousands separators: 1,159.5."""
    return MISSING if _missing(value) else f"{value:,.{places}f}"


def points(value: float | None, places: int = 1) -> str:
    """A change in a percentage, signed: +4.2 points."""
    return MISSING if _missing(value) else f"{value:+.{places}f} points"


def money(value: float | None, *, exact: bool | None = False) -> str:
    """UK pounds, short (£1.2m, £2m, £350k, £900) or, with `exact`, to the pound (£1,234,567).

    `exact=None` writes a figure under £10,000 exactly and a larger one short (for unit costs).
    A negative figure has a leading minus: -£1.2m.
    """
    if _missing(value):
        return MISSING
    sign, size = ("-" if value < 0 else ""), abs(value)
    if exact is None:
        exact = size < 10_000
    if exact or size < 1_000:
        return f"{sign}£{size:,.0f}"
    for scale, suffix, places in ((1e9, "bn", 1), (1e6, "m", 1), (1e3, "k", 0)):
        if size >= scale:
            text = f"{size / scale:,.{places}f}".removesuffix(".0")
            return f"{sign}£{text}{suffix}"
    return f"{sign}£{size:,.0f}"  # pragma: no cover - every size above is caught


def value(figure: float | None, unit: str) -> str:
    """A figure in its unit: count, places or schools (3,658), percent (17.3%), gbp (£1.2m), gbp_per_week (£105), weeks (17.4 weeks)."""
    if unit == "percent":
        return percent(figure)
    if unit == "gbp":
        return money(figure)
    if unit == "gbp_per_week":
        return money(figure, exact=True)
    if unit == "weeks":
        return MISSING if _missing(figure) else f"{figure:,.1f} weeks"
    return count(figure)


def variance(amount: float, *, short: bool = False) -> str:
    """Spend against budget in words, so no reader needs colour or a sign: '£8m over budget', 'on budget'."""
    suffix = "" if short else " budget"
    if round(amount) > 0:
        return f"{money(amount)} over{suffix}"
    if round(amount) < 0:
        return f"{money(-amount)} under{suffix}"
    return "on budget"


def plural(number: int, word: str, many: str | None = None) -> str:
    """'1 plan', '3 plans', '2 children' (with `many`)."""
    return f"{count(number)} {word if number == 1 else (many or word + 's')}"


def words(values: Sequence[str], everything: str = "") -> str:
    """'a', 'a and b', 'a, b and c'; `everything` when there are none."""
    if not values:
        return everything
    if len(values) == 1:
        return values[0]
    return ", ".join(values[:-1]) + " and " + values[-1]


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def sentence_case(text: str) -> str:
    """The first letter capitalised, the rest as written."""
    return text[:1].upper() + text[1:]


def in_sentence(text: str) -> str:
    """A label as it reads mid-sentence: 'independent special placements', but 'SEND transport'."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def day(value: date | None) -> str:
    """A date as people write it: 31 Oct 2026."""
    return "unknown" if value is None else f"{value.day} {value:%b %Y}"


def month(value: date) -> str:
    """A month, short: Oct 2026."""
    return f"{value:%b %Y}"


def month_long(value: date) -> str:
    """A month in full: October 2026."""
    return f"{value:%B %Y}"


def span(start: date, end: date) -> str:
    """A run of months to a date: 'Jun 2024 to May 2025', or 'Jun 2024 to 16 May 2025' when the last month is not
    over at `end`; one month is 'May 2025' or 'May 2025 (to 16 May 2025)'."""
    whole = end == last_day(end)
    if (start.year, start.month) == (end.year, end.month):
        return month(end) if whole else f"{month(end)} (to {day(end)})"
    return f"{month(start)} to {month(end) if whole else day(end)}"


def months(start: date, end: date) -> str:
    """A run of months: 'Nov 2025 to Oct 2026', or 'Oct 2026' for one month."""
    if (start.year, start.month) == (end.year, end.month):
        return month(start)
    return f"{month(start)} to {month(end)}"
