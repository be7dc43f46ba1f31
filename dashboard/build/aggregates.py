"""Tables built once per data version so the named queries need not scan every record on each rerun.

`build` runs in store.build after the extracts are loaded and sql/macros.sql has run. Everything here is
derived from the served extract tables:

- scopes: one row per combination of the six filter columns (SCOPE) found in the data, numbered by
  scope_id. The other tables carry scope_id instead of the six columns, which keeps them small and cheap
  to build; a query reaches the columns by joining scopes.
- Facts: narrow record-level copies sorted by the date the queries cut on, so a query that needs the
  records of a few days, or of the cases open at a date, reads only the row groups that hold them:
  plan_facts (EHC plans issued, with how late their EP advice was and whether health and social care advice
  were late), open_facts (requests, by the day they
  stop being open, with the day their first EP advice was completed) and ep_facts (EP advice requests, in
  the scope of the EHC request they are for).
- outlook_flows: the backlog simulator's flows for the whole area, one row per calendar month.
- The plans and reviews tables: plan_aggregates.py; the health advice tables: health_aggregates.py.
- Cubes: counts by calendar month and scope, at several levels. The `full` level counts by scope_id;
  each other level (LEVELS) keeps only some scope columns and adds up over the rest, which it holds as
  NULL. Each cube is a view over two tables (<cube>_full and <cube>_rollups) with a `level` column and
  the six scope columns (cube_plan_days, which has no full level, is a table); cube_level() in
  sql/macros.sql names the smallest level that can answer a query's filters, and a query on one level
  reads only that level's rows. ep_backlog_through() is the last month the EP extract reaches.

The cubes count whole months only. A period starting or ending mid-month takes its whole months from a
cube and its other days from the records (first_whole_month, last_whole_month and in_part_month in
sql/macros.sql), so every query returns what counting the records would.

The SQL here is composed only from this module's own names (columns, levels, measures) and counts; the
data's values reach DuckDB as bound parameters (hence the S608 exemptions).
"""

from __future__ import annotations

from math import prod

import duckdb

from dashboard.build import health_aggregates, plan_aggregates

# The filter columns every request carries (an EP advice request: its own area, the rest through its
# EHC request), in the order of their places in scope_id.
SCOPE = ("locality", "district", "primary_need", "age_group", "request_source", "placement_type")
_AREA = ("locality", "district")
_SCOPE_COLUMNS = ", ".join(SCOPE)

# The scope columns each level keeps, beside `full` (all of them), which the others are added up from:
# none, one filter's, or the area's with one other (so a breakdown by district under one other filter, or
# by something else under an area filter, has a level). cube_level() in sql/macros.sql chooses among these
# names; need_placement is for specialist_demand_monthly.
LEVELS = {
    "total": (),
    "area": _AREA,
    "primary_need": ("primary_need",),
    "age_group": ("age_group",),
    "request_source": ("request_source",),
    "placement_type": ("placement_type",),
    "area_need": (*_AREA, "primary_need"),
    "area_age": (*_AREA, "age_group"),
    "area_source": (*_AREA, "request_source"),
    "area_placement": (*_AREA, "placement_type"),
    "need_placement": ("primary_need", "placement_type"),
}
_USUAL_LEVELS = tuple(level for level in LEVELS if level != "need_placement")
_SINGLE_LEVELS = ("total", "area", "primary_need", "age_group", "request_source", "placement_type")

_NOT_CLOSED = "date '9999-12-31'"  # open_until of a record that has not closed
_EP_BANDS = {
    "waited_up_to_6_weeks": "<= 42",
    "waited_6_to_12_weeks": "between 43 and 84",
    "waited_12_to_20_weeks": "between 85 and 140",
    "waited_20_to_52_weeks": "between 141 and 364",
    "waited_over_52_weeks": "> 364",
}


class _ScopeCode:
    """scope_id: each scope column's place in its list of values (0 for NULL), written in mixed radix, so
    two rows share a scope_id exactly when they share all six values. The lists are bound as $<column>."""

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.values: dict[str, list[str]] = {}
        for column in SCOPE:
            source = "ehcp_requests"
            if column in _AREA:  # an EP request's own area counts too
                source = f"(select {column} from ehcp_requests union all select {column} from ep_assessments)"  # noqa: S608
            sql = f"select distinct {column} from {source} where {column} is not null order by 1"  # noqa: S608
            rows = conn.execute(sql)
            self.values[column] = [value for (value,) in rows.fetchall()]
        self.radix = {column: len(self.values[column]) + 1 for column in SCOPE}
        # What a column's place is multiplied by: the product of the radices after it.
        self.weight = {column: prod(self.radix[c] for c in SCOPE[i + 1 :]) for i, column in enumerate(SCOPE)}

    def code(self, columns: tuple[str, ...], table: str = "") -> str:
        """SQL for the part of scope_id that `columns` (of SCOPE) make, from `table`'s columns."""
        return " + ".join(
            f"coalesce(list_position(${c}, {table}{c}), 0) * cast({self.weight[c]} as bigint)"
            for c in columns
        )

    def of_request_part(self, scope_id: str) -> str:
        """SQL for the part of a request's scope_id made by the columns after its area."""
        return f"({scope_id} % {self.weight['district']})"

    def place(self, column: str) -> str:
        """SQL for a column's place in its list of values (0 for NULL), read off scope_id."""
        return f"cast((scope_id // {self.weight[column]}) % {self.radix[column]} as integer)"

    def decoded(self) -> str:
        """SQL for the six scope columns of a scope_id."""
        return ", ".join(f"list_extract(${c}, {self.place(c)}) as {c}" for c in SCOPE)


def _level_name(levels: tuple[str, ...]) -> str:
    """SQL naming the level of a row of a `group by grouping sets` over the levels' columns."""
    cases = " ".join(
        f"when {sum(1 << (len(SCOPE) - 1 - i) for i, c in enumerate(SCOPE) if c not in LEVELS[level])} "
        f"then '{level}'"
        for level in levels
    )
    return f"case grouping({', '.join(SCOPE)}) {cases} end"


def _cube(
    conn: duckdb.DuckDBPyConnection,
    code: _ScopeCode,
    name: str,
    keys: tuple[str, ...],
    parts: list[tuple[str, tuple[str, ...]]],
    levels: tuple[str, ...] = _USUAL_LEVELS,
    full: bool = True,
) -> None:
    """Create cube `name`: counts by scope and `keys` at each of `levels`, and at `full` unless told not.

    With `full`, the cube is a view over <name>_full (by scope_id) and <name>_rollups; without, a table.
    Each part is a select of record-level rows (scope_id, the keys, and the measures it names as numbers to
    add up) with the names of its measures; a part counts 0 for the cube's other measures.
    """
    measures = list(dict.fromkeys(m for _, names in parts for m in names))
    key_columns = ", ".join(keys)
    totals = ", ".join(f"cast(sum({m}) as bigint) as {m}" for m in measures)
    # Each part is added up on its own first, so no part carries the others' zeros through a large grouping.
    rows = (
        parts[0][0]
        if len(parts) == 1
        else " union all ".join(
            f"select scope_id, {key_columns}, "  # noqa: S608
            + ", ".join(f"sum({m}) as {m}" if m in names else f"0 as {m}" for m in measures)
            + f" from ({source}) group by all"
            for source, names in parts
        )
    )
    if full:
        conn.execute(
            f"create or replace table {name}_full as "  # noqa: S608
            f"select scope_id, {key_columns}, {totals} from ({rows}) group by all"
        )
    # The levels are added up by each scope column's place in its list (read off scope_id, so no join), and
    # the places turned back into values once added up; without a full level, straight from the rows.
    grouping_sets = ", ".join(f"({', '.join([*LEVELS[level], *keys])})" for level in levels)
    places = ", ".join(f"{code.place(c)} as {c}" for c in SCOPE)
    conn.execute(
        f"create or replace table {name if not full else f'{name}_rollups'} as "  # noqa: S608
        f"select level, {', '.join(f'list_extract(${c}, {c}) as {c}' for c in SCOPE)}, {key_columns}, "
        f"{', '.join(measures)} from ("
        f"    select {_level_name(levels)} as level, {_SCOPE_COLUMNS}, {key_columns}, {totals} "
        f"    from (select {places}, {key_columns}, {', '.join(measures)} from ({f'{name}_full' if full else rows})) "
        f"    group by grouping sets ({grouping_sets})"
        f") order by level",
        code.values,
    )
    if not full:
        return
    conn.execute(
        f"create or replace view {name} as "  # noqa: S608
        f"select level, {', '.join(SCOPE)}, {key_columns}, {', '.join(measures)} from {name}_rollups "
        f"union all "
        f"select 'full', {', '.join(f's.{c}' for c in SCOPE)}, {', '.join(f'f.{k}' for k in keys)}, "
        f"{', '.join(f'f.{m}' for m in measures)} "
        f"from {name}_full as f inner join scopes as s on s.scope_id = f.scope_id"
    )


def build(conn: duckdb.DuckDBPyConnection) -> None:
    """Create scopes, the fact tables and the cubes from the loaded extract tables."""
    # Row order within a statement does not matter here (tables that need an order are sorted), and
    # keeping it would hold back DuckDB's parallel writes.
    (keep_order,) = conn.execute("select current_setting('preserve_insertion_order')").fetchone()
    conn.execute("set preserve_insertion_order = false")
    try:
        _build(conn)
    finally:
        conn.execute(f"set preserve_insertion_order = {bool(keep_order)}")


def _build(conn: duckdb.DuckDBPyConnection) -> None:
    plan_aggregates.build(conn)
    code = _ScopeCode(conn)
    conn.execute(
        f"create or replace temp table _requests as "  # noqa: S608
        f"select rowid as request_row, request_id, received_date, received_month, decision, decision_date, "
        f"decision_month, days_to_decision, outcome, plan_issued_date, issued_month, days_to_plan, exception_20wk, "
        f"closed_on, {code.code(SCOPE)} as scope_id from ehcp_requests",
        code.values,
    )
    # EP advice requests with the row and scope of the EHC request they are for: the one join on request_id.
    conn.execute(
        f"create or replace temp table _ep as "  # noqa: S608
        f"select ep.requested_date, ep.completed_date, ep.status, ep.provider, r.request_row, "
        f"{code.code(_AREA, 'ep.')} + coalesce({code.of_request_part('r.scope_id')}, 0) as scope_id "
        f"from ep_assessments as ep left join _requests as r on r.request_id = ep.request_id",
        {c: code.values[c] for c in _AREA},
    )
    conn.execute(
        f"create or replace table scopes as "  # noqa: S608
        f"select scope_id, {code.decoded()} "
        f"from (select scope_id from _requests union select scope_id from _ep) order by scope_id",
        code.values,
    )
    # Each EHC request's completed EP advice: the longest it took (plan_facts) and when it first arrived
    # (open_facts, for the stage an open request waits at on a date).
    conn.execute(
        "create or replace temp table _advice as "
        "select request_row, max(completed_date - requested_date) as ep_days, min(completed_date) as advised_on "
        "from _ep where status = 'completed' and request_row is not null group by request_row"
    )
    health_aggregates.late_advice(conn)  # _health_late: each request's late health and social care advice
    conn.execute(
        """
        create or replace table plan_facts as
        select
            r.plan_issued_date,
            r.issued_month,
            r.days_to_plan,
            coalesce(r.exception_20wk, false) as exception_applies,
            case when a.ep_days is null then 'none' when a.ep_days > 42 then 'late' else 'on_time' end
                as ep_advice,
            coalesce(h.late_health, false) as late_health,
            coalesce(h.late_social_care, false) as late_social_care,
            r.scope_id
        from _requests as r
        left join _advice as a on a.request_row = r.request_row
        left join _health_late as h on h.request_row = r.request_row
        where r.outcome = 'plan_issued' and r.plan_issued_date is not null
        order by r.plan_issued_date
        """
    )
    health_aggregates.build(conn)  # advice_facts, advice_days, plan_advice_days
    conn.execute(
        f"create or replace table open_facts as "  # noqa: S608
        f"select r.received_date, r.decision_date, a.advised_on, r.closed_on, "
        f"coalesce(r.closed_on, {_NOT_CLOSED}) as open_until, r.scope_id "
        f"from _requests as r left join _advice as a on a.request_row = r.request_row "
        f"order by open_until, received_date"
    )
    conn.execute("drop table _advice")
    # The backlog simulator's monthly flows for the whole area (queries/outlook_monthly_flows.sql picks the
    # months): requests received; decisions (to assess or not, or withdrawn before one) and, of those, the
    # ones decided to assess and not since ended without a plan (carried_on); EP advice completed; plans
    # issued, and those issued within 20 weeks (140 days) of the request.
    conn.execute(
        """
        create or replace table outlook_flows as
        with received as (
            select received_month as month, count(*) as requests from _requests group by all
        ),
        decided as (
            select
                decision_month as month,
                count(*) as decisions,
                count(*) filter (where decision = 'assess' and outcome in ('plan_issued', 'ongoing')) as carried_on
            from _requests
            where decision in ('assess', 'not_assess', 'withdrawn')
            group by all
        ),
        issued as (
            select issued_month as month, count(*) as plans_issued,
                   count(*) filter (where days_to_plan <= 140) as within_20_weeks
            from _requests
            where outcome = 'plan_issued'
            group by all
        ),
        advice as (
            select cast(date_trunc('month', completed_date) as date) as month, count(*) as ep_completed
            from _ep
            where status = 'completed'
            group by all
        ),
        months as (
            select month from received union select month from decided
            union select month from issued union select month from advice
        )
        select
            m.month,
            cast(coalesce(r.requests, 0) as bigint) as requests,
            cast(coalesce(d.decisions, 0) as bigint) as decisions,
            cast(coalesce(d.carried_on, 0) as bigint) as carried_on,
            cast(coalesce(a.ep_completed, 0) as bigint) as ep_completed,
            cast(coalesce(i.plans_issued, 0) as bigint) as plans_issued,
            cast(coalesce(i.within_20_weeks, 0) as bigint) as within_20_weeks
        from months as m
        left join received as r on r.month = m.month
        left join decided as d on d.month = m.month
        left join issued as i on i.month = m.month
        left join advice as a on a.month = m.month
        where m.month is not null
        order by m.month
        """
    )
    conn.execute(
        f"create or replace table ep_facts as "  # noqa: S608
        f"select requested_date, completed_date, status, provider, "
        f"coalesce(completed_date, {_NOT_CLOSED}) as open_until, scope_id "
        f"from _ep order by open_until, requested_date"
    )
    conn.execute("drop table _ep")
    # The last month the EP extract reaches, as a constant the queries can prune on: cube_ep_waiting holds the
    # backlog at every month end up to it, and after it only advice never completed can still be waiting.
    (last_month,) = conn.execute(
        "select cast(date_trunc('month', max(greatest(requested_date, coalesce(completed_date, requested_date)))) "
        "as date) from ep_facts"
    ).fetchone()
    last_month_sql = f"date '{last_month.isoformat()}'" if last_month else "cast(null as date)"
    conn.execute(f"create or replace macro ep_backlog_through() as {last_month_sql}")

    _cube(
        conn,
        code,
        "cube_received",
        ("received_month", "decision", "outcome"),
        [("select *, 1 as requests from _requests", ("requests",))],
    )
    _cube(
        conn,
        code,
        "cube_decided",
        ("decision_month",),
        [
            (
                "select *, 1 as decisions, case when days_to_decision <= 42 then 1 else 0 end as within_6_weeks "
                "from _requests where decision in ('assess', 'not_assess')",
                ("decisions", "within_6_weeks"),
            )
        ],
    )
    # The changes open_caseload_by_month adds up, by the month they fall in: a request opens, closes,
    # passes 20 weeks while open, and closes after passing them.
    _cube(
        conn,
        code,
        "cube_open_changes",
        ("month",),
        [
            ("select scope_id, received_month as month, 1 as open_change from _requests", ("open_change",)),
            (
                "select scope_id, cast(date_trunc('month', closed_on) as date) as month, -1 as open_change "
                "from _requests where closed_on is not null",
                ("open_change",),
            ),
            (
                "select scope_id, cast(date_trunc('month', received_date + 141) as date) as month, "
                "1 as overdue_change from _requests where closed_on is null or closed_on > received_date + 141",
                ("overdue_change",),
            ),
            (
                "select scope_id, cast(date_trunc('month', closed_on) as date) as month, -1 as overdue_change "
                "from _requests where closed_on > received_date + 141",
                ("overdue_change",),
            ),
        ],
    )
    conn.execute("drop table _requests")
    _cube(
        conn,
        code,
        "cube_issued",
        ("issued_month", "within_20_weeks", "exception_applies", "ep_advice"),
        [("select *, days_to_plan <= 140 as within_20_weeks, 1 as plans from plan_facts", ("plans",))],
        levels=tuple(LEVELS),
    )
    # Days to plan, for the median. No full level: it would be nearly as large as plan_facts, which
    # timeliness_by_month reads under filters no single level answers.
    _cube(
        conn,
        code,
        "cube_plan_days",
        ("issued_month", "days_to_plan", "exception_applies"),
        [("select *, 1 as plans from plan_facts", ("plans",))],
        levels=_SINGLE_LEVELS,
        full=False,
    )
    # EP advice requested, completed, and waiting at each month end to the last month of the extract: three
    # cubes, as they count by different months.
    _cube(
        conn,
        code,
        "cube_ep_requested",
        ("month", "provider"),
        [
            (
                "select scope_id, cast(date_trunc('month', requested_date) as date) as month, provider, "
                "1 as requested from ep_facts",
                ("requested",),
            )
        ],
    )
    _cube(
        conn,
        code,
        "cube_ep_completed",
        ("month", "provider"),
        [
            (
                "select scope_id, cast(date_trunc('month', completed_date) as date) as month, provider, "
                "1 as completed, case when completed_date - requested_date <= 42 then 1 else 0 end "
                "as completed_within_6_weeks from ep_facts where status = 'completed' and completed_date is not null",
                ("completed", "completed_within_6_weeks"),
            )
        ],
    )
    waits = ", ".join(
        f"case when m.month_end - s.requested_date {rule} then 1 else 0 end as {band}"
        for band, rule in _EP_BANDS.items()
    )
    _cube(
        conn,
        code,
        "cube_ep_waiting",
        ("month", "provider"),
        [
            (
                f"""
                select s.scope_id, m.month, s.provider, 1 as backlog, {waits}
                from (
                    select cast(month as date) as month, last_day(cast(month as date)) as month_end
                    from (
                        select unnest(generate_series(min(date_trunc('month', requested_date)),
                                                      ep_backlog_through(), interval 1 month)) as month
                        from ep_facts
                    )
                ) as m
                inner join ep_facts as s on s.requested_date <= m.month_end and s.open_until > m.month_end
                where s.status in ('open', 'completed')
                """,  # noqa: S608
                ("backlog", *_EP_BANDS),
            )
        ],
    )
    # The three as one, for a query to pick its level and scope once.
    ep_measures = ("requested", "completed", "completed_within_6_weeks", "backlog", *_EP_BANDS)
    cubes = {
        "cube_ep_requested": ("requested",),
        "cube_ep_completed": ("completed", "completed_within_6_weeks"),
        "cube_ep_waiting": ("backlog", *_EP_BANDS),
    }
    selects = [
        f"select level, {_SCOPE_COLUMNS}, month, provider, "  # noqa: S608
        + ", ".join(m if m in measures else f"0 as {m}" for m in ep_measures)
        + f" from {cube}"
        for cube, measures in cubes.items()
    ]
    conn.execute("create or replace view cube_ep as " + " union all ".join(selects))
