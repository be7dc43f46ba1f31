"""The EHC needs assessments and plans measures: its queries on the hand-made fixture (answers worked out in
comments, see test_queries.py for the fixture's story) and the sample's calibration. The views and the page
are tested in tests/views/test_ehcp.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import measures
from dashboard.dates import Window
from dashboard.filters import whole_area
from dashboard.measures import ehcp
from tests.helpers import everything

AS_OF = date(2025, 3, 25)
YEAR_2024 = everything(date(2024, 1, 1), date(2024, 12, 31))


def test_timeliness_by_month_of_issue(run):
    frame = ehcp.timeliness_by_month(run, YEAR_2024)
    frame = frame.set_index(frame["month"].dt.strftime("%Y-%m"))
    # Jan: R01 (126 days). Mar: R03 (165, exception). Apr: R16 (137). May: R04 (140) and R05 (141).
    assert frame.loc[
        "2024-01", ["plans_issued", "within_20_weeks", "plans_issued_ex", "within_20_weeks_ex"]
    ].tolist() == [1, 1, 1, 1]
    assert frame.loc[
        "2024-03", ["plans_issued", "within_20_weeks", "plans_issued_ex", "within_20_weeks_ex"]
    ].tolist() == [1, 0, 0, 0]
    assert frame.loc["2024-05", ["plans_issued", "within_20_weeks", "over_20_to_52_weeks"]].tolist() == [
        2,
        1,
        1,
    ]
    assert frame.loc["2024-05", "mean_weeks"] == pytest.approx((140 + 141) / 2 / 7)
    assert frame.loc["2024-05", "rate_incl"] == 50.0
    assert pd.isna(frame.loc["2024-03", "rate_excl"])  # no non-exception plans that month: no rate, not 0%
    assert frame.loc["2024-02", "plans_issued"] == 0 and len(frame) == 12


def test_yearly_timeliness_matches_the_shared_twenty_week_measure(run):
    monthly = ehcp.timeliness_by_month(run, everything(date(2023, 1, 1), date(2025, 12, 31)))
    yearly = ehcp.yearly_timeliness(monthly).set_index("year")
    for year in (2023, 2024, 2025):
        window = Window(date(year, 1, 1), date(year, 12, 31))
        for exclude, column in ((False, "rate_incl"), (True, "rate_excl")):
            rate = measures.twenty_week_rate(run, everything(), window, exclude_exceptions=exclude)
            assert yearly.loc[year, column] == pytest.approx(rate.percent)
    # 2024 in DfE's bands: within 20 weeks R01, R04, R16; over 20 up to 52: R03 (165), R05 (141).
    assert yearly.loc[2024, ["within_20_weeks", "over_20_to_52_weeks", "over_52_weeks"]].tolist() == [3, 2, 0]


def test_open_cases_by_weeks_waited_and_stage(run):
    frame = ehcp.open_cases_by_wait(run, everything(), AS_OF).set_index("weeks_waited")
    # R11 (24 days) and R12 (0) await a decision; R10 (125 days, 17.9 weeks), R09 (144, 20.6) and R08 (295, 42.1)
    # are being assessed.
    assert frame["Awaiting decision"].to_dict() == {
        "0-6 weeks": 2,
        "6-12 weeks": 0,
        "12-16 weeks": 0,
        "16-20 weeks": 0,
        "20-30 weeks": 0,
        "30-52 weeks": 0,
        "Over 52 weeks": 0,
    }
    assert frame["Being assessed"].tolist() == [0, 0, 0, 1, 1, 1, 0]
    assert frame["Open cases"].sum() == measures.open_assessments(run, everything(), AS_OF).open


@pytest.mark.parametrize(
    ("at", "within_4", "within_8"),
    [
        (AS_OF, 1, 1),  # R10 at 125 days passes 140 in 15 days
        (
            date(2025, 3, 1),
            1,
            3,
        ),  # R09 at 120 (20 days to go), R10 at 101 (39), R13 at 89 (51; its plan came 20 Mar)
        (date(2025, 2, 1), 0, 1),  # R09 at 92 (48 days to go); R10 at 73 and R13 at 61 are further off
        (date(2025, 1, 10), 1, 1),  # R15 at 130 (plan issued 28 Feb); R09 at 70 is more than 8 weeks off
    ],
)
def test_about_to_breach_within_4_and_8_weeks(run, at, within_4, within_8):
    frame = ehcp.about_to_breach(run, everything(), at)
    assert (int(frame["breach_within_4_weeks"].sum()), int(frame["breach_within_8_weeks"].sum())) == (
        within_4,
        within_8,
    )


def test_about_to_breach_is_by_district_and_need(run):
    frame = ehcp.about_to_breach(run, everything(), AS_OF)
    assert list(frame.itertuples(index=False, name=None)) == [("Preston", "SLCN", 1, 1)]


def test_open_caseload_by_month_agrees_with_open_at_each_month_end(run):
    filters = everything(date(2023, 8, 1), date(2025, 3, 31))
    frame = ehcp.open_caseload_by_month(run, filters, AS_OF)
    assert len(frame) == 20
    for row in frame.itertuples():
        expected = measures.open_assessments(run, everything(), row.month_end.date())
        assert (row.open_cases, row.overdue) == (expected.open, expected.overdue), row.month_end
    # March 2025 is not over at 25 Mar 2025: its row is at that date, the figure the tiles show.
    assert frame["month_end"].iloc[-1] == pd.Timestamp(AS_OF) and frame["month_end"].iloc[-2] == pd.Timestamp(
        date(2025, 2, 28)
    )


def test_open_caseload_at_a_month_end_before_the_data_date(run):
    frame = ehcp.open_caseload_by_month(run, YEAR_2024, date(2024, 12, 31))
    # 31 Dec 2024: R08, R09, R10, R13, R15 open; R08 (211 days) past 20 weeks.
    assert frame.iloc[-1][["month_end", "open_cases", "overdue"]].tolist() == [
        pd.Timestamp(2024, 12, 31),
        5,
        1,
    ]


def test_decisions_by_month_and_share_agreed(run):
    frame = ehcp.decisions_by_month(run, YEAR_2024).set_index("month")
    assert frame.loc["2024-01-01", ["assess", "not_assess", "withdrawn", "pending", "requests"]].tolist() == [
        2,
        0,
        0,
        0,
        2,
    ]
    assert frame.loc["2024-02-01", "not_assess"] == 1 and frame.loc["2024-03-01", "withdrawn"] == 1
    # 2024 requests: R04, R05, R08, R09, R10, R13, R14, R15 agreed; R06 not; R07 withdrawn -> 8 of 10.
    assert ehcp.share_agreed_to_assess(frame.reset_index()) == measures.Rate(8, 10)


def test_assessment_funnel(run):
    funnel = ehcp.assessment_funnel(run, YEAR_2024)
    assert funnel == ehcp.Funnel(
        requests=10,
        decided=10,
        awaiting_decision=0,
        agreed_to_assess=8,
        not_assessed=1,
        withdrawn_before_decision=1,
        plan_issued=4,
        plan_not_issued=1,
        withdrawn_during_assessment=0,
        assessment_ongoing=3,
    )


def test_decision_timeliness(run):
    frame = ehcp.decision_timeliness_by_month(run, YEAR_2024)
    # Decisions dated 2024 on R04, R05, R06, R08, R09, R10, R14, R15, R16: all within 42 days (R07 was withdrawn).
    assert ehcp.decision_rate(frame) == measures.Rate(9, 9)
    # Every month is present, months with no decision as 0 with no rate.
    assert len(frame) == 12 and frame["decisions"].tolist() == [1, 2, 1, 0, 0, 1, 1, 0, 0, 1, 0, 2]
    assert frame["rate"].isna().tolist() == [d == 0 for d in frame["decisions"]]


def test_monthly_measures_take_the_window_they_are_given(run):
    window = Window(date(2024, 4, 1), AS_OF)  # the last 12 months, ending at the data's date
    filters = everything(date(2024, 4, 1), date(2025, 3, 31))
    for build in (
        ehcp.decisions_by_month,
        ehcp.timeliness_by_month,
        ehcp.decision_timeliness_by_month,
        ehcp.requests_by_source,
    ):
        frame = build(run, filters, window)
        assert (frame["month"].iloc[0], frame["month"].iloc[-1], len(frame)) == (
            pd.Timestamp(2024, 4, 1),
            pd.Timestamp(2025, 3, 1),
            12,
        ), build.__name__


def test_requests_by_source(run):
    frame = ehcp.requests_by_month_and_category(run, YEAR_2024, "request_source")
    # 2024: school R04, R05, R09, R10, R13, R15; parent R07, R08, R14; health R06.
    assert frame.groupby("category")["requests"].sum().to_dict() == {"health": 1, "parent": 3, "school": 6}
    wide = ehcp.requests_by_source(run, YEAR_2024)
    assert list(wide.columns) == [
        "month",
        "parent",
        "young_person",
        "school",
        "early_years",
        "health",
        "social_care",
        "other",
    ]
    assert wide.drop(columns="month").sum().to_dict() == {
        "parent": 3,
        "young_person": 0,
        "school": 6,
        "early_years": 0,
        "health": 1,
        "social_care": 0,
        "other": 0,
    }
    assert len(wide) == 12


def test_about_to_breach_added_up_by_district():
    frame = pd.DataFrame(
        {
            "district": ["Preston", "Preston", "Burnley"],
            "primary_need": ["ASD", "SLCN", "ASD"],
            "breach_within_4_weeks": [1, 0, 2],
            "breach_within_8_weeks": [2, 1, 2],
        }
    )
    totals = ehcp.about_to_breach_by(frame, "district").set_index("district")
    assert totals.loc["Preston"].tolist() == [1, 3, 2] and totals.loc["Burnley"].tolist() == [2, 2, 0]


@pytest.mark.parametrize("dimension", list(ehcp.DIMENSIONS))
def test_every_breakdown_adds_up_to_the_headline(run, dimension):
    frame = ehcp.breakdown(run, YEAR_2024, dimension, AS_OF)
    open_now = measures.open_assessments(run, everything(), AS_OF)
    year = Window(date(2024, 1, 1), date(2024, 12, 31))
    assert frame["requests_received"].sum() == measures.requests_received(run, everything(), year) == 10
    rate = measures.twenty_week_rate(run, everything(), year, exclude_exceptions=False)
    assert (frame["plans_issued"].sum(), frame["within_20_weeks"].sum()) == (rate.denominator, rate.numerator)
    assert (frame["open_cases"].sum(), frame["overdue"].sum()) == (open_now.open, open_now.overdue)


def test_breakdown_by_placement_type(run):
    frame = ehcp.breakdown(run, YEAR_2024, "placement_type", AS_OF).set_index("category")
    # Plans issued in 2024: mainstream R01, R04; special_academy R03; resourced_provision R05; special_maintained R16.
    assert frame["plans_issued"].to_dict() == {
        "No plan issued": 0,
        "independent_special": 0,
        "mainstream": 2,
        "resourced_provision": 1,
        "special_academy": 1,
        "special_maintained": 1,
    }


def test_england_reference_comes_from_the_published_release(run):
    england = run("england_twenty_week_rate", {}).set_index("year")
    assert england.loc[2024, "rate_excl"] == 46.4
    assert england.loc[2024, "rate_incl"] == 45.9
    assert "2025" in england.loc[2024, "release"]


@pytest.mark.parametrize(
    ("year", "requests", "assessed", "rate_excl"),
    [
        (2023, 2560, 92.6, 80.2),
        (2024, 3658, 73.7, 17.3),
    ],
)
def test_sample_calendar_years_match_the_published_lancashire_shape(
    sample_store, year, requests, assessed, rate_excl
):
    """The sample generator promises these within 10% (SOURCES.md, 2025 release)."""
    run = sample_store.query
    filters = everything(date(year, 1, 1), date(year, 12, 31))
    window = Window(filters.period_start, filters.period_end)
    assert measures.requests_received(run, filters, window) == pytest.approx(requests, rel=0.10)
    assert ehcp.share_agreed_to_assess(ehcp.decisions_by_month(run, filters)).percent == pytest.approx(
        assessed, rel=0.10
    )
    assert measures.twenty_week_rate(run, filters, window, exclude_exceptions=True).percent == pytest.approx(
        rate_excl, rel=0.10
    )


SCOPE_ALL = whole_area()
Q1_2024 = {**SCOPE_ALL, "period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)}
ALL_2024 = {**SCOPE_ALL, "period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)}


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        # Jan: R04 and R05 agreed, both plans issued; Feb: R06 not agreed; Mar: R07 withdrawn.
        (
            "requests_by_month_and_decision",
            Q1_2024,
            [
                (date(2024, 1, 1), "assess", "plan_issued", 2),
                (date(2024, 2, 1), "not_assess", None, 1),
                (date(2024, 3, 1), "withdrawn", None, 1),
            ],
        ),
        (
            "requests_by_month_and_category",
            {**Q1_2024, "dimension": "request_source"},
            [
                (date(2024, 1, 1), "school", 2),
                (date(2024, 2, 1), "health", 1),
                (date(2024, 3, 1), "parent", 1),
            ],
        ),
        # Jan: R16 decided on day 36; Feb: R04 and R05 on day 36; Mar: R06 on day 29 (R07 was withdrawn).
        (
            "decision_timeliness_by_month",
            Q1_2024,
            [(date(2024, 1, 1), 1, 1), (date(2024, 2, 1), 2, 2), (date(2024, 3, 1), 1, 1)],
        ),
        (
            "open_cases_by_wait",
            {**SCOPE_ALL, "at": AS_OF},
            [
                (1, "0-6 weeks", "Awaiting decision", 2),
                (4, "16-20 weeks", "Being assessed", 1),
                (5, "20-30 weeks", "Being assessed", 1),
                (6, "30-52 weeks", "Being assessed", 1),
            ],
        ),
        (
            "open_caseload_by_month",
            {**SCOPE_ALL, "period_start": date(2024, 6, 1), "period_end": date(2024, 7, 31)},
            [(date(2024, 6, 30), 1, 0), (date(2024, 7, 31), 1, 0)],
        ),
        ("about_to_breach", {**SCOPE_ALL, "at": AS_OF}, [("Preston", "SLCN", 1, 1)]),
        # Central (Preston): R06, R09, R10, R14 received; no 2024 plans; R09 and R10 open, R09 overdue.
        # East (Burnley): R04, R05, R08, R13, R15 received; plans R01, R04 (on time), R05 (late); R08, R12 open.
        # North (Lancaster): R07 received; plans R16 (on time) and R03 (late, exception); R11 open.
        (
            "breakdown",
            {**ALL_2024, "dimension": "locality", "at": AS_OF},
            [("Central", 4, 0, 0, 0, 0, 2, 1), ("East", 5, 3, 2, 3, 2, 2, 1), ("North", 1, 2, 1, 1, 1, 1, 0)],
        ),
    ],
)
def test_raw_query_rows(run, name, params, expected):
    frame = run(name, params)
    rows = [
        tuple(v.date() if isinstance(v, pd.Timestamp) else (None if pd.isna(v) else v) for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    assert rows == expected


def test_timeliness_by_month_raw_row(run):
    frame = run(
        "timeliness_by_month",
        {**SCOPE_ALL, "period_start": date(2024, 5, 1), "period_end": date(2024, 5, 31)},
    )
    row = frame.iloc[0]
    assert row[
        [
            "plans_issued",
            "within_20_weeks",
            "plans_issued_ex",
            "within_20_weeks_ex",
            "over_20_to_52_weeks",
            "over_52_weeks",
        ]
    ].tolist() == [2, 1, 2, 1, 1, 0]
    assert row["median_weeks"] == pytest.approx(140.5 / 7)
