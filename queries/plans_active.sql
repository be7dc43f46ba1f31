-- Active EHC plans (maintained: started and not ceased) on each of $days, by $by ('placement_type',
-- 'primary_need', 'district', 'locality' or 'age_group', the age at the day; anything else gives 'All').
-- Area, need and age-group filters apply to the plan (its district, primary need and age at the day).
-- Built once per data version (dashboard/build/plan_aggregates.py): plan_day_counts has the plans active on
-- each day of plan_counted_days (every month end the plans span and every January census day among them)
-- counted by scope and age group (and how overdue their review is, summed over here); any other day is
-- counted from review_spells, which cuts each plan's life into spells that do not overlap, so a plan active
-- on a day is in exactly one spell that holds it (since <= day < until). plan_scopes names the plan's
-- placement, need and area.
with days as (
    select day, day in (select c.day from plan_counted_days as c) as counted
    from (select distinct unnest(cast($days as date[])) as day)
),

active as (
    select m.day, m.plan_scope, m.age_group, m.plans
    from plan_day_counts as m
    where m.day in (select day from days where counted)

    union all

    select d.day, s.plan_scope, age_band(spell_age(s.age_base, s.start_md, d.day)), 1
    from days as d
    inner join review_spells as s on s.since <= d.day and s.until > d.day
    where not d.counted
),

final as (
    select
        a.day,
        plan_group($by, p.placement_type, p.primary_need, p.district, p.locality, a.age_group) as breakdown,
        cast(sum(a.plans) as bigint) as active
    from active as a
    inner join plan_scopes as p on p.plan_scope = a.plan_scope
    where in_scope(p.locality, p.district, p.primary_need, a.age_group, $localities, $districts, $needs, $age_groups)
    group by all
)

select * from final order by day, breakdown
