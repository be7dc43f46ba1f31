-- One row: plans issued between $start and $end (by issue date, as SEN2) and how many were issued
-- within 20 weeks (140 days) of the request, including and excluding exception cases.
with issued as (
    select
        days_to_plan <= 140 as within_20_weeks,
        coalesce(exception_20wk, false) as exception_applies
    from ehcp_requests
    where outcome = 'plan_issued'
      and plan_issued_date between $start and $end
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
),

final as (
    select
        count(*) as plans_issued,
        count(*) filter (where within_20_weeks) as within_20_weeks,
        count(*) filter (where not exception_applies) as plans_issued_ex,
        count(*) filter (where within_20_weeks and not exception_applies) as within_20_weeks_ex
    from issued
)

select * from final
