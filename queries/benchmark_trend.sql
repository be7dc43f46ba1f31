-- One row per period and comparison area for $measure: authority $la_code, England, its region and each $sn_model neighbour.
with authority as (
    select *
    from la_lookup
    where new_la_code = $la_code
),

neighbours as (
    select sn_new_la_code, sn_rank
    from statistical_neighbours
    where model = $sn_model
      and new_la_code = $la_code
),

figures as (
    select *
    from published_measures
    where preferred
      and measure = $measure
),

areas as (
    select 'authority' as role, null::integer as sn_rank, figures.*
    from figures
    where geographic_level = 'Local authority'
      and new_la_code = $la_code

    union all

    select 'england' as role, null::integer as sn_rank, figures.*
    from figures
    where geographic_level = 'National'

    union all

    select 'region' as role, null::integer as sn_rank, figures.*
    from figures
    inner join authority on figures.region_code = authority.region_code
    where figures.geographic_level = 'Regional'

    union all

    select 'neighbour' as role, neighbours.sn_rank, figures.*
    from figures
    inner join neighbours on figures.new_la_code = neighbours.sn_new_la_code
    where figures.geographic_level = 'Local authority'
),

final as (
    select
        role,
        sn_rank,
        period,
        period_order,
        area_code,
        area_name,
        value,
        numerator,
        denominator,
        release_label,
        source_file,
        derived
    from areas
    order by period_order, role, sn_rank
)

select * from final
