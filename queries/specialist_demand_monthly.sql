-- One row per month and primary need, from $start to $end, with at least one plan: new EHC plans issued
-- (by issue date) naming a specialist placement, one of $placement_types. Every shared filter applies
-- (area and age of the child, primary need). A need not yet recorded shows as 'not_recorded'.
-- The period's whole months are counted from cube_issued, any other days from plan_facts.
with plans as (
    select issued_month as month, coalesce(primary_need, 'not_recorded') as primary_need, plans
    from cube_issued
    where level = case
            when len($localities) + len($districts) + len($age_groups) + len($sources) = 0 then 'need_placement'
            else 'full'
        end
      and issued_month between first_whole_month($start) and last_whole_month($end)
      and list_contains($placement_types, placement_type)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select p.issued_month, coalesce(s.primary_need, 'not_recorded'), 1
    from plan_facts as p
    inner join scopes as s on s.scope_id = p.scope_id
    where in_part_month(p.plan_issued_date, $start, $end)
      and list_contains($placement_types, s.placement_type)
      and in_scope(s.locality, s.district, s.primary_need, s.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(s.request_source, s.placement_type, $sources, $placements)
),

final as (
    select cast(month as date) as month, primary_need, cast(sum(plans) as bigint) as plans
    from plans
    group by all
)

select * from final order by month, primary_need
