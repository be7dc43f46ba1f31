-- One row per month from $period_start to $period_end: the flows through the assessment pathway that the
-- backlog simulator runs on, for all of the area. requests: received in the month. decisions: requests
-- leaving the wait for a decision in the month (decided to assess or not, or withdrawn before a decision).
-- carried_on: of those, decided to assess and not since ended without a plan (outcome plan_issued or
-- ongoing), so still on the way to a plan. ep_completed: EP advice completed in the month. plans_issued and
-- within_20_weeks: plans issued in the month, and those issued at most 140 days after the request.
-- The counts are made once per data version into outlook_flows (dashboard/build/aggregates.py); a month
-- with none of them is all zeros.
with months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

final as (
    select
        m.month,
        coalesce(f.requests, 0) as requests,
        coalesce(f.decisions, 0) as decisions,
        coalesce(f.carried_on, 0) as carried_on,
        coalesce(f.ep_completed, 0) as ep_completed,
        coalesce(f.plans_issued, 0) as plans_issued,
        coalesce(f.within_20_weeks, 0) as within_20_weeks
    from months as m
    left join outlook_flows as f on f.month = m.month
)

select * from final order by month
