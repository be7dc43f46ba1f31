"""Board presentation mode: one question per slide, in the order the Improvement Board takes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.views import ehcp, ep, places, spending
from dashboard.views.base import Context, View

SLIDE_KEY = "slide"


@dataclass(frozen=True)
class Slide:
    """One screen of the presentation."""

    number: int
    key: str
    title: str
    source: str
    tables: tuple[str, ...]


SLIDES: tuple[Slide, ...] = (
    Slide(
        1,
        "overview",
        "Where we stand against the Improvement Notice",
        "EHC needs assessment, EP, specialist places and spending extracts; targets from reference/targets.csv",
        (),
    ),
    Slide(
        2,
        "timeliness",
        "Are plans issued within 20 weeks?",
        "EHC needs assessment requests extract; England rate from DfE 'Education, health and care plans'",
        ("ehcp_requests",),
    ),
    Slide(
        3,
        "waiting",
        "Who is waiting, and who will pass 20 weeks next?",
        "EHC needs assessment requests extract",
        ("ehcp_requests",),
    ),
    Slide(
        4,
        "ep",
        "Are we delivering the 1,200 additional EP assessments?",
        "EP advice extract; targets.csv",
        ("ep_assessments",),
    ),
    Slide(
        5,
        "places",
        "Are the 200 additional specialist places open?",
        "Specialist places extract; targets.csv",
        ("specialist_places",),
    ),
    Slide(
        6,
        "spending",
        "Where is high-needs spending heading?",
        "Spending extract (budget and actual by month)",
        ("spending",),
    ),
)

ViewBuilder = Callable[[Context], View | None]


def slide_views(key: str) -> list[ViewBuilder]:
    """The views a slide shows, side by side: the same views the pages show."""
    return {
        "timeliness": [ehcp.twenty_weeks],
        "waiting": [ehcp.open_by_wait, ehcp.about_to_breach],
        "ep": [ep.commitment],
        "places": [places.commitment],
        "spending": [spending.lines],
    }[key]


def current_slide(value: str | None) -> Slide:
    """The slide a URL value names (1-based), or the first."""
    try:
        number = int(value or 1)
    except ValueError:
        number = 1
    return SLIDES[min(max(number, 1), len(SLIDES)) - 1]


def step(number: int, delta: int) -> int:
    """The slide number `delta` slides on, kept within the deck."""
    return min(max(number + delta, 1), len(SLIDES))


def slide_label(number: int) -> str:
    """'2. Are plans issued within 20 weeks?'"""
    return f"{number}. {SLIDES[number - 1].title}"
