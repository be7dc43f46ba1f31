-- One row per period with at least one published figure for $measure, newest first, with the releases it comes from.
with figures as (
    select *
    from published_measures
    where preferred
      and measure = $measure
      and value is not null
),

final as (
    select
        period,
        period_order,
        count(*) filter (where geographic_level = 'Local authority') as authorities_with_figure,
        string_agg(distinct release_label, '; ' order by release_label) as releases
    from figures
    group by period, period_order
    order by period_order desc
)

select * from final
