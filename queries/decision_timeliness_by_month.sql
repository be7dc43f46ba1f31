-- One row per month of decision between $period_start and $period_end: decisions on whether to assess
-- made in scope, and how many within six weeks (42 days) of the request.
-- The period's whole months are counted from cube_decided, any other days from the requests.
with decisions as (
    select decision_month as month, decisions, within_6_weeks
    from cube_decided
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
      and decision_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select decision_month, 1, case when days_to_decision <= 42 then 1 else 0 end
    from ehcp_requests
    where decision in ('assess', 'not_assess')
      and in_part_month(decision_date, $period_start, $period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select
        month,
        cast(sum(decisions) as bigint) as decisions,
        cast(sum(within_6_weeks) as bigint) as within_6_weeks
    from decisions
    group by month
)

select * from final order by month
