-- Health and social care advice completed from $period_start to $period_end (by completed_date), by month of
-- completion, service and provider: how many, and how many within six weeks (42 days) of the request (day 42
-- is within, day 43 late). The shared filters apply through the EHC request the advice is for; with none set,
-- advice for a request missing from the requests extract counts too (in_scope is true on empty lists).
-- With no filter set, the counts come from advice_days (added up by day, service and provider); with any,
-- from advice_facts (each completed advice, sorted by completed_date, with its request's scope_id; NULL, for
-- advice whose request is missing from the extract, meets no filter, as the request's NULL columns would not).
with advice as (
    select month, service, provider, completed, within_6_weeks
    from advice_days
    where len($localities) + len($districts) + len($needs) + len($age_groups) + len($sources) + len($placements) = 0
      and completed_date between $period_start and $period_end

    union all

    select month, service, provider, 1, case when within_6_weeks then 1 else 0 end
    from advice_facts
    where len($localities) + len($districts) + len($needs) + len($age_groups) + len($sources) + len($placements) > 0
      and completed_date between $period_start and $period_end
      and scope_id in (
          select scope_id
          from scopes
          where in_scope(locality, district, primary_need, age_group, $localities, $districts, $needs, $age_groups)
            and in_request_scope(request_source, placement_type, $sources, $placements)
      )
)

select
    month,
    service,
    provider,
    cast(sum(completed) as bigint) as completed,
    cast(sum(within_6_weeks) as bigint) as within_6_weeks
from advice
group by all
order by month, service, provider
