"""The Educational psychology page under AppTest on tests/fixtures/capacity, and the figures the bundled sample
promises.

The page runs from its own file (it draws the shared sidebar itself), so these tests do not depend on app.py.
Fixture figures are worked out in tests/measures/test_ep.py and tests/views/test_ep.py. The default period is
the last 12 months to the data's date (Jun 2024 to May 2025).
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.measures import ep
from dashboard.views import sections
from tests.helpers import (
    CAPACITY_DIR,
    captions,
    deltas,
    every_section,
    in_section,
    keyed,
    open_section,
    page_alone,
    see_the_chart,
    subheaders,
    switch_section,
    text,
    tiles,
    views_shown,
)

EP_PAGE = "pages/educational_psychology.py"
EP_CHARTS = 7
SLCN = "Speech, language and communication (SLCN)"


@pytest.fixture()
def capacity(app_data):
    app_data(CAPACITY_DIR)


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_ep_page_shows_the_fixture_figures(capacity):
    every = every_section(EP_PAGE)
    at = every["Requests and backlog"]  # the page opens at its first section
    assert not at.exception
    assert at.title[0].value == "Educational psychology"
    assert tiles(at) == {
        "EP backlog at 31 May 2025": "5",  # O01-O05
        "Waiting over six weeks at 31 May 2025": "4",  # all but O01
        "EP advice within six weeks (12 months)": "83.3%",  # 20 of the 24 completed Jun 2024-May 2025
        "Additional EP assessments (target 6)": "6",  # 12 completed less 3 months at 2 a month
    }
    # The commitment's status is its tile's badge (the chart's title says it in words too); the tile says on
    # its face that the filters do not apply to it.
    assert badges(at) == [":green-badge[✔ Met]"]
    assert deltas(at)["Additional EP assessments (target 6)"] == "All of Lancashire (no filters)"
    titles = subheaders(at)
    # Month-end backlog peaked at 8 at the end of April 2025 (C08 C09 C10 C12 O02-O05).
    assert titles[0] == "EP backlog down from 8 at the end of April 2025 to 5 at 31 May 2025"
    assert titles[1].startswith(
        "4 of the 5 open EP requests at 31 May 2025 have waited over six weeks; 2 over 20"
    )
    at = every["Additional assessments"]
    assert "6 additional EP assessments by the due date (31 May 2025), against 6: ✔ Met" in subheaders(at)
    # Every view a chart with its download, over the sections, each in the section the registry says.
    drawn = {label: keyed(each, "plotly_chart", "_chart") for label, each in every.items()}
    assert sum(map(len, drawn.values())) == EP_CHARTS
    assert drawn == {label: list(views) for label, views in sections.PAGES[EP_PAGE].items()}
    assert sum(len(each.get("download_button")) for each in every.values()) == EP_CHARTS
    markdown = " ".join(m.value for m in at.markdown)
    assert (
        "**Baseline:** 2.0 completions a month" in markdown
        and "(Sep 2024 to Feb 2025: 12 completions)" in markdown
    )
    assert "**Status rule:** Met when at or above the target of 6" in markdown


def test_ep_headline_tiles_link_to_their_charts(capacity):
    at = page_alone(EP_PAGE)
    buttons = see_the_chart(at)
    assert [(view, section) for _, view, section in buttons] == [
        ("ep_flow", "Requests and backlog"),
        ("ep_backlog_age", "Requests and backlog"),
        ("ep_timeliness", "Timeliness and providers"),
        ("ep_commitment", "Additional assessments"),
    ]
    # Each button opens its section (from wherever the page is), which shows its chart under its anchor.
    for key, view, section in reversed(buttons):
        at.button(key=key).click().run()
        assert open_section(at) == section and view in views_shown(at)
    # Over the sections, the views in order, each with its anchor.
    anchors = [s.proto.anchor for each in every_section(EP_PAGE).values() for s in each.subheader]
    assert anchors == [
        "ep-flow",
        "ep-backlog-age",
        "ep-timeliness",
        "ep-providers",
        "ep-commitment",
        "ep-delay",
        "ep-areas",
    ]


def test_ep_period_control_moves_every_figure_to_the_new_end(capacity):
    at = page_alone(EP_PAGE)
    at.selectbox(key="to").set_value("2025-04").run()
    assert not at.exception
    got = tiles(at)
    assert got["EP backlog at 30 Apr 2025"] == "8"
    assert got["Additional EP assessments (target 6)"] == "3"  # 7 completed less 2 months at 2
    assert badges(at) == [":red-badge[✖ Off track]"]  # 3 against 4 needed by now
    # Every figure at a date is at the new end, and says so, in every section.
    titles = subheaders(at)
    assert titles[0] == "EP backlog at its highest in the period: 8 at 30 Apr 2025"
    assert titles[1].startswith("5 of the 8 open EP requests at 30 Apr 2025")
    switch_section(at, "Additional assessments")
    markdown = " ".join(m.value for m in at.markdown)
    assert "**Projected:** at the rate so far, 6 would be reached on about 1 Jul 2025." in markdown
    assert subheaders(at) == [
        "3 additional EP assessments by 30 Apr 2025, against 4 needed by then on the way to 6: ✖ Off track"
    ]
    # At 30 Apr: Burnley C09 C10 (within six weeks) C12 O04 (over); Preston O02 O05; Lancaster C08 O03.
    assert subheaders(switch_section(at, "By area")) == [
        "Burnley has the largest EP backlog at 30 Apr 2025: 4, 2 of them waiting over six weeks"
    ]


def test_ep_area_control_switches_between_districts_and_localities(capacity):
    at = in_section(EP_PAGE, "By area")
    areas = at.dataframe[-1].value
    assert list(areas["District"]) == ["Burnley", "Preston", "Lancaster"]
    assert list(areas["Backlog"]) == [2, 2, 1]
    at.radio(key="ep_by").set_value("Locality").run()
    assert not at.exception
    areas = at.dataframe[-1].value
    assert list(areas["Locality"]) == ["Central", "East", "North"]
    # Bound to the URL: a link with ?ep_by=Locality reproduces the view.
    assert list(in_section(EP_PAGE, "By area", ep_by="Locality").dataframe[-1].value["Locality"]) == [
        "Central",
        "East",
        "North",
    ]


def test_ep_shared_filters_apply_through_the_url_and_the_sidebar(capacity):
    at = in_section(EP_PAGE, "Additional assessments", district="Preston")
    assert tiles(at)["EP backlog at 31 May 2025"] == "2"  # O02, O05
    # The commitment is for the whole area, so the filter leaves it alone, and the page says so under it.
    assert tiles(at)["Additional EP assessments (target 6)"] == "6"
    assert (
        "Not filtered by area: the commitment is for all of Lancashire, so the filters do not apply."
        in captions(at)
    )
    at = page_alone(EP_PAGE)
    at.multiselect(key="need").set_value([SLCN]).run()
    assert tiles(at)["EP backlog at 31 May 2025"] == "1"  # O02, through request R09
    assert page_alone(EP_PAGE, need=SLCN).metric[0].value == "1"  # the need's label in the URL


def test_ep_page_says_so_when_nothing_matches(capacity):
    at = page_alone(
        EP_PAGE, need="Profound and multiple learning difficulty (PMLD)"
    )  # no EP advice for this need
    assert not at.exception
    assert tiles(at)["EP backlog at 31 May 2025"] == "0"
    assert "No EP advice requests open at 31 May 2025" in subheaders(at)
    # before any EP request or the commitment
    every = every_section(EP_PAGE, **{"from": "2023-08", "to": "2023-09"})
    assert not any(at.exception for at in every.values())
    assert "has not started by the end of the selected period" in text(every["Additional assessments"])
    # Only the commitment's chart is missing.
    drawn = {label: keyed(each, "plotly_chart", "_chart") for label, each in every.items()}
    assert sum(map(len, drawn.values())) == EP_CHARTS - 1 and drawn["Additional assessments"] == []


def test_sample_ep_backlog_built_up_in_2024_25_and_is_being_worked_down(sample_store):
    run, as_of = sample_store.query, sample_store.as_of
    assert as_of == date(2026, 10, 31)
    monthly = ep.monthly(run, Filters(date(2024, 1, 1), as_of), as_of)
    peak = ep.peak_backlog(monthly)
    assert (peak["month"].strftime("%Y-%m"), int(peak["backlog"])) == ("2025-08", 1696)
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), date(2024, 1, 31)).open == 539
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), date(2025, 3, 31)).open == 1447
    assert ep.backlog(run, Filters(date(2024, 1, 1), as_of), as_of).open == 180


def test_sample_additional_ep_assessments_since_the_notice(sample_store):
    got = ep.commitment(sample_store.query, sample_store.as_of)
    assert got.start == date(2025, 6, 5) and got.due == date(2026, 3, 5)
    assert got.baseline_window == ep.Window(date(2024, 12, 1), date(2025, 5, 31))
    assert (got.baseline_completions, got.baseline_monthly) == (957, 159.5)
    assert got.completions == 2540  # 5 Jun 2025 to 5 Mar 2026, both days counted
    # 2,540 less 159.5 a month for 9 months and 1 day (1/31 of a month): about 1,100, just short of 1,200.
    assert got.additional == pytest.approx(2540 - 159.5 * (9 + 1 / 31))
    assert round(got.additional) == 1099
    assert got.judgement.label == "▲ Missed narrowly"
    assert got.reached_month == date(2026, 3, 31)
