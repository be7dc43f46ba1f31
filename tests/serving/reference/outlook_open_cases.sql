-- Reference for queries/outlook_open_cases.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per received date and stage: requests for an EHC needs assessment open at $at (received on or
-- before it and not closed by it, as open_caseload_by_month counts them), for all of the area. The stage is
-- where each one waits at $at: 'decision' (no decision yet), 'ep_advice' (agreed to assess, no EP advice
-- completed by $at) or 'plan' (EP advice completed, the plan not yet issued). The backlog simulator starts
-- from these rows, so each case's wait carries on from its received date.
with open_requests as (
    select request_id, received_date, decision_date
    from ehcp_requests
    where received_date <= $at
      and (closed_on is null or closed_on > $at)
),

advised as (
    select distinct request_id
    from ep_assessments
    where status = 'completed' and completed_date <= $at
),

final as (
    select
        o.received_date,
        case
            when o.decision_date is null or o.decision_date > $at then 'decision'
            when a.request_id is null then 'ep_advice'
            else 'plan'
        end as stage,
        cast(count(*) as bigint) as cases
    from open_requests as o
    left join advised as a on a.request_id = o.request_id
    group by all
)

select * from final order by received_date, stage
