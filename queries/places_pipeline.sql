-- One row per setting and planned opening date recorded at any census up to $at: the planned places as
-- last recorded, the censuses that recorded them, and the setting's commissioned places at that last
-- census (0 for a setting that does not exist yet, such as a new school). Filters as in places_census.
with scoped as (
    select *
    from specialist_places
    where snapshot_date <= $at
      and in_area(locality, district, $localities, $districts)
      and (len($needs) = 0 or coalesce(list_contains($needs, designation), false))
      and (len($setting_types) = 0 or coalesce(list_contains($setting_types, setting_type), false))
),

final as (
    select
        setting_id,
        arg_max(setting_name, snapshot_date) as setting_name,
        arg_max(setting_type, snapshot_date) as setting_type,
        arg_max(district, snapshot_date) as district,
        arg_max(designation, snapshot_date) as designation,
        planned_open_date,
        arg_max(planned_places, snapshot_date) as planned_places,
        arg_max(commissioned_places, snapshot_date) as commissioned_when_recorded,
        min(snapshot_date) as first_recorded,
        max(snapshot_date) as last_recorded
    from scoped
    where coalesce(planned_places, 0) > 0
    group by setting_id, planned_open_date
)

select * from final order by planned_open_date, setting_name
