-- Annual reviews overdue on each of $days, by $by (as plans_active): of the plans active on the day, those
-- whose last review meeting on or before it (or, with none, the plan's start) was more than 12 calendar
-- months before it, and how long past those 12 months (up to 3 months, 3 to 6, 6 to 12, over 12).
-- Reviews whose plan_id is not a plan are left out (the loader warns of them).
-- review_spells (dashboard/build/plan_aggregates.py) holds each plan's life cut at its review meetings, with
-- the day the next review is due and the days it becomes 3, 6 and 12 months overdue: on a day, each active
-- plan is in exactly one spell (since <= day < until). plan_scopes names the plan's placement, need and area.
with days as (
    select day, year(day) as day_year, month(day) * 100 + day(day) as day_md
    from (select distinct unnest(cast($days as date[])) as day)
),

due as (
    select
        d.day,
        s.due_date,
        s.due_3_months,
        s.due_6_months,
        s.due_12_months,
        p.placement_type,
        p.primary_need,
        p.district,
        p.locality,
        -- plan_age() on the day
        s.age_base + d.day_year - case when d.day_md < s.start_md then 1 else 0 end as age
    from days as d
    inner join review_spells as s on s.since <= d.day and s.until > d.day
    inner join plan_scopes as p on p.plan_scope = s.plan_scope
),

final as (
    select
        day,
        plan_breakdown($by, placement_type, primary_need, district, locality, age) as breakdown,
        count(*) as active,
        count(*) filter (where day > due_date) as overdue,
        count(*) filter (where day > due_date and day <= due_3_months) as overdue_up_to_3_months,
        count(*) filter (where day > due_3_months and day <= due_6_months) as overdue_3_to_6_months,
        count(*) filter (where day > due_6_months and day <= due_12_months) as overdue_6_to_12_months,
        count(*) filter (where day > due_12_months) as overdue_over_12_months
    from due
    where in_scope(locality, district, primary_need, age_band(age), $localities, $districts, $needs, $age_groups)
    group by all
)

select * from final order by day, breakdown
