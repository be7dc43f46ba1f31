-- One row per month from $period_start to $period_end and per breakdown group ($by = 'provider',
-- 'district' or 'locality'; anything else gives one group, 'All'): EP advice requested and completed in
-- the month, completed within six weeks (42 days of the request), and the backlog at the month end (or
-- at $period_end for the last, part month): advice requested and not yet completed, by weeks waited.
-- Cancelled requests carry no cancellation date in the extract, so they never count in the backlog.
-- Area filters apply to the EP request's district; need and age through the EHC request it is for.
-- cube_ep holds whole months (requested, completed) and the backlog at each month end to the last month the
-- extract reaches (ep_backlog_through()); any other days, and any later month ends, come from ep_facts.
with months as (
    select
        cast(month as date) as month,
        least(last_day(cast(month as date)), cast($period_end as date)) as month_end
    from (select unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                        cast($period_end as date), interval 1 month)) as month)
),

cube as (
    select
        month,
        ep_breakdown($by, provider, district, locality) as breakdown,
        requested,
        completed,
        completed_within_6_weeks,
        backlog,
        waited_up_to_6_weeks,
        waited_6_to_12_weeks,
        waited_12_to_20_weeks,
        waited_20_to_52_weeks,
        waited_over_52_weeks
    from cube_ep
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements,
                             case when $by in ('district', 'locality') then $by end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

-- The EP advice requests in scope, for the days and month ends the cube does not hold.
facts as not materialized (
    select
        f.requested_date,
        f.completed_date,
        f.status,
        f.open_until,
        ep_breakdown($by, f.provider, s.district, s.locality) as breakdown
    from ep_facts as f
    inner join scopes as s on s.scope_id = f.scope_id
    where in_scope(s.locality, s.district, s.primary_need, s.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(s.request_source, s.placement_type, $sources, $placements)
),

-- Every group with EP advice in scope.
breakdowns as (
    select distinct breakdown from cube
),

requested as (
    select month, breakdown, cast(sum(requested) as bigint) as requested
    from (
        select month, breakdown, requested
        from cube
        where month between first_whole_month($period_start) and last_whole_month($period_end)

        union all

        select cast(date_trunc('month', requested_date) as date), breakdown, 1
        from facts
        where in_part_month(requested_date, $period_start, $period_end)
    )
    group by all
),

completed as (
    select
        month,
        breakdown,
        cast(sum(completed) as bigint) as completed,
        cast(sum(completed_within_6_weeks) as bigint) as completed_within_6_weeks
    from (
        select month, breakdown, completed, completed_within_6_weeks
        from cube
        where month between first_whole_month($period_start) and last_whole_month($period_end)

        union all

        select
            cast(date_trunc('month', completed_date) as date),
            breakdown,
            1,
            case when completed_date - requested_date <= 42 then 1 else 0 end
        from facts
        where status = 'completed' and in_part_month(completed_date, $period_start, $period_end)
    )
    group by all
),

waiting as (
    -- month ends to the last month of the extract, from the cube
    select
        month,
        breakdown,
        backlog,
        waited_up_to_6_weeks,
        waited_6_to_12_weeks,
        waited_12_to_20_weeks,
        waited_20_to_52_weeks,
        waited_over_52_weeks
    from cube
    where last_day(month) <= $period_end
      and month <= ep_backlog_through()

    union all

    -- later month ends: only advice never completed can still be waiting
    select
        m.month,
        f.breakdown,
        f.requests,
        case when m.month_end - f.requested_date <= 42 then f.requests else 0 end,
        case when m.month_end - f.requested_date between 43 and 84 then f.requests else 0 end,
        case when m.month_end - f.requested_date between 85 and 140 then f.requests else 0 end,
        case when m.month_end - f.requested_date between 141 and 364 then f.requests else 0 end,
        case when m.month_end - f.requested_date > 364 then f.requests else 0 end
    from months as m
    inner join (
        select breakdown, requested_date, count(*) as requests
        from facts
        where open_until = date '9999-12-31' and status in ('open', 'completed')
        group by all
    ) as f on f.requested_date <= m.month_end
    where cast($period_end as date) > last_day(ep_backlog_through())
      and m.month_end = last_day(m.month)
      and m.month > ep_backlog_through()

    union all

    -- the last, part month: waiting at $period_end
    select
        cast(date_trunc('month', cast($period_end as date)) as date),
        breakdown,
        requests,
        case when waited <= 42 then requests else 0 end,
        case when waited between 43 and 84 then requests else 0 end,
        case when waited between 85 and 140 then requests else 0 end,
        case when waited between 141 and 364 then requests else 0 end,
        case when waited > 364 then requests else 0 end
    from (
        select breakdown, cast($period_end as date) - requested_date as waited, count(*) as requests
        from facts
        where cast($period_end as date) < last_day(cast($period_end as date))
          and open_until > $period_end
          and requested_date <= $period_end
          and status in ('open', 'completed')
        group by all
    )
),

backlog as (
    select
        month,
        breakdown,
        cast(sum(backlog) as bigint) as backlog,
        cast(sum(waited_up_to_6_weeks) as bigint) as waited_up_to_6_weeks,
        cast(sum(waited_6_to_12_weeks) as bigint) as waited_6_to_12_weeks,
        cast(sum(waited_12_to_20_weeks) as bigint) as waited_12_to_20_weeks,
        cast(sum(waited_20_to_52_weeks) as bigint) as waited_20_to_52_weeks,
        cast(sum(waited_over_52_weeks) as bigint) as waited_over_52_weeks
    from waiting
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
