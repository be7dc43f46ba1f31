"""Queries that read the tables dashboard/build/aggregates.py builds return exactly what the record-level
SQL they replaced returns (kept in tests/serving/reference/), on the hand-made fixtures: whole and part
months, each filter alone and two together, dates before, inside and after the data."""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import date

import pandas as pd
import pytest

from dashboard import contract
from dashboard.build import aggregates
from dashboard.serving import queries, store
from tests.helpers import ANSWERED_BY, HEALTH_DIR, HEALTH_TODAY, PLANS_QUERIES, QUERY_REFERENCES

REFERENCED = sorted(p.stem for p in QUERY_REFERENCES.glob("*.sql"))
_AGGREGATE_TABLE = re.compile(
    r"\b(cube_\w+|\w+_facts|scopes|plan_scopes|plan_day_counts|plan_lateness|review_spells|phase_transfer_\w+|outlook_flows|\w*advice_days)\b"
)

SCOPES = (
    {},
    {"districts": ["Burnley"]},
    {"localities": ["North"]},
    {"needs": ["ASD"]},
    {"age_groups": ["5 to 10"], "sources": ["school"]},
    {"placements": ["mainstream"], "districts": ["Burnley", "Preston"]},
)
PERIODS = (
    (date(2014, 9, 1), date(2025, 6, 17)),  # all history to a mid-month date
    (date(2024, 1, 1), date(2024, 12, 31)),  # whole months
    (date(2023, 12, 15), date(2024, 5, 29)),  # starts and ends mid-month
    (date(2024, 5, 2), date(2024, 5, 30)),  # inside one month
)
AT = (date(2025, 3, 25), date(2024, 6, 30), date(2024, 12, 5), date(2023, 1, 1))
DIMENSIONS = ("district", "locality", "primary_need", "age_group", "placement_type", "request_source")
BY = ("provider", "district", "locality", "all")
NO_SCOPE = {key: [] for key in ("localities", "districts", "needs", "age_groups", "sources", "placements")}
# Queries reading health_aggregates.py's tables: compared on the stores with health and social care advice.
HEALTH_QUERIES = ("advice_bottleneck", "health_advice_completed")


def parameter_sets(name: str) -> list[dict]:
    sets = []
    for i, (scope, (start, end)) in enumerate(itertools.product(SCOPES, PERIODS)):
        params = {
            **NO_SCOPE,
            **scope,
            "period_start": start,
            "period_end": end,
            "start": start,
            "end": end,
            "at": AT[i % len(AT)],
            "dimension": DIMENSIONS[i % len(DIMENSIONS)],
            "by": BY[i % len(BY)],
            "placement_types": ["special_maintained", "special_academy", "resourced_provision", "mainstream"],
        }
        sets.append({key: params[key] for key in queries.parameters(name)})
    return sets


def test_every_query_reading_an_aggregate_has_a_record_level_reference():
    reading = [name for name in queries.names() if _AGGREGATE_TABLE.search(queries.sql_text(name))]
    assert reading == sorted({ANSWERED_BY.get(name, name) for name in REFERENCED})


@pytest.mark.parametrize("fixture", ["area_store", "capacity_store"])
@pytest.mark.parametrize("name", [name for name in REFERENCED if name not in HEALTH_QUERIES + PLANS_QUERIES])
def test_query_equals_its_record_level_reference(request, fixture, name):
    assert _compare_with_reference(
        request.getfixturevalue(fixture), name
    )  # the fixtures give each query rows


def _compare_with_reference(served, name: str) -> int:
    """Assert the query equals its reference under every parameter set; the rows it returned in all."""
    reference = (QUERY_REFERENCES / f"{name}.sql").read_text(encoding="utf-8")
    rows = 0
    for params in parameter_sets(name):
        expected = served.connection.cursor().execute(reference, params).df()
        got = served.query(name, params)
        rows += len(got)
        try:
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
        except AssertionError as error:
            raise AssertionError(f"{name} with {params}:\n{error}") from None
    return rows


@pytest.fixture(scope="module")
def orphan_store(tmp_path_factory):
    """The health fixture with completed advice for a request missing from the requests extract (A13 for R98,
    paediatrics, 3 Mar - 1 Apr 2025), counted only when no filter is set."""
    folder = tmp_path_factory.mktemp("health_orphan")
    shutil.copytree(HEALTH_DIR, folder, dirs_exist_ok=True)
    with (folder / "advice_requests.csv").open("a", encoding="utf-8") as extract:
        extract.write("A13,R98,community_paediatrics,2025-03-03,2025-04-01,completed,acute_east\n")
    served = store.open_store(folder, tmp_path_factory.mktemp("health_orphan_state"), today=HEALTH_TODAY)
    yield served
    served.close()


@pytest.mark.parametrize("fixture", ["sample_store", "health_store", "orphan_store", "area_store"])
@pytest.mark.parametrize("name", HEALTH_QUERIES)
def test_health_query_equals_its_record_level_reference(request, fixture, name):
    """On the bundled sample, the health fixture, the health fixture with advice for a missing request, and the
    area fixture (no advice extract: an empty table)."""
    rows = _compare_with_reference(request.getfixturevalue(fixture), name)
    assert rows or fixture == "area_store"


def test_advice_for_a_missing_request_counts_only_with_no_filter(orphan_store):
    """April 2025's completed advice (README): A4 (social care, R2 Preston), A5 (CAMHS, R3 Burnley) and now A13
    (paediatrics, R98 not in the requests extract). With no filter all three count; under a district, only
    that district's."""
    params = {**NO_SCOPE, "period_start": date(2025, 4, 1), "period_end": date(2025, 4, 30)}

    def completed(**scope) -> dict[str, int]:
        frame = orphan_store.query("health_advice_completed", {**params, **scope})
        return dict(zip(frame["service"], frame["completed"], strict=True))

    assert completed() == {"camhs": 1, "community_paediatrics": 1, "social_care": 1}
    assert completed(districts=["Burnley"]) == {"camhs": 1}
    assert completed(districts=["Preston"]) == {"social_care": 1}


def test_the_data_version_changes_when_an_extract_arrives_as_parquet(tmp_path):
    before = store.data_version(tmp_path)
    (tmp_path / contract.EHCP_REQUESTS.parquet_filename).write_bytes(b"PAR1")
    assert store.data_version(tmp_path) != before


def test_cube_level_names_a_level_that_keeps_every_column_a_query_needs(area_store):
    """For every set of filters and breakdown, cube_level() (sql/macros.sql) names a level of
    aggregates.LEVELS keeping each column filtered or broken down by, or `full` when none does."""
    keeps = {level: set(columns) for level, columns in aggregates.LEVELS.items() if level != "need_placement"}
    columns = {"localities": "locality", "districts": "district", "needs": "primary_need"}
    columns |= {"age_groups": "age_group", "sources": "request_source", "placements": "placement_type"}
    sql = "select cube_level($localities, $districts, $needs, $age_groups, $sources, $placements, $dimension)"
    for chosen in itertools.product((False, True), repeat=len(columns)):
        filters = {key: ["x"] if on else [] for key, on in zip(columns, chosen, strict=True)}
        for dimension in (None, *DIMENSIONS, "nonsense"):
            needed = {columns[key] for key, on in zip(columns, chosen, strict=True) if on} | {dimension} - {
                None
            }
            needed = {"district" if column in ("locality", "district") else column for column in needed}
            (level,) = area_store.connection.execute(sql, {**filters, "dimension": dimension}).fetchone()
            fitting = [name for name, kept in keeps.items() if needed <= kept]
            smallest = min(fitting, key=lambda name: len(keeps[name]), default="full")
            assert level == smallest, (filters, dimension, level, smallest)
