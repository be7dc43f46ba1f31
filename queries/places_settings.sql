-- One row per setting at the census of $census_date: its places, spare places, occupancy and whether
-- it is over 100% occupied, with any places planned in the pipeline. Filters as in places_census.
with scoped as (
    select *
    from specialist_places
    where snapshot_date = $census_date
      and in_area(locality, district, $localities, $districts)
      and (len($needs) = 0 or coalesce(list_contains($needs, designation), false))
      and (len($setting_types) = 0 or coalesce(list_contains($setting_types, setting_type), false))
),

final as (
    select
        setting_id,
        setting_name,
        setting_type,
        district,
        designation,
        commissioned_places as commissioned,
        occupied_places as occupied,
        commissioned_places - occupied_places as spare,
        case when commissioned_places > 0 then 100.0 * occupied_places / commissioned_places end as occupancy_pct,
        occupied_places > commissioned_places as over_capacity,
        coalesce(planned_places, 0) as planned_places,
        planned_open_date
    from scoped
)

select * from final order by setting_name, setting_id
