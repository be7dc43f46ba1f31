-- One row per month (received) and category of $dimension (request_source, district, locality,
-- primary_need, age_group): requests received between $period_start and $period_end in scope.
-- The period's whole months are counted from cube_received, any other days from the requests.
with requests as (
    select received_month as month, locality, district, primary_need, age_group, request_source, requests
    from cube_received
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, $dimension)
      and received_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select received_month, locality, district, primary_need, age_group, request_source, 1
    from ehcp_requests
    where in_part_month(received_date, $period_start, $period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

categorised as (
    select
        month,
        case $dimension
            when 'request_source' then request_source
            when 'district' then district
            when 'locality' then locality
            when 'primary_need' then coalesce(primary_need, 'Not yet known')
            when 'age_group' then age_group
        end as category,
        requests
    from requests
),

final as (
    select month, category, cast(sum(requests) as bigint) as requests
    from categorised
    group by all
)

select * from final order by month, category
