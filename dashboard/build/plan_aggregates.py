"""Tables built once per data version from the EHC plans and annual reviews, so the plans queries read a
period's rows instead of joining every plan to every review on each rerun.

At ten million rows (`--scale 55`: 1.3 million plans, 5.3 million reviews) the record-level queries took
8 to 57 s (overdue reviews), 0.6 s (review timeliness) and 0.4 s (phase transfers) a run.

- review_spells: each plan's maintained life cut at each annual review meeting, one row per spell
  [since, until): a plan is maintained on a day when exactly one of its spells holds it (since <= day < until),
  and that spell's last meeting is the plan's last review meeting on or before the day (or, before any
  meeting, its start date, or a meeting recorded before the start), so it carries the day the next review is
  due and the days it becomes 3, 6 and 12 months overdue. Spells are sorted by until. The plan's age on a day
  is spell_age(age_base, start_md, day) (sql/macros.sql), as plan_age() works it.
- plan_counted_days and plan_day_counts: every month end the plans span and every January census day
  (dates.census_day) among them, and the plans active on each, counted by scope, age group and how overdue
  their review is. The caseload, the overdue trend and the Overview tiles ask for these days.
- review_facts: each review of a plan in the plans extract, with the plan's scope and the age group at the
  meeting, sorted by meeting.
- review_month_facts: review meetings by month, scope and age group, with those decided within four weeks and
  those decided 'amend' finalised within 12 (plans_review_timeliness reads the months whose 12 weeks are over).
- phase_transfer_due and phase_transfer_named: each plan in each year it is due to change phase (aged 4, 11 or
  16 on 31 August), and the day each phase-transfer review held in that school year named the new placement.
- plan_scopes: each combination of placement, need, district and locality among the plans, numbered; the
  other tables carry the number (plan_scope), which is far cheaper to write than the text, and the queries
  join this small table to name it.

Every one keeps what the record-level SQL counts: reviews whose plan_id is not a plan are left out, and dates
are worked with the same month arithmetic (tests/build/test_plan_aggregates.py compares them with it).
"""

from __future__ import annotations

import duckdb

from dashboard.dates import census_day

_NEVER = "date '9999-12-31'"


def build(conn: duckdb.DuckDBPyConnection) -> None:
    """Create plan_scopes, review_spells, plan_counted_days, plan_day_counts, review_facts, review_month_facts
    and the phase-transfer tables from ehcp_plans and annual_reviews."""
    conn.execute(
        "create or replace table plan_scopes as "
        "select row_number() over (order by placement_type, primary_need, district, locality) as plan_scope, "
        "placement_type, primary_need, district, locality "
        "from (select distinct placement_type, primary_need, district, locality from ehcp_plans)"
    )
    conn.execute(
        "create or replace temp table _plans as select p.rowid as plan_row, p.plan_id, p.start_date, "
        "p.ceased_date, p.age_at_start, s.plan_scope from ehcp_plans as p inner join plan_scopes as s "
        "on s.placement_type is not distinct from p.placement_type and s.primary_need is not distinct from "
        "p.primary_need and s.district is not distinct from p.district and s.locality is not distinct from p.locality"
    )
    conn.execute(
        "create or replace temp table _meetings as "
        "select p.plan_row, r.review_meeting_date as meeting, p.start_date "
        "from annual_reviews as r inner join _plans as p on p.plan_id = r.plan_id "
        "where r.review_meeting_date is not null"
    )
    # A spell starts at the plan's start (its last meeting the latest recorded before the start, if any, else
    # the start) and at each meeting on or after the start. Two starts on one day make an empty spell
    # [day, day), which holds no day; ordering by last meeting too makes the one that holds the day the one
    # whose last meeting is the later, as max(meeting) <= day would have it.
    conn.execute(
        f"""
        create or replace table review_spells as
        with before_start as (
            select plan_row, max(meeting) as meeting
            from _meetings
            where meeting < start_date
            group by plan_row
        ),
        starts as (
            select p.plan_row, p.start_date as since, coalesce(b.meeting, p.start_date) as last_meeting
            from _plans as p
            left join before_start as b on b.plan_row = p.plan_row
            where p.start_date is not null
            union all
            select plan_row, meeting, meeting
            from _meetings
            where meeting >= start_date
        ),
        spells as (
            select
                plan_row,
                since,
                last_meeting,
                lead(since) over (partition by plan_row order by since, last_meeting) as next_since
            from starts
        ),
        dated as (
            select
                s.since,
                least(coalesce(s.next_since, {_NEVER}), coalesce(p.ceased_date, {_NEVER})) as until,
                cast(s.last_meeting + interval 12 month as date) as due_date,
                p.age_at_start - year(p.start_date) as age_base,
                month(p.start_date) * 100 + day(p.start_date) as start_md,
                p.plan_scope
            from spells as s
            inner join _plans as p on p.plan_row = s.plan_row
        )
        select
            since,
            until,
            due_date,
            cast(due_date + interval 3 month as date) as due_3_months,
            cast(due_date + interval 6 month as date) as due_6_months,
            cast(due_date + interval 12 month as date) as due_12_months,
            age_base,
            start_md,
            plan_scope
        from dated
        where since < until
        order by until
        """  # noqa: S608
    )
    # Every plan's state at every month end from its first to the month of the last start or meeting, and on
    # every January census day (dates.census_day) among them, counted once by scope, age group and how overdue
    # its review is (overdue_by, sql/macros.sql): the overdue trend and the Overview tile ask for month ends,
    # the caseload for census days, and counting them from the spells on each run meant about 70 million
    # plan-days over all history at national scale. plan_counted_days lists the days counted, so a query
    # tells a counted day from another by looking it up, not by its date.
    bounds = conn.execute(
        f"select min(since), greatest(max(since), max(until) filter (where until < {_NEVER})) from review_spells"  # noqa: S608
    ).fetchone()
    first, last = bounds if bounds and bounds[0] is not None else (None, None)
    census_days = [census_day(year) for year in range(first.year, last.year + 1)] if first else []
    conn.execute(
        """
        create or replace table plan_counted_days as
        with month_ends as (
            select last_day(cast(month as date)) as day
            from (
                select unnest(generate_series(date_trunc('month', cast($first as date)),
                                              date_trunc('month', cast($last as date)), interval 1 month)) as month
            )
        )
        select day from month_ends
        union
        select day from (select unnest(cast($census_days as date[])) as day)
        where day between cast($first as date) and last_day(cast($last as date))
        order by day
        """,
        {"first": first, "last": last, "census_days": census_days},
    )
    conn.execute(
        """
        create or replace table plan_day_counts as
        select
            d.day,
            s.plan_scope,
            age_band(spell_age(s.age_base, s.start_md, d.day)) as age_group,
            overdue_by(d.day, s.due_date, s.due_3_months, s.due_6_months, s.due_12_months) as overdue_by,
            count(*) as plans
        from plan_counted_days as d
        inner join review_spells as s on s.since <= d.day and s.until > d.day
        group by all
        order by day
        """
    )
    # Reviews sorted by meeting, so a query reads a few months' meetings without scanning them all.
    conn.execute(
        """
        create or replace table review_facts as
        select
            r.review_meeting_date as meeting,
            r.decision,
            r.decision_date,
            r.amended_plan_issued_date,
            p.plan_scope,
            age_band(plan_age(p.age_at_start, p.start_date, r.review_meeting_date)) as age_group
        from annual_reviews as r
        inner join _plans as p on p.plan_id = r.plan_id
        where r.review_meeting_date is not null
        order by meeting
        """
    )
    # Review meetings counted by month, scope and age group, with how many were decided within four weeks and
    # how many decided 'amend' were finalised within 12: neither depends on the day asked about once every
    # meeting of the month is 12 weeks past, since the decision and the amended plan then fall on or before
    # that day. plans_review_timeliness reads those months from here and counts the others from review_facts.
    conn.execute(
        """
        create or replace table review_month_facts as
        select
            cast(date_trunc('month', meeting) as date) as month,
            plan_scope,
            age_group,
            count(*) as meetings,
            count(*) filter (where decision_date <= meeting + 28) as decided_within_4_weeks,
            count(*) filter (where decision = 'amend') as amendments,
            count(*) filter (where decision = 'amend' and amended_plan_issued_date <= meeting + 84)
                as amended_within_12_weeks
        from review_facts
        group by all
        order by month
        """
    )
    # Phase transfers: the school year (its September) each plan turns 4, 11 and 16 by 31 August, as plan_age()
    # works the age on that day (age_base + year, less one when 31 August falls before the start's day of the
    # year), kept only where the plan started by 15 February of it, the latest day it could be counted active.
    conn.execute(
        """
        create or replace table phase_transfer_due as
        with due as (
            select
                p.plan_row,
                a.age,
                a.age - (p.age_at_start - year(p.start_date))
                    + case when 831 < month(p.start_date) * 100 + day(p.start_date) then 1 else 0 end
                    as transfer_year,
                p.start_date,
                p.ceased_date,
                p.plan_scope
            from _plans as p
            cross join (select unnest([4, 11, 16]) as age) as a
            where p.start_date is not null and p.age_at_start is not null
        )
        select * from due where start_date <= make_date(transfer_year, 2, 15) order by transfer_year
        """
    )
    # Each phase-transfer review held in a plan's transfer school year (1 September to 31 August), with the day it
    # named the new placement (the amended plan's issue, or the decision to maintain) and the day that was known.
    conn.execute(
        """
        create or replace table phase_transfer_named as
        select
            d.transfer_year,
            d.plan_row,
            case
                when r.decision = 'amend' then r.amended_plan_issued_date
                when r.decision = 'maintain' then r.decision_date
            end as named_on,
            coalesce(r.amended_plan_issued_date, r.decision_date) as known_on
        from annual_reviews as r
        inner join _plans as p on p.plan_id = r.plan_id
        inner join phase_transfer_due as d
            on d.plan_row = p.plan_row
            and r.review_meeting_date between make_date(d.transfer_year - 1, 9, 1) and make_date(d.transfer_year, 8, 31)
        where r.phase_transfer
        order by d.transfer_year
        """
    )
    conn.execute("drop table _meetings")
    conn.execute("drop table _plans")
