-- Reference for queries/advice_bottleneck.sql: the record-level SQL it ran before it read the tables health_aggregates.py builds.
-- For EHC plans issued from $period_start to $period_end, by month of issue: plans issued, those issued after
-- 20 weeks (140 days from the request), and of those how many had late EP, late health and late social care
-- advice (each input's slowest completed advice for the request took more than 42 days; a plan can have
-- several late inputs), and how many had none late. All shared filters apply through the EHC request.
with plans as (
    select request_id, issued_month as month, days_to_plan > 140 as issued_late
    from ehcp_requests
    where outcome = 'plan_issued'
      and plan_issued_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

ep as (
    select request_id, max(completed_date - requested_date) > 42 as late_ep
    from ep_assessments
    where status = 'completed'
    group by request_id
),

other as (
    select
        request_id,
        coalesce(max(completed_date - requested_date) filter (where service <> 'social_care') > 42, false)
            as late_health,
        coalesce(max(completed_date - requested_date) filter (where service = 'social_care') > 42, false)
            as late_social_care
    from advice_requests
    where status = 'completed'
    group by request_id
),

months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

counted as (
    select
        p.month,
        count(*) as plans_issued,
        count(*) filter (where p.issued_late) as issued_late,
        count(*) filter (where p.issued_late and coalesce(ep.late_ep, false)) as late_with_late_ep,
        count(*) filter (where p.issued_late and coalesce(o.late_health, false)) as late_with_late_health,
        count(*) filter (where p.issued_late and coalesce(o.late_social_care, false)) as late_with_late_social_care,
        count(*) filter (
            where p.issued_late
              and not coalesce(ep.late_ep, false)
              and not coalesce(o.late_health, false)
              and not coalesce(o.late_social_care, false)
        ) as late_with_no_late_advice
    from plans as p
    left join ep on ep.request_id = p.request_id
    left join other as o on o.request_id = p.request_id
    group by p.month
)

select
    m.month,
    cast(coalesce(c.plans_issued, 0) as bigint) as plans_issued,
    cast(coalesce(c.issued_late, 0) as bigint) as issued_late,
    cast(coalesce(c.late_with_late_ep, 0) as bigint) as late_with_late_ep,
    cast(coalesce(c.late_with_late_health, 0) as bigint) as late_with_late_health,
    cast(coalesce(c.late_with_late_social_care, 0) as bigint) as late_with_late_social_care,
    cast(coalesce(c.late_with_no_late_advice, 0) as bigint) as late_with_no_late_advice
from months as m
left join counted as c on c.month = m.month
order by m.month
