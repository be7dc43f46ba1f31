"""The EHC needs assessments and plans page under AppTest, with answers worked out by hand from the fixture CSVs.

The area fixture (tests/fixtures/area/ehcp_requests.csv) is dated 25 Mar 2025, its latest activity. Its story:
R01-R03 and R16 came in 2023; R04-R10 and R13-R15 in 2024; R11 and R12 in March 2025 and still await a
decision. Plans were issued for R02 (29 Dec 2023, 150 days), R01 (5 Jan 2024, 126), R03 (15 Mar 2024, 165,
exception), R16 (30 Apr 2024, 137), R04 (29 May 2024, 140), R05 (30 May 2024, 141), R15 (28 Feb 2025, 179,
exception) and R13 (20 Mar 2025, 108). R08, R09 and R10 are being assessed; R14 ended without a plan.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.views import sections
from tests.helpers import (
    ALL_MONTHS,
    every_section,
    in_section,
    keyed,
    open_section,
    page_alone,
    see_the_chart,
    subheaders,
    text,
    tiles,
    views_shown,
)

AS_OF = date(2025, 3, 25)
LAST_12 = Filters(date(2024, 4, 1), date(2025, 3, 31), through=AS_OF, preset="12m")
SINCE_2023 = Filters(date(2023, 1, 1), date(2025, 3, 31), through=AS_OF)
YEAR_2024 = Filters(date(2024, 1, 1), date(2024, 12, 31), through=AS_OF)


PAGE = "pages/ehcp.py"


def test_page_shows_the_fixture_headlines(app_data):
    at = page_alone(PAGE, **ALL_MONTHS)
    assert not at.exception
    # 12 of 16 requests agreed; plans issued excluding exceptions: R02 late, R01, R04, R13, R16 within, R05 late.
    assert tiles(at) == {
        "Requests received": "16",
        "Agreed to assess": "75.0%",
        "20-week rate (excl. exceptions)": "66.7%",
        "Open at 25 Mar 2025": "5",
        "Open past 20 weeks": "2",
        "Will pass 20 weeks in 4 / 8 weeks": "1 / 1",
    }
    # 11 charts over the page's sections, each drawn in its own (the cases about to pass 20 weeks by need are a
    # table).
    drawn = {
        label: keyed(each, "plotly_chart", "_chart")
        for label, each in every_section(PAGE, **ALL_MONTHS).items()
    }
    assert sum(map(len, drawn.values())) == 11
    assert drawn == {
        label: [view for view in views if view != "ehcp_breach_needs"]
        for label, views in sections.PAGES[PAGE].items()
    }


def test_page_defaults_to_the_last_12_months(app_data):
    at = page_alone(PAGE)
    assert not at.exception
    assert tiles(at) == {
        "Requests received": "8",
        "Agreed to assess": "75.0%",
        "20-week rate (excl. exceptions)": "75.0%",
        "Open at 25 Mar 2025": "5",
        "Open past 20 weeks": "2",
        "Will pass 20 weeks in 4 / 8 weeks": "1 / 1",
    }
    assert subheaders(at)[0] == "8 requests received, Apr 2024 to 25 Mar 2025"
    # The 20-week rate's button opens the Timeliness section, at its chart.
    (key,) = [key for key, view, _ in see_the_chart(at) if view == "ehcp_timeliness"]
    assert at.button(key=key).label == "See the chart: Timeliness"
    at.button(key=key).click().run()
    assert open_section(at) == "Timeliness" and "ehcp_timeliness" in views_shown(at)
    assert "Waiting at 25 Mar 2025" in text(in_section(PAGE, "Waiting now"))


def test_page_controls_change_the_figures(app_data):
    at = in_section(PAGE, "Where it is worst")  # the breakdown's controls are in its section
    at.selectbox(key="from").set_value("2024-01").run()
    at.selectbox(key="to").set_value("2024-12").run()
    assert tiles(at)["Requests received"] == "10"
    assert tiles(at)["20-week rate (excl. exceptions)"] == "75.0%"
    at.selectbox(key="breakdown").set_value("primary_need").run()
    at.selectbox(key="breakdown_measure").set_value("requests_received").run()
    table = at.dataframe[-1].value.set_index("Primary need")
    # Labels now, where the page showed codes (ASD, MLD, Not yet known) before.
    assert table["Requests received"].to_dict() == {
        "Autism (ASD)": 5,
        "Moderate learning difficulty (MLD)": 1,
        "Need not yet recorded": 0,
        "Social, emotional and mental health (SEMH)": 2,
        "Speech, language and communication (SLCN)": 2,
    }
    at.multiselect(key="district").set_value(["Preston"]).run()
    assert tiles(at)["Requests received"] == "4"  # R06, R09, R10, R14
    # At 31 Dec 2024, the end of the period: Preston's open R09 (60 days) and R10 (41) are more than 8 weeks from
    # passing 20 weeks (at the data's date, 25 Mar 2025, R10 would pass within 4).
    assert tiles(at)["Will pass 20 weeks in 4 / 8 weeks"] == "0 / 0"
    assert tiles(at)["Open at 31 Dec 2024"] == "2"
    assert not at.exception


def test_page_at_the_end_of_a_chosen_period(app_data):
    at = in_section(PAGE, "Waiting now", **{"from": "2024-01", "to": "2024-12"})
    assert not at.exception
    assert tiles(at)["Open at 31 Dec 2024"] == "5" and tiles(at)["Open past 20 weeks"] == "1"
    assert "Waiting at 31 Dec 2024" in text(at)
    assert "1 case will pass 20 weeks within 4 weeks of 31 Dec 2024; most in Burnley (1)" in subheaders(at)


@pytest.mark.parametrize(
    ("query", "requests"),
    [
        ({"need": "Autism (ASD)"}, "7"),  # R01, R04, R05, R08, R13, R15, R16
        ({"source": "Health service"}, "1"),  # R06
        ({"placement": "Mainstream school"}, "3"),  # R01, R04, R15
    ],
)
def test_page_filters_hold_labels_in_the_url(app_data, query, requests):
    at = page_alone(PAGE, **ALL_MONTHS, **query)
    assert not at.exception
    assert tiles(at)["Requests received"] == requests
