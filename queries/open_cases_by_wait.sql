-- One row per band of weeks waited (0-6, 6-12, 12-16, 16-20, 20-30, 30-52, over 52) and stage
-- (awaiting decision, being assessed): requests open at $at in scope. Bands include their upper end
-- (a case at exactly 20 weeks is in 16-20, not yet overdue). open_facts is sorted by open_until, so only
-- the requests still open at $at are read.
with open_requests as (
    select
        ($at - received_date) / 7.0 as weeks_waited,
        case when decision_date is null or decision_date > $at then 'Awaiting decision'
             else 'Being assessed' end as stage
    from open_facts
    where open_until > $at
      and is_open_at(received_date, closed_on, $at)
      and scope_id in (
          select scope_id
          from scopes
          where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
            and in_request_scope(request_source, placement_type, $sources, $placements)
      )
),

banded as (
    select
        case
            when weeks_waited <= 6 then 1
            when weeks_waited <= 12 then 2
            when weeks_waited <= 16 then 3
            when weeks_waited <= 20 then 4
            when weeks_waited <= 30 then 5
            when weeks_waited <= 52 then 6
            else 7
        end as band_order,
        stage
    from open_requests
),

final as (
    select
        band_order,
        ['0-6 weeks', '6-12 weeks', '12-16 weeks', '16-20 weeks', '20-30 weeks', '30-52 weeks',
         'Over 52 weeks'][band_order] as weeks_waited,
        stage,
        count(*) as open_cases
    from banded
    group by all
)

select * from final order by band_order, stage
