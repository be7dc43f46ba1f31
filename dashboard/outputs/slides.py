"""Board presentation mode: one question per slide, in the order the Improvement Board takes them.

Each slide is the Board's question, the answer as one view (the same view its page shows, its title stating
the finding) or the Overview's tiles, and a one-line source. It fits the screen without scrolling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.views import ehcp, ep, health, places, plans, spending
from dashboard.views.base import Context, View

SLIDE_KEY = "slide"


@dataclass(frozen=True)
class Slide:
    """One screen of the presentation: the question, the view that answers it (None: the tiles), its source."""

    number: int
    key: str
    question: str
    source: str
    tables: tuple[str, ...]
    build: Callable[[Context], View | None] | None


_REQUESTS = "EHC needs assessment requests extract"
SLIDES: tuple[Slide, ...] = (
    Slide(
        1,
        "overview",
        "Where we stand against the Improvement Notice",
        "EHC needs assessment, EP, specialist places and spending extracts; targets from reference/targets.csv",
        (),
        None,
    ),
    Slide(
        2,
        "timeliness",
        "Are plans issued within 20 weeks?",
        f"{_REQUESTS}; England rate from DfE 'Education, health and care plans'; target from targets.csv",
        ("ehcp_requests",),
        ehcp.twenty_weeks,
    ),
    Slide(
        3,
        "waiting",
        "Is the backlog of late assessments coming down?",
        f"{_REQUESTS}; target from targets.csv",
        ("ehcp_requests",),
        ehcp.caseload,
    ),
    Slide(4, "breach", "Who will pass 20 weeks next?", _REQUESTS, ("ehcp_requests",), ehcp.about_to_breach),
    Slide(
        5,
        "ep",
        "Are we delivering the 1,200 additional EP assessments?",
        "EP advice extract; targets.csv",
        ("ep_assessments",),
        ep.commitment,
    ),
    Slide(
        6,
        "places",
        "Are the 200 additional specialist places open?",
        "Specialist places extract; targets.csv",
        ("specialist_places",),
        places.commitment,
    ),
    Slide(
        7,
        "spending",
        "Where is high-needs spending heading?",
        "Spending extract (budget and actual by month)",
        ("spending",),
        spending.lines,
    ),
    Slide(
        8,
        "reviews",
        "Are annual reviews of EHC plans held on time?",
        "EHC plans and annual reviews extracts",
        ("ehcp_plans", "annual_reviews"),
        plans.overdue_trend,
    ),
    Slide(
        9,
        "health",
        "Which advice is holding up the plans that miss 20 weeks?",
        f"{_REQUESTS}; EP advice and health and social care advice extracts",
        ("ehcp_requests", "ep_assessments", "advice_requests"),
        health.bottleneck,
    ),
)


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
    return f"{number}. {SLIDES[number - 1].question}"
