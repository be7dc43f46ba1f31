-- Health and social care advice open at $at: requested on or before it, not cancelled, not completed by it;
-- by service, provider and band of time waited since the request (1: up to 6 weeks, 2: 6 to 12, 3: 12 to 20,
-- 4: over 20 weeks). Filters as in health_advice_completed.
select
    a.service,
    a.provider,
    case
        when cast($at as date) - a.requested_date <= 42 then 1
        when cast($at as date) - a.requested_date <= 84 then 2
        when cast($at as date) - a.requested_date <= 140 then 3
        else 4
    end as band_order,
    cast(count(*) as bigint) as open_advice
from advice_requests as a
left join ehcp_requests as r on r.request_id = a.request_id
where a.requested_date <= cast($at as date)
  and a.status <> 'cancelled'
  and (a.completed_date is null or a.completed_date > cast($at as date))
  and in_scope(r.locality, r.district, r.primary_need, r.age_group, $localities, $districts, $needs, $age_groups)
  and in_request_scope(r.request_source, r.placement_type, $sources, $placements)
group by all
order by a.service, a.provider, band_order
