-- Reference for the caseload, the `active` column of queries/plans_overdue_reviews.sql (plans_active.sql until it was folded into it): the record-level SQL it ran before it read the tables plan_aggregates.py builds.
-- Active EHC plans (maintained: started and not ceased) on each of $days, by $by ('placement_type',
-- 'primary_need', 'district', 'locality' or 'age_group', the age at the day; anything else gives 'All').
-- Area, need and age-group filters apply to the plan (its district, primary need and age at the day).
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
        plan_age(p.age_at_start, p.start_date, d.day) as age
    from days as d
    inner join ehcp_plans as p on plan_active_on(p.start_date, p.ceased_date, d.day)
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
