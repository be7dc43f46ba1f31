-- One row: requests for an EHC needs assessment received between $start and $end, in scope.
with requests as (
    select *
    from ehcp_requests
    where received_date between $start and $end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select count(*) as requests_received
    from requests
)

select * from final
