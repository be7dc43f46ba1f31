-- One row per local authority with a published row for $measure in $period (newest release), marking $la_code and its $sn_model neighbours.
with figures as (
    select *
    from published_measures
    where preferred
      and measure = $measure
      and period = $period
      and geographic_level = 'Local authority'
),

neighbours as (
    select sn_new_la_code, sn_rank, sn_closeness
    from statistical_neighbours
    where model = $sn_model
      and new_la_code = $la_code
),

final as (
    select
        figures.new_la_code,
        figures.old_la_code,
        figures.la_name,
        figures.region_name,
        figures.value,
        figures.numerator,
        figures.denominator,
        figures.release_label,
        figures.source_file,
        figures.period_complete,
        figures.authorities_expected,
        coalesce(figures.new_la_code = $la_code, false) as is_selected,
        neighbours.sn_rank,
        neighbours.sn_closeness
    from figures
    left join neighbours on neighbours.sn_new_la_code = figures.new_la_code
    order by figures.la_name
)

select * from final
