-- Reference for queries/timeliness_by_month.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month of issue between $period_start and $period_end: plans issued in scope, how many
-- within 20 weeks (140 days) including and excluding exception cases, the DfE bands of weeks taken
-- (within 20, over 20 up to 52, over 52), and the mean and median weeks from request to plan.
with issued as (
    select
        issued_month as month,
        days_to_plan as days_taken,
        coalesce(exception_20wk, false) as exception_applies
    from ehcp_requests
    where outcome = 'plan_issued'
      and plan_issued_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select
        month,
        count(*) as plans_issued,
        count(*) filter (where days_taken <= 140) as within_20_weeks,
        count(*) filter (where not exception_applies) as plans_issued_ex,
        count(*) filter (where days_taken <= 140 and not exception_applies) as within_20_weeks_ex,
        count(*) filter (where days_taken > 140 and days_taken <= 364) as over_20_to_52_weeks,
        count(*) filter (where days_taken > 364) as over_52_weeks,
        avg(days_taken) / 7.0 as mean_weeks,
        median(days_taken) / 7.0 as median_weeks
    from issued
    group by month
)

select * from final order by month
