-- One row per month of issue between $period_start and $period_end: plans issued in scope, how many
-- within 20 weeks (140 days) including and excluding exception cases, the DfE bands of weeks taken
-- (within 20, over 20 up to 52, over 52), and the mean and median weeks from request to plan.
-- The period's whole months are counted from cube_plan_days and any other days from plan_facts; under
-- filters no level of cube_plan_days answers, every plan comes from plan_facts. The median is read off
-- the count of plans at each number of days, as median() would find it.
with issued as (
    select issued_month as month, days_to_plan as days_taken, exception_applies, plans
    from cube_plan_days
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
      and issued_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select issued_month, days_to_plan, exception_applies, 1
    from plan_facts
    where (
            cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
                not in ('total', 'area', 'primary_need', 'age_group', 'request_source', 'placement_type')
            and plan_issued_date between $period_start and $period_end
            or in_part_month(plan_issued_date, $period_start, $period_end)
        )
      and scope_id in (
          select scope_id
          from scopes
          where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
            and in_request_scope(request_source, placement_type, $sources, $placements)
      )
),

by_days as (
    select
        month,
        days_taken,
        cast(sum(plans) as bigint) as plans,
        cast(sum(plans) filter (where not exception_applies) as bigint) as plans_ex
    from issued
    group by month, days_taken
),

-- Plans in the month taking up to each number of days, and in all (summed as doubles, exact for counts,
-- as a window adds them up much faster than in 128 bits).
ranked as (
    select
        *,
        sum(cast(plans as double)) over (
            partition by month order by days_taken rows between unbounded preceding and current row
        ) as plans_to_here,
        sum(cast(plans as double)) over (partition by month) as month_plans
    from by_days
),

final as (
    select
        month,
        cast(sum(plans) as bigint) as plans_issued,
        cast(coalesce(sum(plans) filter (where days_taken <= 140), 0) as bigint) as within_20_weeks,
        cast(coalesce(sum(plans_ex), 0) as bigint) as plans_issued_ex,
        cast(coalesce(sum(plans_ex) filter (where days_taken <= 140), 0) as bigint) as within_20_weeks_ex,
        cast(coalesce(sum(plans) filter (where days_taken > 140 and days_taken <= 364), 0) as bigint)
            as over_20_to_52_weeks,
        cast(coalesce(sum(plans) filter (where days_taken > 364), 0) as bigint) as over_52_weeks,
        cast(sum(plans * days_taken) as double) / cast(sum(plans) as double) / 7.0 as mean_weeks,
        cast(
            min(days_taken) filter (where plans_to_here >= floor((month_plans + 1) / 2))
            + min(days_taken) filter (where plans_to_here >= floor(month_plans / 2) + 1) as double
        ) / 2 / 7.0 as median_weeks
    from ranked
    group by month
)

select * from final order by month
