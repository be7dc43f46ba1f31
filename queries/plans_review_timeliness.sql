-- Annual review meetings by month of the meeting, $period_start to $period_end (and not after $at): how many
-- were held; of those whose four weeks (28 days) were over by $at, how many had their decision notified
-- within them (a decision still pending is late); of those decided 'amend' whose 12 weeks (84 days) were
-- over by $at, how many had the amended plan finalised within them. Scope: the plan's district and need,
-- and the age at the meeting. Reviews whose plan_id is not a plan are left out.
-- review_facts (dashboard/build/plan_aggregates.py) holds each review of a plan with the plan's scope and the
-- age group at the meeting, sorted by meeting date.
with reviews as (
    select
        cast(date_trunc('month', meeting) as date) as month,
        meeting,
        decision,
        decision_date,
        amended_plan_issued_date
    from review_facts as r
    inner join plan_scopes as s on s.plan_scope = r.plan_scope
    where r.meeting between $period_start and least(cast($period_end as date), cast($at as date))
      and in_scope(s.locality, s.district, s.primary_need, r.age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select
        month,
        count(*) as meetings,
        count(*) filter (where meeting + 28 <= $at) as decisions_due,
        count(*) filter (where meeting + 28 <= $at and decision_date <= meeting + 28) as decided_within_4_weeks,
        count(*) filter (where decision = 'amend' and meeting + 84 <= $at) as amendments_due,
        count(*) filter (where decision = 'amend' and meeting + 84 <= $at and amended_plan_issued_date <= meeting + 84)
            as amended_within_12_weeks
    from reviews
    group by month
)

select * from final order by month
