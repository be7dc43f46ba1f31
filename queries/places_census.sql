-- One row per census (snapshot) date from $period_start to $period_end and per breakdown group ($by =
-- 'setting_type', 'designation', 'district' or 'locality'; anything else gives one group, 'All'):
-- settings, commissioned and occupied places, spare places (commissioned minus occupied, negative when
-- settings are over-occupied), free places in settings that have room, settings over 100% occupancy and
-- places planned in the pipeline. Area filters apply to the setting's district (out-of-area settings
-- only when no area is chosen), the need filter to its designation, $setting_types to its type.
with scoped as (
    select
        snapshot_date,
        commissioned_places,
        occupied_places,
        planned_places,
        case $by
            when 'setting_type' then setting_type
            when 'designation' then designation
            when 'district' then district
            when 'locality' then coalesce(locality, 'out_of_area')
            else 'All'
        end as breakdown
    from specialist_places
    where snapshot_date between $period_start and $period_end
      and in_area(locality, district, $localities, $districts)
      and (len($needs) = 0 or coalesce(list_contains($needs, designation), false))
      and (len($setting_types) = 0 or coalesce(list_contains($setting_types, setting_type), false))
),

final as (
    select
        snapshot_date,
        breakdown,
        count(*) as settings,
        cast(sum(commissioned_places) as bigint) as commissioned,
        cast(sum(occupied_places) as bigint) as occupied,
        cast(sum(commissioned_places - occupied_places) as bigint) as spare,
        cast(sum(greatest(commissioned_places - occupied_places, 0)) as bigint) as free_in_settings_with_room,
        count(*) filter (where occupied_places > commissioned_places) as settings_over_capacity,
        cast(coalesce(sum(planned_places), 0) as bigint) as planned
    from scoped
    group by all
)

select * from final order by snapshot_date, breakdown
