-- Filter macros stored in every built database, so each query states its filters in one line.
-- An empty list means "all". The scope macros are for WHERE and FILTER clauses: a value missing from the
-- data gives NULL there, which drops the row as false would. Without a coalesce around list_contains
-- DuckDB turns a one-value list into an equality filter, which skips row groups on sorted tables.

create or replace macro in_area(locality, district, localities, districts) as
    (len(localities) = 0 or list_contains(localities, locality))
    and (len(districts) = 0 or list_contains(districts, district));

create or replace macro in_scope(locality, district, need, age_group, localities, districts, needs, age_groups) as
    in_area(locality, district, localities, districts)
    and (len(needs) = 0 or list_contains(needs, need))
    and (len(age_groups) = 0 or list_contains(age_groups, age_group));

-- The drill-down filters on requests: who asked, and the placement the plan named (only requests that
-- led to a plan naming it).
create or replace macro in_request_scope(request_source, placement_type, sources, placements) as
    (len(sources) = 0 or list_contains(sources, request_source))
    and (len(placements) = 0 or list_contains(placements, placement_type));

-- Whether a request is still open (awaiting a decision, or assessed and awaiting a plan) at a date.
-- closed_on is worked out once when the extract is loaded (loader.REQUEST_CLOSED_ON).
create or replace macro is_open_at(received_date, closed_on, at_date) as
    received_date <= at_date and (closed_on is null or closed_on > at_date);

-- The pre-aggregated cubes (build/aggregates.py) hold whole calendar months. A period's whole months run
-- from first_whole_month to last_whole_month (none when the first is later); in_part_month is true for the
-- period's other days, which a query counts from the records.
create or replace macro first_whole_month(period_start) as
    cast(case when day(cast(period_start as date)) = 1 then cast(period_start as date)
              else date_trunc('month', cast(period_start as date)) + interval 1 month end as date);

create or replace macro last_whole_month(period_end) as
    cast(case when cast(period_end as date) = last_day(cast(period_end as date))
              then date_trunc('month', cast(period_end as date))
              else date_trunc('month', cast(period_end as date)) - interval 1 month end as date);

create or replace macro in_part_month(d, period_start, period_end) as
    d between period_start and period_end
    and (d < first_whole_month(period_start) or d > last_day(last_whole_month(period_end)));

-- The smallest cube level (aggregates.LEVELS) that holds the columns a query filters on and the one it
-- breaks down by (`dimension`, NULL for none): `total` for none, one filter's own level, the area's with
-- one other, else `full`. scope_columns_used gives one bit for each group of columns a query needs.
create or replace macro scope_columns_used(localities, districts, needs, age_groups, sources, placements, dimension) as
    cast(len(localities) + len(districts) > 0 or coalesce(dimension in ('district', 'locality'), false) as integer)
    + 2 * cast(len(needs) > 0 or coalesce(dimension = 'primary_need', false) as integer)
    + 4 * cast(len(age_groups) > 0 or coalesce(dimension = 'age_group', false) as integer)
    + 8 * cast(len(sources) > 0 or coalesce(dimension = 'request_source', false) as integer)
    + 16 * cast(len(placements) > 0 or coalesce(dimension = 'placement_type', false) as integer)
    + 32 * cast(coalesce(dimension not in ('district', 'locality', 'primary_need', 'age_group', 'request_source',
                                           'placement_type'), false) as integer);

create or replace macro cube_level(localities, districts, needs, age_groups, sources, placements, dimension) as
    coalesce([
        'total', 'area', 'primary_need', 'area_need', 'age_group', 'area_age', 'full', 'full',  -- 0 to 7
        'request_source', 'area_source', 'full', 'full', 'full', 'full', 'full', 'full',  -- 8 to 15
        'placement_type', 'area_placement'  -- 16, 17; any other set of columns needs the full level
    ][1 + scope_columns_used(localities, districts, needs, age_groups, sources, placements, dimension)], 'full');

-- The category of a request for breakdown's $dimension (NULL for a dimension it does not know).
create or replace macro request_category(dimension, locality, district, primary_need, age_group, request_source,
                                         placement_type) as
    case dimension
        when 'district' then district
        when 'locality' then locality
        when 'primary_need' then coalesce(primary_need, 'Not yet known')
        when 'age_group' then age_group
        when 'placement_type' then coalesce(placement_type, 'No plan issued')
        when 'request_source' then request_source
    end;

-- The group of an EP advice request for ep_monthly's $by: its provider, district or locality, else 'All'.
create or replace macro ep_breakdown(group_by, provider, district, locality) as
    case group_by
        when 'provider' then provider
        when 'district' then district
        when 'locality' then locality
        else 'All'
    end;

-- A plan holder's age in whole years at a date (the contract's "age at a date"): the age when the plan
-- started plus the whole years since, a year counted on the day and month the plan started.
create or replace macro plan_age(age_at_start, start_date, d) as
    age_at_start + year(d) - year(start_date)
    - case when month(d) * 100 + day(d) < month(start_date) * 100 + day(start_date) then 1 else 0 end;

-- The SEN2 age band of an age (contract.AGE_GROUPS; tests/measures/test_plans.py checks they agree).
create or replace macro age_band(age) as
    case
        when age between 0 and 4 then 'Under 5'
        when age between 5 and 10 then '5 to 10'
        when age between 11 and 15 then '11 to 15'
        when age between 16 and 19 then '16 to 19'
        when age between 20 and 25 then '20 to 25'
        when age > 25 then 'Over 25'
    end;

-- The same age from the two numbers review_spells keeps for it (build/plan_aggregates.py): age_base is
-- age_at_start less the start's year, start_md the start's month * 100 + day.
create or replace macro spell_age(age_base, start_md, d) as
    age_base + year(d) - case when month(d) * 100 + day(d) < start_md then 1 else 0 end;

-- How overdue a plan's annual review is on day d, from the spell's due day and the days it becomes 3, 6 and 12
-- months overdue: 0 not overdue, 1 up to 3 months, 2 3 to 6, 3 6 to 12, 4 over 12.
create or replace macro overdue_by(d, due_date, due_3_months, due_6_months, due_12_months) as
    case
        when d <= due_date then 0
        when d <= due_3_months then 1
        when d <= due_6_months then 2
        when d <= due_12_months then 3
        else 4
    end;

-- Whether a plan is maintained (active) on a day: started by it and not ceased by it.
create or replace macro plan_active_on(start_date, ceased_date, d) as
    start_date <= d and (ceased_date is null or ceased_date > d);

-- The group of a plan for the plans queries' $by, else 'All'; plan_breakdown from its age, plan_group from its
-- age group (a count already made by age group).
create or replace macro plan_group(group_by, placement_type, primary_need, district, locality, age_group) as
    case group_by
        when 'placement_type' then placement_type
        when 'primary_need' then primary_need
        when 'district' then district
        when 'locality' then locality
        when 'age_group' then age_group
        else 'All'
    end;

create or replace macro plan_breakdown(group_by, placement_type, primary_need, district, locality, age) as
    plan_group(group_by, placement_type, primary_need, district, locality, age_band(age));
