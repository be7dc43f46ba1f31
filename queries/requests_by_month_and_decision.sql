-- One row per month (received) and decision: requests received between $period_start and $period_end
-- in scope, by what was decided (assess, not_assess, withdrawn, pending). Months with none are absent.
with requests as (
    select received_month as month, decision
    from ehcp_requests
    where received_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select month, decision, count(*) as requests
    from requests
    group by all
)

select * from final order by month, decision
