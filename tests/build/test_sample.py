"""The synthetic sample: calibrated to the published Lancashire figures, valid under the contract, reproducible."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import contract
from dashboard.build import sample
from dashboard.dates import census_day

COMMITTED_DATA = Path(__file__).resolve().parents[2] / "data"
GENERATED_FILES = (
    "ehcp_requests.csv",
    "ep_assessments.csv",
    "specialist_places.csv",
    "spending.csv",
    "ehcp_plans.csv",
    "annual_reviews.csv",
    "reference/districts.csv",
    "reference/targets.csv",
    "reference/events.csv",
    sample.MARKER_FILE,
)
_DUCKDB_TYPES = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "int": "INTEGER",
    "number": "BIGINT",
    "date": "DATE",
    "bool": "BOOLEAN",
}


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    sample.generate(out)
    return out


@pytest.fixture(scope="module")
def db(sample_dir: Path) -> duckdb.DuckDBPyConnection:
    return _typed_connection(sample_dir)


def _typed_connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """The four extracts as typed DuckDB tables, read with the contract's column types (not auto-detected)."""
    con = duckdb.connect()
    for extract in contract.EXTRACTS:
        columns = {c.name: _DUCKDB_TYPES[c.kind] for c in extract.columns}
        path = str(folder / extract.filename).replace("'", "''")
        con.execute(
            f"create table {extract.table} as select * from read_csv('{path}', header = true, "  # noqa: S608
            f"columns = {columns!r}, nullstr = '')"
        )
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    return con.execute(sql, params or []).fetchall()[0][0]


# ----------------------------------------------------------------------------------------------------
# Calibration to the published figures


@pytest.mark.parametrize(
    ("year", "published"),
    [(2019, 1278), (2020, 924), (2021, 1270), (2022, 972), (2023, 2560), (2024, 3658), (2025, 3630)],
)
def test_requests_per_year_match_published(db, year, published):
    received = _one(db, "select count(*) from ehcp_requests where year(received_date) = ?", [year])
    assert abs(received - published) <= 0.10 * published


TWENTY_WEEK_RATE = """
    select 100 * avg((plan_issued_date - received_date <= 140)::int)
    from ehcp_requests where year(plan_issued_date) = ?
"""


@pytest.mark.parametrize(("year", "published"), [(2023, 80.2), (2024, 17.3), (2025, 10.0)])
def test_twenty_week_rate_by_issue_year_matches_published(db, year, published):
    assert abs(_one(db, TWENTY_WEEK_RATE, [year]) - published) <= 0.10 * published


@pytest.mark.parametrize("year", [2019, 2020, 2021])
def test_twenty_week_rate_before_the_surge_is_in_the_published_band(db, year):
    assert 62 <= _one(db, TWENTY_WEEK_RATE, [year]) <= 85


def test_twenty_week_rate_recovers_in_2026(db):
    assert 20 <= _one(db, TWENTY_WEEK_RATE, [2026]) <= 45


def test_share_decided_to_assess_in_2024_matches_published(db):
    share = _one(
        db, "select 100 * avg((decision = 'assess')::int) from ehcp_requests where year(received_date) = 2024"
    )
    assert abs(share - 73.7) <= 0.10 * 73.7


def test_exceptions_are_rare_so_rates_with_and_without_them_differ_slightly(db):
    share = _one(db, "select 100 * avg(if(exception_20wk, 1, 0)) from ehcp_requests")
    assert 1.0 <= share <= 2.0
    excluding = _one(
        db,
        "select 100 * avg((plan_issued_date - received_date <= 140)::int) from ehcp_requests "
        "where year(plan_issued_date) = 2023 and not exception_20wk",
    )
    assert 0 < abs(excluding - _one(db, TWENTY_WEEK_RATE, [2023])) < 2


def test_primary_need_mix_follows_the_published_mix(db):
    mix = dict(
        db.execute(
            "select primary_need, 100 * count(*) / sum(count(*)) over () from ehcp_requests "
            "where primary_need is not null group by all"
        ).fetchall()
    )
    total = sum(sample.NEED_MIX.values())
    for code, weight in sample.NEED_MIX.items():
        assert abs(mix[code] - 100 * weight / total) <= 1.5, code


def test_ep_backlog_is_worked_down_and_the_commitment_nearly_met(db):
    baseline = _one(
        db,
        "select count(*) / 6 from ep_assessments "
        "where status = 'completed' and completed_date between '2024-12-01' and '2025-05-31'",
    )
    window = _one(
        db,
        "select count(*) from ep_assessments "
        "where status = 'completed' and completed_date between '2025-06-05' and '2026-03-05'",
    )
    assert 1000 <= window - 9 * baseline <= 1300
    open_on = (
        "select count(*) from ep_assessments where requested_date <= ? and coalesce(completed_date, ?) > ? "
        "and status <> 'cancelled'"
    )
    mid_2025 = _one(db, open_on, [date(2025, 6, 30), date(2099, 1, 1), date(2025, 6, 30)])
    latest = _one(db, open_on, [sample.DEFAULT_AS_OF, date(2099, 1, 1), sample.DEFAULT_AS_OF])
    assert latest < mid_2025 / 3


def test_external_eps_write_a_large_share_of_advice_in_2026_and_little_before(db):
    external = dict(
        db.execute(
            "select year(completed_date) >= 2026, 100 * avg((provider <> 'in_house')::int) from ep_assessments "
            "where status = 'completed' and (year(completed_date) >= 2026 or completed_date < '2025-06-01') group by 1"
        ).fetchall()
    )
    assert 35 <= external[True] <= 45
    assert external[False] < 10


# ----------------------------------------------------------------------------------------------------
# The contract's rules hold on every row


ROW_RULES = [
    (
        "decision_date on or after received_date",
        "select count(*) from ehcp_requests where decision_date < received_date",
    ),
    (
        "plan_issued_date on or after decision_date",
        "select count(*) from ehcp_requests where plan_issued_date < decision_date",
    ),
    (
        "outcome only when assess",
        "select count(*) from ehcp_requests where (decision = 'assess') <> (outcome is not null)",
    ),
    (
        "plan_issued_date exactly when plan_issued",
        "select count(*) from ehcp_requests "
        "where coalesce(outcome = 'plan_issued', false) <> (plan_issued_date is not null)",
    ),
    (
        "placement_type exactly when plan_issued",
        "select count(*) from ehcp_requests "
        "where coalesce(outcome = 'plan_issued', false) <> (placement_type is not null)",
    ),
    (
        "pending has no decision_date",
        "select count(*) from ehcp_requests where (decision = 'pending') = (decision_date is not null)",
    ),
    (
        "pending has no outcome",
        "select count(*) from ehcp_requests where decision = 'pending' "
        "and (outcome is not null or plan_issued_date is not null or placement_type is not null)",
    ),
    ("request_id unique", "select count(*) - count(distinct request_id) from ehcp_requests"),
    ("age 0 to 25", "select count(*) from ehcp_requests where age_at_request not between 0 and 25"),
    (
        "one EP request per assessment",
        "select count(*) from ehcp_requests r full join ep_assessments e using (request_id) "
        "where (r.decision = 'assess') is distinct from (e.ep_request_id is not null)",
    ),
    (
        "EP requested within a week of the decision",
        "select count(*) from ep_assessments e join ehcp_requests r using (request_id) "
        "where e.requested_date < r.decision_date or e.requested_date > r.decision_date + 9",
    ),
    (
        "EP district is the request's",
        "select count(*) from ep_assessments e join ehcp_requests r using (request_id) where e.district <> r.district",
    ),
    (
        "plan at least two weeks after EP advice",
        "select count(*) from ep_assessments e join ehcp_requests r using (request_id) "
        "where r.plan_issued_date is not null "
        "and (e.completed_date is null or r.plan_issued_date < e.completed_date + 14)",
    ),
    (
        "completed_date exactly when completed",
        "select count(*) from ep_assessments where (status = 'completed') <> (completed_date is not null)",
    ),
    (
        "EP cancelled exactly when the assessment was withdrawn",
        "select count(*) from ep_assessments e join ehcp_requests r using (request_id) "
        "where (e.status = 'cancelled') <> (r.outcome = 'withdrawn')",
    ),
    ("ep_request_id unique", "select count(*) - count(distinct ep_request_id) from ep_assessments"),
    (
        "setting per snapshot unique",
        "select count(*) - count(distinct (snapshot_date, setting_id)) from specialist_places",
    ),
    ("month per line unique", "select count(*) - count(distinct (month, budget_line)) from spending"),
]


@pytest.mark.parametrize(("rule", "sql"), ROW_RULES, ids=[rule for rule, _ in ROW_RULES])
def test_every_row_obeys(db, rule, sql):
    assert _one(db, sql) == 0, rule


@pytest.mark.parametrize("extract", contract.EXTRACTS, ids=lambda e: e.table)
def test_contract_row_rules_and_values_hold(db, sample_dir, extract):
    for rule in extract.row_rules:
        assert _one(db, f"select count(*) from {extract.table} where {rule.violated}") == 0, rule.rule  # noqa: S608
    districts = [row[0] for row in _read_csv(sample_dir / "reference" / "districts.csv")[1:]]
    for column in extract.columns:
        if column.required:
            nulls = _one(db, f"select count(*) from {extract.table} where {column.name} is null")  # noqa: S608
            assert nulls == 0, column.name
        allowed = list(column.values) or (districts if column.reference == "districts" else [])
        if allowed:
            bad = _one(
                db,
                f"select count(*) from {extract.table} where {column.name} is not null "  # noqa: S608
                f"and not list_contains(?, {column.name})",
                [allowed + list(column.extra_values)],
            )
            assert bad == 0, column.name


@pytest.mark.parametrize("extract", contract.EXTRACTS, ids=lambda e: e.table)
def test_header_is_the_contracts_columns_in_order(sample_dir, extract):
    assert tuple(_read_csv(sample_dir / extract.filename)[0]) == tuple(c.name for c in extract.columns)


def test_nothing_is_dated_after_as_of(db):
    as_of = sample.DEFAULT_AS_OF
    for extract in contract.EXTRACTS:
        for column in extract.date_columns_for_as_of:
            latest = _one(db, f"select max({column}) from {extract.table}")  # noqa: S608
            assert latest <= as_of, f"{extract.table}.{column}"


def test_pending_requests_are_recent_and_some_lack_a_need(db):
    oldest, count, no_need = db.execute(
        "select min(received_date), count(*), count(*) filter (where primary_need is null) "
        "from ehcp_requests where decision = 'pending'"
    ).fetchall()[0]
    assert (sample.DEFAULT_AS_OF - oldest).days <= 120
    assert 0 < no_need < count


def test_booleans_and_nulls_are_written_plainly(sample_dir):
    rows = _read_csv(sample_dir / "ehcp_requests.csv")
    header = rows[0]
    assert {row[header.index("exception_20wk")] for row in rows[1:]} == {"true", "false"}
    assert "" in {row[header.index("plan_issued_date")] for row in rows[1:]}


def test_no_column_is_a_direct_identifier(sample_dir):
    for name in GENERATED_FILES:
        if name.endswith(".csv"):
            header = {h.strip().lower() for h in _read_csv(sample_dir / name)[0]}
            assert not header & set(contract.DIRECT_IDENTIFIERS), name


def test_child_ids_are_pseudonymous_and_some_children_come_back(db):
    pattern_ok, repeat_share = db.execute(
        "select bool_and(regexp_full_match(child_id, 'C[0-9]{7}')), "
        "100 * avg((requests > 1)::int) from (select child_id, count(*) requests from ehcp_requests group by 1)"
    ).fetchall()[0]
    assert pattern_ok
    assert 4 <= repeat_share <= 8


# ----------------------------------------------------------------------------------------------------
# Places, spending and reference files


def test_specialist_places_pipeline_and_new_school(db, sample_dir):
    pipeline = _one(
        db,
        "select sum(planned_places) from specialist_places "
        "where snapshot_date = '2025-05-15' and planned_open_date = '2025-09-01'",
    )
    assert pipeline >= 200
    totals = dict(
        db.execute(
            "select snapshot_date, sum(commissioned_places) from specialist_places group by 1"
        ).fetchall()
    )
    assert totals[date(2025, 10, 2)] - totals[date(2025, 5, 15)] >= 200
    new_school = db.execute(
        "select min(snapshot_date), max(commissioned_places), min(planned_places) from specialist_places "
        "where planned_open_date = '2027-09-01'"
    ).fetchall()[0]
    assert new_school[0].year == 2025 and new_school[1] == 0 and new_school[2] >= 100
    targets = {row[0]: row for row in _read_csv(sample_dir / "reference" / "targets.csv")[1:]}
    assert targets["specialist_places_added"][5:7] == [str(totals[date(2025, 5, 15)]), "2025-05-15"]


def test_spending_covers_the_current_financial_year_with_actuals_only_for_closed_months(db):
    months, lines, last, open_months = db.execute(
        "select count(distinct month), count(distinct budget_line), max(month), "
        "count(distinct month) filter (where actual_gbp is null) from spending"
    ).fetchall()[0]
    assert (months, lines, last, open_months) == (96, len(contract.BUDGET_LINES), date(2027, 3, 1), 5)
    sources = dict(
        db.execute("select budget_line, any_value(funding_source) from spending group by 1").fetchall()
    )
    assert {line for line, source in sources.items() if source == "council_general_fund"} == set(
        sample.GENERAL_FUND_LINES
    )
    high_needs_2024 = _one(
        db,
        "select sum(actual_gbp) from spending where funding_source = 'high_needs_block' "
        "and month between '2024-04-01' and '2025-03-01'",
    )
    assert 190e6 <= high_needs_2024 <= 230e6


def test_reference_files_have_the_agreed_rows(sample_dir):
    targets = _read_csv(sample_dir / "reference" / "targets.csv")
    assert tuple(targets[0]) == contract.TARGETS.columns
    assert [row[0] for row in targets[1:]] == [
        "ep_additional_assessments",
        "specialist_places_added",
        "new_special_school",
        "twenty_week_rate_ex",
        "send_staffing_additional_gbp",
        "overdue_open_assessments",
        "high_needs_forecast_variance_gbp",
        "specialist_occupancy_pct",
    ]
    assert all(row[7] in contract.POLARITIES for row in targets[1:])
    events = _read_csv(sample_dir / "reference" / "events.csv")
    assert tuple(events[0]) == contract.EVENTS.columns
    assert [row[0] for row in events[1:]] == [
        "2024-12-02",
        "2025-02-14",
        "2025-06-05",
        "2025-09-01",
        "2025-09-01",
        "2027-09-01",
    ]
    districts = _read_csv(sample_dir / "reference" / "districts.csv")
    assert len(districts) == 13 and {row[1] for row in districts[1:]} == {"North", "Central", "East"}


def test_overdue_baseline_is_counted_from_the_extract(db, sample_dir):
    on = sample.NOTICE_DATE
    recomputed = _one(
        db,
        """
        select count(*) from ehcp_requests
        where received_date <= $on and $on - received_date > 140
          and (decision_date is null or decision_date > $on
               or (decision = 'assess' and outcome in ('plan_issued', 'ongoing')
                   and (plan_issued_date is null or plan_issued_date > $on)))
        """,
        {"on": on},
    )
    targets = {row[0]: row for row in _read_csv(sample_dir / "reference" / "targets.csv")[1:]}
    assert targets["overdue_open_assessments"][5] == str(recomputed)
    assert recomputed > 500


def test_marker_file_says_the_data_is_synthetic(sample_dir):
    assert (sample_dir / "SAMPLE").read_text() == (
        f"synthetic sample data generated by dashboard.build.sample seed={sample.DEFAULT_SEED} as_of=2026-10-31\n"
    )


# ----------------------------------------------------------------------------------------------------
# Reproducible, scalable, and the committed copy never drifts


def test_same_seed_gives_identical_bytes(sample_dir, tmp_path):
    sample.generate(tmp_path)
    for name in GENERATED_FILES:
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes(), name


def test_committed_data_is_exactly_what_the_generator_writes(sample_dir):
    for name in GENERATED_FILES:
        committed = COMMITTED_DATA / name
        assert committed.exists(), f"data/{name} is missing: run python -m dashboard.build.sample --out data"
        assert committed.read_bytes() == (sample_dir / name).read_bytes(), (
            f"data/{name} differs from the generator: run python -m dashboard.build.sample --out data"
        )


def test_scale_two_doubles_requests_and_keeps_the_distributions(db, tmp_path):
    counts = sample.generate(tmp_path, scale=2)
    scaled = _typed_connection(tmp_path)
    base_rows = _one(db, "select count(*) from ehcp_requests")
    assert 1.95 <= counts["ehcp_requests.csv"] / base_rows <= 2.05
    shares = (
        "select year(received_date), 100 * avg((decision = 'assess')::int) from ehcp_requests "
        "where year(received_date) between 2019 and 2025 group by 1"
    )
    base_assess, scaled_assess = dict(db.execute(shares).fetchall()), dict(scaled.execute(shares).fetchall())
    for year, share in base_assess.items():
        assert abs(scaled_assess[year] - share) <= 1.0, year
    mix = "select primary_need, 100 * count(*) / sum(count(*)) over () from ehcp_requests group by all"
    base_mix, scaled_mix = dict(db.execute(mix).fetchall()), dict(scaled.execute(mix).fetchall())
    for need, share in base_mix.items():
        assert abs(scaled_mix[need] - share) <= 1.5, need
    for year in (2023, 2024, 2025):
        assert abs(_one(scaled, TWENTY_WEEK_RATE, [year]) - _one(db, TWENTY_WEEK_RATE, [year])) <= 4, year
    # Plans and reviews scale too: twice the published caseload each January.
    for year, published in sample.PUBLISHED_ACTIVE_JANUARY.items():
        active = _one(scaled, ACTIVE_AT, {"day": census_day(year)})
        assert abs(active - 2 * published) <= 0.05 * 2 * published, year
    assert 1.9 <= counts["annual_reviews.csv"] / _one(db, "select count(*) from annual_reviews") <= 2.1


ACTIVE_AT = (
    "select count(*) from ehcp_plans where start_date <= $day and (ceased_date is null or ceased_date > $day)"
)


@pytest.mark.parametrize(("year", "published"), sorted(sample.PUBLISHED_ACTIVE_JANUARY.items()))
def test_active_plans_each_january_are_within_5_percent_of_published(db, year, published):
    # DfE 'Education, health and care plans' (2025 release), caseload for Lancashire, on the census day.
    active = _one(db, ACTIVE_AT, {"day": census_day(year)})
    assert abs(active - published) <= 0.05 * published, (year, active, published)


def test_the_january_2025_placement_mix_is_near_the_published_one(db):
    day = census_day(2025)
    mix = dict(
        db.execute(
            "select placement_type, 100 * count(*) / sum(count(*)) over () from ehcp_plans where start_date <= $day "
            "and (ceased_date is null or ceased_date > $day) group by 1",
            {"day": day},
        ).fetchall()
    )
    # Published (caseload, January 2025): mainstream 40.5% (with resourced provision and units), special
    # schools 37.8%, of which independent and non-maintained 6.1%; FE and post-16 11.4%.
    assert abs(mix["mainstream"] + mix["resourced_provision"] - 40.5) <= 3
    assert abs(mix["special_maintained"] + mix["special_academy"] + mix["independent_special"] - 37.8) <= 3
    assert abs(mix["independent_special"] - 6.1) <= 1.5
    assert abs(mix["post16"] - 11.4) <= 3


def test_every_plan_issued_request_is_a_plan_from_its_issue_date(db):
    missing = _one(
        db,
        "select count(*) from ehcp_requests r anti join ehcp_plans p on p.request_id = r.request_id "
        "and p.start_date = r.plan_issued_date and p.child_id = r.child_id where r.outcome = 'plan_issued'",
    )
    assert missing == 0
    assert (
        _one(
            db,
            "select count(*) from ehcp_plans p anti join ehcp_requests r using (request_id) "
            "where p.request_id is not null",
        )
        == 0
    )
    assert (
        _one(
            db, "select count(*) from ehcp_plans where request_id is null and start_date < date '2018-01-01'"
        )
        > 5000
    )
    assert _one(db, "select count(*) from annual_reviews a anti join ehcp_plans p using (plan_id)") == 0
    # No child holds two plans at once: an earlier plan ends by the day a later one starts.
    overlapping = (
        "select count(*) from ehcp_plans a join ehcp_plans b on a.child_id = b.child_id "
        "and (a.start_date, a.plan_id) < (b.start_date, b.plan_id) "
        "and coalesce(a.ceased_date, date '9999-12-31') > b.start_date"
    )
    assert _one(db, overlapping) == 0


def _overdue_share(db, day: date) -> float:
    return _one(
        db,
        "with active as (select plan_id, start_date from ehcp_plans where start_date <= $day and "
        "(ceased_date is null or ceased_date > $day)), last as (select a.plan_id, max(r.review_meeting_date) as m "
        "from active a left join annual_reviews r on r.plan_id = a.plan_id and r.review_meeting_date <= $day "
        "group by 1) select 100 * avg((coalesce(m, start_date) + interval 12 month < $day)::int) "
        "from last join active using (plan_id)",
        {"day": day},
    )


def test_review_timeliness_worsens_through_2024_25_and_partly_recovers(db):
    before, worst, after = (
        _overdue_share(db, d) for d in (date(2022, 3, 31), date(2025, 6, 30), date(2026, 10, 31))
    )
    assert before < after < worst, (before, worst, after)
    on_time = (
        "select 100 * avg((decision_date <= review_meeting_date + 28)::int) from annual_reviews "
        "where decision <> 'pending' and review_meeting_date between $from and $to"
    )
    early = _one(db, on_time, {"from": date(2021, 9, 1), "to": date(2022, 8, 31)})
    low = _one(db, on_time, {"from": date(2024, 9, 1), "to": date(2025, 8, 31)})
    late = _one(db, on_time, {"from": date(2026, 1, 1), "to": date(2026, 8, 31)})
    assert low < late < early, (early, low, late)


def test_an_earlier_as_of_date_cuts_everything_off_there(tmp_path):
    as_of = date(2025, 6, 30)
    sample.generate(tmp_path, as_of=as_of)
    con = _typed_connection(tmp_path)
    for extract in contract.EXTRACTS:
        for column in extract.date_columns_for_as_of:
            assert _one(con, f"select max({column}) from {extract.table}") <= as_of  # noqa: S608
        for rule in extract.row_rules:
            assert _one(con, f"select count(*) from {extract.table} where {rule.violated}") == 0  # noqa: S608
    assert _one(con, "select max(month) from spending") == date(2026, 3, 1)
    assert _one(con, "select count(*) from ehcp_requests where outcome = 'ongoing'") > 1000


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


# ----------------------------------------------------------------------------------------------------
# The health extracts (issue 17): consistent with the requests, and the story they tell


def test_every_advice_request_is_for_an_assessment_with_ep_advice(db):
    orphans = _one(db, "select count(*) from advice_requests a anti join ehcp_requests r using (request_id)")
    without_ep = _one(
        db, "select count(*) from advice_requests a anti join ep_assessments e using (request_id)"
    )
    assert (orphans, without_ep) == (0, 0)
    # Most assessments ask for health advice.
    share = _one(
        db,
        "select avg((request_id in (select request_id from advice_requests where service <> 'social_care'))::int) "
        "from ep_assessments",
    )
    assert share > 0.8


def test_an_issued_plan_had_all_its_advice_by_its_issue_date(db):
    late = _one(
        db,
        "select count(*) from advice_requests a join ehcp_requests r using (request_id) "
        "where r.plan_issued_date is not null and (a.completed_date is null or a.completed_date > r.plan_issued_date)",
    )
    assert late == 0


def _six_week_share(db, table: str, where: str, fy: int) -> float:
    return _one(
        db,
        f"select avg((completed_date - requested_date <= 42)::int) from {table} "  # noqa: S608
        f"where status = 'completed' and {where} and completed_date between ? and ?",
        [date(fy, 4, 1), date(fy + 1, 3, 31)],
    )


def test_health_advice_story(db):
    health = {
        fy: _six_week_share(db, "advice_requests", "service <> 'social_care'", fy)
        for fy in (2019, 2024, 2025)
    }
    assert health[2019] > 0.65 and health[2024] < 0.45 and health[2025] > health[2024]
    # Poorer than EP's before EP's own collapse (2019-20 to 2023-24).
    for fy in (2019, 2022, 2023):
        assert _six_week_share(db, "advice_requests", "service <> 'social_care'", fy) < _six_week_share(
            db, "ep_assessments", "true", fy
        )


def test_neurodevelopmental_lists_grow_and_some_wait_over_two_years(db):
    totals = db.execute(
        "select month, sum(waiting_total), sum(waiting_over_104), sum(referrals_received), "
        "sum(assessments_completed) from neurodevelopmental_waits where month in ('2022-10-01', '2026-10-01') "
        "group by month order by month"
    ).fetchall()
    (_, list_2022, _, _, _), (_, list_2026, over_104, referrals, assessments) = totals
    assert list_2026 > 1.5 * list_2022 and over_104 > 0 and referrals > assessments
