-- Reference for queries/ep_delay_and_twenty_weeks.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month of plan issue from $period_start to $period_end: EHC plans issued, split by how long
-- their EP advice took (late = completed more than 42 days after it was requested; a request with several
-- pieces of EP advice counts its slowest), and how many of each were issued within 20 weeks (140 days)
-- of the request. All four shared filters apply through the EHC request.
with advice as (
    select request_id, max(completed_date - requested_date) as ep_days
    from ep_assessments
    where status = 'completed'
    group by request_id
),

plans as (
    select
        date_trunc('month', r.plan_issued_date) as month,
        r.plan_issued_date - r.received_date <= 140 as within_20_weeks,
        case
            when a.ep_days is null then 'none'
            when a.ep_days > 42 then 'late'
            else 'on_time'
        end as ep_advice
    from ehcp_requests as r
    left join advice as a on a.request_id = r.request_id
    where r.outcome = 'plan_issued'
      and r.plan_issued_date between $period_start and $period_end
      and in_scope(r.locality, r.district, r.primary_need, r.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(r.request_source, r.placement_type, $sources, $placements)
),

months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

counted as (
    select
        month,
        count(*) as plans_issued,
        count(*) filter (where within_20_weeks) as within_20_weeks,
        count(*) filter (where ep_advice = 'late') as late_ep_advice,
        count(*) filter (where ep_advice = 'late' and within_20_weeks) as late_ep_advice_within_20_weeks,
        count(*) filter (where ep_advice = 'on_time') as timely_ep_advice,
        count(*) filter (where ep_advice = 'on_time' and within_20_weeks) as timely_ep_advice_within_20_weeks,
        count(*) filter (where ep_advice = 'none') as no_ep_advice
    from plans
    group by month
),

final as (
    select
        m.month,
        coalesce(c.plans_issued, 0) as plans_issued,
        coalesce(c.within_20_weeks, 0) as within_20_weeks,
        coalesce(c.late_ep_advice, 0) as late_ep_advice,
        coalesce(c.late_ep_advice_within_20_weeks, 0) as late_ep_advice_within_20_weeks,
        coalesce(c.timely_ep_advice, 0) as timely_ep_advice,
        coalesce(c.timely_ep_advice_within_20_weeks, 0) as timely_ep_advice_within_20_weeks,
        coalesce(c.no_ep_advice, 0) as no_ep_advice
    from months as m
    left join counted as c on c.month = m.month
)

select * from final order by month
