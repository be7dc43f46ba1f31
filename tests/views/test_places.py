"""The specialist places views on tests/fixtures/capacity (as of 31 May 2025) and the bundled sample, by hand.

The capacity fixture's places (commissioned/occupied at 16 May 2024, 3 Oct 2024, 16 Jan 2025, 15 May 2025):
  S1 Brookfield (special school, Burnley, ASD)    100/104 (10 planned for 1 Sep 2024), 110/112, 110/112, 110/115
  S2 Riverside (resourced provision, Preston, SLCN) 12/10, 12/12, 12/12, 12/11
  S3 Heron unit (SEN unit, Lancaster, ASD)          0/0 (8 planned for 1 Sep 2024), 8/6, 8/8, 8/9
  S4 Oakwood (independent, out of area, SEMH)       20/20, 22/22, 24/24, 25/25
  S5 Hillside (special academy, Preston, MIXED)     50/45 throughout
  S6 Northgate (alternative provision, Lancaster, SEMH) 10/12 throughout
  S7 Meadow View (new special school, Lancaster, SEMH) 0/0 with 60 planned for 1 Sep 2026, from January 2025
Totals: commissioned 192, 212, 214, 215; occupied 191, 209, 213, 217. Target: 20 more places by 31 Dec 2024
from the 16 May 2024 census. New plans naming a specialist placement: R02 Dec 2023 (SEMH), R03 Mar 2024
(SLCN), R16 30 Apr 2024 (ASD), R05 30 May 2024 (ASD), R13 20 Mar 2025 (ASD).

The default period is the last 12 months, June 2024 to May 2025 (censuses 3 Oct 2024, 16 Jan 2025, 15 May 2025).
"""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import contract
from dashboard.filters import DISTRICT, NEED, Filters
from dashboard.measures import kpis, places
from dashboard.views import places as views
from dashboard.views.base import Context, View

CENSUS = date(2025, 5, 15)
LAST_12 = Filters(date(2024, 6, 1), date(2025, 5, 31), preset="12m")
SAMPLE_12 = Filters(date(2025, 11, 1), date(2026, 10, 31), preset="12m")
SAMPLE_CENSUS = date(2026, 10, 1)


@pytest.fixture()
def ctx(capacity_store):
    return Context(capacity_store.query, LAST_12, capacity_store.as_of)


@pytest.fixture()
def sample(sample_store):
    return Context(sample_store.query, SAMPLE_12, sample_store.as_of)


def every_view(ctx: Context, census: date, setting_types: tuple[str, ...] = ()) -> list[View]:
    """Every view on the page, built as the page builds them."""
    run, filters = ctx.run, ctx.filters
    over_time = places.census(run, filters, setting_types, end=ctx.at)
    designations = places.by_group(run, filters, census, "designation", setting_types)
    gap = places.demand_vs_spare(run, filters, census, setting_types, ctx.at)
    return [
        views.trend(ctx, over_time, census, setting_types),
        *[
            views.groups(
                ctx, places.by_group(run, filters, census, by, setting_types), by, census, setting_types
            )
            for by in views.BREAKDOWNS.values()
        ],
        views.spare(ctx, designations, census, setting_types, gap),
        views.pipeline(ctx, places.pipeline(run, filters, ctx.at, setting_types), setting_types),
        views.commitment(ctx),
        views.demand(ctx, places.demand_monthly(run, filters, ctx.period, setting_types)),
        views.gap(ctx, gap, census, designations),
        views.independent(ctx, places.independent_over_time(run, filters, end=ctx.at)),
        views.settings(ctx, places.settings(run, filters, census, setting_types), census, setting_types),
    ]


def test_trend_title_is_the_occupancy_at_the_chosen_census(ctx):
    over_time = places.census(ctx.run, ctx.filters, end=ctx.at)
    view = views.trend(ctx, over_time, CENSUS, ())
    assert list(view.table["Census"]) == ["2024-10-03", "2025-01-16", "2025-05-15"]  # the last 12 months
    assert view.title == "Occupancy 100.9% at the 15 May 2025 census: 217 children in 215 commissioned places"
    assert view.summary.endswith(
        "Occupancy was 98.6% at the 3 Oct 2024 census and 100.9% at the 15 May 2025 census."
    )  # 209 / 212, 217 / 215
    earlier = views.trend(ctx, over_time, date(2024, 10, 3), ())
    assert (
        earlier.title == "Occupancy 98.6% at the 3 Oct 2024 census: 209 children in 212 commissioned places"
    )


def test_groups_by_setting_type_in_words(ctx):
    frame = places.by_group(ctx.run, ctx.filters, CENSUS, "setting_type")
    view = views.groups(ctx, frame, "setting_type", CENSUS, ())
    # Over 100%: special schools 115/110 (Brookfield; Meadow View has no places yet), the SEN unit 9/8 and
    # alternative provision 12/10, the fullest at 120%.
    assert view.title == (
        "3 of 6 setting types are over 100% full at the 15 May 2025 census; the fullest is "
        "Alternative provision at 120.0%"
    )
    assert view.table.set_index("Setting type").loc["Special school (LA maintained)", "Occupancy %"] == 104.5
    assert view.drill is None  # setting type is the page's own control, not a shared filter


def test_groups_by_district_drill_to_the_district(ctx):
    frame = places.by_group(ctx.run, ctx.filters, CENSUS, "district", ("sen_unit", "independent_special"))
    view = views.groups(ctx, frame, "district", CENSUS, ("sen_unit", "independent_special"))
    assert list(view.table["District"]) == ["Outside Lancashire", "Lancaster"]  # Oakwood 25, Heron 8
    assert view.drill.filter_key == DISTRICT
    assert view.drill.code_of({"y": "Lancaster"}) == "Lancaster"
    assert view.drill.code_of({"y": "Outside Lancashire"}) is None  # no such district filter


def test_spare_places_by_designation_and_how_they_differ_from_the_demand_chart(ctx):
    designations = places.by_group(ctx.run, ctx.filters, CENSUS, "designation")
    gap = places.demand_vs_spare(ctx.run, ctx.filters, CENSUS, (), ctx.at)
    view = views.spare(ctx, designations, CENSUS, (), gap)
    # ASD 118 - 124 = -6, SEMH 35 - 37 = -2 (Oakwood 0, Northgate AP -2, Meadow View 0), SLCN 1, MIXED 5: -2 overall.
    assert list(view.table["Designation"]) == [
        "Autism (ASD)",
        "Social, emotional and mental health (SEMH)",
        "Speech, language and communication (SLCN)",
        "Mixed needs",
    ]
    assert list(view.table["Spare places"]) == [-6, -2, 1, 5]
    assert view.title == (
        "No spare places (2 more children than places) overall at the 15 May 2025 census; "
        "2 designations have more children than places, most of all Autism (ASD): over by 6"
    )
    # The demand chart leaves out alternative provision (a plan cannot name it): SEMH 0 spare there.
    assert view.notes == (
        "These spare places include alternative provision, which the demand chart below leaves "
        "out because a plan cannot name it: without it, Social, emotional and mental health (SEMH) "
        "is 0 spare rather than over by 2.",
    )
    assert view.drill.filter_key == NEED and view.drill.code_of({"y": "Autism (ASD)"}) == "ASD"
    assert view.drill.code_of({"y": "Mixed needs"}) is None  # not a primary need


def test_pipeline_counts_planned_places_opened_by_the_date(ctx):
    view = views.pipeline(ctx, places.pipeline(ctx.run, ctx.filters, ctx.at), ())
    assert view.title == (
        "78 places in the pipeline: 18 opened by 31 May 2025 and 60 still to open, the next "
        "Meadow View School (60 places) on 1 Sep 2026"
    )
    assert list(view.table["Setting type"]) == [
        "Special school (LA maintained)",
        "SEN unit",
        "Special school (LA maintained)",
    ]
    assert "Places added, in the next chart" in view.notes[0]


def test_commitment_says_how_places_added_relate_to_places_opened(ctx):
    view = views.commitment(ctx)
    assert (
        view.title
        == "22 places added since the 16 May 2024 census, against the 20 target: ✔ Met (23 by 15 May 2025)"
    )
    # The last column is the straight line from 0 at the 16 May 2024 census to 20 on 31 Dec 2024 (229 days):
    # 108 days in, 20 x 108 / 229 = 9.4; 140 days in, 12.2; 20 from the due date on.
    assert view.table.astype(object).where(view.table.notna(), None).values.tolist() == [
        ["2024-05-16", 192, 0, 0, 0.0],
        ["2024-09-01", None, None, 18, 9.4],  # Brookfield's 10 and the Heron unit's 8 open
        ["2024-10-03", 212, 20, None, 12.2],
        ["2024-12-31", None, None, None, 20.0],  # the due date
        ["2025-01-16", 214, 22, None, 20.0],  # the first census on or after the 31 Dec 2024 due date
        ["2025-05-15", 215, 23, None, 20.0],
        ["2026-09-01", None, None, 78, 20.0],  # Meadow View's 60
    ]
    assert "Required: straight line to the target" in [trace.name for trace in view.figure.data]
    # 22 = the 18 planned + Oakwood's growth from 20 to 24, which no census recorded as planned.
    assert view.notes[0] == (
        "Of the 22 places added by the 16 Jan 2025 census, 18 were planned openings (the "
        "pipeline's places opened by then) and the other 4 were places settings added beyond any "
        "planned opening recorded at a census. By the latest census, 15 May 2025, 23 places had "
        "been added: 1 more since."
    )
    assert view.honours.words(Filters(LAST_12.period_start, LAST_12.period_end, districts=("Preston",))) == (
        "Not filtered by area: the commitment is for all of Lancashire, so the filters do not apply."
    )


def test_commitment_is_none_before_the_baseline(capacity_store):
    early = Context(capacity_store.query, Filters(date(2024, 1, 1), date(2024, 3, 31)), capacity_store.as_of)
    assert views.commitment(early) is None


def test_demand_title_covers_the_last_12_months_shown(ctx):
    view = views.demand(ctx, places.demand_monthly(ctx.run, ctx.filters, ctx.period))
    assert list(view.table.columns) == ["Month", "Autism (ASD)", "All other needs"]
    assert view.table["Month"].iloc[0] == "2024-06" and view.table["Month"].iloc[-1] == "2025-05"
    assert (
        view.title
        == "1 new plan named a specialist placement in the 12 months to May 2025; Autism (ASD) 100%"
    )
    assert view.notes == ()  # May 2025 is over at the data's date


def test_demand_marks_a_month_not_over(capacity_store):
    # The period ends on 20 Mar 2025: March is not over. R16 (30 Apr 2024), R05 (30 May 2024) and R13
    # (20 Mar 2025) are the specialist plans from April 2024.
    ctx = Context(capacity_store.query, Filters(date(2024, 4, 1), date(2025, 3, 31)), date(2025, 3, 20))
    view = views.demand(ctx, places.demand_monthly(ctx.run, ctx.filters, ctx.period))
    assert view.title == (
        "3 new plans named a specialist placement in the 12 months to March 2025 (to 20 Mar 2025); "
        "Autism (ASD) 100%"
    )
    assert view.notes == (
        "Mar 2025 is shaded: the month was not over at 20 Mar 2025, the data's date, so its bar counts the plans "
        "issued so far.",
    )
    shaded = [s for s in view.figure.layout.shapes if s.type == "rect"]
    # Half a month either side of 1 March, where the month's bar stands.
    assert [(str(s.x0)[:10], str(s.x1)[:10]) for s in shaded] == [("2025-02-14", "2025-03-16")]
    assert "To 20 Mar 2025" in [a.text for a in view.figure.layout.annotations]


def test_demand_against_spare_places_names_the_months_and_the_census(ctx, capacity_store):
    census = date(2024, 10, 3)
    designations = places.by_group(ctx.run, ctx.filters, census, "designation")
    view = views.gap(
        ctx, places.demand_vs_spare(ctx.run, ctx.filters, census, (), ctx.at), census, designations
    )
    # Nov 2023 to Oct 2024: ASD 2 (R16, R05), SEMH 1 (R02), SLCN 1 (R03); spare places 0, 0, 0 (and MIXED 5).
    assert view.title == (
        "Autism (ASD): 2 new plans naming a specialist placement in Nov 2023 to Oct 2024, against "
        "0 spare places at the 3 Oct 2024 census; Social, emotional and mental health (SEMH): 1 "
        "against 0 spare places"
    )
    # Northgate (AP, SEMH) 10/12 is in the spare places chart but not here.
    assert view.notes == (
        "Spare places here leave out alternative provision, which a plan cannot name, so they "
        "differ from the spare places chart above: Social, emotional and mental health (SEMH) 0 "
        "spare here, over by 2 there.",
    )


def test_independent_title_runs_from_the_first_census_shown_to_the_last(ctx):
    view = views.independent(ctx, places.independent_over_time(ctx.run, ctx.filters, end=ctx.at))
    # Oakwood 22, 24, 25; 25 of 205 children in specialist settings (not AP) in May 2025 is 12.2%.
    assert view.title == (
        "Children in independent special schools up from 22 at the 3 Oct 2024 census to 25 at the "
        "15 May 2025 census, 12.2% of children in specialist places"
    )


def test_settings_is_a_table_with_no_chart(ctx):
    view = views.settings(ctx, places.settings(ctx.run, ctx.filters, CENSUS), CENSUS, ())
    assert view.draw is None and view.figure is None
    assert view.title == "7 settings at the 15 May 2025 census, 3 of them over 100% occupancy"  # S1, S3, S6
    assert set(view.table["Designation"]) == {
        "Autism (ASD)",
        "Speech, language and communication (SLCN)",
        "Social, emotional and mental health (SEMH)",
        "Mixed needs",
    }


def test_headlines_link_to_their_charts_and_say_what_the_filters_do_not_reach(ctx):
    over_time = places.census(ctx.run, ctx.filters, end=ctx.at)
    tiles = views.headlines(
        ctx, over_time, CENSUS, (), places.commitment(ctx.run, ctx.at), places.new_school(ctx.run, ctx.at)
    )
    got = {t.label: (t.value, t.view, t.delta, t.judgement.label if t.judgement else None) for t in tiles}
    assert got == {
        "Commissioned places": ("215", "places_trend", "At the 15 May 2025 census", None),
        # 217 / 215 is above the 95% planning level, but within 10% of it.
        "Occupancy": ("100.9%", "places_trend", "At the 15 May 2025 census", "▲ At risk"),
        "Settings over 100%": ("3 of 7", "places_settings", "At the 15 May 2025 census", None),
        "Places added (target 20)": (
            "22",
            "places_commitment",
            "All of Lancashire (no filters)",
            "✔ Met",
        ),
        "New special school (Sep 2026)": (
            "60 places",
            "places_pipeline",
            "All of Lancashire (no filters)",
            "✔ On track",
        ),
    }


def test_a_filtered_occupancy_is_not_judged_against_the_area_wide_level(capacity_store):
    ctx = Context(
        capacity_store.query,
        Filters(LAST_12.period_start, LAST_12.period_end, districts=("Preston",)),
        capacity_store.as_of,
    )
    over_time = places.census(ctx.run, ctx.filters, end=ctx.at)
    tiles = {t.label: t for t in views.headlines(ctx, over_time, CENSUS, (), None, None)}
    assert tiles["Occupancy"].value == "90.3%"  # Riverside 11 and Hillside 45 of 62
    assert tiles["Occupancy"].judgement is None
    assert tiles["Occupancy"].delta == "15 May 2025; not judged"
    assert "Not judged: the planning level is set for all of Lancashire" in tiles["Occupancy"].help
    trend = views.trend(ctx, over_time, CENSUS, ())
    assert trend.honours.words(ctx.filters) == ""  # places follow the area filter
    aged = Filters(LAST_12.period_start, LAST_12.period_end, age_groups=("5 to 10",))
    assert trend.honours.words(aged).startswith("Not filtered by age group: places are counted by setting")


def test_headline_figures_are_the_overviews(sample):
    """Places added and occupancy on the page are the Overview's tiles for the same filters."""
    over_time = places.census(sample.run, sample.filters, end=sample.at)
    census = date.fromisoformat(views.census_options(over_time)[0])
    tiles = {
        t.label: t.value
        for t in views.headlines(
            sample,
            over_time,
            census,
            (),
            places.commitment(sample.run, sample.at),
            places.new_school(sample.run, sample.at),
        )
    }
    assert census == SAMPLE_CENSUS
    assert tiles["Places added (target 200)"] == kpis.places_added_kpi(sample.run, sample.at).shown() == "253"
    assert tiles["Occupancy"] == kpis.occupancy_kpi(sample.run, sample.filters, sample.at).shown() == "105.5%"


def test_sample_places_figures_are_reconciled_on_the_page(sample):
    """'212 opened', '253 added' and '310 by 1 Oct 2026'; SEMH 'over by 43' and '-32': each pair explained."""
    run, filters = sample.run, sample.filters
    pipeline = views.pipeline(sample, places.pipeline(run, filters, sample.at), ())
    assert pipeline.title.startswith("362 places in the pipeline: 212 opened by 31 Oct 2026")
    commitment = views.commitment(sample)
    assert commitment.title == (
        "253 places added since the 15 May 2025 census, against the 200 target: ✔ Met (310 by 1 Oct 2026)"
    )
    # 2,782 at the 15 May 2025 baseline; 3,035 at 2 Oct 2025 (the first census after the 30 Sep 2025 due
    # date); 3,092 at 1 Oct 2026. The eight openings of 1 Sep 2025 planned 212; settings added 41 more.
    assert commitment.notes[0] == (
        "Of the 253 places added by the 2 Oct 2025 census, 212 were planned openings (the pipeline's places opened "
        "by then) and the other 41 were places settings added beyond any planned opening recorded at a census. By "
        "the latest census, 1 Oct 2026, 310 places had been added: 57 more since."
    )
    designations = places.by_group(run, filters, SAMPLE_CENSUS, "designation")
    gap = places.demand_vs_spare(run, filters, SAMPLE_CENSUS, (), sample.at)
    spare = views.spare(sample, designations, SAMPLE_CENSUS, (), gap)
    semh = "Social, emotional and mental health (SEMH)"
    assert spare.table.set_index("Designation").loc[semh, "Spare places"] == -43  # 546 - 589
    # Millrace and Weirside (alternative provision, SEMH) have 119 places and 130 children: -11.
    assert spare.notes == (
        f"These spare places include alternative provision, which the demand chart below leaves "
        f"out because a plan cannot name it: without it, {semh} is over by 32 rather than over "
        "by 43.",
    )
    demand_gap = views.gap(sample, gap, SAMPLE_CENSUS, designations)
    assert (
        demand_gap.table.set_index("Need or designation").loc[semh, "Spare places at the 1 Oct 2026 census"]
        == -32
    )
    assert demand_gap.notes[0].endswith(f"{semh} over by 32 here, over by 43 there.")


def test_sample_demand_charts_count_the_same_months(sample):
    """The demand chart's last 12 months and the demand against spare places chart are the same plans."""
    demand = views.demand(sample, places.demand_monthly(sample.run, sample.filters, sample.period))
    gap = views.gap(
        sample,
        places.demand_vs_spare(sample.run, sample.filters, SAMPLE_CENSUS, (), sample.at),
        SAMPLE_CENSUS,
    )
    assert demand.title.startswith(
        "1,768 new plans named a specialist placement in the 12 months to October 2026; "
        "Autism (ASD) 40% and Social, emotional and mental health (SEMH) 22%"
    )
    plans = gap.table.set_index("Need or designation")[
        "New plans naming a specialist placement (Nov 2025 to Oct 2026)"
    ]
    assert plans.sum() == 1_768
    assert plans["Autism (ASD)"] == demand.table["Autism (ASD)"].sum() == 701


RAW_CODES = (
    set(contract.SETTING_TYPES) | set(contract.DESIGNATIONS) | {"out_of_area", "not_recorded", "other"}
)


def words_in(text: str) -> set[str]:
    """The words of a text, leaving out a need code in brackets after its name ('Autism (ASD)')."""
    for code in contract.NEED_CODES:
        text = text.replace(f"({code})", "")
    return set(re.findall(r"[A-Za-z0-9_]+", text))


@pytest.mark.parametrize("where", ["fixture", "sample"])
def test_no_raw_code_reaches_a_table_title_or_summary(where, ctx, sample):
    context, census = (ctx, CENSUS) if where == "fixture" else (sample, SAMPLE_CENSUS)
    for view in every_view(context, census):
        text = " ".join([view.title, view.summary, *view.notes, *map(str, view.table.columns)])
        assert not words_in(text) & (RAW_CODES - {"other"}), (view.key, text)  # 'the other 41' is English
        cells = {
            value
            for column in view.table.columns
            if not pd.api.types.is_numeric_dtype(view.table[column])
            for value in view.table[column]
        }
        assert not cells & RAW_CODES, (view.key, cells & RAW_CODES)


@pytest.mark.parametrize("where", ["fixture", "sample"])
def test_every_chart_draws_from_its_table_with_a_figure_missing(where, ctx, sample):
    context, census = (ctx, CENSUS) if where == "fixture" else (sample, SAMPLE_CENSUS)
    for view in every_view(context, census):
        if view.draw is None:
            continue
        table = view.table.copy()
        numbers = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
        column = view.spec.counts[0] if view.spec.counts else numbers[0]
        table[column] = table[column].astype("float64")
        table.loc[table[column].notna().idxmax(), column] = math.nan
        assert isinstance(view.draw(table), go.Figure), view.key


def test_every_view_keeps_its_key_and_counts_children_in_its_spec(ctx):
    shown = every_view(ctx, CENSUS)
    assert [v.key for v in shown] == [
        "places_trend",
        *["places_groups"] * 4,
        "places_spare",
        "places_pipeline",
        "places_commitment",
        "places_demand",
        "places_gap",
        "places_independent",
        "places_settings",
    ]
    for view in shown:
        assert set(view.spec.counts) <= set(view.table.columns), view.key
        if "Occupied places" in view.table.columns:
            assert "Occupied places" in view.spec.counts, view.key
