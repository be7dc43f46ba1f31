-- One row per month of plan issue from $period_start to $period_end: EHC plans issued, split by how long
-- their EP advice took (late = completed more than 42 days after it was requested; a request with several
-- pieces of EP advice counts its slowest), and how many of each were issued within 20 weeks (140 days)
-- of the request. All four shared filters apply through the EHC request.
-- The period's whole months are counted from cube_issued, any other days from plan_facts (both built
-- with each plan's EP advice, aggregates.py).
with plans as (
    select issued_month as month, within_20_weeks, ep_advice, plans
    from cube_issued
    where level = cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, null)
      and issued_month between first_whole_month($period_start) and last_whole_month($period_end)
      and in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
      and in_request_scope(request_source, placement_type, $sources, $placements)

    union all

    select issued_month, days_to_plan <= 140, ep_advice, 1
    from plan_facts
    where in_part_month(plan_issued_date, $period_start, $period_end)
      and scope_id in (
          select scope_id
          from scopes
          where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
            and in_request_scope(request_source, placement_type, $sources, $placements)
      )
),

months as (
    select cast(unnest(generate_series(date_trunc('month', cast($period_start as date)),
                                       cast($period_end as date), interval 1 month)) as date) as month
),

counted as (
    select
        month,
        cast(sum(plans) as bigint) as plans_issued,
        cast(sum(plans) filter (where within_20_weeks) as bigint) as within_20_weeks,
        cast(sum(plans) filter (where ep_advice = 'late') as bigint) as late_ep_advice,
        cast(sum(plans) filter (where ep_advice = 'late' and within_20_weeks) as bigint)
            as late_ep_advice_within_20_weeks,
        cast(sum(plans) filter (where ep_advice = 'on_time') as bigint) as timely_ep_advice,
        cast(sum(plans) filter (where ep_advice = 'on_time' and within_20_weeks) as bigint)
            as timely_ep_advice_within_20_weeks,
        cast(sum(plans) filter (where ep_advice = 'none') as bigint) as no_ep_advice
    from plans
    group by month
),

final as (
    select
        m.month,
        coalesce(c.plans_issued, 0) as plans_issued,
        coalesce(c.within_20_weeks, 0) as within_20_weeks,
        coalesce(c.late_ep_advice, 0) as late_ep_advice,
        coalesce(c.late_ep_advice_within_20_weeks, 0) as late_ep_advice_within_20_weeks,
        coalesce(c.timely_ep_advice, 0) as timely_ep_advice,
        coalesce(c.timely_ep_advice_within_20_weeks, 0) as timely_ep_advice_within_20_weeks,
        coalesce(c.no_ep_advice, 0) as no_ep_advice
    from months as m
    left join counted as c on c.month = m.month
)

select * from final order by month
