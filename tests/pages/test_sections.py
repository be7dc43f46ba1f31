"""The detail pages' sections (dashboard.views.sections) under AppTest, on the fixtures the page tests use.

A page draws only its open section, so each section must show the views the registry lists for it and nothing
from another; every listed view must be drawn in some section; a section named in the URL that the page does not
have opens the first; each headline's button opens the section holding its chart; and the Overview's tiles link
to the section and the chart showing their figure.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.app.navigation import BY_FILE
from dashboard.views import sections
from tests.helpers import (
    AREA_DIR,
    CAPACITY_DIR,
    FINANCE_DIR,
    HEALTH_DIR,
    PLANS_DIR,
    SAMPLE_DIR,
    app,
    every_section,
    in_section,
    keyed,
    open_section,
    see_the_chart,
    views_shown,
)

# Each sectioned page with the fixture its page tests run on.
FIXTURE = {
    "pages/ehcp.py": AREA_DIR,
    "pages/educational_psychology.py": CAPACITY_DIR,
    "pages/specialist_places.py": CAPACITY_DIR,
    "pages/spending.py": FINANCE_DIR,
    "pages/plans_reviews.py": PLANS_DIR,
    "pages/outlook.py": SAMPLE_DIR,  # the fixtures are too short for a forecast
    "pages/health.py": HEALTH_DIR,
}


def test_every_sectioned_page_is_tested():
    assert set(FIXTURE) == set(sections.PAGES)


@pytest.mark.parametrize("page", FIXTURE)
def test_each_section_shows_its_own_views_and_every_view_is_in_one(app_data, page):
    app_data(FIXTURE[page])
    registry = sections.PAGES[page]
    drawn = set()
    for label, at in every_section(page).items():
        assert not at.exception, f"{label}: {[e.value for e in at.exception]}"
        assert open_section(at) == label
        shown = views_shown(at)
        # In the registry's order, and nothing from another section: no view, chart or download.
        assert shown == [view for view in registry[label] if view in shown], f"{label}: {shown}"
        assert set(keyed(at, "plotly_chart", "_chart")) <= set(shown)
        assert set(keyed(at, "download_button", "_download")) == set(shown)
        drawn |= set(shown)
    assert drawn == {view for views in registry.values() for view in views}


@pytest.mark.parametrize("page", FIXTURE)
def test_an_unknown_section_opens_the_first(app_data, page):
    app_data(FIXTURE[page])
    at = in_section(page, "No such section")
    assert not at.exception
    first = sections.of(page)[0]
    assert open_section(at) == first and views_shown(at) == list(sections.PAGES[page][first])
    assert sections.SECTION not in at.query_params  # the address no longer names it


@pytest.mark.parametrize("page", FIXTURE)
def test_each_headline_button_opens_the_section_holding_its_chart(app_data, page):
    app_data(FIXTURE[page])
    at = in_section(page, sections.of(page)[-1])
    buttons = see_the_chart(at)
    assert buttons
    # From the last section, every button in turn: back to the first section too.
    for key, view, label in buttons:
        assert sections.holding(view) == (page, label)
        at.button(key=key).click().run()
        assert not at.exception
        assert open_section(at) == label and view in views_shown(at)


def test_the_overview_tiles_link_to_the_section_and_chart_of_their_figure(app_data):
    app_data(CAPACITY_DIR)  # every tile has a link, with or without a figure (no plans extract here)
    at = app()
    assert not at.exception
    hrefs = [e.proto.body for e in at.get("html") if 'class="send-link"' in e.proto.body]
    assert len(hrefs) == 11  # nine Improvement Notice tiles, overdue reviews and health advice
    named = 0
    for body in hrefs:
        href = urlsplit(body.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&"))
        if not href.fragment:  # overdue reviews and health advice have no figure here: their pages say why
            assert href.path in {BY_FILE[p].url_path for p in ("pages/plans_reviews.py", "pages/health.py")}
            continue
        page, label = sections.holding(href.fragment.replace("-", "_"))
        assert href.path == BY_FILE[page].url_path
        # The page opens at its first section unless the address names another (named, the first would be
        # taken out of the address on load, and the #anchor with it).
        first = label == sections.of(page)[0]
        assert parse_qs(href.query).get(sections.SECTION) == (None if first else [label]), body
        named += not first
    assert named  # some tiles' charts are in a section other than the first
