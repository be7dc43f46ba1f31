-- One row: what happened (so far) to the requests received between $period_start and $period_end in
-- scope, stage by stage: decided or not, agreed to assess, and the outcome of those assessments.
with requests as (
    select decision, outcome
    from ehcp_requests
    where received_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select
        count(*) as requests,
        count(*) filter (where decision <> 'pending') as decided,
        count(*) filter (where decision = 'pending') as awaiting_decision,
        count(*) filter (where decision = 'assess') as agreed_to_assess,
        count(*) filter (where decision = 'not_assess') as not_assessed,
        count(*) filter (where decision = 'withdrawn') as withdrawn_before_decision,
        count(*) filter (where outcome = 'plan_issued') as plan_issued,
        count(*) filter (where outcome = 'plan_not_issued') as plan_not_issued,
        count(*) filter (where outcome = 'withdrawn') as withdrawn_during_assessment,
        count(*) filter (where outcome = 'ongoing') as assessment_ongoing
    from requests
)

select * from final
