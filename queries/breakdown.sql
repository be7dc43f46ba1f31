-- One row per category of $dimension (district, locality, primary_need, age_group, placement_type,
-- request_source): requests received and plans issued between $period_start and $period_end, plans
-- within 20 weeks (including and excluding exceptions), and cases open and overdue at $at, in scope.
-- Every category with a request in scope has a row. The period's whole months are counted from
-- cube_received and cube_issued, any other days from the requests and plan_facts; open cases from
-- open_facts.
with counts as (
    select
        request_category($dimension, locality, district, primary_need, age_group, request_source, placement_type)
            as category,
        case
            when received_month between first_whole_month($period_start) and last_whole_month($period_end)
                then requests
            else 0
        end as received,
        0 as issued,
        0 as issued_within,
        0 as issued_ex,
        0 as issued_ex_within,
        0 as open_now,
        0 as overdue
    from cube_received
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, $dimension)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select
        request_category($dimension, locality, district, primary_need, age_group, request_source, placement_type),
        1, 0, 0, 0, 0, 0, 0
    from ehcp_requests
    where in_part_month(received_date, $period_start, $period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select
        request_category($dimension, locality, district, primary_need, age_group, request_source, placement_type),
        0,
        plans,
        case when within_20_weeks then plans else 0 end,
        case when not exception_applies then plans else 0 end,
        case when within_20_weeks and not exception_applies then plans else 0 end,
        0,
        0
    from cube_issued
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, $dimension)
      and issued_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select
        request_category(
            $dimension, s.locality, s.district, s.primary_need, s.age_group, s.request_source, s.placement_type
        ),
        0,
        1,
        case when p.days_to_plan <= 140 then 1 else 0 end,
        case when not p.exception_applies then 1 else 0 end,
        case when p.days_to_plan <= 140 and not p.exception_applies then 1 else 0 end,
        0,
        0
    from plan_facts as p
    inner join scopes as s on s.scope_id = p.scope_id
    where in_part_month(p.plan_issued_date, $period_start, $period_end)
      and in_scope(s.locality, s.district, s.primary_need, s.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(s.request_source, s.placement_type, $sources, $placements)

    union all

    select
        request_category(
            $dimension, s.locality, s.district, s.primary_need, s.age_group, s.request_source, s.placement_type
        ),
        0, 0, 0, 0, 0,
        o.open_now,
        o.overdue
    from (
        select scope_id, count(*) as open_now, count(*) filter (where $at - received_date > 140) as overdue
        from open_facts
        where open_until > $at and is_open_at(received_date, closed_on, $at)
        group by scope_id
    ) as o
    inner join scopes as s on s.scope_id = o.scope_id
    where in_scope(s.locality, s.district, s.primary_need, s.age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(s.request_source, s.placement_type, $sources, $placements)
),

final as (
    select
        category,
        cast(sum(received) as bigint) as requests_received,
        cast(sum(issued) as bigint) as plans_issued,
        cast(sum(issued_within) as bigint) as within_20_weeks,
        cast(sum(issued_ex) as bigint) as plans_issued_ex,
        cast(sum(issued_ex_within) as bigint) as within_20_weeks_ex,
        cast(sum(open_now) as bigint) as open_cases,
        cast(sum(overdue) as bigint) as overdue
    from counts
    group by category
)

select * from final order by category
