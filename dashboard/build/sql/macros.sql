-- Filter macros stored in every built database, so each query states its filters in one line.
-- An empty list means "all".

create or replace macro in_area(locality, district, localities, districts) as
    (len(localities) = 0 or coalesce(list_contains(localities, locality), false))
    and (len(districts) = 0 or coalesce(list_contains(districts, district), false));

create or replace macro in_scope(locality, district, need, age_group, localities, districts, needs, age_groups) as
    in_area(locality, district, localities, districts)
    and (len(needs) = 0 or coalesce(list_contains(needs, need), false))
    and (len(age_groups) = 0 or coalesce(list_contains(age_groups, age_group), false));

-- The drill-down filters on requests: who asked, and the placement the plan named (only requests that
-- led to a plan naming it).
create or replace macro in_request_scope(request_source, placement_type, sources, placements) as
    (len(sources) = 0 or coalesce(list_contains(sources, request_source), false))
    and (len(placements) = 0 or coalesce(list_contains(placements, placement_type), false));

-- Whether a request is still open (awaiting a decision, or assessed and awaiting a plan) at a date.
-- closed_on is worked out once when the extract is loaded (loader.REQUEST_CLOSED_ON).
create or replace macro is_open_at(received_date, closed_on, at_date) as
    received_date <= at_date and (closed_on is null or closed_on > at_date);
