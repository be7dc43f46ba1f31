-- Phase transfers for each transfer year in $years (the September a child moves): the plans due to move,
-- active on 15 February of the year (or at $at, if earlier) and aged 4 (into reception), 11 (into year 7)
-- or 16 (into post-16) on 31 August of it; and when the new placement was named: the amended plan's issue
-- date (or, for a plan maintained unchanged, the decision date) of a phase-transfer review held from 1
-- September of the year before to 31 August of the year, counted only when on or before $at. The deadline
-- is 15 February of the year, 31 March for post-16. Scope: the plan's district and need, and the age group
-- at 31 August.
-- phase_transfer_due and phase_transfer_named (dashboard/build/plan_aggregates.py) hold each plan's transfer
-- years and the reviews held in them; plan_scopes names the plan's area and need.
with years as (
    select distinct unnest(cast($years as integer[])) as transfer_year
),

due as (
    select d.transfer_year, d.plan_row, d.age
    from phase_transfer_due as d
    inner join plan_scopes as p on p.plan_scope = d.plan_scope
    where d.transfer_year in (select transfer_year from years)
      and plan_active_on(d.start_date, d.ceased_date, least(make_date(d.transfer_year, 2, 15), cast($at as date)))
      and in_scope(p.locality, p.district, p.primary_need, age_band(d.age), $localities, $districts, $needs, $age_groups)
),

named as (
    select transfer_year, plan_row, min(named_on) filter (where known_on <= $at) as named_on
    from phase_transfer_named
    where transfer_year in (select transfer_year from years)
    group by all
),

cohort as (
    select
        d.transfer_year,
        case d.age when 4 then 'reception' when 11 then 'year_7' else 'post_16' end as phase,
        case when d.age = 16 then make_date(d.transfer_year, 3, 31) else make_date(d.transfer_year, 2, 15) end
            as deadline,
        n.named_on
    from due as d
    left join named as n on n.transfer_year = d.transfer_year and n.plan_row = d.plan_row
),

final as (
    select
        transfer_year,
        phase,
        deadline,
        count(*) as due,
        count(*) filter (where named_on <= deadline) as named_on_time,
        count(*) filter (where named_on > deadline) as named_late,
        count(*) filter (where named_on is null) as not_named
    from cohort
    group by all
)

select * from final order by transfer_year, deadline, phase
