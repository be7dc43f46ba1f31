"""The Health page under AppTest on tests/fixtures/health (figures worked out in its README.md), and on a
folder without the two optional health extracts.

The page runs from its own file (it draws the shared sidebar itself). The default period is the last 12
months to the data's date (Jul 2024 to 16 Jun 2025), which holds every piece of advice in the fixture.
"""

from __future__ import annotations

from tests.helpers import (
    AREA_DIR,
    HEALTH_DIR,
    in_section,
    keyed,
    text,
    tiles,
    views_shown,
)

HEALTH_PAGE = "pages/health.py"


def test_health_page_shows_the_fixture_figures(app_data):
    app_data(HEALTH_DIR)
    # Each section's own views are checked in tests/pages/test_sections.py; here, the figures.
    at = in_section(HEALTH_PAGE, "Advice timeliness")
    assert not at.exception
    assert at.title[0].value == "Health"
    assert tiles(at) == {
        "Health advice within six weeks (12 months)": "42.9%",  # 3 of 7
        "Social care advice within six weeks (12 months)": "50.0%",  # 1 of 2
        "Waiting for an autism or ADHD assessment (Jun 2025)": "107",
    }
    assert views_shown(at) == ["health_timeliness", "health_services", "health_providers"]
    assert "43% of health advice arrived within six weeks" in text(at)
    every = {"Neurodevelopmental waits": in_section(HEALTH_PAGE, "Neurodevelopmental waits")}
    waits = every["Neurodevelopmental waits"]
    assert views_shown(waits) == ["nd_waits", "nd_places", "nd_flow", "nd_clear"]
    assert keyed(waits, "plotly_chart", "_chart") == ["nd_waits", "nd_places", "nd_flow", "nd_clear"]
    assert "107 waiting for an autism or ADHD assessment at the end of June 2025" in text(waits)


def test_without_the_health_extracts_the_page_says_so_and_does_not_fail(app_data):
    app_data(AREA_DIR)  # the area fixture has neither health extract
    every = {
        label: in_section(HEALTH_PAGE, label) for label in ("Advice timeliness", "Neurodevelopmental waits")
    }
    for label, at in every.items():
        assert not at.exception, label
        assert not at.error, label
        assert views_shown(at) == []
    assert "advice_requests.csv) is not supplied" in text(every["Advice timeliness"])
    assert "neurodevelopmental_waits.csv) is not supplied" in text(every["Neurodevelopmental waits"])
    assert tiles(every["Advice timeliness"]) == {}
