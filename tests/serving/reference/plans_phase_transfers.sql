-- Reference for queries/plans_phase_transfers.sql: the record-level SQL it ran before it read the tables plan_aggregates.py builds.
-- Phase transfers for each transfer year in $years (the September a child moves): the plans due to move,
-- active on 15 February of the year (or at $at, if earlier) and aged 4 (into reception), 11 (into year 7)
-- or 16 (into post-16) on 31 August of it; and when the new placement was named: the amended plan's issue
-- date (or, for a plan maintained unchanged, the decision date) of a phase-transfer review held from 1
-- September of the year before to 31 August of the year, counted only when on or before $at. The deadline
-- is 15 February of the year, 31 March for post-16. Scope: the plan's district and need, and the age group
-- at 31 August.
with years as (
    select distinct unnest(cast($years as integer[])) as transfer_year
),

due as (
    select
        y.transfer_year,
        p.plan_id,
        plan_age(p.age_at_start, p.start_date, make_date(y.transfer_year, 8, 31)) as age
    from years as y
    inner join ehcp_plans as p
        on plan_active_on(p.start_date, p.ceased_date, least(make_date(y.transfer_year, 2, 15), cast($at as date)))
    where plan_age(p.age_at_start, p.start_date, make_date(y.transfer_year, 8, 31)) in (4, 11, 16)
      and in_scope(p.locality, p.district, p.primary_need,
                   age_band(plan_age(p.age_at_start, p.start_date, make_date(y.transfer_year, 8, 31))),
                   $localities, $districts, $needs, $age_groups)
),

named as (
    select
        d.transfer_year,
        d.plan_id,
        min(case
            when r.decision = 'amend' then r.amended_plan_issued_date
            when r.decision = 'maintain' then r.decision_date
        end) filter (where coalesce(r.amended_plan_issued_date, r.decision_date) <= $at) as named_on
    from due as d
    inner join annual_reviews as r
        on r.plan_id = d.plan_id
        and r.phase_transfer
        and r.review_meeting_date between make_date(d.transfer_year - 1, 9, 1) and make_date(d.transfer_year, 8, 31)
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
    left join named as n on n.transfer_year = d.transfer_year and n.plan_id = d.plan_id
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
