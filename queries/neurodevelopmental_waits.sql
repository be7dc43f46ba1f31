-- Neurodevelopmental assessment referrals, completions and the waiting list at month end by band of weeks
-- waited, for each month from $period_start to $period_end, pathway and ICB place. The list is the sum of
-- the five bands (the contract's definition). Counted by ICB place, so the area and other filters do not apply.
select
    month,
    pathway,
    place,
    referrals_received,
    assessments_completed,
    waiting_0_13,
    waiting_13_26,
    waiting_26_52,
    waiting_52_104,
    waiting_over_104,
    waiting_0_13 + waiting_13_26 + waiting_26_52 + waiting_52_104 + waiting_over_104 as waiting_list
from neurodevelopmental_waits
where month between date_trunc('month', cast($period_start as date)) and cast($period_end as date)
order by month, pathway, place
