-- One row per district and primary need with open cases at $at that will pass 20 weeks (140 days)
-- within the next 4 weeks, or within the next 8 weeks (which includes the first 4), unless a plan is
-- issued first. Counts only: no child-level detail.
with open_requests as (
    select district, coalesce(primary_need, 'Not yet known') as primary_need, $at - received_date as days_waited
    from ehcp_requests
    where is_open_at(received_date, closed_on, $at)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select
        district,
        primary_need,
        count(*) filter (where days_waited + 28 > 140) as breach_within_4_weeks,
        count(*) as breach_within_8_weeks
    from open_requests
    where days_waited <= 140 and days_waited + 56 > 140
    group by all
)

select * from final order by breach_within_8_weeks desc, district, primary_need
