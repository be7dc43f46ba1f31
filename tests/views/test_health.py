"""The Health views on tests/fixtures/health (data to 16 Jun 2025), worked out by hand in its README.md."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.outputs.disclosure import publish
from dashboard.outputs.suppression import CONFIDENTIAL
from dashboard.views import health as views
from dashboard.views.base import Context
from tests.helpers import HEALTH_TODAY

AS_OF = date(2025, 6, 16)


@pytest.fixture(scope="module")
def ctx(health_store):
    assert health_store.as_of == AS_OF and HEALTH_TODAY >= AS_OF
    return Context(health_store.query, Filters(date(2025, 1, 1), date(2025, 6, 30), through=AS_OF), AS_OF)


@pytest.fixture(scope="module")
def every(ctx):
    frame = views.waits_frame(ctx)
    built = [
        views.timeliness(ctx),
        views.services(ctx),
        views.providers(ctx),
        views.open_advice(ctx),
        views.bottleneck(ctx),
        views.waits(ctx, frame),
        views.places(ctx, frame),
        views.flow(ctx, frame),
        views.clear(ctx, frame),
    ]
    return {view.key: view for view in built}


def test_every_view_has_its_chart_words_table_and_spec(every):
    assert list(every) == [
        "health_timeliness",
        "health_services",
        "health_providers",
        "health_open",
        "health_bottleneck",
        "nd_waits",
        "nd_places",
        "nd_flow",
        "nd_clear",
    ]
    for view in every.values():
        assert view.figure is not None and view.title and view.summary and len(view.table)
        assert view.filename.endswith(".csv")


def test_timeliness_by_quarter_health_social_care_and_ep(every):
    view = every["health_timeliness"]
    table = view.table.set_index("Quarter starting")
    # Q1 2025: health A12 A1 A2 A3 A6 (3 within); Q2: A5 A11 (0 within). Social care: A4 in Q2, A9 in Q2.
    assert table["Health advice completed"].to_dict() == {"2025-01": 5, "2025-04": 2}
    assert table["Social care advice completed"].to_dict() == {"2025-01": 0, "2025-04": 2}
    assert table["EP advice completed"].to_dict() == {"2025-01": 4, "2025-04": 1}  # E6 E1 E2 E3; E4
    # Fewer than 10 completions a quarter: no share is drawn.
    assert table["% health advice within 6 weeks"].isna().all()
    assert view.title == (
        "43% of health advice arrived within six weeks, Jan 2025 to 16 Jun 2025; social care advice 50%"
    )


def test_services_and_providers_tables(every):
    services = every["health_services"].table.set_index("Service")
    assert services.loc["Community paediatrics", ["Completed", "Within 6 weeks"]].tolist() == [3, 3]
    assert services.loc["Speech and language therapy", ["Completed", "Within 6 weeks"]].tolist() == [2, 0]
    providers = every["health_providers"].table.set_index("Provider")
    assert providers.loc["Community and mental health trust", "Completed"] == 3  # A12 A2 A5
    assert every["health_services"].title.startswith("Too little advice")


def test_open_advice_by_service_and_age(every):
    view = every["health_open"]
    # At 16 Jun 2025: A7 (speech and language, 69 days) and A10 (paediatrics, 46 days), 6 to 12 weeks.
    assert view.table.to_dict("records") == [
        {
            "Service": "Community paediatrics",
            "Up to 6 weeks": 0,
            "6 to 12 weeks": 1,
            "12 to 20 weeks": 0,
            "Over 20 weeks": 0,
            "Open": 1,
        },
        {
            "Service": "Speech and language therapy",
            "Up to 6 weeks": 0,
            "6 to 12 weeks": 1,
            "12 to 20 weeks": 0,
            "Over 20 weeks": 0,
            "Open": 1,
        },
    ]
    assert view.title == "2 of the 2 pieces of advice open at 16 Jun 2025 have waited over six weeks"


def test_the_bottleneck_each_month(every):
    view = every["health_bottleneck"]
    table = view.table.set_index("Month")
    assert table[views.LATE_PLANS].tolist() == [0, 0, 0, 0, 1, 3]
    # May: R6, health late (the bottleneck). June: R2 (EP, social care), R3 (health), R4 (EP): EP the bottleneck.
    assert table.loc["2025-05", list(views.LATE_INPUT.values())].tolist() == [0, 1, 0]
    assert table.loc["2025-06", list(views.LATE_INPUT.values())].tolist() == [2, 1, 1]
    # 4 late plans: EP late on R2 and R4, health on R6 and R3, social care on R2.
    assert view.title == (
        "EP and Health advice was late on most of the 4 plans issued after 20 weeks Jan 2025 to 16 Jun 2025; "
        "health advice was the bottleneck in May 2025"
    )


def test_waits_views(every):
    waits = every["nd_waits"].table.set_index("Month")
    assert waits["Waiting list"].to_dict() == {"2025-04": 70, "2025-05": 78, "2025-06": 107}
    assert waits.loc["2025-06", "% over 13 weeks"] == pytest.approx(52.3)  # 56 of 107
    places = every["nd_places"].table.set_index("Pathway and place")
    assert places.loc["Autism assessment, 5 to 18: East Lancashire"].tolist()[:3] == [28, 54, 82]
    clear = every["nd_clear"].table.set_index("Pathway and place")
    assert clear.loc["Autism assessment, 5 to 18: East Lancashire", "Months to clear"] == pytest.approx(8.2)
    assert every["nd_clear"].title.startswith("At the current rate the whole list would take 8.0 months")
    assert every["nd_flow"].title == (
        "Referrals outran assessments Jan 2025 to 16 Jun 2025: 75 received against 40 completed, so the list "
        "grew to 107"
    )


def test_published_views_hide_counts_of_one_to_four(every):
    # The open advice view holds only 1s: every count is hidden, and the words give none of them away.
    published = publish(every["health_open"])
    assert set(published.table["Open"]) == {CONFIDENTIAL}
    assert "2 of the 2" not in published.title
    # The ADHD place's list of 5 splits 3 and 2: both hidden, and so its share.
    places = publish(every["nd_places"]).table.set_index("Pathway and place")
    assert places.loc["ADHD assessment: East Lancashire", "Over 13 weeks (NICE QS51)"] == CONFIDENTIAL
    assert places.loc["ADHD assessment: East Lancashire", "% over 13 weeks"] == CONFIDENTIAL
