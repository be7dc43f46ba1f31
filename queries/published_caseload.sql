-- The published count of active EHC plans at each January census for authority $la_code (DfE SEN2,
-- preferred release for each year), for drawing beside the local extract's count.
with final as (
    select
        period_order as census_year,
        value as published_plans,
        release_label
    from published_measures
    where preferred
      and measure = 'ehc_plans'
      and geographic_level = 'Local authority'
      and new_la_code = $la_code
)

select * from final order by census_year
