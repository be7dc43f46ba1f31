-- Reference for queries/specialist_demand_monthly.sql: the record-level SQL it ran before it read the tables aggregates.py builds.
-- One row per month and primary need, from $start to $end, with at least one plan: new EHC plans issued
-- (by issue date) naming a specialist placement, one of $placement_types. Every shared filter applies
-- (area and age of the child, primary need). A need not yet recorded shows as 'not_recorded'.
with plans as (
    select
        date_trunc('month', plan_issued_date) as month,
        coalesce(primary_need, 'not_recorded') as primary_need
    from ehcp_requests
    where outcome = 'plan_issued'
      and plan_issued_date between $start and $end
      and list_contains($placement_types, placement_type)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)
),

final as (
    select cast(month as date) as month, primary_need, count(*) as plans
    from plans
    group by all
)

select * from final order by month, primary_need
