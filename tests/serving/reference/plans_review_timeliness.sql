-- Reference for queries/plans_review_timeliness.sql: the record-level SQL it ran before it read the tables plan_aggregates.py builds.
-- Annual review meetings by month of the meeting, $period_start to $period_end (and not after $at): how many
-- were held; of those whose four weeks (28 days) were over by $at, how many had their decision notified
-- within them (a decision still pending is late); of those decided 'amend' whose 12 weeks (84 days) were
-- over by $at, how many had the amended plan finalised within them. Scope: the plan's district and need,
-- and the age at the meeting. Reviews whose plan_id is not a plan are left out.
with reviews as (
    select
        cast(date_trunc('month', r.review_meeting_date) as date) as month,
        r.review_meeting_date as meeting,
        r.decision,
        r.decision_date,
        r.amended_plan_issued_date
    from annual_reviews as r
    inner join ehcp_plans as p on p.plan_id = r.plan_id
    where r.review_meeting_date between $period_start and least(cast($period_end as date), cast($at as date))
      and in_scope(p.locality, p.district, p.primary_need, age_band(plan_age(p.age_at_start, p.start_date, r.review_meeting_date)),
                   $localities, $districts, $needs, $age_groups)
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
