-- One row per statistical neighbour of $la_code in DfE model $sn_model, closest first.
with neighbours as (
    select *
    from statistical_neighbours
    where model = $sn_model
      and new_la_code = $la_code
),

final as (
    select
        sn_rank,
        sn_new_la_code,
        sn_old_la_code,
        sn_la_name,
        sn_closeness
    from neighbours
    order by sn_rank
)

select * from final
