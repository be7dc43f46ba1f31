"""Tables the Health page's queries read, built once per data version (issue 13), beside aggregates.py's.

`build` runs inside aggregates._build right after plan_facts is created, while its temp tables `_requests`
(one row per EHC request, with request_row and scope_id) and `_advice` (each request's slowest completed EP
advice, ep_days, by request_row) exist. Both tables carry the scope_id of the EHC request (scopes decodes it),
so a query applies the shared filters through scopes; the advice extract may be empty (it is optional).

- advice_facts: one row per completed health or social care advice request (advice_requests with status
  'completed'), sorted by completed_date: the month it was completed, the days it took from the request
  (days_taken), service, provider and the scope_id of its EHC request, NULL when the request is not in the
  requests extract (queries/health_advice_completed.sql, under a filter: those then count nowhere).
- plan_advice_facts: one row per EHC plan issued (as plan_facts), sorted by plan_issued_date, with whether it
  was issued after 20 weeks (issued_late: more than 140 days) and which inputs were late: late_ep,
  late_health and late_social_care are each "the request's slowest completed advice of that input took more
  than 42 days" (health: every service but social care), false when it had none
  (queries/advice_bottleneck.sql, under a filter).
- advice_days and plan_advice_days: advice_facts and plan_advice_facts added up by day (and service and
  provider; month of issue) over every scope, for the same queries with no filter set: advice_days includes
  advice whose request is missing from the requests extract, as the record-level query does with no filter.
"""

from __future__ import annotations

import duckdb


def build(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the tables above from advice_requests, _requests and _advice."""
    # Completed advice with the row and scope of its EHC request: the one join on request_id.
    conn.execute(
        """
        create or replace temp table _health_done as
        select
            a.completed_date,
            a.completed_date - a.requested_date as days_taken,
            a.service,
            a.provider,
            r.request_row,
            r.scope_id
        from advice_requests as a
        left join _requests as r on r.request_id = a.request_id
        where a.status = 'completed'
        """
    )
    conn.execute(
        """
        create or replace table advice_facts as
        select
            completed_date,
            cast(date_trunc('month', completed_date) as date) as month,
            days_taken <= 42 as within_6_weeks,
            service,
            provider,
            scope_id
        from _health_done
        where completed_date is not null
        order by completed_date
        """
    )
    conn.execute(
        """
        create or replace table advice_days as
        select
            completed_date,
            month,
            service,
            provider,
            cast(count(*) as bigint) as completed,
            cast(count(*) filter (where within_6_weeks) as bigint) as within_6_weeks
        from advice_facts
        group by all
        order by completed_date
        """
    )
    conn.execute(
        """
        create or replace temp table _health_late as
        select
            request_row,
            coalesce(max(days_taken) filter (where service <> 'social_care') > 42, false) as late_health,
            coalesce(max(days_taken) filter (where service = 'social_care') > 42, false) as late_social_care
        from _health_done
        where request_row is not null
        group by request_row
        """
    )
    conn.execute("drop table _health_done")
    conn.execute(
        """
        create or replace table plan_advice_facts as
        select
            r.plan_issued_date,
            r.issued_month,
            r.days_to_plan > 140 as issued_late,
            coalesce(e.ep_days > 42, false) as late_ep,
            coalesce(h.late_health, false) as late_health,
            coalesce(h.late_social_care, false) as late_social_care,
            r.scope_id
        from _requests as r
        left join _advice as e on e.request_row = r.request_row
        left join _health_late as h on h.request_row = r.request_row
        where r.outcome = 'plan_issued' and r.plan_issued_date is not null
        order by r.plan_issued_date
        """
    )
    conn.execute("drop table _health_late")
    conn.execute(
        """
        create or replace table plan_advice_days as
        select
            plan_issued_date,
            issued_month,
            cast(count(*) as bigint) as plans_issued,
            cast(count(*) filter (where issued_late) as bigint) as issued_late,
            cast(count(*) filter (where issued_late and late_ep) as bigint) as late_with_late_ep,
            cast(count(*) filter (where issued_late and late_health) as bigint) as late_with_late_health,
            cast(count(*) filter (where issued_late and late_social_care) as bigint) as late_with_late_social_care,
            cast(count(*) filter (where issued_late and not late_ep and not late_health and not late_social_care)
                as bigint) as late_with_no_late_advice
        from plan_advice_facts
        group by all
        order by plan_issued_date
        """
    )
