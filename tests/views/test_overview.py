"""The Overview's views on the area fixture (as of 25 Mar 2025), with answers worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dashboard.filters import Filters
from dashboard.measures import kpis
from dashboard.views import overview
from dashboard.views.base import Context

AS_OF = date(2025, 3, 25)
LAST_12 = Filters(date(2024, 4, 1), date(2025, 3, 31), through=AS_OF, preset="12m")


def context(run, filters: Filters = LAST_12) -> Context:
    return Context(run, filters, AS_OF)


def test_trend_counts_requests_and_plans_over_the_period_and_marks_the_part_month(run):
    view = overview.trend(context(run))
    # Received Apr 2024-Mar 2025: R14 (May), R08 (Jun), R15 (Sep), R09 and R10 (Nov), R13 (Dec), R11 and R12 (Mar).
    # Issued: R16 (30 Apr), R04 (29 May), R05 (30 May), R15 (28 Feb), R13 (20 Mar).
    assert list(view.table["Requests received"]) == [0, 1, 1, 0, 0, 1, 0, 2, 1, 0, 0, 2]
    assert list(view.table["Plans issued"]) == [1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert (
        view.title
        == "8 requests and 5 plans issued, Apr 2024 to 25 Mar 2025; most requests in Nov 2024 and Mar 2025"
    )
    assert view.notes == (
        "Mar 2025 is shaded: the month was not over at 25 Mar 2025, the data's date, so its requests and plans are "
        "for part of the month.",
    )
    shapes = view.figure.to_dict()["layout"]["shapes"]
    assert any(s["type"] == "rect" for s in shapes)  # the part month is shaded


def test_trend_draws_from_a_table_with_hidden_cells(run):
    view = overview.trend(context(run))
    hidden = view.table.astype({"Plans issued": float})
    hidden.loc[1, "Plans issued"] = np.nan
    figure = view.draw(hidden)
    plans = next(trace for trace in figure.data if trace.name == "Plans issued")
    assert plans.y[0] == 1 and np.isnan(plans.y[1]) and plans.y[2] == 0


def test_a_filtered_overview_judges_no_area_wide_target(run):
    whole = {k.key: k for k in overview.tiles(context(run), usable=lambda table: True)}
    burnley = {
        k.key: k
        for k in overview.tiles(
            context(
                run, Filters(LAST_12.period_start, LAST_12.period_end, districts=("Burnley",), through=AS_OF)
            ),
            usable=lambda table: True,
        )
    }
    assert whole["twenty_week_12m"].status_words == "✔ On track"
    # Burnley, Apr 2024 to Mar 2025, excluding exceptions: R04 and R13 within, R05 late.
    assert burnley["twenty_week_12m"].shown() == "66.7%"
    assert burnley["twenty_week_12m"].judgement is None
    assert burnley["twenty_week_12m"].status_words == "Not judged"
    assert burnley["twenty_week_12m"].scope_words == "The target is for all of Lancashire"
    assert "a figure for part of it" in burnley["twenty_week_12m"].rule
    assert len(burnley["twenty_week_12m"].trend) > 1  # its trend is still shown


@pytest.mark.parametrize("key", ["ep_commitment", "places_added", "forecast_variance"])
def test_tiles_the_filters_cannot_narrow_say_so_on_the_tile(run, key):
    tile = {k.key: k for k in overview.tiles(context(run), usable=lambda table: True)}[key]
    assert tile.scope_words == "All of Lancashire: the filters do not apply"


def test_tiles_the_filters_narrow_say_nothing_of_scope(run):
    tile = {k.key: k for k in overview.tiles(context(run), usable=lambda table: True)}["requests_12m"]
    assert tile.scope_words is None


# Each link opens the page on the tile's period, at the section (tab) showing the tile's view, and at the chart.
# A page opens at its first section unless the address names another: naming the first would have Streamlit take
# it out of the address on load, and the #anchor with it.
@pytest.mark.parametrize(
    ("key", "page", "params", "anchor"),
    [
        (
            "requests_12m",
            "pages/ehcp.py",
            {"from": "2024-04", "to": "2025-03"},
            "ehcp-decisions",
        ),
        (
            "twenty_week_3m",
            "pages/ehcp.py",
            {"from": "2025-01", "to": "2025-03", "section": "Timeliness"},
            "ehcp-timeliness",
        ),
        (
            "twenty_week_12m",
            "pages/ehcp.py",
            {"from": "2024-04", "to": "2025-03", "section": "Timeliness"},
            "ehcp-timeliness",
        ),
        (
            "overdue",
            "pages/ehcp.py",
            {"from": "2024-04", "to": "2025-03", "section": "Waiting now"},
            "ehcp-caseload",
        ),
        (
            "ep_backlog",
            "pages/educational_psychology.py",
            {"from": "2024-04", "to": "2025-03"},
            "ep-flow",
        ),
        (
            "occupancy",
            "pages/specialist_places.py",
            {"from": "2024-04", "to": "2025-03"},
            "places-trend",
        ),
        (
            "forecast_variance",
            "pages/spending.py",
            {"from": "2024-04", "to": "2025-03", "section": "By budget line"},
            "spending-lines",
        ),
        (
            "overdue_reviews",
            "pages/plans_reviews.py",
            {"from": "2024-04", "to": "2025-03", "section": "Overdue reviews"},
            "plans-overdue",
        ),
    ],
)
def test_a_tile_links_to_its_own_period_and_section(run, key, page, params, anchor):
    tile = {k.key: k for k in overview.tiles(context(run), usable=lambda table: True)}[key]
    link = overview.tile_link(tile, context(run))
    assert (link.page, link.params, link.anchor) == (page, params, anchor)


def test_a_tile_at_a_date_keeps_the_chosen_start(run):
    chosen = Filters(date(2023, 9, 1), date(2024, 6, 30), through=AS_OF)
    tile = {k.key: k for k in overview.tiles(context(run, chosen), usable=lambda table: True)}["overdue"]
    assert overview.tile_link(tile, context(run, chosen)).params == {
        "from": "2023-09",
        "to": "2024-06",
        "section": "Waiting now",
    }


def test_status_key_says_why_filtered_tiles_carry_no_status(run):
    burnley = Filters(LAST_12.period_start, LAST_12.period_end, districts=("Burnley",), through=AS_OF)
    assert overview.status_key(context(run)).startswith("Figures at 25 Mar 2025.")
    assert "tiles for Burnley show no status" in overview.status_key(context(run, burnley))


def test_unavailable_tiles_keep_their_labels(run):
    board = kpis.board_kpis(run, LAST_12, AS_OF, usable=lambda table: table != "ehcp_requests")
    assert [k.label for k in board[:4]] == [
        "Requests (12 months)",
        "20-week rate (3 months)",
        "20-week rate (12 months)",
        "Open past 20 weeks",
    ]
    assert all(not k.available for k in board[:4])


def test_the_boards_tiles_are_worked_out_once_per_data_version_and_shared_unchangeable(
    area_store, monkeypatch
):
    """Every tile builder is a shared measure: a second session at the same filters runs no query and no
    pandas, and gets tiles equal to the first's, which nobody can change."""
    import dataclasses

    from dashboard.app import state

    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=512))
    queries = []
    counted = type("Counted", (), {"data_dir": area_store.data_dir, "version": area_store.version})()
    counted.query = lambda name, params: queries.append(name) or area_store.query(name, params)
    first = kpis.board_kpis(state.runner(counted), LAST_12, AS_OF, lambda table: True, AS_OF)
    ran = len(queries)
    assert ran > 10
    second = kpis.board_kpis(state.runner(counted), LAST_12, AS_OF, lambda table: True, AS_OF)
    assert len(queries) == ran  # nothing ran again
    assert all(again is kept for again, kept in zip(second, first, strict=True))  # the same tiles, no pandas
    assert [(k.key, k.value, k.previous, k.judgement) for k in second] == [
        (k.key, k.value, k.previous, k.judgement) for k in first
    ]
    assert [k.shown() for k in second] == [k.shown() for k in first]
    with pytest.raises(dataclasses.FrozenInstanceError):
        second[0].value = 0
    # Another period is other figures, worked out afresh.
    kpis.board_kpis(state.runner(counted), LAST_12, date(2025, 2, 28), lambda table: True, AS_OF)
    assert len(queries) > ran
