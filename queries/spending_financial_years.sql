-- One row per financial year (April to March) in the spending extract: its first and last month, how
-- many months it has, and how many had closed by $as_of (an actual recorded and the month ended).
with spending_rows as (
    select
        fy_start_year,
        financial_year,
        month,
        actual_gbp is not null and last_day(month) <= $as_of as closed
    from spending
),

final as (
    select
        fy_start_year,
        financial_year,
        min(month) as first_month,
        max(month) as last_month,
        count(distinct month) as months,
        count(distinct month) filter (where closed) as months_closed
    from spending_rows
    group by all
)

select * from final order by fy_start_year
