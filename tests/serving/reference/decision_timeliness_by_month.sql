-- Reference for queries/decision_timeliness_by_month.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month of decision between $period_start and $period_end: decisions on whether to assess
-- made in scope, and how many within six weeks (42 days) of the request.
with decisions as (
    select decision_month as month, days_to_decision <= 42 as within_6_weeks
    from ehcp_requests
    where decision in ('assess', 'not_assess')
      and decision_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select month, count(*) as decisions, count(*) filter (where within_6_weeks) as within_6_weeks
    from decisions
    group by month
)

select * from final order by month
