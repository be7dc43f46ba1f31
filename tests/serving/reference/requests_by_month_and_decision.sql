-- Reference for queries/requests_by_month_and_decision.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month (received), decision and assessment outcome: requests received between $period_start
-- and $period_end in scope. Requests received, decisions by month and the request-to-plan funnel all
-- add these rows up, so they cannot disagree. Combinations with no requests are absent.
with requests as (
    select received_month as month, decision, outcome
    from ehcp_requests
    where received_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select month, decision, outcome, count(*) as requests
    from requests
    group by all
)

select * from final order by month, decision, outcome
