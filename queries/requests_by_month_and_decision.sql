-- One row per month (received), decision and assessment outcome: requests received between $period_start
-- and $period_end in scope. Requests received, decisions by month and the request-to-plan funnel all
-- add these rows up, so they cannot disagree. Combinations with no requests are absent.
-- The period's whole months are counted from cube_received, any other days from the requests.
with requests as (
    select received_month as month, decision, outcome, requests
    from cube_received
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
      and received_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select received_month, decision, outcome, 1
    from ehcp_requests
    where in_part_month(received_date, $period_start, $period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select month, decision, outcome, cast(sum(requests) as bigint) as requests
    from requests
    group by all
)

select * from final order by month, decision, outcome
