-- One row per financial year from $first_year to $last_year (by the year it starts) and budget line,
-- for the funding sources in $funding_sources (empty = all), as known at $as_of. A month is closed
-- for a line when it has an actual and the month had ended by $as_of; budget and actual to date add up
-- the closed months only, so they compare like with like, and the rest of the budget is still to come.
with spending_rows as (
    select
        fy_start_year,
        financial_year,
        month,
        budget_line,
        funding_source,
        budget_gbp,
        actual_gbp,
        actual_gbp is not null and last_day(month) <= $as_of as closed
    from spending
    where fy_start_year between $first_year and $last_year
      and (len($funding_sources) = 0 or coalesce(list_contains($funding_sources, funding_source), false))
),

final as (
    select
        fy_start_year,
        financial_year,
        budget_line,
        funding_source,
        count(*) as months,
        count(*) filter (where closed) as months_closed,
        max(month) filter (where closed) as last_closed_month,
        sum(budget_gbp) as budget_gbp,
        coalesce(sum(budget_gbp) filter (where closed), 0) as budget_to_date_gbp,
        coalesce(sum(actual_gbp) filter (where closed), 0) as actual_to_date_gbp,
        coalesce(sum(budget_gbp) filter (where not closed), 0) as budget_not_closed_gbp
    from spending_rows
    group by all
)

select * from final order by fy_start_year, budget_line, funding_source
