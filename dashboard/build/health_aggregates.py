"""Tables the Health page's queries read, built once per data version (issue 13), beside aggregates.py's.

Both steps run inside aggregates._build while its temp table `_requests` (one row per EHC request, with
request_row and scope_id) exists; the advice extract may be empty (it is optional).

- `late_advice`, before plan_facts is made: the temp table `_health_late`, each EHC request's lateness of
  health advice and of social care advice ("the request's slowest completed advice of that kind took more than
  42 days"; health: every service but social care), which plan_facts carries as late_health and
  late_social_care beside its ep_advice.
- `build`, after plan_facts:
  - advice_facts: one row per completed health or social care advice request (advice_requests with status
    'completed'), sorted by completed_date: the month it was completed, whether within six weeks (42 days),
    service, provider and the scope_id of its EHC request, NULL when the request is not in the requests
    extract (queries/health_advice_completed.sql, under a filter: those then count nowhere).
  - advice_days: advice_facts added up by day, service and provider over every scope, for the same query with
    no filter set (it includes advice whose request is missing, as the record-level query does then).
  - plan_lateness: a view of plan_facts naming, for each issued plan, whether it was issued after 20 weeks
    (more than 140 days) and whether its EP, health and social care advice were late.
  - plan_advice_days: plan_lateness added up by day of issue (queries/advice_bottleneck.sql reads it with no
    filter set, and plan_lateness under a filter).
"""

from __future__ import annotations

import duckdb


def late_advice(conn: duckdb.DuckDBPyConnection) -> None:
    """Create `_health_done` (completed advice with its request's row and scope) and `_health_late`."""
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


def build(conn: duckdb.DuckDBPyConnection) -> None:
    """Create advice_facts, advice_days, plan_lateness and plan_advice_days (after late_advice and plan_facts)."""
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
    conn.execute("drop table _health_done")
    conn.execute("drop table _health_late")
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
        create or replace view plan_lateness as
        select
            plan_issued_date,
            issued_month,
            days_to_plan > 140 as issued_late,
            ep_advice = 'late' as late_ep,
            late_health,
            late_social_care,
            scope_id
        from plan_facts
        """
    )
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
        from plan_lateness
        group by all
        order by plan_issued_date
        """
    )
