-- Reference for queries/open_caseload_by_month.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month end from $period_start to $period_end: requests open at that date in scope, and how
-- many of them had waited more than 20 weeks. Each request is open from its received date until it
-- closes (closed_on, set when the extract is loaded); it is overdue from day 141 until it closes. Counting interval starts and ends
-- keeps this one pass over the requests however many months are shown.
with months as (
    select cast(unnest(generate_series(date_trunc('month', $period_start), $period_end, interval 1 month))
        + interval 1 month - interval 1 day as date) as month_end
),

spans as (
    select received_date as open_from, closed_on
    from ehcp_requests
    where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

changes as (
    select open_from as day, 1 as open_change, 0 as overdue_change from spans
    union all select closed_on, -1, 0 from spans where closed_on is not null
    union all select open_from + 141, 0, 1 from spans where closed_on is null or closed_on > open_from + 141
    union all select closed_on, 0, -1 from spans where closed_on > open_from + 141
),

by_day as (
    select day, sum(open_change) as open_change, sum(overdue_change) as overdue_change
    from changes
    group by day
),

final as (
    select
        m.month_end,
        coalesce(sum(d.open_change), 0) as open_cases,
        coalesce(sum(d.overdue_change), 0) as overdue
    from months m
    left join by_day d on d.day <= m.month_end
    group by m.month_end
)

select * from final order by month_end
