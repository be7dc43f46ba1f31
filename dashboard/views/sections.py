"""Each detail page's sections, in order, and the views each one shows.

A page draws one section at a time, as a tab: only the open section's views are computed, sent and drawn, so
a change of filter redraws the three or four charts in view rather than every chart on the page (measured in
benchmarks/bench_browser.py: the browser's cost is per chart drawn). The open section is in the URL
(`?section=Timeliness`), so a headline, a Board tile or a copied link opens the page at the section holding
its figure.
"""

from __future__ import annotations

from types import MappingProxyType

# The URL parameter (and session state key) holding the open section's label.
SECTION = "section"

_PAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "pages/ehcp.py": {
        "Demand and decisions": ("ehcp_decisions", "ehcp_sources", "ehcp_funnel"),
        "Timeliness": ("ehcp_timeliness", "ehcp_weeks_bands", "ehcp_weeks", "ehcp_decision_timeliness"),
        "Waiting now": ("ehcp_waits", "ehcp_caseload", "ehcp_breach", "ehcp_breach_needs"),
        "Where it is worst": ("ehcp_breakdown",),
    },
    "pages/educational_psychology.py": {
        "Requests and backlog": ("ep_flow", "ep_backlog_age"),
        "Timeliness and providers": ("ep_timeliness", "ep_providers"),
        "Additional assessments": ("ep_commitment",),
        "Late advice and 20 weeks": ("ep_delay",),
        "By area": ("ep_areas",),
    },
    "pages/specialist_places.py": {
        "Places and occupancy": ("places_trend", "places_groups", "places_spare"),
        "Pipeline and commitment": ("places_pipeline", "places_commitment"),
        "Demand from new plans": ("places_demand", "places_gap"),
        "Independent schools": ("places_independent",),
        "Settings": ("places_settings",),
    },
    "pages/spending.py": {
        "Month by month": ("spending_monthly",),
        "By budget line": ("spending_lines",),
        "Year by year": ("spending_years",),
        "Unit costs": ("spending_independent_unit_cost", "spending_ep_unit_cost", "spending_staffing"),
    },
    "pages/plans_reviews.py": {
        "Caseload": ("plans_caseload", "plans_breakdown"),
        "Overdue reviews": ("plans_overdue", "plans_overdue_areas"),
        "Review timeliness": ("plans_review_timeliness",),
        "Phase transfers": ("plans_phase_transfers",),
        "Ceased plans": ("plans_ceased",),
    },
    "pages/outlook.py": {
        "Demand forecast": ("outlook_forecast", "outlook_backtest", "outlook_backtest_2023"),
        "Specialist places": ("outlook_specialist_gap",),
        "Backlog simulator": ("outlook_backlog", "outlook_rate", "outlook_compare"),
        "Reaching the target": ("outlook_requirement",),
        "Simulator validation": ("outlook_validation",),
    },
    "pages/health.py": {
        "Advice timeliness": ("health_timeliness", "health_services", "health_providers"),
        "Open advice": ("health_open",),
        "Late advice and 20 weeks": ("health_bottleneck",),
        "Neurodevelopmental waits": ("nd_waits", "nd_places", "nd_flow", "nd_clear"),
    },
}
PAGES = MappingProxyType(_PAGES)


def of(page_file: str) -> tuple[str, ...]:
    """The section labels of a page, in order."""
    return tuple(_PAGES[page_file])


def holding(view_key: str) -> tuple[str, str] | None:
    """The page file and section label showing a view, or None for a view no page section lists."""
    for page_file, sections in _PAGES.items():
        for label, views in sections.items():
            if view_key in views:
                return page_file, label
    return None
