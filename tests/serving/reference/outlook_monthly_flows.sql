-- Reference for queries/outlook_monthly_flows.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month from $period_start to $period_end: the flows through the assessment pathway that the
-- backlog simulator runs on, for all of the area. requests: received in the month. decisions: requests
-- leaving the wait for a decision in the month (decided to assess or not, or withdrawn before a decision).
-- carried_on: of those, decided to assess and not since ended without a plan (outcome plan_issued or
-- ongoing), so still on the way to a plan. ep_completed: EP advice completed in the month. plans_issued and
-- within_20_weeks: plans issued in the month, and those issued at most 140 days after the request.
with months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

received as (
    select received_month as month, count(*) as requests
    from ehcp_requests
    group by all
),

decided as (
    select
        decision_month as month,
        count(*) as decisions,
        count(*) filter (where decision = 'assess' and outcome in ('plan_issued', 'ongoing')) as carried_on
    from ehcp_requests
    where decision in ('assess', 'not_assess', 'withdrawn')
    group by all
),

issued as (
    select
        issued_month as month,
        count(*) as plans_issued,
        count(*) filter (where days_to_plan <= 140) as within_20_weeks
    from ehcp_requests
    where outcome = 'plan_issued'
    group by all
),

advice as (
    select cast(date_trunc('month', completed_date) as date) as month, count(*) as ep_completed
    from ep_assessments
    where status = 'completed'
    group by all
),

final as (
    select
        m.month,
        cast(coalesce(r.requests, 0) as bigint) as requests,
        cast(coalesce(d.decisions, 0) as bigint) as decisions,
        cast(coalesce(d.carried_on, 0) as bigint) as carried_on,
        cast(coalesce(a.ep_completed, 0) as bigint) as ep_completed,
        cast(coalesce(i.plans_issued, 0) as bigint) as plans_issued,
        cast(coalesce(i.within_20_weeks, 0) as bigint) as within_20_weeks
    from months as m
    left join received as r on r.month = m.month
    left join decided as d on d.month = m.month
    left join issued as i on i.month = m.month
    left join advice as a on a.month = m.month
)

select * from final order by month
