-- One row per published measure with at least one figure: how many periods, and the first and latest.
with figures as (
    select measure, period, period_order
    from published_measures
    where preferred
      and value is not null
),

final as (
    select
        measure,
        count(distinct period) as periods,
        arg_min(period, period_order) as first_period,
        arg_max(period, period_order) as latest_period
    from figures
    group by measure
    order by measure
)

select * from final
