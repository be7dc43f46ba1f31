"""The Plans and reviews views on tests/fixtures/plans (data to 31 Mar 2025), worked out by hand.

The fixture's plans and reviews, and each figure below, are described in tests/measures/test_plans.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.measures.plans import BREAKDOWNS
from dashboard.outputs.suppression import CONFIDENTIAL, suppress
from dashboard.views import plans as views
from dashboard.views.base import Context
from tests.helpers import PLANS_DIR, PLANS_TODAY

AS_OF = date(2025, 3, 31)
LAST_12 = (date(2024, 4, 1), date(2025, 3, 31))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from dashboard.serving.store import open_store

    opened = open_store(PLANS_DIR, tmp_path_factory.mktemp("plans_views"), today=PLANS_TODAY)
    yield opened
    opened.close()


def context(store, start=LAST_12[0], end=LAST_12[1], **scope) -> Context:
    assert store.as_of == AS_OF
    return Context(store.query, Filters(start, end, through=AS_OF, **scope), AS_OF)


@pytest.fixture(scope="module")
def ctx(store):
    return context(store)


def test_headlines(ctx):
    tiles = views.headlines(ctx, views.figures(ctx))
    assert [(t.value, t.delta, t.view) for t in tiles] == [
        ("12", "-1 (-7.7%) on a year earlier", "plans_caseload"),
        ("4", "33% of active plans", "plans_overdue"),
        # Meetings Apr 2024 to Mar 2025 whose four weeks are over: AR06 AR09 AR10 AR15 AR17 AR11 AR12 AR13;
        # on time all but AR10 (147 days), AR12 (29) and AR13 (pending).
        ("62.5%", "5 of 8", "plans_review_timeliness"),
        # September 2025: P07 and P13 named on time, of P07 P11 P12 P13.
        ("2", "of 4 due; deadline was 15 Feb 2025", "plans_phase_transfers"),
    ]
    assert tiles[3].label == "Moving in September 2025: placement named"


def test_caseload_by_placement_on_each_census_day_with_the_published_count(ctx, store):
    view = views.caseload(ctx)
    table = view.table
    assert list(table["Date"]) == [
        "2019-01-17",
        "2020-01-16",
        "2021-01-21",
        "2022-01-20",
        "2023-01-19",
        "2024-01-18",
        "2025-01-16",
        "2025-03-31",
    ]
    last = table.iloc[-1]
    assert (
        last["Active plans"] == 12
        and last["Mainstream school"] == 6
        and last["Special school (LA maintained)"] == 2
    )
    assert (table[list(views.PLACEMENTS.values())].sum(axis=1) == table["Active plans"]).all()
    # On 16 Jan 2025: the 12 active on 31 Mar and P15 (ceased 10 Feb 2025); P06 had ceased on 31 Dec 2024.
    assert table.iloc[-2]["Active plans"] == 13
    # The published January counts are Lancashire's (DfE), drawn beside the extract's count; none at 31 Mar.
    assert table["Published (DfE, January census)"].tolist()[:7] == [
        7042,
        7287,
        8085,
        8691,
        9803,
        11258,
        12317,
    ]
    assert table["Published (DfE, January census)"].isna().iloc[-1]
    assert view.title == "12 active EHC plans at 31 Mar 2025, up from 5 in January 2019"
    assert len(view.figure.data) == len(views.PLACEMENTS) + 1  # a bar per placement and the published points
    # Under an area filter the published count (for all of Lancashire) is not drawn.
    scoped = views.caseload(context(store, districts=("Burnley",)))
    assert scoped.table["Published (DfE, January census)"].isna().all()
    assert scoped.table["Active plans"].iloc[-1] == 4
    assert "No published count is drawn" in scoped.summary


@pytest.mark.parametrize("by", list(BREAKDOWNS))
def test_every_breakdown_adds_up_to_the_caseload(ctx, by):
    view = views.breakdown(ctx, by)
    assert view.table["At 31 Mar 2025"].sum() == 12 and view.table["At 31 Mar 2024"].sum() == 13
    assert (view.drill is not None) == (by in ("District", "Locality"))


def test_age_breakdown_uses_the_age_at_each_date(ctx):
    table = views.breakdown(ctx, "Age").table.set_index("Age")
    # P06 (21) and P14 (23) were 20 to 25 a year earlier; both have ceased since.
    assert table["At 31 Mar 2025"].to_dict() == {
        "5 to 10": 5,
        "11 to 15": 3,
        "16 to 19": 3,
        "Under 5": 1,
        "20 to 25": 0,
    }
    assert table.loc["20 to 25", "At 31 Mar 2024"] == 2


def test_overdue_reviews_by_how_long(ctx):
    view = views.overdue_trend(ctx)
    last = view.table.iloc[-1]
    assert last["Month"] == "2025-03"
    assert [last[c] for c in views.BAND_COLUMNS] == [1, 1, 1, 1]  # P02; P10; P04; P05
    assert (last["Overdue reviews"], last["Active plans"], last["% of active plans overdue"]) == (4, 12, 33.3)
    assert view.title.startswith("4 annual reviews overdue at 31 Mar 2025 (33% of active plans)")


def test_overdue_reviews_by_district_and_their_suppression(ctx):
    view = views.overdue_areas(ctx, "District")
    table = view.table.set_index("District")
    assert table["Overdue reviews"].to_dict() == {"Preston": 2, "Burnley": 1, "Lancaster": 1}
    assert view.title == (
        "Preston has the most overdue annual reviews at 31 Mar 2025: 2, 40% of its active plans"
    )
    published = suppress(view.table, view.spec)
    # Every count here is 1 to 4 (or 5, Preston's plans), and every share is on fewer than 10 plans.
    assert (published["Overdue reviews"] == CONFIDENTIAL).all()
    assert (published["% of active plans overdue"] == CONFIDENTIAL).all()


def test_review_timeliness_by_month(ctx):
    view = views.review_timeliness(ctx)
    table = view.table.set_index("Month")
    assert len(table) == 12
    assert table.loc["2025-01", ["Decisions due", "Decided within 4 weeks"]].tolist() == [3, 1]
    assert table.loc["2024-10", ["Amendments due", "Amended within 12 weeks"]].tolist() == [2, 0]
    assert table.loc["2024-05", "Review meetings"] == 0  # AR19 reviews P99, which is not a plan
    assert view.title == (
        "Apr 2024 to Mar 2025: 62% of review decisions notified within 4 weeks, 25% of amended plans "
        "finalised within 12 weeks"
    )


def test_phase_transfers_and_the_countdown(store, ctx):
    table = views.phase_transfers(ctx).table.set_index("Transfer")
    assert table.loc[
        "September 2025: into year 7", ["Named by the deadline", "Named after the deadline"]
    ].tolist() == [
        1,
        1,
    ]
    assert table.loc["September 2025: into reception", "Not yet named"] == 1
    # Two weeks before the deadline nothing is named yet: P07's plan is issued on 15 February.
    near = views.phase_transfers(context(store, date(2024, 2, 1), date(2025, 1, 31)))
    assert near.title == (
        "2 weeks to 15 Feb 2025: 0 of 4 children moving school in September 2025 have their new placement named"
    )
    # Further off, no countdown.
    far = views.phase_transfers(context(store, date(2024, 1, 1), date(2024, 9, 30)))
    assert far.title.startswith("September 2025 transfers: 0 of ")


def test_ceased_plans_by_reason(ctx):
    view = views.ceased(ctx)
    assert view.table["Plans ceased"].sum() == 3
    assert view.table.set_index("Month").loc["2024-12", "Needs met without a plan"] == 1
    assert view.title == (
        "3 EHC plans ceased Apr 2024 to Mar 2025; the most common reasons: moved to another local authority, "
        "needs met without a plan and moved to adult services or left education or training (1 each)"
    )


def test_every_view_draws_and_exports(ctx):
    every = [
        views.caseload(ctx),
        *(views.breakdown(ctx, by) for by in BREAKDOWNS),
        views.overdue_trend(ctx),
        views.overdue_areas(ctx, "Locality"),
        views.review_timeliness(ctx),
        views.phase_transfers(ctx),
        views.ceased(ctx),
    ]
    for view in every:
        assert view.figure is not None, view.key
        published = suppress(view.table, view.spec)
        assert list(published.columns) == list(view.table.columns), view.key
