"""The EHC needs assessments and plans views and page, with answers worked out by hand from the fixture CSVs.

The area fixture (tests/fixtures/area/ehcp_requests.csv) is dated 25 Mar 2025, its latest activity. Its story:
R01-R03 and R16 came in 2023; R04-R10 and R13-R15 in 2024; R11 and R12 in March 2025 and still await a
decision. Plans were issued for R02 (29 Dec 2023, 150 days), R01 (5 Jan 2024, 126), R03 (15 Mar 2024, 165,
exception), R16 (30 Apr 2024, 137), R04 (29 May 2024, 140), R05 (30 May 2024, 141), R15 (28 Feb 2025, 179,
exception) and R13 (20 Mar 2025, 108). R08, R09 and R10 are being assessed; R14 ended without a plan.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import contract, measures
from dashboard.filters import NEED, PLACEMENT, SOURCE, Filters
from dashboard.measures import kpis
from dashboard.serving.store import open_store
from dashboard.views import ehcp as views
from dashboard.views.base import Context, View
from tests.helpers import (
    AREA_DIR,
    AREA_TODAY,
    SAMPLE_TODAY,
)

AS_OF = date(2025, 3, 25)
LAST_12 = Filters(date(2024, 4, 1), date(2025, 3, 31), through=AS_OF, preset="12m")
SINCE_2023 = Filters(date(2023, 1, 1), date(2025, 3, 31), through=AS_OF)
YEAR_2024 = Filters(date(2024, 1, 1), date(2024, 12, 31), through=AS_OF)


def context(run, filters: Filters = LAST_12, as_of: date = AS_OF) -> Context:
    return Context(run, filters, as_of)


def every_view(ctx: Context) -> list[View]:
    shown = [
        views.decisions(ctx),
        views.sources(ctx),
        views.funnel(ctx),
        views.twenty_weeks(ctx),
        views.weeks_bands(ctx),
        views.weeks_to_plan(ctx),
        views.decision_timeliness(ctx),
        views.open_by_wait(ctx),
        views.caseload(ctx),
        views.about_to_breach(ctx),
        views.breach_by_need(ctx),
    ]
    return shown + [
        views.breakdown(ctx, dimension, measure)
        for dimension in views.BREAKDOWNS
        for measure in views.BREAKDOWN_MEASURES
    ]


# --- Headlines: the Overview's measures, at the end of the period -------------------------------------------


def test_headlines_over_the_last_12_months(run):
    shown = {h.label: (h.value, h.view) for h in views.headlines(context(run))}
    # Received Apr 2024-Mar 2025: R14, R08, R15, R09, R10, R13, R11, R12; agreed: all but R11 and R12 (pending).
    # Plans issued excluding exceptions: R16, R04 and R13 within 20 weeks, R05 late. Open at 25 Mar 2025: R08
    # (295 days), R09 (144), R10 (125), R11, R12; R10 passes 140 days within 4 weeks.
    assert shown == {
        "Requests received": ("8", "ehcp_decisions"),
        "Agreed to assess": ("75.0%", "ehcp_decisions"),
        "20-week rate (excl. exceptions)": ("75.0%", "ehcp_timeliness"),
        "Open at 25 Mar 2025": ("5", "ehcp_waits"),
        "Open past 20 weeks": ("2", "ehcp_caseload"),
        "Will pass 20 weeks in 4 / 8 weeks": ("1 / 1", "ehcp_breach"),
    }


@pytest.mark.parametrize(
    "filters",
    [
        LAST_12,
        Filters(
            LAST_12.period_start, LAST_12.period_end, districts=("Burnley",), through=AS_OF, preset="12m"
        ),
    ],
)
def test_headlines_equal_the_overview_tiles_for_the_same_period(run, filters):
    ctx = context(run, filters)
    shown = {h.label: h.value for h in views.headlines(ctx)}
    assert shown["Requests received"] == kpis.requests_kpi(run, filters, ctx.at).shown()
    assert shown["20-week rate (excl. exceptions)"] == kpis.twenty_week_kpi(run, filters, ctx.at, 12).shown()
    assert shown["Open past 20 weeks"] == kpis.overdue_kpi(run, filters, ctx.at).shown()


def test_the_to_month_holds_for_every_figure_at_a_date(run):
    ctx = context(run, YEAR_2024)
    assert ctx.at == date(2024, 12, 31)
    shown = {h.label: h.value for h in views.headlines(ctx)}
    # Open at 31 Dec 2024: R08 (211 days, overdue), R15 (120), R09 (60), R10 (41), R13 (29); R15 passes 140
    # days within 4 weeks. At the data's date it would be 5 open, 2 overdue and R10 in Preston.
    assert (
        shown["Open at 31 Dec 2024"],
        shown["Open past 20 weeks"],
        shown["Will pass 20 weeks in 4 / 8 weeks"],
    ) == ("5", "1", "1 / 1")
    assert views.waiting_heading(ctx) == "Waiting at 31 Dec 2024"
    waits = views.open_by_wait(ctx)
    assert waits.title == "1 of 5 cases open at 31 Dec 2024 had waited more than 20 weeks"
    assert waits.summary.startswith("Requests open at 31 Dec 2024 ")
    breach = views.about_to_breach(ctx)
    assert breach.title == "1 case will pass 20 weeks within 4 weeks of 31 Dec 2024; most in Burnley (1)"
    caseload = views.caseload(ctx)
    assert (
        caseload.table["Date"].iloc[-1] == "2024-12-31" and caseload.table["Open past 20 weeks"].iloc[-1] == 1
    )
    by_district = views.breakdown(ctx, "district", "overdue")
    assert by_district.table.set_index("District")["Open past 20 weeks"].to_dict() == {
        "Burnley": 1,
        "Lancaster": 0,
        "Preston": 0,
    }
    assert by_district.title == "Open past 20 weeks by district, at 31 Dec 2024: highest in Burnley (1)"


# --- Demand and decisions -----------------------------------------------------------------------------------


def test_decisions_title_covers_the_latest_part_year(run):
    view = views.decisions(context(run, SINCE_2023))
    # 2023: R02, R01, R03, R16. 2024: R04-R10, R13-R15. 2025 to 25 Mar: R11, R12.
    assert view.title == "Requests rose from 4 in 2023 to 10 in 2024; 2 so far in 2025 (Jan to Mar)"
    assert view.table["Requests received"].sum() == 16
    assert list(view.table.columns) == [
        "Month",
        "Agreed to assess",
        "Not agreed",
        "Withdrawn",
        "Awaiting decision",
        "Requests received",
        "% agreed to assess",
    ]


def test_decisions_over_the_last_12_months(run):
    view = views.decisions(context(run))
    assert view.title == "8 requests received, Apr 2024 to 25 Mar 2025"
    assert view.summary.endswith("8 requests in all; 75.0% agreed to assess.")
    assert view.table.set_index("Month").loc[
        "2025-03", ["Awaiting decision", "Requests received"]
    ].tolist() == [2, 2]


def test_an_incomplete_last_month_is_shaded_and_explained(run):
    view = views.decisions(context(run))
    # March 2025 is not over at 25 Mar 2025, and R11 and R12, received in March, still await a decision.
    assert view.notes == (
        "Mar 2025 is shaded: the month was not over at 25 Mar 2025, the data's date, so it has only part of the "
        "month's requests.",
        "Requests received in Mar 2025 are also shaded: some were still awaiting a decision at 25 Mar 2025, so the "
        "split by decision will change.",
    )
    assert shaded(view) == [("2025-02-14", "2025-03-16", "Not final")]


def test_a_period_ending_with_a_whole_decided_month_is_not_shaded(run):
    view = views.decisions(context(run, Filters(date(2024, 4, 1), date(2025, 2, 28), through=AS_OF)))
    assert view.notes == () and shaded(view) == []


@pytest.mark.parametrize(
    "build", [views.sources, views.twenty_weeks, views.weeks_to_plan, views.decision_timeliness]
)
def test_monthly_views_shade_a_month_not_over(run, build):
    view = build(context(run))
    assert shaded(view) == [("2025-02-14", "2025-03-16", "To 25 Mar 2025")]
    assert view.notes[0] == (
        "Mar 2025 is shaded: the month was not over at 25 Mar 2025, the data's date, so its "
        "figures are for part of the month."
    )
    assert shaded(build(context(run, YEAR_2024))) == []


def test_sources_are_labelled_and_clicking_one_filters_by_its_code(run):
    view = views.sources(context(run))
    # Apr 2024-Mar 2025: school R09, R10, R13, R15; parent R08, R11, R14; early years R12.
    assert view.title == "School or college made the most requests (50%)"
    assert view.summary.endswith(
        "School or college 4; Parent or carer 3; Early years setting 1; Young person 0; "
        "Health service 0; Social care 0; Other 0."
    )
    assert view.drill.filter_key == SOURCE
    names = [trace.name for trace in view.figure.data]
    assert names[3] == "Early years setting"
    assert view.drill.code_of({"curve_number": 3}) == "early_years"
    assert view.drill.code_of({"curve_number": 99}) is None


def test_funnel(run):
    view = views.funnel(context(run, YEAR_2024))
    # 2024 requests: R04, R05, R08, R09, R10, R13, R14, R15 agreed; R06 not; R07 withdrawn. Plans: R04, R05, R13,
    # R15; R14 not issued; R08, R09, R10 still being assessed.
    assert view.title == "Of 10 requests, 4 have a plan so far"
    assert view.table.set_index("Stage")["Requests"].to_dict() == {
        "Requests received": 10,
        "  Awaiting a decision": 0,
        "  Decided": 10,
        "    Not agreed": 1,
        "    Withdrawn before a decision": 1,
        "    Agreed to assess": 8,
        "      Plan issued": 4,
        "      Plan not issued": 1,
        "      Withdrawn during assessment": 0,
        "      Assessment ongoing": 3,
    }
    assert list(view.figure.data[0].y) == ["Requests received", "Decided", "Agreed to assess", "Plan issued"]


# --- Timeliness ---------------------------------------------------------------------------------------------


def test_twenty_week_title_covers_the_latest_part_year(run):
    view = views.twenty_weeks(context(run, SINCE_2023))
    # Excluding exceptions: 2023 R02 late (0 of 1); 2024 R01, R16, R04 within, R05 late (3 of 4); 2025 R13 within.
    assert view.title == "20-week rate rose from 0% in 2023 to 75% in 2024; 100% so far in 2025 (Jan to Mar)"
    assert (
        "England's published rate excluding exceptions for each calendar year (2023: 50.3%; 2024: 46.4%; "
        "source: DfE Education, health and care plans 2025 (DfE, 26 June 2025))"
    ) in view.summary
    england = view.table.set_index("Month")["England % (excl. exceptions, calendar year)"]
    assert (england["2023-06"], england["2024-06"]) == (50.3, 46.4) and np.isnan(england["2025-01"])


def test_twenty_week_title_on_the_sample_covers_2026(sample_store):
    filters = Filters(date(2018, 1, 1), date(2026, 10, 31), through=SAMPLE_TODAY, preset="all")
    view = views.twenty_weeks(Context(sample_store.query, filters, SAMPLE_TODAY))
    # A slide once said "fell from 18% in 2024 to 10% in 2025"; Jan to Oct 2026 is 820 of 2,881 (28.5%).
    assert view.title == "20-week rate fell from 18% in 2024 to 10% in 2025; 28% so far in 2026 (Jan to Oct)"


def test_twenty_week_rate_over_the_last_12_months_is_the_headline(run):
    ctx = context(run)
    view = views.twenty_weeks(ctx)
    rate = measures.twenty_week_rate(run, LAST_12, ctx.period, exclude_exceptions=True)
    assert (
        (
            view.table["Within 20 weeks (excl. exceptions)"].sum(),
            view.table["Plans issued (excl. exceptions)"].sum(),
        )
        == (rate.numerator, rate.denominator)
        == (3, 4)
    )
    assert (
        view.title
        == "75% of plans issued Apr 2024 to 25 Mar 2025 were within 20 weeks (excluding exceptions)"
    )


def test_one_timeliness_frame_serves_every_timeliness_view(run):
    ctx = context(run, SINCE_2023)
    frame = views.ehcp.timeliness_by_month(run, SINCE_2023, ctx.period)
    for build in (views.twenty_weeks, views.weeks_bands, views.weeks_to_plan):
        assert build(ctx, frame).table.equals(build(ctx).table)


def test_weeks_bands_label_part_years(run):
    view = views.weeks_bands(context(run))
    # Apr-Dec 2024: R16, R04 within, R05 over 20 weeks. Jan-25 Mar 2025: R13 within, R15 over 20 weeks.
    assert view.table[
        ["Year", "Plans issued", "Within 20 weeks", "Over 20 up to 52 weeks", "Over 52 weeks"]
    ].values.tolist() == [["2024 (Apr to Dec)", 3, 2, 1, 0], ["2025 (Jan to Mar)", 2, 1, 1, 0]]
    assert view.title == "No plan took over a year; 2 of 5 took more than 20 weeks"
    assert view.notes == (
        "2025 (Jan to Mar) is shaded: it is part of a year, so it has fewer plans than a whole year.",
    )
    assert shaded(view) == [(0.5, 1.5, "Part year")]


def test_median_weeks_to_plan(run):
    # The latest month with a plan is March 2025: R13, 108 days (15.4 weeks); the month is not over.
    assert views.weeks_to_plan(context(run)).title == "Median wait for a plan: 15 weeks in March 2025 so far"
    # 2024's last plans were R04 (140 days) and R05 (141) in May.
    assert (
        views.weeks_to_plan(context(run, YEAR_2024)).title == "Median wait for a plan: 20 weeks in May 2024"
    )


def test_decision_timeliness(run):
    view = views.decision_timeliness(context(run, YEAR_2024))
    # Decisions dated 2024 on R04, R05, R06, R08, R09, R10, R14, R15, R16: all within 42 days (R07 was withdrawn).
    assert (
        view.title == "100% of decisions on whether to assess were made within 6 weeks, Jan 2024 to Dec 2024"
    )
    assert len(view.table) == 12 and view.table["Decisions"].sum() == 9


# --- Waiting now --------------------------------------------------------------------------------------------


def test_open_by_wait_at_the_data_date(run):
    view = views.open_by_wait(context(run))
    assert view.title == "2 of 5 cases open at 25 Mar 2025 had waited more than 20 weeks"
    assert view.table["Open cases"].tolist() == [2, 0, 0, 1, 1, 1, 0]


def test_caseload_ends_at_the_data_date_with_the_headline_figure(run):
    view = views.caseload(context(run))
    # At 25 Mar 2025 R08 and R09 are past 20 weeks (R09 from day 141, 22 Mar); every earlier month end
    # had at most one (R08 from 22 Oct 2024; R15 from 20 Jan 2025 to its plan on 28 Feb).
    assert view.table["Date"].iloc[-1] == "2025-03-25"
    assert view.table.set_index("Date").loc[
        ["2024-12-31", "2025-01-31", "2025-02-28", "2025-03-25"], "Open past 20 weeks"
    ].tolist() == [1, 2, 1, 2]
    assert view.title == "2 cases open past 20 weeks at 25 Mar 2025, the most at any date shown"
    assert view.notes == ("The last point is at 25 Mar 2025, the data's date, not at a month end.",)


# --- About to breach: the district named comes from the column counted ---------------------------------------


@pytest.fixture(scope="module")
def breach_run(tmp_path_factory):
    """The area fixture plus five open requests, so that at 25 Mar 2025 South Ribble has the most cases passing 20
    weeks within 4 weeks (2) but Lancaster the most within 8 weeks (3), and a February request awaits a decision."""
    folder = tmp_path_factory.mktemp("breach") / "area"
    shutil.copytree(AREA_DIR, folder)
    with (folder / "reference" / "districts.csv").open("a") as districts:
        districts.write("South Ribble,Central\n")
    with (folder / "ehcp_requests.csv").open("a") as requests:
        requests.write(
            # Days waited at 25 Mar 2025: 120 and 130 (within 4 weeks of 140).
            "S01,C21,2024-11-25,school,8,South Ribble,ASD,assess,2024-12-20,ongoing,,false,,false\n"
            "S02,C22,2024-11-15,parent,9,South Ribble,SEMH,assess,2024-12-10,ongoing,,false,,false\n"
            # 117 (within 4 weeks), 100 and 90 (in 4 to 8 weeks).
            "L01,C23,2024-11-28,school,6,Lancaster,ASD,assess,2024-12-30,ongoing,,false,,false\n"
            "L02,C24,2024-12-15,school,7,Lancaster,ASD,assess,2025-01-20,ongoing,,false,,false\n"
            "L03,C25,2024-12-25,parent,12,Lancaster,SLCN,assess,2025-01-30,ongoing,,false,,false\n"
            # 33 days, awaiting a decision.
            "P01,C26,2025-02-20,parent,5,Burnley,,pending,,,,false,,false\n"
        )
    store = open_store(folder, tmp_path_factory.mktemp("breach_state"), today=AREA_TODAY)
    assert store.as_of == AS_OF
    yield store.query
    store.close()


def test_about_to_breach_names_the_district_leading_the_column_it_counts(breach_run):
    view = views.about_to_breach(context(breach_run))
    # Within 4 weeks: South Ribble 2 (S01, S02), Lancaster 1 (L01), Preston 1 (R10). Within 8 weeks: Lancaster 3.
    assert view.title == "4 cases will pass 20 weeks within 4 weeks of 25 Mar 2025; most in South Ribble (2)"
    assert view.table.values.tolist() == [
        ["South Ribble", 2, 0, 2],
        ["Lancaster", 1, 2, 3],
        ["Preston", 1, 0, 1],
    ]
    assert list(view.table.columns) == ["District", "Within 4 weeks", "In 4 to 8 weeks", "Within 8 weeks"]
    bars = {trace.name: list(trace.y) for trace in view.figure.data}
    assert bars == {
        "Within 4 weeks": ["South Ribble", "Lancaster", "Preston"],
        "In 4 to 8 weeks": ["South Ribble", "Lancaster", "Preston"],
    }
    assert view.summary == (
        "Cases open at 25 Mar 2025 that will pass 20 weeks unless a plan is issued first: 4 "
        "within 4 weeks and 6 within 8 weeks. By district (4 / 8 weeks): South Ribble 2 / 2; "
        "Lancaster 1 / 3; Preston 1 / 1."
    )


def test_about_to_breach_by_need(breach_run, run):
    view = views.breach_by_need(context(breach_run))
    # Within 8 weeks: ASD S01, L01, L02; SLCN L03, R10; SEMH S02.
    assert view.title == "Of 6 cases passing 20 weeks within 8 weeks, 3 have a primary need of Autism (ASD)"
    assert view.table["Primary need"].tolist() == [
        "Autism (ASD)",
        "Speech, language and communication (SLCN)",
        "Social, emotional and mental health (SEMH)",
    ]
    # On the fixture alone, R10 (SLCN) is the one case.
    assert views.breach_by_need(context(run)).title == (
        "The case passing 20 weeks within 8 weeks has a primary need "
        "of Speech, language and communication (SLCN)"
    )


def test_ties_name_every_leading_district(run):
    frame = pd.DataFrame(
        {
            "district": ["Burnley", "Preston"],
            "primary_need": ["ASD", "SLCN"],
            "breach_within_4_weeks": [2, 2],
            "breach_within_8_weeks": [2, 5],
        }
    )
    assert (
        views.about_to_breach(context(run), frame).title
        == "4 cases will pass 20 weeks within 4 weeks of 25 Mar 2025; most in Preston and Burnley (2 each)"
    )  # the chart's order


def test_months_of_pending_decisions_are_shaded_from_the_first(breach_run):
    view = views.decisions(context(breach_run))
    # P01 (Feb) and R11, R12 (Mar) await a decision.
    assert view.notes[1] == (
        "Requests received from Feb 2025 are also shaded: some were still awaiting a decision "
        "at 25 Mar 2025, so the split by decision will change."
    )
    assert shaded(view) == [("2025-01-17", "2025-03-16", "Not final")]
    # A period ending in February: the month is over, but its requests are not all decided.
    february = views.decisions(
        context(breach_run, Filters(date(2024, 3, 1), date(2025, 2, 28), through=AS_OF))
    )
    assert february.notes == (
        "Requests received in Feb 2025 are shaded: some were still awaiting a decision at "
        "25 Mar 2025, so the split by decision will change.",
    )
    assert shaded(february) == [("2025-01-17", "2025-02-16", "Not final")]


# --- Where it is worst --------------------------------------------------------------------------------------


def test_breakdown_by_need_shows_labels_and_drills_by_code(run):
    view = views.breakdown(context(run, YEAR_2024), "primary_need", "requests_received")
    assert view.table.set_index("Primary need")["Requests received"].to_dict() == {
        "Autism (ASD)": 5,
        "Moderate learning difficulty (MLD)": 1,
        "Need not yet recorded": 0,
        "Social, emotional and mental health (SEMH)": 2,
        "Speech, language and communication (SLCN)": 2,
    }
    assert (
        view.title == "Requests received by primary need, Jan 2024 to Dec 2024: highest in Autism (ASD) (5)"
    )
    assert view.drill.filter_key == NEED
    assert view.drill.code_of({"y": "Autism (ASD)"}) == "ASD"
    assert view.drill.code_of({"y": "Need not yet recorded"}) is None


def test_breakdown_by_placement_drills_by_code(run):
    view = views.breakdown(context(run, YEAR_2024), "placement_type", "requests_received")
    # Plans issued in 2024: mainstream R01, R04; special academy R03; resourced provision R05; LA special R16.
    assert view.table.set_index("Placement named on issue")["Plans issued"].to_dict() == {
        "No plan issued": 0,
        "Independent or non-maintained special school": 0,
        "Mainstream school": 2,
        "Resourced provision or SEN unit": 1,
        "Special academy or free school": 1,
        "Special school (LA maintained)": 1,
    }
    assert view.drill.filter_key == PLACEMENT
    assert view.drill.code_of({"y": "Special school (LA maintained)"}) == "special_maintained"
    assert view.drill.code_of({"y": "No plan issued"}) is None


def test_breakdown_by_request_source_and_district_drill(run):
    by_source = views.breakdown(context(run, YEAR_2024), "request_source", "requests_received")
    assert (
        by_source.drill.filter_key == SOURCE
        and by_source.drill.code_of({"y": "School or college"}) == "school"
    )
    # 2024: school R04, R05, R09, R10, R13, R15; parent R07, R08, R14; health R06.
    assert (
        by_source.title
        == "Requests received by request source, Jan 2024 to Dec 2024: highest in School or college (6)"
    )
    by_district = views.breakdown(context(run, YEAR_2024), "district", "rate_excl")
    # Excluding exceptions, 2024: Burnley R01, R04 within, R05 late (66.7%); Lancaster R16 within; Preston none.
    assert by_district.title == (
        "20-week rate (excl. exceptions) by district, Jan 2024 to Dec 2024: highest in Lancaster (100.0%)"
    )
    assert by_district.drill.code_of({"y": "Burnley"}) == "Burnley"


# --- Every view: words, tables, specs and drawing from a table with gaps ----------------------------------

CODES = {
    *contract.REQUEST_SOURCES,
    *contract.PLACEMENT_TYPES,
    *contract.DESIGNATIONS,
    *contract.DECISIONS,
    *contract.OUTCOMES,
    "Not yet known",
    "not_recorded",
}
RAW_IN_WORDS = re.compile(
    r"\b(?:[a-z0-9]+_[a-z0-9_]+|post16|OTH|NSA|MIXED|Not yet known)\b"
    r"|(?<!\()\b(?:" + "|".join(contract.NEED_CODES) + r")\b(?!\))"
)


@pytest.mark.parametrize("filters", [LAST_12, SINCE_2023])
def test_no_raw_code_reaches_a_table_title_summary_or_legend(run, filters):
    for view in every_view(context(run, filters)):
        words = [view.title, view.summary, *view.notes, *view.table.columns.astype(str)]
        if view.figure is not None:
            layout = view.figure.to_dict()["layout"]
            words += [str(trace.name) for trace in view.figure.data if trace.name]
            words += [
                str(axis.get("title", {}).get("text", "")) for key, axis in layout.items() if "axis" in key
            ]
        raw = [w for w in words if RAW_IN_WORDS.search(w)]
        assert not raw, (view.key, raw)
        cells = {
            v
            for column in view.table.columns
            if view.table[column].dtype == object
            for v in view.table[column]
        }
        assert not cells & CODES, (view.key, cells & CODES)


def test_every_spec_names_columns_of_its_table(run):
    for view in every_view(context(run)):
        columns = set(view.table.columns)
        assert set(view.spec.counts) <= columns, view.key
        assert view.spec.row_total is None or view.spec.row_total in columns, view.key
        for rate, parts in view.spec.rates.items():
            assert {rate, parts.denominator, parts.numerator} <= columns, view.key
        assert view.filename.endswith(".csv")


@pytest.mark.parametrize("filters", [LAST_12, SINCE_2023])
def test_every_chart_draws_from_its_table_with_a_number_missing(run, filters):
    for view in every_view(context(run, filters)):
        if view.draw is None:
            continue
        gaps = view.table.copy()
        counts = list(view.spec.counts)
        gaps[counts] = gaps[counts].astype(float)
        gaps.loc[gaps.index[-1], counts] = np.nan  # as an export hides a row's small counts
        figure = view.draw(gaps)
        assert figure.data, view.key


def test_the_view_keys_the_overview_links_to(run):
    keys = {view.key for view in every_view(context(run))}
    assert keys == {
        "ehcp_decisions",
        "ehcp_sources",
        "ehcp_funnel",
        "ehcp_timeliness",
        "ehcp_weeks_bands",
        "ehcp_weeks",
        "ehcp_decision_timeliness",
        "ehcp_waits",
        "ehcp_caseload",
        "ehcp_breach",
        "ehcp_breach_needs",
        "ehcp_breakdown",
    }


def shaded(view: View) -> list[tuple]:
    """The shaded spans on a view's chart: (from, to, label)."""
    layout = view.figure.to_dict()["layout"]
    labels = {(a["x"]): a["text"] for a in layout.get("annotations", []) if a.get("xref") == "x"}

    def day(x):  # dates as written in the tests; positions on a category axis stay numbers
        return x if isinstance(x, int | float) else f"{pd.Timestamp(x):%Y-%m-%d}"

    return [
        (day(s["x0"]), day(s["x1"]), labels.get(s["x1"]))
        for s in layout.get("shapes", [])
        if s["type"] == "rect"
    ]


def test_the_20_week_chart_draws_the_path_to_the_target(run):
    # Fixture target: at least 46.4% by 31 Dec 2026, from 17.3% at 31 Dec 2024 (730 days). At each month end:
    # Jan 2025 is 31 days in, 17.3 + 29.1 x 31 / 730 = 18.5; Feb 59 days, 19.7; Mar 90 days, 20.9.
    view = views.twenty_weeks(context(run))
    path_column = view.table["Target path % (excl. exceptions)"]
    assert path_column.isna().sum() == 8 and path_column.dropna().tolist() == [17.3, 18.5, 19.7, 20.9]
    path = next(trace for trace in view.figure.data if trace.name == "Target path: 46.4% by 31 Dec 2026")
    assert list(path.y) == [17.3, 18.5, 19.7, 20.9] and path.line.dash == "dash"
    assert "path to the target of 46.4% excluding exceptions by 31 Dec 2026, from 17.3% at 31 Dec 2024" in (
        view.summary
    )
    # The target is for all of Lancashire: a district's chart draws no path to it.
    burnley = Filters(LAST_12.period_start, LAST_12.period_end, districts=("Burnley",), through=AS_OF)
    assert "Target path % (excl. exceptions)" not in views.twenty_weeks(context(run, burnley)).table
