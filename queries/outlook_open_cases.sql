-- One row per received date and stage: requests for an EHC needs assessment open at $at (received on or
-- before it and not closed by it, as open_caseload_by_month counts them), for all of the area. The stage is
-- where each one waits at $at: 'decision' (no decision yet), 'ep_advice' (agreed to assess, no EP advice
-- completed by $at) or 'plan' (EP advice completed, the plan not yet issued). The backlog simulator starts
-- from these rows, so each case's wait carries on from its received date.
-- open_facts is built once per data version (dashboard/build/aggregates.py), sorted by the day each request
-- stops being open, with the day its first EP advice was completed (advised_on), so this reads only the row
-- groups of requests still open at $at.
with final as (
    select
        received_date,
        case
            when decision_date is null or decision_date > $at then 'decision'
            when advised_on is null or advised_on > $at then 'ep_advice'
            else 'plan'
        end as stage,
        cast(count(*) as bigint) as cases
    from open_facts
    where open_until > $at and received_date <= $at
    group by all
)

select * from final order by received_date, stage
