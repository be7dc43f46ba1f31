-- EHC plans ceased from $period_start to $period_end, by month and SEN2 reason. Scope: the plan's district
-- and need, and the age when it ceased.
with final as (
    select
        cast(date_trunc('month', ceased_date) as date) as month,
        ceased_reason,
        count(*) as ceased
    from ehcp_plans
    where ceased_date between $period_start and $period_end
      and in_scope(locality, district, primary_need, age_band(plan_age(age_at_start, start_date, ceased_date)),
                   $localities, $districts, $needs, $age_groups)
    group by all
)

select * from final order by month, ceased_reason
