-- One row per district with its locality (from reference/districts.csv), for the area filters.
with final as (
    select district, locality
    from districts
)

select * from final order by locality, district
