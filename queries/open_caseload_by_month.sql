-- One row per month end from $period_start to $period_end: requests open at that date in scope, and how
-- many of them had waited more than 20 weeks. Each request is open from its received date until it
-- closes (closed_on, set when the extract is loaded); it is overdue from day 141 until it closes.
-- cube_open_changes holds, for each month, how many requests opened, closed, passed 20 weeks while open
-- and closed after passing them; adding up the months to a month end gives the count at that date.
with months as (
    select cast(unnest(generate_series(date_trunc('month', $period_start), $period_end, interval 1 month))
        + interval 1 month - interval 1 day as date) as month_end
),

by_month as (
    select month, sum(open_change) as open_change, sum(overdue_change) as overdue_change
    from cube_open_changes
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
    group by month
),

final as (
    select
        m.month_end,
        coalesce(sum(d.open_change), 0) as open_cases,
        coalesce(sum(d.overdue_change), 0) as overdue
    from months m
    left join by_month d on d.month <= m.month_end
    group by m.month_end
)

select * from final order by month_end
