-- One row per financial year with a published DSG high needs block allocation for authority $la_code
-- (ESFA allocation tables): the allocation before and after deductions, and the release and file the
-- before-deductions figure comes from.
with allocations as (
    select
        measure,
        period,
        period_order,
        value,
        release_label,
        source_file
    from published_measures
    where preferred
      and geographic_level = 'Local authority'
      and new_la_code = $la_code
      and measure in ('high_needs_block', 'high_needs_block_after_deductions')
),

final as (
    select
        period as financial_year,
        period_order as fy_start_year,
        max(value) filter (where measure = 'high_needs_block') as allocation_gbp,
        max(value) filter (where measure = 'high_needs_block_after_deductions') as allocation_after_deductions_gbp,
        max(release_label) filter (where measure = 'high_needs_block') as release_label,
        max(source_file) filter (where measure = 'high_needs_block') as source_file
    from allocations
    group by all
)

select * from final order by fy_start_year
