"""The Spending views on tests/fixtures/finance (data to 25 Mar 2025), worked out by hand.

The fixture's spending.csv, monthly budget / actual (£), is in tests/measures/test_spending.py. The figures
used here:

At 25 Mar 2025 (the data's date; Apr-Dec 2024 closed, Jan and Feb have no actual, March has not ended),
2024-25, at budget for the months not yet closed:
    line           budget to date / actual   forecast    variance    (run rate: forecast, variance)
    independent    900,000 / 1,080,000       1,380,000   +180,000    1,440,000  +240,000
    transport      410,000 / 492,000         642,000     +82,000     672,000    +112,000
    staffing       135,000 / 144,000         189,000     +9,000      192,000    +12,000
    EP             180,000 / 162,000         222,000     -18,000     216,000    -24,000
    total          1,625,000 / 1,878,000     2,433,000   +253,000    2,520,000  +340,000
180,000 of 271,000 overspend is 66%, short of three quarters, so transport is named with independent.

At 30 Sep 2024 (a period ending in September: Apr-Sep closed; August transport 10,000 / 12,000):
    independent    600,000 / 720,000         1,320,000   +120,000
    transport      260,000 / 312,000         612,000     +52,000
    staffing       90,000 / 96,000           186,000     +6,000
    EP             120,000 / 108,000         228,000     -12,000
    total          1,070,000 / 1,236,000     2,346,000   +166,000    (run rate +340,000: every ratio as in March)
Overspend 178,000, independent 67% of it: independent and transport again.
EP: 6 x 18,000 = 108,000 spent Apr-Sep 2024, 4 completed in those months (EP07 2 Apr, EP08 20 May, EP09 1 Jul,
EP10 10 Sep): 27,000 each. 2023-24: 252,000 / 4 (EP01, EP04, EP05, EP06) = 63,000.
Independent: no census in 2024-25 by 30 Sep 2024 (the first is 1 Oct 2024), so only 2023-24 has a cost:
1,320,000 / 11 places at 5 Oct 2023 = 120,000. At 25 Mar 2025 2024-25 has the 15 Jan 2025 census (7 + 5 = 12):
1,380,000 / 12 = 115,000 (run rate 1,440,000 / 12 = 120,000).
Staffing (commitment £60k, 1 Apr 2024 to 31 Mar 2025): 6,000 a month above 2023-24's 10,000; at 30 Sep 2024
36,000 against 60,000 x 182 / 364 = 30,000 needed by then: on track.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from dashboard import contract, fmt
from dashboard.charts import money
from dashboard.charts.template import Series
from dashboard.dates import FinancialYear
from dashboard.filters import Filters
from dashboard.measures import kpis, spending
from dashboard.outputs.suppression import CONFIDENTIAL, as_numbers, suppress
from dashboard.views import spending as views
from dashboard.views.base import Context, View

AS_OF = date(2025, 3, 25)
FY_2023, FY_2024 = FinancialYear(2023), FinancialYear(2024)
SEPTEMBER = date(2024, 9, 30)
FIRST_MONTH = date(2023, 8, 1)  # the first request in the fixture, where "All months" starts
RAW_CODES = (
    *contract.BUDGET_LINES,
    *contract.FUNDING_SOURCES,
    "independent_special",
    "early_years",
    "special_maintained",
    "post16",
    "OTH",
    "NSA",
    "MIXED",
    "run_rate",
)


def context(store, end: date = date(2025, 3, 31), start: date = date(2024, 4, 1), **scope) -> Context:
    assert store.as_of == AS_OF
    return Context(store.query, Filters(start, end, through=store.as_of, **scope), store.as_of)


def page_views(ctx: Context, year: FinancialYear, method: str = "budget", scope: str = "all") -> list[View]:
    """Every view the page shows, as the page builds them."""
    offered = spending.years_in_extract(ctx.run, ctx.at)
    independent = spending.independent_placement_costs(ctx.run, offered[0], offered[-1], ctx.at, method)
    ep_costs = spending.ep_assessment_costs(ctx.run, offered[0], offered[-1], ctx.at)
    staffing = views.staffing(ctx, spending.staffing_commitment(ctx.run, ctx.at))
    return [
        views.monthly(ctx, year, scope),
        views.lines(ctx, year, method, scope),
        views.years(ctx, method, scope),
        views.independent_unit_cost(ctx, method, independent),
        views.ep_unit_cost(ctx, ep_costs),
        *([staffing] if staffing else []),
    ]


# --- Month by month ---------------------------------------------------------------------------------------------


def test_monthly_title_counts_the_closed_months_from_the_charts_own_column(finance_store):
    view = views.monthly(context(finance_store), FY_2024)
    assert view.key == "spending_monthly"
    assert view.title == "All SEND spending lines: £253k over budget after 9 months of 2024-25"
    table = view.table.set_index("Month")
    assert len(table) == 24 and table.index[0] == "2023-04" and table.index[-1] == "2025-03"
    assert table.loc["2024-12", "Year-to-date variance (£)"] == 253_000
    assert table.loc["2024-08", ["Budget (£)", "Actual (£)"]].tolist() == [145_000, 166_000]
    assert table.loc["2025-01":, "Actual (£)"].isna().all()
    assert view.notes == (
        "Jan 2025 to Mar 2025 had not closed by 25 Mar 2025 (no actual yet, or the month had "
        "not ended), so the chart shows their budget only, shaded.",
    )
    assert "as at 25 Mar 2025" in view.summary


def test_monthly_chart_shades_the_months_not_closed(finance_store):
    figure = views.monthly(context(finance_store), FY_2024).figure
    assert [t.name for t in figure.data] == ["Actual (closed months)", "Budget"]
    shaded = [s for s in figure.layout.shapes if s.type == "rect"]
    assert len(shaded) == 1
    assert pd.Timestamp(shaded[0].x0) < pd.Timestamp("2025-01-01") < pd.Timestamp(shaded[0].x1)
    assert pd.Timestamp(shaded[0].x0) > pd.Timestamp("2024-12-01")
    assert pd.Timestamp(shaded[0].x1) > pd.Timestamp("2025-03-01")
    labels = [a.text for a in figure.layout.annotations]
    assert "Not yet closed: budget only" in labels
    assert any("Area SEND inspection" in text for text in labels)  # milestones marked
    assert figure.data[0].customdata[8] == "£191,000"  # exact pounds in the hover (Dec 2023)


def test_the_to_month_holds_in_the_monthly_chart(finance_store):
    view = views.monthly(context(finance_store, SEPTEMBER), FY_2024)
    assert view.title == "All SEND spending lines: £166k over budget after 6 months of 2024-25"
    assert view.notes[0].startswith("Oct 2024 to Mar 2025 had not closed by 30 Sep 2024")
    assert view.table.set_index("Month").loc["2024-10":, "Actual (£)"].isna().all()


def test_monthly_for_one_line(finance_store):
    view = views.monthly(context(finance_store), FY_2024, line="send_transport")
    assert view.title == "SEND transport: £82k over budget after 9 months of 2024-25"
    assert "for SEND transport," in view.summary
    view = views.monthly(context(finance_store), FY_2024, line="independent_special_placements")
    assert view.title == "Independent special placements: £180k over budget after 9 months of 2024-25"


def test_monthly_before_any_month_of_the_year_closed(finance_store):
    # At 31 Mar 2024 (period to March 2024) no month of 2024-25 has closed; 2023-24 is whole.
    view = views.monthly(context(finance_store, date(2024, 3, 31)), FY_2024)
    assert view.title == "No month of 2024-25 had closed by 31 Mar 2024"
    assert view.notes[0].startswith("Apr 2024 to Mar 2025 had not closed by 31 Mar 2024")


# --- By budget line ---------------------------------------------------------------------------------------------


def test_lines_title_names_the_lines_behind_most_of_the_overspend(finance_store):
    view = views.lines(context(finance_store), FY_2024)
    assert view.key == "spending_lines"
    assert view.title == (
        "Forecast overspend of £253k in 2024-25, mostly independent special placements and SEND transport"
    )
    table = view.table
    assert table["Budget line"].tolist() == [
        "Independent special placements",
        "SEND transport",
        "SEND casework staffing",
        "Educational psychology service",
    ]
    assert table["Funding source"].tolist() == [
        "High needs block (DSG)",
        "Council general fund",
        "Council general fund",
        "High needs block (DSG)",
    ]
    variance = "Forecast variance, budget for the months not yet closed (£)"
    assert table[variance].tolist() == [180_000, 82_000, 9_000, -18_000]
    assert table["Forecast outturn, budget for the months not yet closed (£)"].sum() == 2_433_000
    assert "Actual ÷ budget to date" not in table  # only the run-rate forecast uses the ratio
    assert view.summary.startswith(
        "Each budget line's forecast variance for 2024-25 (budget for the months not yet closed), as at 25 Mar 2025, "
        "largest overspend first: Independent special placements £180k over budget; SEND transport £82k over "
        "budget; SEND casework staffing £9k over budget; Educational psychology service £18k under budget."
    )
    assert view.notes == (
        "9 of 12 months of 2024-25 had closed by 25 Mar 2025 (to Dec 2024); the rest of the year "
        "is forecast (budget for the months not yet closed).",
    )


def test_lines_table_is_the_chosen_methods_figures(finance_store):
    view = views.lines(context(finance_store), FY_2024, "run_rate")
    assert view.table["Forecast outturn, run-rate adjusted (£)"].tolist() == [
        1_440_000,
        672_000,
        192_000,
        216_000,
    ]
    assert view.table["Actual ÷ budget to date"].tolist() == pytest.approx([1.2, 1.2, 1.0667, 0.9])
    assert view.title == (
        "Forecast overspend of £340k in 2024-25, mostly independent special placements and SEND transport"
    )
    assert "Forecast outturn, budget for the months not yet closed (£)" not in view.table


def test_lines_chart_tells_over_from_under_without_colour(finance_store):
    figure = views.lines(context(finance_store), FY_2024).figure
    over, under = figure.data
    assert (over.name, under.name) == ("Overspend", "Underspend or on budget")
    assert sorted(over.text) == ["£180k over", "£82k over", "£9k over"] and list(under.text) == ["£18k under"]
    assert over.marker.pattern.shape != under.marker.pattern.shape
    assert list(figure.layout.yaxis.categoryarray)[-1] == "Independent special placements"  # top of the chart
    assert figure.layout.xaxis.title.text == "Forecast variance (forecast outturn − budget)"
    assert "£180,000 (£180k over)" in over.customdata


def test_lines_as_at_the_end_of_september(finance_store):
    view = views.lines(context(finance_store, SEPTEMBER), FY_2024)
    assert view.title == (
        "Forecast overspend of £166k in 2024-25, mostly independent special placements and SEND transport"
    )
    assert view.table["Forecast variance, budget for the months not yet closed (£)"].tolist() == [
        120_000,
        52_000,
        6_000,
        -12_000,
    ]


def test_a_year_that_is_over_says_overspend_not_forecast(finance_store):
    view = views.lines(context(finance_store), FY_2023)
    # 2023-24: independent +120,000 and EP +12,000 over the year; transport and staffing on budget.
    assert view.title == "Overspend of £132k in 2023-24, mostly independent special placements"
    assert view.notes == ()
    assert view.figure.layout.xaxis.title.text == "Variance (outturn − budget)"


def test_lines_for_one_funding_source(finance_store):
    view = views.lines(context(finance_store), FY_2024, scope="council_general_fund")
    assert view.table["Budget line"].tolist() == ["SEND transport", "SEND casework staffing"]
    assert view.title == "Forecast overspend of £91k in 2024-25, mostly SEND transport"


# --- Year by year -----------------------------------------------------------------------------------------------


def test_years_title_covers_the_latest_year_shown(finance_store):
    view = views.years(context(finance_store, start=FIRST_MONTH))
    assert view.key == "spending_years"
    # 2023-24 is over at 2,252,000; 2024-25 is forecast at 2,433,000 with nine months closed.
    assert view.title == "Spend was £2.3m in 2023-24; 2024-25 is forecast at £2.4m with 9 months closed"
    table = view.table.set_index("Financial year")
    assert table.loc[
        "2023-24",
        [
            "Budget (£)",
            "Actual, high needs block lines (£)",
            "Actual, council general fund lines (£)",
            "Outturn or forecast outturn (£)",
        ],
    ].tolist() == [2_120_000, 1_572_000, 680_000, 2_252_000]
    assert table.loc[
        "2024-25",
        ["Forecast for months not yet closed (£)", "Outturn or forecast outturn (£)", "Months closed"],
    ].tolist() == [555_000, 2_433_000, 9]
    assert table["Year still open"].tolist() == [False, True]
    assert view.notes[0] == (
        "2024-25 is not over: 9 months had closed by 25 Mar 2025, and the grey dotted part is "
        "the forecast for the rest (budget for the months not yet closed)."
    )


def test_years_draws_the_published_allocation_only_beside_the_high_needs_block(finance_store):
    ctx = context(finance_store, start=FIRST_MONTH)
    view = views.years(ctx)
    figure = view.figure
    assert [t.name for t in figure.data] == [
        "Actual: high needs block (DSG) lines",
        "Actual: council general fund lines",
        "Forecast for months not yet closed",
        "Budget",
        "DfE/ESFA published high needs block allocation, before deductions (2023-24)",
    ]
    assert list(figure.data[-1].y) == [193_174_760]
    assert list(figure.data[2].y) == [0, 555_000]
    assert [s.type for s in figure.layout.shapes] == ["rect"]  # 2024-25, still open, is shaded
    assert "£193.2m against £1.6m spent on the high needs block lines here" in view.notes[1]
    general_fund = views.years(ctx, scope="council_general_fund")
    assert "Published high needs block allocation, before deductions (£)" not in general_fund.table
    assert "Actual, high needs block lines (£)" not in general_fund.table
    assert [t.name for t in general_fund.figure.data] == [
        "Actual: council general fund lines",
        "Forecast for months not yet closed",
        "Budget",
    ]
    assert "is not drawn" in general_fund.notes[-1]


def test_years_follow_the_period(finance_store):
    view = views.years(context(finance_store))  # April 2024 to March 2025
    assert view.table["Financial year"].tolist() == ["2024-25"]
    assert view.title == "2024-25 is forecast at £2.4m with 9 months closed"
    view = views.years(context(finance_store, SEPTEMBER, start=FIRST_MONTH))
    assert view.title == "Spend was £2.3m in 2023-24; 2024-25 is forecast at £2.3m with 6 months closed"


def test_years_title_reads_the_trend_from_the_outturn_column(sample_store):
    ctx = Context(sample_store.query, Filters(date(2018, 1, 1), date(2026, 10, 31)), sample_store.as_of)
    view = views.years(ctx)
    table = view.table
    complete = table[~table["Year still open"]]
    first, last, latest = complete.iloc[0], complete.iloc[-1], table.iloc[-1]
    outturn = "Outturn or forecast outturn (£)"
    change = last[outturn] / first[outturn] - 1
    assert view.title == (
        f"Spend rose from {fmt.money(first[outturn])} in {first['Financial year']} to {fmt.money(last[outturn])} in "
        f"{last['Financial year']} (+{change * 100:.0f}%); {latest['Financial year']} is forecast at "
        f"{fmt.money(latest[outturn])} with 7 months closed"
    )
    assert latest["Financial year"] == "2026-27"


# --- Unit costs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "title"),
    [
        ("budget", "Independent placements cost £115k a place in 2024-25 (forecast)"),
        ("run_rate", "Independent placements cost £120k a place in 2024-25 (forecast)"),
    ],
)
def test_independent_unit_cost(finance_store, method, title):
    view = views.independent_unit_cost(context(finance_store), method)
    assert view.key == "spending_independent_unit_cost" and view.title == title
    table = view.table.set_index("Financial year")
    assert table.loc["2023-24", ["Occupied independent special places", "Spend per place (£)"]].tolist() == [
        11,
        120_000,
    ]
    assert table.loc["2024-25", "Latest census in the year"] == "2025-01-15"
    assert view.notes[0].startswith("2024-25 is not over at 25 Mar 2025: its spend is the forecast outturn")
    figure = view.figure
    assert [t.name for t in figure.data] == ["Spend per place a year", "Spend per place a year (forecast)"]
    assert list(figure.data[1].text) == [
        fmt.money(115_000 if method == "budget" else 120_000) + " (forecast)"
    ]
    assert [s.type for s in figure.layout.shapes] == ["rect"]


def test_independent_unit_cost_as_at_september(finance_store):
    view = views.independent_unit_cost(context(finance_store, SEPTEMBER))
    # No census in 2024-25 by 30 Sep 2024, so the latest cost is 2023-24's, which is over.
    assert view.title == "Independent placements cost £120k a place in 2023-24"
    assert view.notes == ()
    assert pd.isna(view.table.set_index("Financial year").loc["2024-25", "Spend per place (£)"])


def test_ep_unit_cost_says_a_part_year_so_far(finance_store):
    view = views.ep_unit_cost(context(finance_store))
    assert view.key == "spending_ep_unit_cost"
    assert (
        view.title
        == "EP service spend per completed assessment: £27k in 2024-25 so far (Apr 2024 to Dec 2024)"
    )
    assert view.table["Spend per assessment (£)"].tolist() == [63_000, 27_000]
    assert view.notes == (
        "2024-25 is not over: both sides count only the months closed by 25 Mar 2025 (Apr 2024 to "
        "Dec 2024), so its bar is hatched and shaded.",
    )
    view = views.ep_unit_cost(context(finance_store, SEPTEMBER))
    assert (
        view.title
        == "EP service spend per completed assessment: £27k in 2024-25 so far (Apr 2024 to Sep 2024)"
    )
    assert view.table.set_index("Financial year").loc[
        "2024-25", ["EP service spend in closed months (£)", "EP advice completed in those months"]
    ].tolist() == [108_000, 4]


def test_unit_costs_hide_a_small_count_and_the_cost_that_would_give_it_away(finance_store):
    view = views.ep_unit_cost(context(finance_store, SEPTEMBER))
    published = suppress(view.table, view.spec).set_index("Financial year")
    # Four completions in each year: both counts are hidden, and so is each cost per assessment, which the
    # published spend would turn back into the count. The spend itself is money, not about children.
    assert published["EP advice completed in those months"].tolist() == [CONFIDENTIAL, CONFIDENTIAL]
    assert published["Spend per assessment (£)"].tolist() == [CONFIDENTIAL, CONFIDENTIAL]
    assert published["EP service spend in closed months (£)"].tolist() == [252_000, 108_000]
    figure = view.draw(as_numbers(suppress(view.table, view.spec), view.table))
    assert len(figure.data) == 0  # nothing to draw that the table does not publish
    independent = views.independent_unit_cost(context(finance_store))
    published = suppress(independent.table, independent.spec)
    assert published["Spend per place (£)"].tolist() == [120_000, 115_000]  # 11 and 12 places are shown


def test_unit_cost_bars_are_labelled_by_the_one_money_formatter():
    frame = pd.DataFrame(
        {"Year": ["2025-26", "2026-27"], "Cost": [2038.46, 170_482.0], "Open": [False, True]}
    )
    figure = money.unit_cost_by_year(
        frame, "Year", Series("Cost", "Cost each"), partial="Open", partial_words="forecast"
    )
    assert [list(t.text) for t in figure.data] == [["£2,038"], ["£170k (forecast)"]]
    assert fmt.money(2038.46, exact=None) == "£2,038" and fmt.money(170_482, exact=None) == "£170k"
    assert not hasattr(money, "cost_label") and not hasattr(money, "short_money")


# --- The staffing commitment ------------------------------------------------------------------------------------


def test_staffing_against_the_commitment(finance_store):
    ctx = context(finance_store)
    view = views.staffing(ctx, spending.staffing_commitment(ctx.run, ctx.at))
    assert view.key == "spending_staffing"
    assert (
        view.title == "✔ On track: £54k additional casework staffing in 2024-25 against £60k by 31 Mar 2025"
    )
    assert view.table["Additional so far (£)"].tolist() == [6_000 * n for n in range(1, 10)]
    assert "Measured to 31 Dec 2024, the end of the last month closed by 25 Mar 2025" in view.summary
    figure = view.figure
    assert [t.name for t in figure.data] == ["Additional spend so far", "Straight line to the commitment"]
    assert "Commitment: £60k by 31 Mar 2025" in [a.text for a in figure.layout.annotations]


def test_staffing_as_at_september_and_before_its_year(finance_store):
    ctx = context(finance_store, SEPTEMBER)
    view = views.staffing(ctx, spending.staffing_commitment(ctx.run, ctx.at))
    assert (
        view.title == "✔ On track: £36k additional casework staffing in 2024-25 against £60k by 31 Mar 2025"
    )
    ctx = context(finance_store, date(2024, 3, 31), start=FIRST_MONTH)
    commitment = spending.staffing_commitment(ctx.run, ctx.at)
    assert views.staffing(ctx, commitment) is None
    assert views.staffing_gap(ctx, commitment) == (
        "No month of 2024-25 had closed by 31 Mar 2024, so additional casework staffing spend cannot be measured yet."
    )
    assert views.staffing_gap(ctx, None).startswith("reference/targets.csv has no additional SEND staffing")


# --- Headline tiles ---------------------------------------------------------------------------------------------


def headlines(ctx: Context, year: FinancialYear, method: str = "budget", scope: str = "all"):
    offered = spending.years_in_extract(ctx.run, ctx.at)
    ranked = spending.lines(ctx.run, year, ctx.at, method, spending.funding(scope))
    return {
        h.label: h
        for h in views.headlines(
            ctx,
            year,
            method,
            scope,
            ranked,
            spending.independent_placement_costs(ctx.run, offered[0], offered[-1], ctx.at, method),
            spending.ep_assessment_costs(ctx.run, offered[0], offered[-1], ctx.at),
            spending.staffing_commitment(ctx.run, ctx.at),
        )
    }


def test_headlines_as_at_the_end_of_the_period_link_to_their_charts(finance_store):
    tiles = headlines(context(finance_store, SEPTEMBER), FY_2024)
    assert {label: (h.value, h.delta) for label, h in tiles.items()} == {
        "Budget 2024-25": ("£2.2m", None),
        "Actual to date": ("£1.2m", "6 of 12 months closed"),
        "Year-to-date variance": ("£166k over", "on £1.1m budget to date"),
        "Forecast outturn": ("£2.3m", "£166k over budget"),
        "Run-rate forecast variance": ("£340k over", "outturn £2.5m"),
        "Independent placement cost per place, 2024-25": ("–", None),
        "EP spend per completed assessment, 2024-25": ("£27k", "6 closed months"),
        "Additional casework staffing 2024-25 (commitment £60k)": ("£36k", None),
    }
    assert {label: h.view for label, h in tiles.items()} == {
        "Budget 2024-25": "spending_lines",
        "Actual to date": "spending_monthly",
        "Year-to-date variance": "spending_monthly",
        "Forecast outturn": "spending_lines",
        "Run-rate forecast variance": "spending_lines",
        "Independent placement cost per place, 2024-25": "spending_independent_unit_cost",
        "EP spend per completed assessment, 2024-25": "spending_ep_unit_cost",
        "Additional casework staffing 2024-25 (commitment £60k)": "spending_staffing",
    }
    assert (
        "£2,346,000, £166,000 against the budget of £2,180,000, as at 30 Sep 2024"
        in tiles["Forecast outturn"].help
    )
    assert tiles["Additional casework staffing 2024-25 (commitment £60k)"].judgement.label == "✔ On track"
    assert tiles["Actual to date"].help.startswith(
        "£1,236,000 spent in the months closed by 30 Sep 2024 (to Sep 2024)"
    )


def test_the_forecast_tile_is_the_overviews_tile_at_the_same_date(finance_store, sample_store):
    for store, at in (
        (finance_store, SEPTEMBER),
        (finance_store, date(2025, 3, 31)),
        (sample_store, date(2025, 9, 30)),
        (sample_store, date(2026, 10, 31)),
    ):
        ctx = Context(store.query, Filters(date(2018, 1, 1), at), store.as_of)
        overview = kpis.forecast_variance_kpi(store.query, ctx.at)
        tile = headlines(ctx, FinancialYear.containing(ctx.at))["Forecast outturn"]
        assert tile.delta == fmt.variance(overview.value) and tile.delta.startswith(overview.shown())
        assert tile.judgement == overview.judgement
    # The sample sets a balanced-budget target, so the tile carries the Overview's status; another method,
    # scope or year is a different figure and carries none.
    ctx = Context(sample_store.query, Filters(date(2025, 11, 1), date(2026, 10, 31)), sample_store.as_of)
    year = FinancialYear(2026)
    assert headlines(ctx, year)["Forecast outturn"].judgement is not None
    assert headlines(ctx, year, "run_rate")["Forecast outturn"].judgement is None
    assert headlines(ctx, year, scope="high_needs_block")["Forecast outturn"].judgement is None
    assert headlines(ctx, year.previous)["Outturn"].judgement is None


def test_headlines_before_the_staffing_year_has_closed_a_month(finance_store):
    tiles = headlines(context(finance_store, date(2024, 3, 31), start=FIRST_MONTH), FY_2023)
    staffing = tiles["Additional casework staffing 2024-25 (commitment £60k)"]
    assert (staffing.value, staffing.judgement, staffing.view) == ("–", None, None)
    assert tiles["Outturn"].value == "£2.3m"


# --- Every view -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [date(2025, 3, 31), SEPTEMBER])
@pytest.mark.parametrize("method", ["budget", "run_rate"])
def test_every_view_draws_from_its_table_with_figures_missing(finance_store, end, method):
    for view in page_views(context(finance_store, end, start=FIRST_MONTH), FY_2024, method):
        table = view.table.copy()
        numbers = [
            c
            for c in table.columns
            if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
        ]
        table[numbers] = table[numbers].astype(float)
        table.loc[table.index[0], numbers] = float("nan")
        assert view.draw(table) is not None, view.key
        published = as_numbers(suppress(view.table, view.spec), view.table)
        assert view.draw(published) is not None, view.key


def test_no_raw_code_reaches_a_user(finance_store, sample_store):
    every = []
    for store, end in ((finance_store, date(2025, 3, 31)), (sample_store, date(2026, 10, 31))):
        ctx = (
            context(store, end, start=FIRST_MONTH)
            if store is finance_store
            else Context(store.query, Filters(date(2018, 1, 1), end), store.as_of)
        )
        year = FinancialYear.containing(ctx.at)
        for scope in spending.FUNDING_SCOPES:
            every += page_views(ctx, year, "run_rate", scope)
        every += [views.monthly(ctx, year, line=line) for line in contract.BUDGET_LINES]
    pattern = re.compile(r"\b(" + "|".join(RAW_CODES) + r")\b")
    for view in every:
        words = [view.title, view.summary, *view.notes, *map(str, view.table.columns)]
        words += [str(v) for c in view.table.columns if view.table[c].dtype == object for v in view.table[c]]
        figure = view.figure
        words += [t.name or "" for t in figure.data] + [a.text or "" for a in figure.layout.annotations]
        words += [str(v) for t in figure.data if t.type == "bar" and t.orientation == "h" for v in t.y]
        found = [w for w in words if pattern.search(w)]
        assert not found, (view.key, found)


def test_every_view_says_the_area_filters_do_not_apply(finance_store):
    ctx = context(finance_store, districts=("Preston",), needs=("ASD",))
    for view in page_views(ctx, FY_2024):
        assert view.honours.words(ctx.filters) == (
            "Not filtered by area and primary need: the finance extract is for the whole authority, so they do not "
            "apply to spending."
        )
    assert all(
        not v.honours.words(context(finance_store).filters)
        for v in page_views(context(finance_store), FY_2024)
    )


def test_the_page_controls_offer_words():
    assert list(views.METHOD_NAMES) == ["At-budget forecast", "Run-rate forecast"]
    assert list(views.SCOPE_NAMES) == ["All lines", "High needs block lines", "General fund lines"]
    assert views.line_options(pd.DataFrame({"budget_line": ["send_transport", "ep_service"]})) == {
        "All lines in scope": None,
        "Educational psychology service": "ep_service",
        "SEND transport": "send_transport",
    }
