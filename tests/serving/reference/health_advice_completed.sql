-- Reference for queries/health_advice_completed.sql: the record-level SQL it ran before it read the tables health_aggregates.py builds.
-- Health and social care advice completed from $period_start to $period_end (by completed_date), by month of
-- completion, service and provider: how many, and how many within six weeks (42 days) of the request (day 42
-- is within, day 43 late). The shared filters apply through the EHC request the advice is for; with none set,
-- advice for a request missing from the requests extract counts too (in_scope is true on empty lists).
select
    cast(date_trunc('month', a.completed_date) as date) as month,
    a.service,
    a.provider,
    cast(count(*) as bigint) as completed,
    cast(count(*) filter (where a.completed_date - a.requested_date <= 42) as bigint) as within_6_weeks
from advice_requests as a
left join ehcp_requests as r on r.request_id = a.request_id
where a.status = 'completed'
  and a.completed_date between $period_start and $period_end
  and in_scope(r.locality, r.district, r.primary_need, r.age_group, $localities, $districts, $needs, $age_groups)
  and in_request_scope(r.request_source, r.placement_type, $sources, $placements)
group by all
order by month, a.service, a.provider
