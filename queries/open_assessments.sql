-- One row: requests open at $at (awaiting a decision, or agreed for assessment with no plan yet),
-- how many of them have waited more than 20 weeks (140 days), and by stage.
with open_requests as (
    select
        $at - received_date as days_waited,
        decision_date is null or decision_date > $at as awaiting_decision
    from ehcp_requests
    where is_open_at(received_date, closed_on, $at)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select
        count(*) as open_assessments,
        count(*) filter (where days_waited > 140) as overdue,
        count(*) filter (where awaiting_decision) as awaiting_decision,
        count(*) filter (where not awaiting_decision) as being_assessed
    from open_requests
)

select * from final
