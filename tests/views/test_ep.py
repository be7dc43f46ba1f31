"""The Educational psychology views on tests/fixtures/capacity (data to 31 May 2025), worked out by hand.

The fixture's EP advice (see tests/measures/test_ep.py for every request): twelve in-house baseline
completions, two a month Sep 2024 to Feb 2025, all within six weeks; then
  Mar 2025  C01 in-house (7 days), C02 agency (53, late), C03 locum (42), C04 in-house (23)
  Apr 2025  C05 agency (60, late), C06 in-house (26), C07 locum (29)
  May 2025  C08 agency (2 May, 53, late), C09 in-house (9 May), C10 in-house (16 May), C11 locum (22 May),
            C12 agency (31 May, 103, late)
  open      O01 Burnley 20 May 2025, O02 Preston 10 Apr 2025, O03 Lancaster 28 Feb 2025,
            O04 Burnley 1 Nov 2024, O05 Preston 15 May 2024
Month-end backlog Jun 2024 to May 2025: 1, 1, 1, 1, 1, 2, 2, 3, 7, 7, 8, 5.
Plans issued Jun 2024 to May 2025: R15 (28 Feb 2025, after 20 weeks; slowest EP advice C12, late) and R13
(20 Mar 2025, within 20 weeks; EP advice C02, late).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from dashboard.filters import Filters
from dashboard.measures import kpis
from dashboard.outputs.suppression import CONFIDENTIAL, as_numbers, suppress
from dashboard.views import ep as views
from dashboard.views.base import WHOLE_AREA, Context
from tests.helpers import CAPACITY_TODAY

AS_OF = date(2025, 5, 31)
LAST_12 = (date(2024, 6, 1), date(2025, 5, 31))


def context(store, start=LAST_12[0], end=LAST_12[1], as_of=AS_OF, **scope) -> Context:
    assert store.as_of == AS_OF and CAPACITY_TODAY >= AS_OF
    return Context(store.query, Filters(start, end, through=as_of, **scope), as_of)


@pytest.fixture(scope="module")
def default(capacity_store):
    """The page's default: the last 12 months to the data's date."""
    ctx = context(capacity_store)
    months = views.monthly(ctx)
    promise = views.commitment_progress(ctx)
    every = [
        views.flow(ctx, months),
        views.backlog_age(ctx, months),
        views.timeliness(ctx, months),
        views.providers(ctx, months),
        views.commitment(ctx, promise),
        views.delay(ctx),
        views.areas(ctx, "District"),
        views.areas(ctx, "Locality"),
    ]
    return (
        ctx,
        months,
        promise,
        {view.key + ("_locality" if "Locality" in view.table else ""): view for view in every},
    )


@pytest.fixture(scope="module")
def part_month(capacity_store):
    """The data as if it ran only to 16 May 2025: May is not over."""
    ctx = context(capacity_store, as_of=date(2025, 5, 16))
    return ctx, views.monthly(ctx)


def test_the_view_keys_the_overview_links_to(default):
    *_, shown = default
    assert set(shown) == {
        "ep_flow",
        "ep_backlog_age",
        "ep_timeliness",
        "ep_providers",
        "ep_commitment",
        "ep_delay",
        "ep_areas",
        "ep_areas_locality",
    }


def test_headlines_at_the_period_end_link_to_their_charts(default):
    ctx, months, promise, _ = default
    tiles = views.headlines(ctx, months, promise)
    assert [(t.label, t.value, t.view) for t in tiles] == [
        ("EP backlog at 31 May 2025", "5", "ep_flow"),  # O01-O05
        ("Waiting over six weeks at 31 May 2025", "4", "ep_backlog_age"),  # all but O01 (11 days)
        ("EP advice within six weeks (12 months)", "83.3%", "ep_timeliness"),  # 20 of the 24 completed
        ("Additional EP assessments (target 6)", "6", "ep_commitment"),  # 12 less 3 months at 2
    ]
    assert tiles[0].delta == "-3 on the peak (Apr 2025)"  # 8 at the end of April
    assert tiles[1].delta == "80% of the backlog"
    assert "20 of 24 pieces of EP advice completed in the 12 months to May 2025" in tiles[2].help
    # The commitment is for the whole area: the tile says so on its face, and carries its status.
    assert tiles[3].delta == "All of Lancashire (no filters)"
    assert tiles[3].judgement.label == "✔ Met"


@pytest.mark.parametrize("scope", [{}, {"districts": ("Preston",)}, {"needs": ("SLCN",)}])
@pytest.mark.parametrize("end", [date(2025, 5, 31), date(2025, 4, 30), date(2025, 3, 31)])
def test_headlines_equal_the_overview_tiles_for_the_same_period_and_filters(capacity_store, scope, end):
    ctx = context(capacity_store, date(2024, 6, 1), end, **scope)
    tiles = {
        t.view: t.value for t in views.headlines(ctx, views.monthly(ctx), views.commitment_progress(ctx))
    }
    backlog = kpis.ep_backlog_kpi(ctx.run, ctx.filters, ctx.at, ctx.as_of)
    extra = kpis.ep_commitment_kpi(ctx.run, ctx.at, ctx.as_of)
    assert (tiles["ep_flow"], tiles["ep_commitment"]) == (backlog.shown(), extra.shown())


def test_headlines_when_filtered_keep_the_whole_area_commitment(capacity_store):
    ctx = context(capacity_store, districts=("Preston",))
    tiles = views.headlines(ctx, views.monthly(ctx), views.commitment_progress(ctx))
    assert [t.value for t in tiles] == ["2", "2", "100.0%", "6"]  # O02 O05; B02 B05 B08 B11 C06 C07 on time
    assert tiles[3].delta == "All of Lancashire (no filters)"


def test_flow(default):
    *_, shown = default
    view = shown["ep_flow"]
    assert view.title == "EP backlog down from 8 at the end of April 2025 to 5 at 31 May 2025"
    assert view.summary == (
        "EP advice requested and completed each month, and the backlog at each month end, "
        "Jun 2024 to May 2025. 29 requested and 24 completed in the period."
    )
    table = view.table
    assert list(table.columns) == ["Month", "Advice requested", "Advice completed", "Backlog at month end"]
    assert (table["Month"].iloc[0], table["Month"].iloc[-1]) == ("2024-06", "2025-05")
    assert list(table["Advice requested"]) == [0, 0, 0, 2, 2, 3, 2, 3, 6, 5, 4, 2]  # X01 (cancelled) in Mar
    assert list(table["Advice completed"]) == [0, 0, 0, 2, 2, 2, 2, 2, 2, 4, 3, 5]
    assert list(table["Backlog at month end"]) == [1, 1, 1, 1, 1, 2, 2, 3, 7, 7, 8, 5]
    assert view.notes == ()  # 31 May is a month end: no part month
    assert view.filename == "ep_requests_completions_backlog_2024-06_2025-05.csv"


def test_backlog_age(default):
    *_, shown = default
    view = shown["ep_backlog_age"]
    # O01 11 days, O02 51, O03 92, O04 211, O05 381; the most over 20 weeks was 2 (Mar to May): no "down from".
    assert view.title == (
        "4 of the 5 open EP requests at 31 May 2025 have waited over six weeks; 2 over 20 weeks"
    )
    assert view.summary.endswith(
        "At 31 May 2025: up to 6 weeks: 1; 6 to 12 weeks: 1; 12 to 20 weeks: 1; "
        "20 to 52 weeks: 1; over 52 weeks: 1."
    )
    row = view.table.set_index("Month").loc["2025-04"]
    assert row.tolist() == [3, 3, 0, 2, 0, 8]  # C09 C10 O02; C08 C12 O03; O04 O05
    assert view.spec.row_total == "Backlog"


def test_backlog_age_at_an_earlier_period_end(capacity_store):
    # At 28 Feb 2025: C02 (39 days), C03 (21), C05 (25), C12 (11), O03 (0) within six weeks; O04 (119) 12 to 20
    # weeks; O05 (289) over 20 weeks, as it has been since October (so no "down from").
    ctx = context(capacity_store, date(2024, 6, 1), date(2025, 2, 28))
    view = views.backlog_age(ctx, views.monthly(ctx))
    assert (
        view.title == "2 of the 7 open EP requests at 28 Feb 2025 have waited over six weeks; 1 over 20 weeks"
    )


def test_backlog_age_title_says_down_from_the_worst_month():
    # The fixture's long waits never fall, so the rule is worked on a table: 5, 3 and 2 over 20 weeks.
    table = pd.DataFrame(
        {
            "Month": ["2025-01", "2025-02", "2025-03"],
            "Up to 6 weeks": [4, 4, 6],
            "6 to 12 weeks": [1, 2, 2],
            "12 to 20 weeks": [0, 1, 1],
            "20 to 52 weeks": [4, 3, 2],
            "Over 52 weeks": [1, 0, 0],
            "Backlog": [10, 10, 11],
        }
    )
    assert views._backlog_age_title(table, date(2025, 3, 31)) == (
        "5 of the 11 open EP requests at 31 Mar 2025 have waited over six weeks; 2 over 20 weeks, down from 5 in "
        "January 2025"
    )


def test_timeliness_and_its_row_total(default):
    *_, shown = default
    view = shown["ep_timeliness"]
    assert view.title == "83.3% of EP advice was completed within six weeks in the 12 months to May 2025"
    may = view.table.set_index("Month").loc["2025-05"]
    assert may["Completed (all providers)"] == 5
    assert (may["Completed (In-house)"], may["Completed (Agency)"], may["Completed (Locum)"]) == (2, 2, 1)
    assert may["% within 6 weeks (all providers)"] == 60.0  # C08 and C12 late
    assert math.isnan(may["% within 6 weeks (In-house)"])  # fewer than 10 completions
    assert view.spec.row_total == "Completed (all providers)"
    assert [trace["name"] for trace in view.figure.to_dict()["data"]] == [
        "All providers",
        "In-house",
        "Agency",
        "Locum",
    ]


def test_a_provider_count_hidden_by_suppression_cannot_be_worked_out_from_the_all_provider_total(default):
    *_, shown = default
    view = shown["ep_timeliness"]
    # A month of 20 completions: 12 in-house, 6 agency, 2 locum. The locum 2 is hidden; were the agency 6 shown,
    # 20 - 12 - 6 would give it away, so the declared row total hides the next smallest provider count too.
    month = view.table.iloc[[0]].copy()
    month[
        ["Completed (all providers)", "Completed (In-house)", "Completed (Agency)", "Completed (Locum)"]
    ] = [20, 12, 6, 2]
    month[
        [
            "% within 6 weeks (all providers)",
            "% within 6 weeks (In-house)",
            "% within 6 weeks (Agency)",
            "% within 6 weeks (Locum)",
        ]
    ] = [75.0, 75.0, 83.3, float("nan")]
    published = suppress(month, view.spec).iloc[0]
    assert published["Completed (Locum)"] == CONFIDENTIAL
    assert published["Completed (Agency)"] == CONFIDENTIAL
    assert (published["Completed (all providers)"], published["Completed (In-house)"]) == (20, 12)
    assert published["% within 6 weeks (Agency)"] == CONFIDENTIAL  # its denominator is hidden
    assert published["% within 6 weeks (all providers)"] == 75.0
    # Without the declaration the agency count would be published and the locum count recoverable.
    assert suppress(month, replace(view.spec, row_total=None)).iloc[0]["Completed (Agency)"] == 6


def test_providers(default):
    *_, shown = default
    view = shown["ep_providers"]
    # In-house 12 + 2 + 1 + 2 = 17, agency C02 C05 C08 C12, locum C03 C07 C11: 7 of 24 bought in.
    assert view.title == "Agency and locum EPs completed 29% of EP advice in the 12 months to May 2025"
    assert list(view.table.columns) == ["Month", "In-house", "Agency", "Locum", "All providers"]
    assert view.table[["In-house", "Agency", "Locum", "All providers"]].sum().tolist() == [17, 4, 3, 24]
    assert view.spec.row_total == "All providers"


def test_trend_titles_compare_with_the_12_months_before_only_when_both_are_shown(capacity_store):
    # Jun 2023 to May 2025: the 12 months to May 2024 had no completions, so there is nothing to compare.
    ctx = context(capacity_store, date(2023, 6, 1), date(2025, 5, 31))
    months = views.monthly(ctx)
    assert views.timeliness(ctx, months).title == (
        "83.3% of EP advice was completed within six weeks in the 12 months to May 2025"
    )
    # A shorter period: the months shown, not a 12-month figure that reaches back beyond them.
    ctx = context(capacity_store, date(2025, 3, 1), date(2025, 5, 31))
    months = views.monthly(ctx)
    assert views.timeliness(ctx, months).title == (
        "66.7% of EP advice was completed within six weeks in Mar 2025 to May 2025"
    )  # 8 of 12
    assert views.providers(ctx, months).title == (
        "Agency and locum EPs completed 58% of EP advice in Mar 2025 to May 2025"
    )  # 7 of 12
    # Two years shown: the latest 12 months against the 12 before (worked on a table: 10 of 40, then 6 of 60).
    table = pd.DataFrame(
        {
            "Month": [f"{2023 + (m >= 12)}-{m % 12 + 1:02d}" for m in range(24)],
            "In-house": [5] * 12 + [4] * 12,
            "Agency": [1] * 12 + [0] * 12,
            "Locum": [0] * 12 + [1] * 12,
            "All providers": [6] * 12 + [5] * 12,
        }
    )
    assert views._providers_title(table, date(2024, 12, 31)) == (
        "Agency and locum EPs completed 20% of EP advice in the 12 months to Dec 2024, against 17% in the 12 "
        "months before"
    )


def test_commitment(default):
    ctx, _, promise, shown = default
    view = shown["ep_commitment"]
    assert view.title == "6 additional EP assessments by the due date (31 May 2025), against 6: ✔ Met"
    assert view.honours == WHOLE_AREA
    assert list(view.table["Date"]) == ["2025-03-31", "2025-04-30", "2025-05-31"]
    assert list(view.table["Completed since start"]) == [4, 7, 12]
    assert list(view.table["Additional"]) == [2.0, 3.0, 6.0]
    assert list(view.table["Required by the straight line"]) == [2.0, 4.0, 6.0]
    # The chart draws the additional completions and the straight line required, from the table, with the
    # target and the due date marked.
    assert [(t.name, list(t.y)) for t in view.figure.data] == [
        ("Additional completions (cumulative)", [2.0, 3.0, 6.0]),
        ("Required: straight line to the target", [2.0, 4.0, 6.0]),
    ]
    assert {a.text for a in view.figure.layout.annotations} >= {"Target: 6", "Due 31 May 2025"}
    words = WHOLE_AREA.words(Filters(*LAST_12, districts=("Preston",)))
    assert (
        words == "Not filtered by area: the commitment is for all of Lancashire, so the filters do not apply."
    )
    details = views.commitment_details(promise)
    assert (
        "**Baseline:** 2.0 completions a month" in details
        and "(Sep 2024 to Feb 2025: 12 completions)" in details
    )
    assert "**Required run rate:** 2.0 additional a month (4.0 completions a month in all)" in details


def test_commitment_before_the_due_date_says_the_date(capacity_store):
    ctx = context(capacity_store, date(2024, 6, 1), date(2025, 4, 30))
    view = views.commitment(ctx)
    # 7 completed less 2 months at 2 = 3, against 4 on the straight line: off track.
    assert view.title == (
        "3 additional EP assessments by 30 Apr 2025, against 4 needed by then on the way to 6: ✖ Off track"
    )
    assert views.commitment(context(capacity_store, date(2024, 6, 1), date(2025, 2, 28))) is None


def test_commitment_suppression_hides_additional_where_its_counts_are_hidden(default):
    *_, shown = default
    view = shown["ep_commitment"]
    published = suppress(view.table, view.spec)
    # Completed in month 4, 3 hidden; since start 4 hidden, and 7 too (the column's only other hidden cell).
    assert published["Completed in month"].tolist() == [CONFIDENTIAL, CONFIDENTIAL, 5]
    assert published["Completed since start"].tolist() == [CONFIDENTIAL, CONFIDENTIAL, 12]
    # Additional = completed since start less the baseline (shown), so it is hidden with them.
    assert published["Additional"].tolist() == [CONFIDENTIAL, CONFIDENTIAL, 6.0]
    assert published["At the baseline rate"].tolist() == [2.0, 4.0, 6.0]


def test_delay(default):
    *_, shown = default
    view = shown["ep_delay"]
    # Two plans with EP advice recorded (both late): too few for the shares the chart would draw.
    assert view.title == (
        "Jun 2024 to May 2025: fewer than 10 plans issued had EP advice recorded, too few to give shares"
    )
    assert view.summary.endswith(
        "In the period 2 plans were issued; 2 of the 2 with EP advice recorded had it "
        "late. Shares on fewer than 10 plans are not drawn."
    )
    row = view.table.set_index("Quarter starting").loc["2025-01"]
    assert row[
        [
            views.LATE_WITHIN,
            views.LATE_AFTER,
            views.TIMELY_WITHIN,
            views.TIMELY_AFTER,
            views.NO_ADVICE,
            views.PLANS,
        ]
    ].tolist() == [1, 1, 0, 0, 0, 2]  # R13, R15
    assert math.isnan(row[views.LATE_SHARE])  # on fewer than 10 plans
    assert list(view.table["Quarter starting"]) == ["2024-04", "2024-07", "2024-10", "2025-01", "2025-04"]
    # The period starts in June and ends in May, so the first and last quarters are part quarters.
    assert view.notes == (
        "The quarter starting Apr 2024 is shaded: the period holds only Jun 2024 of it.",
        "The quarter starting Apr 2025 is shaded: the period holds only Apr 2025 to May 2025 of it.",
    )
    assert sum(s["type"] == "rect" for s in view.figure.to_dict()["layout"]["shapes"]) == 2


def test_delay_title_gives_each_share_on_10_plans_or_more():
    # 31 plans: 3 late within 20 weeks, 8 late after, 10 timely within, 5 timely after, 5 with no EP advice.
    totals = pd.Series(
        {
            views.LATE_WITHIN: 3,
            views.LATE_AFTER: 8,
            views.TIMELY_WITHIN: 10,
            views.TIMELY_AFTER: 5,
            views.NO_ADVICE: 5,
            views.PLANS: 31,
        }
    )
    # 11 of the 26 with EP advice were late (42%); 3 of the 11 within 20 weeks (27%); 10 of the 15 timely (67%).
    assert views._delay_title(totals, "Jan 2025 to Mar 2025") == (
        "Jan 2025 to Mar 2025: 42% of plans issued with EP advice had it later than six weeks; 27% of those were "
        "issued within 20 weeks, against 67% with timely advice"
    )
    # With only 9 plans with late advice, their 20-week share is not given.
    fewer = totals.copy()
    fewer[views.LATE_AFTER] = 6
    assert views._delay_title(fewer, "Jan 2025 to Mar 2025") == (
        "Jan 2025 to Mar 2025: 38% of plans issued with EP advice had it later than six weeks; 67% with timely "
        "advice were issued within 20 weeks"
    )


def test_delay_suppression_hides_a_second_group_of_plans(default):
    *_, shown = default
    view = shown["ep_delay"]
    # 32 plans: 3 late within 20 weeks, 8 late after, 10 timely within, 6 timely after, 5 with no EP advice.
    quarter = view.table.iloc[[0]].copy()
    quarter[
        [
            views.LATE_WITHIN,
            views.LATE_AFTER,
            views.TIMELY_WITHIN,
            views.TIMELY_AFTER,
            views.NO_ADVICE,
            views.PLANS,
        ]
    ] = [3, 8, 10, 6, 5, 32]
    quarter[[views.LATE_SHARE, views.LATE_RATE, views.TIMELY_RATE]] = [40.7, 27.3, 62.5]
    published = suppress(quarter, view.spec).iloc[0]
    # The 3 is hidden, and the next smallest group (5) too, or 32 - 8 - 10 - 6 - 5 would give it away; each
    # share is worked out from the groups, so all three are hidden with them.
    assert published[[views.LATE_WITHIN, views.NO_ADVICE]].tolist() == [CONFIDENTIAL, CONFIDENTIAL]
    assert published[[views.LATE_AFTER, views.TIMELY_WITHIN, views.TIMELY_AFTER, views.PLANS]].tolist() == [
        8,
        10,
        6,
        32,
    ]
    assert published[[views.LATE_SHARE, views.LATE_RATE, views.TIMELY_RATE]].tolist() == [CONFIDENTIAL] * 3


def test_areas_title_names_every_area_tied_for_the_largest_backlog(default):
    *_, shown = default
    view = shown["ep_areas"]
    # Burnley O01 O04 (1 over six weeks) and Preston O02 O05 (2 over six weeks) tie; Lancaster O03.
    assert view.title == "Burnley and Preston have the largest EP backlog at 31 May 2025: 2 each"
    assert view.table.to_dict("list") == {
        "District": ["Burnley", "Preston", "Lancaster"],
        "Waiting up to 6 weeks": [1, 0, 0],
        "Waiting over 6 weeks": [1, 2, 1],
        "Backlog": [2, 2, 1],
    }
    locality = shown["ep_areas_locality"]
    assert locality.title == "Central and East have the largest EP backlog at 31 May 2025: 2 each"
    assert (view.drill.filter_key, view.drill.code_of({"y": "Preston"})) == ("district", "Preston")
    assert (locality.drill.filter_key, locality.drill.code_of({"y": "East"})) == ("locality", "East")


def test_areas_title_one_leader_with_its_waits_over_six_weeks(capacity_store):
    # At 31 Mar 2025: Burnley C05 (56 days) C12 (42, not over) O04 (150); Preston C06 O05; Lancaster C08 O03.
    ctx = context(capacity_store, date(2024, 4, 1), date(2025, 3, 31))
    view = views.areas(ctx, "District")
    assert (
        view.title == "Burnley has the largest EP backlog at 31 Mar 2025: 3, 2 of them waiting over six weeks"
    )
    assert view.filename == "ep_by_district_2025-03.csv"


def test_an_incomplete_last_month_is_marked_and_said(part_month):
    ctx, months = part_month
    # At 16 May 2025: C11 (15 days), O02 (36); O03 (77); C12 (88); O04 (196); O05 (366). C10 left on 16 May.
    assert ctx.at == date(2025, 5, 16) and ctx.partial_month == date(2025, 5, 1)
    flow = views.flow(ctx, months)
    assert flow.title == "EP backlog down from 8 at the end of April 2025 to 6 at 16 May 2025"
    assert flow.table.iloc[-1].tolist() == ["2025-05", 1, 3, 6]  # C11 requested; C08 C09 C10 completed
    age = views.backlog_age(ctx, months)
    assert (
        age.title == "4 of the 6 open EP requests at 16 May 2025 have waited over six weeks; 2 over 20 weeks"
    )
    # 19 of 22 completed Jun 2024 to 16 May 2025 within six weeks; 5 of the 22 by agency and locum EPs.
    assert views.timeliness(ctx, months).title == (
        "86.4% of EP advice was completed within six weeks in the 12 months to 16 May 2025"
    )
    assert views.providers(ctx, months).title == (
        "Agency and locum EPs completed 23% of EP advice in the 12 months to 16 May 2025"
    )
    for view in (
        flow,
        age,
        views.timeliness(ctx, months),
        views.providers(ctx, months),
        views.commitment(ctx),
    ):
        assert view.notes and view.notes[0].startswith(
            "May 2025 is shaded: the month was not over at 16 May 2025, the data's date, so"
        ), view.key
        shades = [s for s in view.figure.to_dict()["layout"]["shapes"] if s["type"] == "rect"]
        assert len(shades) == 1, view.key
    assert views.areas(ctx, "District").title == (
        "Burnley, Lancaster and Preston have the largest EP backlog at 16 May 2025: 2 each"
    )
    # 10 completed 1 Mar to 16 May, less 2 a month for 2 16/31 months: 4.97 against 5.03 on the line.
    assert views.commitment(ctx).title == (
        "5 additional EP assessments by 16 May 2025, against 5 needed by then on the way to 6: ▲ At risk"
    )


def every_view(default, part_month):
    *_, shown = default
    ctx, months = part_month
    return [*shown.values(), views.flow(ctx, months), views.timeliness(ctx, months), views.delay(ctx)]


def test_every_chart_draws_from_its_table_with_numbers_missing(default, part_month):
    for view in every_view(default, part_month):
        table = view.table.copy()
        numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
        table[numbers] = table[numbers].astype(float)
        table.loc[table.index[-1], numbers[0]] = float("nan")
        assert view.draw(table).data, view.key
        # As an export draws it: from the suppressed table, every c a gap.
        published = as_numbers(suppress(view.table, view.spec), view.table)
        assert len(view.draw(published).data) == len(view.figure.data), view.key


RAW_CODE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\b(?:OTH|NSA|MIXED|post16)\b")


def test_no_raw_code_reaches_a_table_title_summary_note_or_legend(default, part_month):
    for view in every_view(default, part_month):
        words = [view.title, view.summary, *view.notes, *map(str, view.table.columns)]
        words += [str(v) for c in view.table.columns if view.table[c].dtype == object for v in view.table[c]]
        figure = view.figure.to_dict()
        words += [t.get("name") or "" for t in figure["data"]]
        words += [a.get("text") or "" for a in figure["layout"].get("annotations", [])]
        found = [w for w in words if RAW_CODE.search(w)]
        assert not found, (view.key, found)


def test_the_timeliness_tile_gives_the_figure_its_chart_title_gives(capacity_store):
    # Mar to May 2025: 8 of the 12 completed within six weeks, on the tile and in the title of the chart it links to.
    ctx = context(capacity_store, date(2025, 3, 1), date(2025, 5, 31))
    months = views.monthly(ctx)
    tile = views.headlines(ctx, months, views.commitment_progress(ctx))[2]
    assert (tile.label, tile.value, tile.delta) == (
        "EP advice within six weeks (Mar 2025 to May 2025)",
        "66.7%",
        None,
    )
    assert views.timeliness(ctx, months).title.startswith(
        "66.7% of EP advice was completed within six weeks in Mar"
    )


@pytest.mark.parametrize(
    ("key", "summary"),
    [
        (
            "ep_timeliness",
            "Share of EP advice completed within six weeks (42 days) of the request, by month of "
            "completion, Jun 2024 to May 2025, for all providers and for in-house, agency and locum EPs. A provider's "
            "rate is not drawn for a month with fewer than 10 completions.",
        ),
        (
            "ep_providers",
            "EP advice completed each month by in-house, agency and locum educational psychologists, "
            "Jun 2024 to May 2025. Each bar's height is the advice completed by all providers.",
        ),
        (
            "ep_commitment",
            "Cumulative EP advice completed above the baseline of 2.0 a month, at each month end from "
            "1 Mar 2025 to 31 May 2025, against the straight line from 0 to 6 by 31 May 2025 (the run rate the "
            "Improvement Notice requires). All of Lancashire; the filters do not apply.",
        ),
        (
            "ep_areas",
            "EP backlog at 31 May 2025 by district, split by whether each request has waited more than six "
            "weeks. Select a district's bar to filter the dashboard to it.",
        ),
    ],
)
def test_summaries(default, key, summary):
    *_, shown = default
    assert shown[key].summary == summary
