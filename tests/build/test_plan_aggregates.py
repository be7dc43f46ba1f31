"""The plans tables built once per data version (dashboard/build/plan_aggregates.py) give the plans queries
exactly what the record-level SQL they replaced counted: on plans made to catch the edge cases (a meeting
before the start, two on one day, one on the start day, one after the plan ceased, a plan that never had
one), for every day of three years (month ends and January census days read from the counts, other days
from the spells), review timeliness as at days before, on and after the 4- and 12-week marks, and on the
bundled sample under several filters."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from dashboard.build import plan_aggregates
from dashboard.dates import census_day
from dashboard.serving import queries
from dashboard.serving.store import MACROS_SQL
from tests.helpers import ANSWERED_BY, PLANS_QUERIES, QUERY_REFERENCES

# The record-level SQL the tables replaced, kept with the other queries' references.
RECORD_LEVEL = {
    name: (QUERY_REFERENCES / f"{name}.sql").read_text(encoding="utf-8") for name in PLANS_QUERIES
}

NO_FILTERS = {"localities": [], "districts": [], "needs": [], "age_groups": []}


def same(connection, name, params):
    old = connection.execute(RECORD_LEVEL[name], params).df()
    new = queries.run(connection, ANSWERED_BY.get(name, name), params)[list(old.columns)]
    pd.testing.assert_frame_equal(new, old, check_dtype=False)
    return new


@pytest.fixture(scope="module")
def edge_cases():
    """Plans whose reviews fall where a spell could go wrong, in a database built as the store builds one."""
    connection = duckdb.connect()
    connection.execute(MACROS_SQL.read_text())
    connection.execute(
        "create table ehcp_plans (plan_id varchar, start_date date, ceased_date date, age_at_start bigint, "
        "placement_type varchar, primary_need varchar, district varchar, locality varchar)"
    )
    connection.execute(
        "insert into ehcp_plans values "
        # no review ever: due a year after the start, 29 February
        "('never', '2024-02-29', null, 3, 'mainstream', 'ASD', 'Preston', 'Central'),"
        # a meeting recorded before the start, then one on the start day and two on one later day
        "('early', '2023-06-15', null, 10, 'special', 'SLCN', 'Burnley', 'East'),"
        # ceased, with a meeting after it ceased (ignored: the plan is not active then)
        "('ceased', '2022-09-01', '2024-03-31', 15, 'post16', 'SEMH', 'Preston', 'Central'),"
        # birthday on 31 December: the age band changes a day after the last day of a year
        "('birthday', '2022-12-31', null, 4, 'mainstream', 'ASD', 'Burnley', 'East')"
    )
    connection.execute(
        "create table annual_reviews (plan_id varchar, review_meeting_date date, decision varchar, "
        "decision_date date, amended_plan_issued_date date, phase_transfer boolean)"
    )
    connection.execute(
        "insert into annual_reviews values "
        "('early', '2023-01-10', 'maintain', '2023-01-20', null, false),"
        "('early', '2023-06-15', 'amend', '2023-07-20', '2023-09-01', false),"
        "('early', '2024-06-20', 'maintain', '2024-07-18', null, true),"
        "('early', '2024-06-20', 'amend', '2024-07-19', null, true),"
        "('ceased', '2023-08-31', 'maintain', '2023-09-28', null, true),"
        "('ceased', '2024-05-02', 'amend', '2024-05-20', '2024-09-01', false),"  # after it ceased; amended late
        "('ceased', '2024-06-01', 'cease', '2024-06-10', null, true),"
        "('birthday', '2023-01-10', 'amend', '2023-01-20', '2023-02-10', true),"
        "('birthday', '2023-12-30', 'amend', '2024-01-30', '2024-03-20', null),"
        "('nobody', '2024-01-01', 'maintain', '2024-01-02', null, true)"  # not a plan: left out
    )
    plan_aggregates.build(connection)
    yield connection
    connection.close()


@pytest.mark.parametrize("by", ["all", "age_group", "placement_type"])
def test_every_day_of_three_years_counts_as_the_records_do(edge_cases, by):
    days = [date(2022, 8, 1) + timedelta(days=n) for n in range(3 * 366)]
    params = {**NO_FILTERS, "days": days, "by": by}
    active = same(edge_cases, "plans_active", params)
    overdue = same(edge_cases, "plans_overdue_reviews", params)
    # By hand: 'never' is due 28 February 2025 (a year after 29 February 2024) and overdue from 1 March;
    # 'birthday' last met on 30 December 2023, so it is overdue from 31 December 2024; 'early' last met on
    # 20 June 2024 (twice), so it is overdue from 21 June 2025. 'ceased' is not active after 31 March 2024.
    overdue_on = overdue.groupby("day")["overdue"].sum()
    assert [
        overdue_on[pd.Timestamp(d)] for d in ("2024-12-31", "2025-02-28", "2025-03-01", "2025-06-20")
    ] == [
        1,
        1,
        2,
        2,
    ]
    assert overdue_on[pd.Timestamp(2025, 6, 21)] == 3
    assert overdue.groupby("day")["active"].sum()[pd.Timestamp(2024, 4, 1)] == 3
    assert len(active) > 1000


def test_month_ends_and_census_days_are_counted_once(edge_cases):
    # By hand: the spells run from 'ceased' starting on 1 September 2022 to the last meeting, 20 June 2024, so
    # the month ends of September 2022 to June 2024 and the two census days between (the third Thursdays of
    # January 2023 and 2024), which are not month ends.
    assert (census_day(2023), census_day(2024)) == (date(2023, 1, 19), date(2024, 1, 18))
    month_ends = [d.date() for d in pd.date_range("2022-09-30", "2024-06-30", freq="ME")]
    counted = [
        day for (day,) in edge_cases.execute("select day from plan_counted_days order by day").fetchall()
    ]
    assert counted == sorted([*month_ends, date(2023, 1, 19), date(2024, 1, 18)])
    # 18 January 2024: 'early', 'ceased' and 'birthday' are active; 'never' starts on 29 February.
    (active,) = edge_cases.execute(
        "select sum(plans) from plan_day_counts where day = '2024-01-18'"
    ).fetchone()
    assert active == 3


# Periods whole and part months; days before, on and after the meetings' 4 and 12 weeks (mid-month days, and
# days that leave the last months of a period short of their 12 weeks).
TIMELINESS_PERIODS = ((date(2022, 1, 1), date(2025, 12, 31)), (date(2023, 6, 16), date(2024, 6, 20)))
TIMELINESS_AT = (
    date(2023, 9, 28),
    date(2024, 1, 31),
    date(2024, 7, 25),
    date(2024, 8, 1),
    date(2024, 9, 12),
    date(2024, 9, 30),
    date(2025, 10, 31),
)


def test_review_timeliness_counts_as_the_records_do(edge_cases):
    for start, end in TIMELINESS_PERIODS:
        for at in TIMELINESS_AT:
            for chosen in ({}, {"age_groups": ["5 to 10"]}):
                same(
                    edge_cases,
                    "plans_review_timeliness",
                    {**NO_FILTERS, **chosen, "period_start": start, "period_end": end, "at": at},
                )
    columns = [
        "meetings",
        "decisions_due",
        "decided_within_4_weeks",
        "amendments_due",
        "amended_within_12_weeks",
    ]
    whole = {**NO_FILTERS, "period_start": date(2022, 1, 1), "period_end": date(2025, 12, 31)}
    frame = same(edge_cases, "plans_review_timeliness", {**whole, "at": date(2024, 8, 1)})
    # By hand, as at 1 August 2024 (the orphan left out). Months to April 2024 are past their 12 weeks.
    # Jan 2023: 'early' maintained (decided in 10 days), 'birthday' amended (10 days; issued in 31).
    # Jun 2023: 'early' amended, decided in 35 days (late), issued in 78 (on time).
    # Aug 2023: 'ceased' maintained, decided on day 28 (on time). Dec 2023: 'birthday' amended, decided in 31
    # days (late), issued in 81. May 2024: 'ceased' amended (decided in 18 days); its 12 weeks ended on
    # 25 July, and the plan was issued on 1 September (late). Jun 2024: 'ceased' 1 June (decided in 9 days),
    # 'early' twice on 20 June (maintain in 28 days, amend in 29): due on 18 July, the amend's 12 weeks not over.
    assert frame[columns].values.tolist() == [
        [2, 2, 2, 1, 1],
        [1, 1, 0, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 1, 0, 1, 1],
        [1, 1, 1, 1, 0],
        [3, 3, 2, 0, 0],
    ]
    # 12 September 2024 is 12 weeks after 20 June: the amend decided then is due, with no plan issued.
    frame = same(edge_cases, "plans_review_timeliness", {**whole, "at": date(2024, 9, 12)})
    assert frame[columns].values.tolist()[-1] == [3, 3, 2, 1, 0]


@pytest.mark.parametrize("at", [date(2023, 2, 1), date(2024, 2, 1), date(2024, 8, 1), date(2025, 10, 31)])
def test_phase_transfers_count_as_the_records_do(edge_cases, at):
    params = {**NO_FILTERS, "years": [2023, 2024, 2025], "at": at}
    frame = same(edge_cases, "plans_phase_transfers", params)
    if at == date(2025, 10, 31):
        # By hand. 2023: 'birthday' turns 4 by 31 August 2023 (4 at its start on 31 December 2022), named on
        # 10 February, before 15 February. 2024: 'early' turns 11, named on 18 July (maintained; the amend
        # has no plan issued), late; 'ceased' turns 16 and is still active on 15 February 2024, never named.
        # 2025: 'never' turns 4, no review.
        assert frame[
            ["transfer_year", "phase", "due", "named_on_time", "named_late", "not_named"]
        ].values.tolist() == [
            [2023, "reception", 1, 1, 0, 0],
            [2024, "year_7", 1, 0, 1, 0],
            [2024, "post_16", 1, 0, 0, 1],
            [2025, "reception", 1, 0, 0, 1],
        ]


FILTERS = [
    {},
    {"districts": ["Preston"]},
    {"needs": ["ASD", "SEMH"]},
    {"age_groups": ["11 to 15"]},
    {"localities": ["East"], "age_groups": ["5 to 10", "16 to 19"]},
]


@pytest.mark.parametrize("chosen", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_the_sample_counts_as_the_records_do(sample_store, chosen):
    connection = sample_store.connection.cursor()
    at = sample_store.as_of
    month_ends = [d.date() for d in pd.date_range("2019-01-31", at, freq="ME")] + [at]
    params = {**NO_FILTERS, **chosen}
    census_days = [census_day(year) for year in range(2019, at.year + 1)]
    for by in ("all", "age_group", "district"):
        same(connection, "plans_active", {**params, "days": month_ends[::6] + census_days + [at], "by": by})
    same(connection, "plans_overdue_reviews", {**params, "days": month_ends, "by": "all"})
    same(connection, "plans_overdue_reviews", {**params, "days": [at], "by": "placement_type"})
    same(connection, "plans_phase_transfers", {**params, "years": list(range(2019, at.year + 2)), "at": at})
    for days_before in (0, 20, 70):  # the 4 and 12 weeks of the last months over or not
        same(
            connection,
            "plans_review_timeliness",
            {
                **params,
                "period_start": date(2019, 1, 1),
                "period_end": at,
                "at": at - timedelta(days=days_before),
            },
        )
