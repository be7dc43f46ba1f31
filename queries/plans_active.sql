-- Active EHC plans (maintained: started and not ceased) on each of $days, by $by ('placement_type',
-- 'primary_need', 'district', 'locality' or 'age_group', the age at the day; anything else gives 'All').
-- Area, need and age-group filters apply to the plan (its district, primary need and age at the day).
-- review_spells (dashboard/build/plan_aggregates.py) cuts each plan's life into spells that do not overlap,
-- so a plan active on a day is in exactly one spell that holds it (since <= day < until). plan_scopes names
-- the plan's placement, need and area.
with days as (
    select distinct unnest(cast($days as date[])) as day
),

active as (
    select
        d.day,
        p.placement_type,
        p.primary_need,
        p.district,
        p.locality,
        spell_age(s.age_base, s.start_md, d.day) as age
    from days as d
    inner join review_spells as s on s.since <= d.day and s.until > d.day
    inner join plan_scopes as p on p.plan_scope = s.plan_scope
),

final as (
    select
        day,
        plan_breakdown($by, placement_type, primary_need, district, locality, age) as breakdown,
        count(*) as active
    from active
    where in_scope(locality, district, primary_need, age_band(age), $localities, $districts, $needs, $age_groups)
    group by all
)

select * from final order by day, breakdown
