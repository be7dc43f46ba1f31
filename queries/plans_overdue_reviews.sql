-- Active plans and annual reviews overdue on each of $days, by $by (placement_type, primary_need, district,
-- locality or age_group, the age at the day; anything else gives 'All'): of the plans active on the day, those
-- whose last review meeting on or before it (or, with none, the plan's start) was more than 12 calendar
-- months before it, and how long past those 12 months (up to 3 months, 3 to 6, 6 to 12, over 12).
-- Reviews whose plan_id is not a plan are left out (the loader warns of them).
-- Built once per data version (dashboard/build/plan_aggregates.py): review_spells holds each plan's life cut
-- at its review meetings, with the day the next review is due and the days it becomes 3, 6 and 12 months
-- overdue, so on a day each active plan is in exactly one spell (since <= day < until); plan_day_counts has
-- those counted on each day of plan_counted_days (every month end the plans span and every January census
-- day among them). A counted day is read from it, any other day counted from the spells; plan_scopes names
-- the plan's placement, need and area.
with days as (
    select day, day in (select c.day from plan_counted_days as c) as counted
    from (select distinct unnest(cast($days as date[])) as day)
),

counted as (
    select m.day, m.plan_scope, m.age_group, m.overdue_by, m.plans
    from plan_day_counts as m
    where m.day in (select day from days where counted)

    union all

    select
        d.day,
        s.plan_scope,
        age_band(spell_age(s.age_base, s.start_md, d.day)),
        overdue_by(d.day, s.due_date, s.due_3_months, s.due_6_months, s.due_12_months),
        1
    from days as d
    inner join review_spells as s on s.since <= d.day and s.until > d.day
    where not d.counted
),

final as (
    select
        c.day,
        plan_group($by, p.placement_type, p.primary_need, p.district, p.locality, c.age_group) as breakdown,
        -- overdue_by (sql/macros.sql): 0 not overdue, 1 up to 3 months, 2 3 to 6, 3 6 to 12, 4 over 12
        cast(sum(c.plans) as bigint) as active,
        cast(coalesce(sum(c.plans) filter (where c.overdue_by > 0), 0) as bigint) as overdue,
        cast(coalesce(sum(c.plans) filter (where c.overdue_by = 1), 0) as bigint) as overdue_up_to_3_months,
        cast(coalesce(sum(c.plans) filter (where c.overdue_by = 2), 0) as bigint) as overdue_3_to_6_months,
        cast(coalesce(sum(c.plans) filter (where c.overdue_by = 3), 0) as bigint) as overdue_6_to_12_months,
        cast(coalesce(sum(c.plans) filter (where c.overdue_by = 4), 0) as bigint) as overdue_over_12_months
    from counted as c
    inner join plan_scopes as p on p.plan_scope = c.plan_scope
    where in_scope(p.locality, p.district, p.primary_need, c.age_group, $localities, $districts, $needs, $age_groups)
    group by all
)

select * from final order by day, breakdown
