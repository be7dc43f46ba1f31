-- One row per month from $period_start to $period_end that the spending extract has, for the budget
-- lines in $budget_lines and funding sources in $funding_sources (empty = all): the month's budget,
-- and the actual of the lines whose month had closed by $as_of (an actual recorded and the month
-- ended) beside the budget of those same lines, so the variance compares like with like.
with spending_rows as (
    select
        month,
        fy_start_year,
        financial_year,
        budget_gbp,
        actual_gbp,
        actual_gbp is not null and last_day(month) <= $as_of as closed
    from spending
    where month between $period_start and $period_end
      and (len($budget_lines) = 0 or coalesce(list_contains($budget_lines, budget_line), false))
      and (len($funding_sources) = 0 or coalesce(list_contains($funding_sources, funding_source), false))
),

final as (
    select
        month,
        fy_start_year,
        financial_year,
        count(*) as lines,
        count(*) filter (where closed) as lines_closed,
        sum(budget_gbp) as budget_gbp,
        sum(budget_gbp) filter (where closed) as budget_closed_gbp,
        sum(actual_gbp) filter (where closed) as actual_gbp
    from spending_rows
    group by all
)

select * from final order by month
