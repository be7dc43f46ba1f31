-- Reference for queries/breakdown.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per category of $dimension (district, locality, primary_need, age_group, placement_type,
-- request_source): requests received and plans issued between $period_start and $period_end, plans
-- within 20 weeks (including and excluding exceptions), and cases open and overdue at $at, in scope.
with scoped as (
    select
        case $dimension
            when 'district' then district
            when 'locality' then locality
            when 'primary_need' then coalesce(primary_need, 'Not yet known')
            when 'age_group' then age_group
            when 'placement_type' then coalesce(placement_type, 'No plan issued')
            when 'request_source' then request_source
        end as category,
        received_date between $period_start and $period_end as received_in_period,
        outcome = 'plan_issued' and plan_issued_date between $period_start and $period_end as issued_in_period,
        days_to_plan <= 140 as within_20_weeks,
        not coalesce(exception_20wk, false) as no_exception,
        is_open_at(received_date, closed_on, $at) as open_now,
        $at - received_date > 140 as waited_over_20_weeks
    from ehcp_requests
    where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select
        category,
        count(*) filter (where received_in_period) as requests_received,
        count(*) filter (where issued_in_period) as plans_issued,
        count(*) filter (where issued_in_period and within_20_weeks) as within_20_weeks,
        count(*) filter (where issued_in_period and no_exception) as plans_issued_ex,
        count(*) filter (where issued_in_period and no_exception and within_20_weeks) as within_20_weeks_ex,
        count(*) filter (where open_now) as open_cases,
        count(*) filter (where open_now and waited_over_20_weeks) as overdue
    from scoped
    group by category
)

select * from final order by category
