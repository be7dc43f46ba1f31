-- One row per band of weeks waited (0-6, 6-12, 12-16, 16-20, 20-30, 30-52, over 52) and stage
-- (awaiting decision, being assessed): requests open at $at in scope. Bands include their upper end
-- (a case at exactly 20 weeks is in 16-20, not yet overdue). open_facts is sorted by open_until, so only
-- the requests still open at $at are read.
with open_requests as (
    select
        received_date,
        decision_date is null or decision_date > $at as awaiting_decision,
        count(*) as requests
    from open_facts
    where open_until > $at
      and is_open_at(received_date, closed_on, $at)
      and scope_id in (
          select scope_id
          from scopes
          where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
            and in_request_scope(request_source, placement_type, $sources, $placements)
      )
    group by all
),

banded as (
    select
        case
            when ($at - received_date) / 7.0 <= 6 then 1
            when ($at - received_date) / 7.0 <= 12 then 2
            when ($at - received_date) / 7.0 <= 16 then 3
            when ($at - received_date) / 7.0 <= 20 then 4
            when ($at - received_date) / 7.0 <= 30 then 5
            when ($at - received_date) / 7.0 <= 52 then 6
            else 7
        end as band_order,
        case when awaiting_decision then 'Awaiting decision' else 'Being assessed' end as stage,
        requests
    from open_requests
),

final as (
    select
        band_order,
        ['0-6 weeks', '6-12 weeks', '12-16 weeks', '16-20 weeks', '20-30 weeks', '30-52 weeks',
         'Over 52 weeks'][band_order] as weeks_waited,
        stage,
        cast(sum(requests) as bigint) as open_cases
    from banded
    group by all
)

select * from final order by band_order, stage
