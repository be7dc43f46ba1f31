"""Numbers in words and figures the way UK public-sector dashboards write them."""

from __future__ import annotations

from datetime import date


def count(value: int | float | None) -> str:
    """A whole number with thousands separators: 3,658."""
    return "–" if value is None else f"{value:,.0f}"


def percent(value: float | None, places: int = 1) -> str:
    """A percentage: 17.3%."""
    return "–" if value is None else f"{value:.{places}f}%"


def money(value: float | None) -> str:
    """UK pounds, short: £1.2m, £350k, £900."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000_000:
        return f"{sign}£{size / 1_000_000_000:.1f}bn"
    if size >= 1_000_000:
        return f"{sign}£{size / 1_000_000:.1f}m"
    if size >= 1_000:
        return f"{sign}£{size / 1_000:.0f}k"
    return f"{sign}£{size:,.0f}"


def day(value: date | None) -> str:
    """A date as people write it: 31 Oct 2026."""
    return "unknown" if value is None else f"{value.day} {value:%b %Y}"
