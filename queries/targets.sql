-- One row per target in reference/targets.csv: what the dashboard judges each figure against, and why.
with final as (
    select metric, label, target, unit, due_date, baseline, baseline_date, polarity, source
    from targets
)

select * from final order by metric
