-- One row per month from $period_start to $period_end and per locality: requests for an EHC needs assessment
-- received in the month (0 where none were). The demand forecast fits these, for all of the area (added up)
-- and for each locality. Whole area, no other filters: the forecast is for planning the whole service.
with months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

localities as (
    select distinct locality from ehcp_requests
),

received as (
    select received_month as month, locality, count(*) as requests
    from ehcp_requests
    where received_date between $period_start and $period_end
    group by all
),

final as (
    select m.month, l.locality, cast(coalesce(r.requests, 0) as bigint) as requests
    from months as m
    cross join localities as l
    left join received as r on r.month = m.month and r.locality = l.locality
)

select * from final order by month, locality
