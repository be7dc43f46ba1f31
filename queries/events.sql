-- One row per milestone (from reference/events.csv) dated between $period_start and $period_end.
with final as (
    select date, label, source
    from events
    where date between $period_start and $period_end
)

select * from final order by date
