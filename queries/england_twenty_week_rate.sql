-- One row per calendar year: England's published 20-week rate (plans issued within 20 weeks, including
-- and excluding exceptions) from the newest DfE release that has the year, for reference lines.
with england as (
    select period_order as year, measure, value, release_label
    from published_measures
    where preferred
      and geographic_level = 'National'
      and measure in ('twenty_week_rate_incl', 'twenty_week_rate_excl')
),

final as (
    select
        year,
        max(value) filter (where measure = 'twenty_week_rate_incl') as rate_incl,
        max(value) filter (where measure = 'twenty_week_rate_excl') as rate_excl,
        max(release_label) as release
    from england
    group by year
)

select * from final order by year
