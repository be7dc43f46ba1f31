-- Annual review meetings by month of the meeting, $period_start to $period_end (and not after $at): how many
-- were held; of those whose four weeks (28 days) were over by $at, how many had their decision notified
-- within them (a decision still pending is late); of those decided 'amend' whose 12 weeks (84 days) were
-- over by $at, how many had the amended plan finalised within them. Scope: the plan's district and need,
-- and the age at the meeting. Reviews whose plan_id is not a plan are left out.
-- Built once per data version (dashboard/build/plan_aggregates.py): review_month_facts counts each month's
-- meetings by scope and age group, with those decided within four weeks and those amended within 12. A month
-- wholly in the period whose every meeting's 12 weeks are over by $at (so are its four weeks) is read from it:
-- every meeting of it is then due, every amendment too, and whether each was on time no longer depends on
-- $at. The other meetings (a part month at either end of the period, and the last months, whose 12 weeks
-- may not be over) are counted one by one from review_facts, which holds each review of a plan with the
-- plan's scope and the age group at the meeting, sorted by meeting, so the two date ranges read only their
-- own rows. The months read from the counts run from first_whole_month($period_start) to the last month whose
-- last day is on or before both $period_end and $at - 84 (sql/macros.sql); the bounds are written out in each
-- WHERE so DuckDB folds them to constants and skips the row groups of review_facts outside them.
with reviews as (
    -- before the first month read from the counts
    select meeting, decision, decision_date, amended_plan_issued_date, plan_scope, age_group
    from review_facts
    where meeting between $period_start
        and least(cast($period_end as date), cast($at as date), first_whole_month($period_start) - 1)

    union all

    -- after the last month read from the counts (with none, from the first whole month on)
    select meeting, decision, decision_date, amended_plan_issued_date, plan_scope, age_group
    from review_facts
    where meeting between greatest(
            first_whole_month($period_start),
            last_day(last_whole_month(least(cast($period_end as date), cast($at as date) - 84))) + 1
        )
        and least(cast($period_end as date), cast($at as date))
),

counted as (
    select
        cast(date_trunc('month', meeting) as date) as month,
        plan_scope,
        age_group,
        count(*) as meetings,
        count(*) filter (where meeting + 28 <= $at) as decisions_due,
        count(*) filter (where meeting + 28 <= $at and decision_date <= meeting + 28) as decided_within_4_weeks,
        count(*) filter (where decision = 'amend' and meeting + 84 <= $at) as amendments_due,
        count(*) filter (where decision = 'amend' and meeting + 84 <= $at and amended_plan_issued_date <= meeting + 84)
            as amended_within_12_weeks
    from reviews
    group by all

    union all

    select
        m.month,
        m.plan_scope,
        m.age_group,
        m.meetings,
        m.meetings,
        m.decided_within_4_weeks,
        m.amendments,
        m.amended_within_12_weeks
    from review_month_facts as m
    where m.month between first_whole_month($period_start)
        and last_whole_month(least(cast($period_end as date), cast($at as date) - 84))
),

final as (
    select
        c.month,
        cast(sum(c.meetings) as bigint) as meetings,
        cast(sum(c.decisions_due) as bigint) as decisions_due,
        cast(sum(c.decided_within_4_weeks) as bigint) as decided_within_4_weeks,
        cast(sum(c.amendments_due) as bigint) as amendments_due,
        cast(sum(c.amended_within_12_weeks) as bigint) as amended_within_12_weeks
    from counted as c
    inner join plan_scopes as s on s.plan_scope = c.plan_scope
    where in_scope(s.locality, s.district, s.primary_need, c.age_group, $localities, $districts, $needs, $age_groups)
    group by c.month
)

select * from final order by month
