-- One row per month from $period_start to $period_end: requests received, plans issued and plans
-- issued within 20 weeks (including exceptions), in scope. Months with no activity show zeros.
with months as (
    select cast(unnest(generate_series(date_trunc('month', $period_start), $period_end, interval 1 month)) as date)
        as month
),

scoped as (
    select received_date, received_month, outcome, plan_issued_date, issued_month, days_to_plan
    from ehcp_requests
    where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

received as (
    select received_month as month, count(*) as requests_received
    from scoped
    where received_date between $period_start and $period_end
    group by 1
),

issued as (
    select
        issued_month as month,
        count(*) as plans_issued,
        count(*) filter (where days_to_plan <= 140) as within_20_weeks
    from scoped
    where outcome = 'plan_issued' and plan_issued_date between $period_start and $period_end
    group by 1
),

final as (
    select
        m.month,
        coalesce(r.requests_received, 0) as requests_received,
        coalesce(i.plans_issued, 0) as plans_issued,
        coalesce(i.within_20_weeks, 0) as within_20_weeks
    from months m
    left join received r on r.month = m.month
    left join issued i on i.month = m.month
)

select * from final order by month
