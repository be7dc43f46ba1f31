-- Reference for queries/ep_monthly.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month from $period_start to $period_end and per breakdown group ($by = 'provider',
-- 'district' or 'locality'; anything else gives one group, 'All'): EP advice requested and completed in
-- the month, completed within six weeks (42 days of the request), and the backlog at the month end (or
-- at $period_end for the last, part month): advice requested and not yet completed, by weeks waited.
-- Cancelled requests carry no cancellation date in the extract, so they never count in the backlog.
-- Area filters apply to the EP request's district; need and age through the EHC request it is for.
with scoped as (
    select
        ep.requested_date,
        ep.completed_date,
        ep.status,
        case $by
            when 'provider' then ep.provider
            when 'district' then ep.district
            when 'locality' then ep.locality
            else 'All'
        end as breakdown
    from ep_assessments as ep
    left join ehcp_requests as r on r.request_id = ep.request_id
    where in_scope(ep.locality, ep.district, r.primary_need, r.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(r.request_source, r.placement_type, $sources, $placements)
),

months as (
    select
        cast(month as date) as month,
        least(last_day(cast(month as date)), cast($period_end as date)) as month_end
    from (select unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                        cast($period_end as date), interval 1 month)) as month)
),

breakdowns as (
    select distinct breakdown from scoped
),

requested as (
    select date_trunc('month', requested_date) as month, breakdown, count(*) as requested
    from scoped
    where requested_date between $period_start and $period_end
    group by all
),

completed as (
    select
        date_trunc('month', completed_date) as month,
        breakdown,
        count(*) as completed,
        count(*) filter (where completed_date - requested_date <= 42) as completed_within_6_weeks
    from scoped
    where status = 'completed' and completed_date between $period_start and $period_end
    group by all
),

backlog as (
    select
        m.month,
        s.breakdown,
        count(*) as backlog,
        count(*) filter (where m.month_end - s.requested_date <= 42) as waited_up_to_6_weeks,
        count(*) filter (where m.month_end - s.requested_date between 43 and 84) as waited_6_to_12_weeks,
        count(*) filter (where m.month_end - s.requested_date between 85 and 140) as waited_12_to_20_weeks,
        count(*) filter (where m.month_end - s.requested_date between 141 and 364) as waited_20_to_52_weeks,
        count(*) filter (where m.month_end - s.requested_date > 364) as waited_over_52_weeks
    from months as m
    inner join scoped as s
        on s.requested_date <= m.month_end
        and coalesce(s.completed_date, date '9999-12-31') > m.month_end
    where s.status in ('open', 'completed')
    group by all
),

final as (
    select
        m.month,
        m.month_end,
        b.breakdown,
        coalesce(r.requested, 0) as requested,
        coalesce(c.completed, 0) as completed,
        coalesce(c.completed_within_6_weeks, 0) as completed_within_6_weeks,
        coalesce(k.backlog, 0) as backlog,
        coalesce(k.waited_up_to_6_weeks, 0) as waited_up_to_6_weeks,
        coalesce(k.waited_6_to_12_weeks, 0) as waited_6_to_12_weeks,
        coalesce(k.waited_12_to_20_weeks, 0) as waited_12_to_20_weeks,
        coalesce(k.waited_20_to_52_weeks, 0) as waited_20_to_52_weeks,
        coalesce(k.waited_over_52_weeks, 0) as waited_over_52_weeks
    from months as m
    cross join breakdowns as b
    left join requested as r on r.month = m.month and r.breakdown = b.breakdown
    left join completed as c on c.month = m.month and c.breakdown = b.breakdown
    left join backlog as k on k.month = m.month and k.breakdown = b.breakdown
)

select * from final order by month, breakdown
