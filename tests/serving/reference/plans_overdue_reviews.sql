-- Reference for queries/plans_overdue_reviews.sql: the record-level SQL it ran before it read the tables plan_aggregates.py builds.
-- Annual reviews overdue on each of $days, by $by (as plans_active): of the plans active on the day, those
-- whose last review meeting on or before it (or, with none, the plan's start) was more than 12 calendar
-- months before it, and how long past those 12 months (up to 3 months, 3 to 6, 6 to 12, over 12).
-- Reviews whose plan_id is not a plan are left out (the loader warns of them).
with days as (
    select distinct unnest(cast($days as date[])) as day
),

active as (
    select
        d.day,
        p.plan_id,
        p.start_date,
        p.placement_type,
        p.primary_need,
        p.district,
        p.locality,
        plan_age(p.age_at_start, p.start_date, d.day) as age
    from days as d
    inner join ehcp_plans as p on plan_active_on(p.start_date, p.ceased_date, d.day)
    where in_scope(p.locality, p.district, p.primary_need, age_band(plan_age(p.age_at_start, p.start_date, d.day)),
                   $localities, $districts, $needs, $age_groups)
),

last_review as (
    select a.day, a.plan_id, max(r.review_meeting_date) as last_meeting
    from active as a
    inner join annual_reviews as r on r.plan_id = a.plan_id and r.review_meeting_date <= a.day
    group by all
),

due as (
    select
        a.*,
        cast(coalesce(l.last_meeting, a.start_date) + interval 12 month as date) as due_date
    from active as a
    left join last_review as l on l.day = a.day and l.plan_id = a.plan_id
),

final as (
    select
        day,
        plan_breakdown($by, placement_type, primary_need, district, locality, age) as breakdown,
        count(*) as active,
        count(*) filter (where day > due_date) as overdue,
        count(*) filter (where day > due_date and day <= cast(due_date + interval 3 month as date))
            as overdue_up_to_3_months,
        count(*) filter (where day > cast(due_date + interval 3 month as date)
                           and day <= cast(due_date + interval 6 month as date)) as overdue_3_to_6_months,
        count(*) filter (where day > cast(due_date + interval 6 month as date)
                           and day <= cast(due_date + interval 12 month as date)) as overdue_6_to_12_months,
        count(*) filter (where day > cast(due_date + interval 12 month as date)) as overdue_over_12_months
    from due
    group by all
)

select * from final order by day, breakdown
