"""The Spending page under AppTest, on tests/fixtures/finance, with answers worked out by hand.

The fixture and the hand-worked figures the tests use are in tests/fixtures/finance/README.md.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.dates import FinancialYear
from dashboard.measures import kpis, rag, spending
from dashboard.views import sections
from tests.helpers import (
    ALL_MONTHS,
    FINANCE_DIR,
    every_section,
    in_section,
    keyed,
    open_section,
    page_alone,
    plain,
    see_the_chart,
    subheaders,
    text,
    tiles,
    views_shown,
)

PAGE = "pages/spending.py"
AS_OF = date(2025, 3, 25)
FY_2023, FY_2024 = FinancialYear(2023), FinancialYear(2024)


# The default period is the last 12 months to the data's date (April 2024 to March 2025 here), so every figure
# below is as at 25 Mar 2025, as before; a test that needs every month asks for "All months".


@pytest.fixture()
def finance_env(app_data):
    app_data(FINANCE_DIR)


def by_line_table(at):
    """The by-line chart's table twin, on a page open at its section."""
    assert open_section(at) == "By budget line"
    return at.dataframe[0].value


@pytest.fixture()
def fin(finance_store):
    return finance_store.query


def test_page_shows_the_fixture_figures(finance_env):
    every = every_section(PAGE)
    at = every["Month by month"]  # the page opens at its first section
    assert not at.exception
    assert tiles(at) == {
        "Budget 2024-25": "£2.2m",
        "Actual to date": "£1.9m",
        "Year-to-date variance": "£253k over",
        "Forecast outturn": "£2.4m",
        "Run-rate forecast variance": "£340k over",
        "Independent placement cost per place, 2024-25": "£115k",
        "EP spend per completed assessment, 2024-25": "£27k",
        "Additional casework staffing 2024-25 (commitment £60k)": "£54k",
    }
    forecast = next(m for m in at.metric if m.label == "Forecast outturn")
    assert forecast.delta == "£253k over budget"
    shown_help = plain(forecast.help)
    assert "£2,433,000" in shown_help and "£253,000" in shown_help  # exact pounds in the help
    assert [subheaders(every[label])[0] for label in ("Month by month", "By budget line")] == [
        "All SEND spending lines: £253k over budget after 9 months of 2024-25",
        "Forecast overspend of £253k in 2024-25, mostly independent special placements and SEND transport",
    ]
    # 6 charts over the sections, each in the section the registry says.
    drawn = {label: keyed(each, "plotly_chart", "_chart") for label, each in every.items()}
    assert sum(map(len, drawn.values())) == 6
    assert drawn == {label: list(views) for label, views in sections.PAGES[PAGE].items()}
    by_line = by_line_table(every["By budget line"])
    assert by_line["Budget line"].tolist()[0] == "Independent special placements"
    assert by_line["Forecast outturn, budget for the months not yet closed (£)"].tolist() == pytest.approx(
        [1_380_000, 642_000, 189_000, 222_000]
    )
    assert any("do **not** apply" in c.value for c in at.caption)
    # The by-line table is the chart's twin: the chosen method's figures. The run-rate ones come with that method.
    at = in_section(PAGE, "By budget line", spend_method="Run-rate forecast")
    assert by_line_table(at)["Forecast outturn, run-rate adjusted (£)"].tolist() == pytest.approx(
        [1_440_000, 672_000, 192_000, 216_000]
    )


def test_headline_tiles_link_to_their_charts_and_show_judgements_in_words(finance_env):
    at = page_alone(PAGE)
    buttons = see_the_chart(at)
    assert [(view, section) for _, view, section in buttons] == [
        ("spending_lines", "By budget line"),
        ("spending_monthly", "Month by month"),
        ("spending_monthly", "Month by month"),
        ("spending_lines", "By budget line"),
        ("spending_lines", "By budget line"),
        ("spending_independent_unit_cost", "Unit costs"),
        ("spending_ep_unit_cost", "Unit costs"),
        ("spending_staffing", "Unit costs"),
    ]
    # Each button opens its section (from wherever the page is), which shows its chart under its anchor.
    for key, view, section in reversed(buttons):
        at.button(key=key).click().run()
        assert open_section(at) == section and view in views_shown(at)
    # The staffing status shows through the shared headline tiles, with its symbol and words.
    assert ":green-badge[✔ On track]" in [m.value for m in at.markdown]
    assert "BADGE_COLOURS" not in (FINANCE_DIR.parents[2] / PAGE).read_text()
    assert "#### 2024-25: all SEND spending lines, as at 25 Mar 2025" in [m.value for m in at.markdown]


def test_page_controls_change_the_figures(finance_env):
    at = page_alone(PAGE)
    at.radio(key="spend_method").set_value("Run-rate forecast").run()
    assert tiles(at)["Forecast outturn"] == "£2.5m"
    assert tiles(at)["At-budget forecast variance"] == "£253k over"
    assert tiles(at)["Independent placement cost per place, 2024-25"] == "£120k"
    at.selectbox(key="spend_line").set_value("SEND transport").run()
    assert subheaders(at)[0] == "SEND transport: £82k over budget after 9 months of 2024-25"
    at.selectbox(key="spend_funding").set_value("High needs block lines").run()
    # Independent +240,000 and EP -24,000 at the run rate; transport is not a high needs block line.
    assert next(m for m in at.metric if m.label == "Forecast outturn").delta == "£216k over budget"
    assert at.selectbox(key="spend_line").options == [
        "All lines in scope",
        "Educational psychology service",
        "Independent special placements",
    ]
    assert (
        subheaders(at)[0] == "The high needs block (DSG) lines: £162k over budget after 9 months of 2024-25"
    )
    at.selectbox(key="spend_fy").set_value("2023-24").run()
    assert not at.exception
    assert tiles(at)["Outturn"] == "£1.6m"  # high needs block lines: 1,320,000 + 252,000
    assert tiles(at)["EP spend per completed assessment, 2023-24"] == "£63k"
    assert tiles(at)["Independent placement cost per place, 2023-24"] == "£120k"


def test_period_filter_chooses_the_years_in_the_trend(finance_env):
    at = in_section(PAGE, "Year by year", **ALL_MONTHS)
    assert at.dataframe[0].value["Financial year"].tolist() == ["2023-24", "2024-25"]
    at.selectbox(key="from").set_value("2024-06").run()
    assert open_section(at) == "Year by year"
    assert at.dataframe[0].value["Financial year"].tolist() == ["2024-25"]
    assert tiles(at)["Budget 2024-25"] == "£2.2m"  # the period does not change the year's own figures


def test_the_to_month_sets_the_date_every_figure_is_at(finance_env, fin):
    # To September 2024: six months of 2024-25 closed, worked out in tests/views/test_spending.py.
    at = page_alone(PAGE, to="2024-09")
    assert not at.exception
    assert at.selectbox(key="spend_fy").value == "2024-25"
    shown = tiles(at)
    assert (shown["Actual to date"], shown["Year-to-date variance"], shown["Forecast outturn"]) == (
        "£1.2m",
        "£166k over",
        "£2.3m",
    )
    assert shown["Additional casework staffing 2024-25 (commitment £60k)"] == "£36k"
    assert shown["Independent placement cost per place, 2024-25"] == "–"  # no census in 2024-25 by then
    assert subheaders(at)[0] == "All SEND spending lines: £166k over budget after 6 months of 2024-25"
    # The Overview's forecast variance tile at the same date shows the same figure.
    overview = kpis.forecast_variance_kpi(fin, date(2024, 9, 30))
    forecast = next(m for m in at.metric if m.label == "Forecast outturn")
    assert forecast.delta == "£166k over budget" and forecast.delta.startswith(overview.shown())
    # Moving the To month into another financial year moves the year with it.
    at.selectbox(key="to").set_value("2024-03").run()
    assert at.selectbox(key="spend_fy").value == "2023-24"
    assert tiles(at)["Outturn"] == "£2.3m"


def test_a_link_reproduces_the_view(finance_env):
    at = page_alone(
        PAGE,
        spend_fy="2023-24",
        spend_method="Run-rate forecast",
        spend_funding="General fund lines",
        spend_line="SEND transport",
    )
    assert not at.exception
    assert at.selectbox(key="spend_fy").value == "2023-24"
    assert tiles(at)["Outturn"] == "£680k"  # transport 560,000 + staffing 120,000, all closed
    assert at.radio(key="spend_method").value == "Run-rate forecast"
    assert subheaders(at)[0] == "SEND transport: on budget after 12 months of 2023-24"


def test_the_overviews_link_lands_on_the_same_figure(finance_env, fin):
    from dashboard.filters import Filters
    from dashboard.views.base import Context
    from dashboard.views.overview import tile_link

    # The Overview with its period ending in September 2024: the forecast variance tile's "Details" link.
    at_september = date(2024, 9, 30)
    tile = kpis.forecast_variance_kpi(fin, at_september)
    link = tile_link(tile, Context(fin, Filters(date(2023, 10, 1), at_september), AS_OF))
    assert link.page == PAGE and link.anchor == "spending-lines"
    assert link.params[sections.SECTION] == "By budget line"
    at = page_alone(PAGE, **link.params)
    assert not at.exception
    assert open_section(at) == "By budget line" and views_shown(at) == ["spending_lines"]
    forecast = next(m for m in at.metric if m.label == "Forecast outturn")
    assert tile.shown() == "£166k" and forecast.delta == "£166k over budget"
    assert subheaders(at)[0] == (
        "Forecast overspend of £166k in 2024-25, mostly independent special placements and SEND transport"
    )


def test_filters_that_do_not_apply_are_named_in_words(finance_env):
    every = every_section(PAGE, district="Preston", need="Autism (ASD)")
    assert not any(at.exception for at in every.values())
    assert tiles(every["Month by month"])["Forecast outturn"] == "£2.4m"  # the same as for all of Lancashire
    # Said under each of the 6 charts, over the sections.
    said = [
        text(at).count(
            "Not filtered by area and primary need: the finance extract is for the whole authority, so "
            "they do not apply to spending."
        )
        for at in every.values()
    ]
    assert said == [len(views) for views in sections.PAGES[PAGE].values()] and sum(said) == 6


def test_page_on_the_area_fixture_with_four_spending_rows(app_data):
    every = every_section(PAGE)
    assert not any(at.exception for at in every.values())
    at = every["Unit costs"]
    # January 2025 closed: 1,750,000.50 against 1,500,000; February at budget. At the run rate both months go
    # independent 1,200,000 (+400,000) and transport 550,000.50 (+100,001). No independent settings, no EP
    # spend, no staffing commitment. (fmt.money writes £3m now, not £3.0m.)
    assert tiles(at) == {
        "Budget 2024-25": "£3m",
        "Actual to date": "£1.8m",
        "Year-to-date variance": "£250k over",
        "Forecast outturn": "£3.3m",
        "Run-rate forecast variance": "£500k over",
        "Independent placement cost per place, 2024-25": "–",
        "EP spend per completed assessment, 2024-25": "–",
        "Additional casework staffing": "–",
    }
    # 5 charts over the sections: the staffing chart gives way to a note that says why.
    drawn = {label: keyed(each, "plotly_chart", "_chart") for label, each in every.items()}
    assert sum(map(len, drawn.values())) == 5
    assert drawn["Unit costs"] == ["spending_independent_unit_cost", "spending_ep_unit_cost"]
    assert "reference/targets.csv has no additional SEND staffing commitment" in text(at)


def test_sample_story(sample_store):
    """The bundled sample: independent placements and transport over budget in 2025-26, the high needs block
    lines spending £190m to £230m, a forecast overspend this year and the £5m staffing met."""
    run, as_of = sample_store.query, sample_store.as_of
    assert as_of == date(2026, 10, 31)
    year = FinancialYear(2025)
    ranked = spending.lines(run, year, as_of)
    assert set(ranked["budget_line"].head(2)) == {"independent_special_placements", "send_transport"}
    assert (
        ranked.set_index("budget_line").loc[
            ["independent_special_placements", "send_transport"], "variance_gbp"
        ]
        > 1_000_000
    ).all()
    high_needs = spending.forecast_outturn(run, as_of, year=year, funding=("high_needs_block",))
    assert high_needs.is_final and 190e6 <= high_needs.forecast <= 230e6
    current = spending.forecast_outturn(run, as_of)
    assert current.financial_year.label == "2026-27" and current.months_closed == 7
    assert current.variance > 0
    assert set(
        spending.overspend_drivers(spending.lines(run, current.financial_year, as_of))["budget_line"]
    ) == {"independent_special_placements", "send_transport"}
    staffing = spending.staffing_commitment(run, as_of)
    assert staffing.year.label == "2025-26" and 4.5e6 <= staffing.additional <= 6e6
    assert staffing.judgement.words == "Met"


def test_the_staffing_target_comes_from_targets_csv(fin):
    from dashboard.measures import spending

    assert spending.staffing_target(fin) == rag.Target(
        "send_staffing_additional_gbp",
        "Additional SEND staffing",
        60_000,
        "gbp",
        date(2025, 3, 31),
        0,
        date(2024, 4, 1),
        "higher_is_better",
        "Fixture: £60k additional staffing in 2024-25",
    )
