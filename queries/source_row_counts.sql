-- One row per served table: how many rows the dashboard holds for it now.
with final as (
    select 'ehcp_requests' as table_name, count(*) as rows_served from ehcp_requests
    union all select 'ep_assessments', count(*) from ep_assessments
    union all select 'specialist_places', count(*) from specialist_places
    union all select 'spending', count(*) from spending
    union all select 'ehcp_plans', count(*) from ehcp_plans
    union all select 'annual_reviews', count(*) from annual_reviews
    union all select 'advice_requests', count(*) from advice_requests
    union all select 'neurodevelopmental_waits', count(*) from neurodevelopmental_waits
)

select * from final
