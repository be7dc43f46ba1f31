-- For EHC plans issued from $period_start to $period_end, by month of issue: plans issued, those issued after
-- 20 weeks (140 days from the request), and of those how many had late EP, late health and late social care
-- advice (each input's slowest completed advice for the request took more than 42 days; a plan can have
-- several late inputs), and how many had none late. All shared filters apply through the EHC request.
-- With no filter set, the counts come from plan_advice_days (added up by day of issue); with any, from
-- plan_lateness (plan_facts' issued plans with their EP, health and social care lateness and scope_id, sorted
-- by plan_issued_date). Both are built once per data version (build/health_aggregates.py).
with plans as (
    select
        issued_month as month,
        plans_issued,
        issued_late,
        late_with_late_ep,
        late_with_late_health,
        late_with_late_social_care,
        late_with_no_late_advice
    from plan_advice_days
    where len($localities) + len($districts) + len($needs) + len($age_groups) + len($sources) + len($placements) = 0
      and plan_issued_date between $period_start and $period_end

    union all

    select
        issued_month,
        1,
        case when issued_late then 1 else 0 end,
        case when issued_late and late_ep then 1 else 0 end,
        case when issued_late and late_health then 1 else 0 end,
        case when issued_late and late_social_care then 1 else 0 end,
        case when issued_late and not late_ep and not late_health and not late_social_care then 1 else 0 end
    from plan_lateness
    where len($localities) + len($districts) + len($needs) + len($age_groups) + len($sources) + len($placements) > 0
      and plan_issued_date between $period_start and $period_end
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
        sum(plans_issued) as plans_issued,
        sum(issued_late) as issued_late,
        sum(late_with_late_ep) as late_with_late_ep,
        sum(late_with_late_health) as late_with_late_health,
        sum(late_with_late_social_care) as late_with_late_social_care,
        sum(late_with_no_late_advice) as late_with_no_late_advice
    from plans
    group by month
)

select
    m.month,
    cast(coalesce(c.plans_issued, 0) as bigint) as plans_issued,
    cast(coalesce(c.issued_late, 0) as bigint) as issued_late,
    cast(coalesce(c.late_with_late_ep, 0) as bigint) as late_with_late_ep,
    cast(coalesce(c.late_with_late_health, 0) as bigint) as late_with_late_health,
    cast(coalesce(c.late_with_late_social_care, 0) as bigint) as late_with_late_social_care,
    cast(coalesce(c.late_with_no_late_advice, 0) as bigint) as late_with_no_late_advice
from months as m
left join counted as c on c.month = m.month
order by m.month
