"""Plans and annual review measures on a real DuckDB over tests/fixtures/plans, worked out by hand.

The fixture (as of 31 March 2025) holds 15 plans and 17 reviews; each test says which rows give its figures.
Ages at a date are the age at the plan's start plus whole years since (a year counted on the start's day
and month): P05 started 1 Apr 2018 aged 10, so on 31 Mar 2025 it is 10 + 7 - 1 = 16.
"""

from __future__ import annotations

from datetime import date

import pytest

from dashboard import contract
from dashboard.measures import Rate, plans
from tests.helpers import PLANS_DIR, PLANS_TODAY, everything

AT = date(2025, 3, 31)
ALL = everything()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from dashboard.serving.store import open_store

    opened = open_store(PLANS_DIR, tmp_path_factory.mktemp("plans_state"), today=PLANS_TODAY)
    yield opened
    opened.close()


@pytest.fixture()
def run(store):
    assert store.as_of == AT  # AR10's decision and R06's receipt, both 31 Mar 2025
    return store.query


def test_active_plans_at_a_date_and_a_year_before(run):
    # Ceased by 31 Mar 2025: P14 (30 Jun 2024), P06 (31 Dec 2024), P15 (10 Feb 2025); the other 12 are active.
    # On 31 Mar 2024 P03 (Sep 2024) and P12 (Jun 2024) had not started and nothing had ceased: 13.
    load = plans.caseload(run, ALL, AT)
    assert (load.active, load.year_before, load.growth) == (12, 13, -1)
    assert load.growth_percent == pytest.approx(-100 / 13)
    # A plan is active on its start day and not on its ceased day.
    assert (
        plans.active_on(run, ALL, date(2024, 9, 1)) - plans.active_on(run, ALL, date(2024, 8, 31)) == 1
    )  # P03
    assert (
        plans.active_on(run, ALL, date(2025, 2, 9)) - plans.active_on(run, ALL, date(2025, 2, 10)) == 1
    )  # P15


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "placement_type",
            {
                "mainstream": 6,  # P01 P03 P07 P11 P12 P16
                "special_maintained": 2,  # P02 P05
                "independent_special": 1,  # P04
                "alternative_provision": 1,  # P08
                "resourced_provision": 1,  # P10
                "special_academy": 1,  # P13
            },
        ),
        # P12 is 3; P01 9, P03 8, P08 10, P10 8, P16 6; P02 15, P07 11, P11 11; P04 18, P05 16, P13 16.
        ("age_group", {"Under 5": 1, "5 to 10": 5, "11 to 15": 3, "16 to 19": 3}),
        ("district", {"Burnley": 4, "Preston": 5, "Lancaster": 3}),
    ],
)
def test_active_plans_by_placement_age_and_district(run, by, expected):
    frame = plans.active(run, ALL, [AT], by)
    assert dict(zip(frame["breakdown"], frame["active"], strict=True)) == expected


def test_filters_apply_to_the_plan_and_its_age_at_the_date(run):
    assert plans.active_on(run, everything(districts=("Burnley",)), AT) == 4
    assert plans.active_on(run, everything(age_groups=("16 to 19",)), AT) == 3  # P04 P05 P13
    # A year earlier P05 and P13 were 15 and P14 23 (20 to 25), so only P04 (17) was 16 to 19.
    assert plans.active_on(run, everything(age_groups=("16 to 19",)), date(2024, 3, 31)) == 1


def test_the_sql_age_bands_are_the_contracts():
    import duckdb

    from dashboard.serving.store import MACROS_SQL

    con = duckdb.connect()
    con.execute(MACROS_SQL.read_text(encoding="utf-8"))
    for label, low, high in contract.AGE_GROUPS:
        for age in (low, high):
            assert con.execute("select age_band(?)", [age]).fetchone()[0] == label


def test_overdue_reviews_and_how_long(run):
    # P01 met on 31 Mar 2024: due 31 Mar 2025, so on time on 31 Mar 2025 (the 365th day).
    # P02 met on 30 Mar 2024: due 30 Mar 2025, so overdue on 31 Mar 2025 (the 366th day), up to 3 months.
    # P10 met 20 Nov 2023: due 20 Nov 2024, 3 to 6 months over. P04 met 15 Jun 2023: 6 to 12 months over.
    # P05 met 10 Jan 2023: due 10 Jan 2024, over 12 months since 10 Jan 2025. Every other plan met within the
    # year, or started within it (P12's pending review of 20 Jan 2025 is still a meeting).
    late = plans.overdue_at(run, ALL, AT)
    assert (late.active, late.overdue) == (12, 4)
    assert late.by_band == {"Up to 3 months": 1, "3 to 6 months": 1, "6 to 12 months": 1, "Over 12 months": 1}
    assert late.rate == Rate(4, 12)
    # A day earlier P02 is on its 365th day: not yet overdue.
    assert plans.overdue_at(run, ALL, date(2025, 3, 30)).overdue == 3


def test_overdue_reviews_by_district_leave_out_reviews_of_unknown_plans(run):
    frame = plans.overdue(run, ALL, [AT], "district").set_index("breakdown")
    assert frame["overdue"].to_dict() == {"Burnley": 1, "Lancaster": 1, "Preston": 2}  # P10; P04; P02 P05
    assert frame["active"].to_dict() == {"Burnley": 4, "Lancaster": 3, "Preston": 5}


def test_review_decisions_within_4_weeks_and_amendments_within_12(run):
    frame = plans.review_timeliness(run, ALL, date(2023, 1, 1), AT, AT)
    frame = frame.set_index(frame["month"].dt.strftime("%Y-%m"))
    # January 2025: AR11 decided on day 28 (on time), AR12 on day 29 (late), AR13 still pending after 28 days.
    assert frame.loc["2025-01", ["meetings", "decisions_due", "decided_within_4_weeks"]].tolist() == [3, 3, 1]
    # March 2025: AR14 met on 10 Mar; its four weeks end on 7 Apr, after the date, so it is not yet due.
    assert frame.loc["2025-03", ["meetings", "decisions_due", "amendments_due"]].tolist() == [1, 0, 0]
    # November 2024: AR15 finalised on day 84 (on time); AR10 decided after 147 days.
    assert frame.loc["2024-11", ["decisions_due", "decided_within_4_weeks"]].tolist() == [2, 1]
    assert frame.loc["2024-11", ["amendments_due", "amended_within_12_weeks"]].tolist() == [1, 1]
    # November 2023: AR16 finalised on day 85 (late). December 2024: AR17 not finalised after 84 days (late).
    assert frame.loc["2023-11", ["amendments_due", "amended_within_12_weeks"]].tolist() == [1, 0]
    assert frame.loc["2024-12", ["amendments_due", "amended_within_12_weeks"]].tolist() == [1, 0]
    # All 16 reviews of known plans (AR19's P99 is left out): 12 of 15 due decisions on time; 2 of 6 amendments
    # (AR03 and AR15; late: AR06, AR09, AR16, AR17).
    assert frame["meetings"].sum() == 16
    assert plans.decision_rate(frame) == Rate(12, 15)
    assert plans.amendment_rate(frame) == Rate(2, 6)


def test_phase_transfers_named_by_the_deadline(run):
    frame = plans.phase_transfers(run, ALL, [2025, 2026], AT)
    got = {
        (row.transfer_year, row.phase): (
            row.deadline,
            row.due,
            row.named_on_time,
            row.named_late,
            row.not_named,
        )
        for row in frame.itertuples()
    }
    assert got == {
        # P12 (4 on 31 Aug 2025) has no phase-transfer review.
        (2025, "reception"): (date(2025, 2, 15), 1, 0, 0, 1),
        # P07's amended plan was issued on 15 February (on time), P11's on 16 February (late).
        (2025, "year_7"): (date(2025, 2, 15), 2, 1, 1, 0),
        # P13 (16 on 31 Aug 2025) was maintained, decided on 31 March: the post-16 deadline, so on time.
        (2025, "post_16"): (date(2025, 3, 31), 1, 1, 0, 0),
        # Moving in September 2026: P01 and P08 (11) and P02 (16), none named yet.
        (2026, "year_7"): (date(2026, 2, 15), 2, 0, 0, 2),
        (2026, "post_16"): (date(2026, 3, 31), 1, 0, 0, 1),
    }
    # On 14 February P07's plan was not yet issued, so neither year-7 transfer was named then.
    early = plans.phase_transfers(run, ALL, [2025], date(2025, 2, 14)).set_index("phase")
    assert early.loc["year_7", ["named_on_time", "named_late", "not_named"]].tolist() == [0, 0, 2]


def test_deadlines_and_the_countdown():
    assert plans.year_earlier(date(2025, 3, 31)) == date(2024, 3, 31)
    assert plans.year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)
    assert plans.deadline(2026, "year_7") == date(2026, 2, 15)
    assert plans.deadline(2026, "post_16") == date(2026, 3, 31)
    assert plans.next_transfer_year(date(2025, 3, 31)) == 2025
    assert plans.next_transfer_year(date(2025, 4, 1)) == 2026
    assert plans.weeks_to(date(2026, 2, 15), date(2026, 1, 1)) == 6  # 45 days
    assert plans.weeks_to(date(2026, 2, 15), date(2026, 2, 10)) == 0
    assert plans.weeks_to(date(2026, 2, 15), date(2026, 3, 1)) == 0


def test_ceased_plans_by_reason(run):
    frame = plans.ceased(run, ALL, date(2024, 1, 1), AT)
    got = [
        (m.strftime("%Y-%m"), r, n)
        for m, r, n in frame[["month", "ceased_reason", "ceased"]].itertuples(index=False)
    ]
    assert got == [
        ("2024-06", "adult_services_or_left_education", 1),  # P14
        ("2024-12", "needs_met", 1),  # P06
        ("2025-02", "moved_to_another_la", 1),  # P15
    ]
    assert plans.ceased(run, ALL, date(2024, 7, 1), date(2024, 12, 30)).empty


@pytest.mark.parametrize(
    ("name", "params", "columns", "rows"),
    [
        (
            "plans_overdue_reviews",
            {"days": [AT], "by": "locality"},
            ["day", "breakdown", "active", "overdue", *(c for c, _ in plans.OVERDUE_BANDS)],
            3,  # North, Central and East
        ),
        (
            "plans_review_timeliness",
            {"period_start": date(2025, 1, 1), "period_end": AT, "at": AT},
            [
                "month",
                "meetings",
                "decisions_due",
                "decided_within_4_weeks",
                "amendments_due",
                "amended_within_12_weeks",
            ],
            2,  # January and March 2025
        ),
        (
            "plans_phase_transfers",
            {"years": [2025], "at": AT},
            ["transfer_year", "phase", "deadline", "due", "named_on_time", "named_late", "not_named"],
            3,
        ),
        (
            "plans_ceased",
            {"period_start": date(2024, 1, 1), "period_end": AT},
            ["month", "ceased_reason", "ceased"],
            3,
        ),
        (
            "published_caseload",
            {"la_code": "E10000017"},
            ["census_year", "published_plans", "release_label"],
            11,
        ),
    ],
)
def test_each_plans_query_by_name(run, name, params, columns, rows):
    frame = run(name, {**ALL.scope_params(), **params})
    assert list(frame.columns) == columns and len(frame) == rows


def test_active_plans_are_the_active_column_of_the_overdue_query(run):
    frame = plans.active(run, ALL, [AT])
    assert list(frame.columns) == ["day", "breakdown", "active"] and len(frame) == 1
    assert frame["active"].tolist() == plans.overdue(run, ALL, [AT])["active"].tolist()
