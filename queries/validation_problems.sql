-- One row per rejected cell or row found when the current data version was loaded.
with final as (
    select file, line, column_name, value, rule
    from validation_problems
)

select * from final order by file, line, column_name
