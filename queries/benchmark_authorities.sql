-- One row per local authority that can be benchmarked: those with a figure in the latest SEN2 data, with codes and region.
with authorities as (
    select *
    from la_lookup
    where current
),

final as (
    select
        new_la_code,
        old_la_code,
        la_name,
        region_code,
        region_name
    from authorities
    order by la_name
)

select * from final
