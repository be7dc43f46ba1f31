-- Reference for queries/requests_by_month_and_category.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month (received) and category of $dimension (request_source, district, locality,
-- primary_need, age_group): requests received between $period_start and $period_end in scope.
with requests as (
    select
        received_month as month,
        case $dimension
            when 'request_source' then request_source
            when 'district' then district
            when 'locality' then locality
            when 'primary_need' then coalesce(primary_need, 'Not yet known')
            when 'age_group' then age_group
        end as category
    from ehcp_requests
    where received_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select month, category, count(*) as requests
    from requests
    group by all
)

select * from final order by month, category
