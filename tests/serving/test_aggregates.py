"""Queries that read the tables dashboard/build/aggregates.py builds return exactly what the record-level
SQL they replaced returns (kept in tests/serving/reference/), on the hand-made fixtures: whole and part
months, each filter alone and two together, dates before, inside and after the data."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import contract
from dashboard.build import aggregates
from dashboard.serving import queries, store

REFERENCE_DIR = Path(__file__).parent / "reference"
REFERENCED = sorted(p.stem for p in REFERENCE_DIR.glob("*.sql"))
_AGGREGATE_TABLE = re.compile(r"\b(cube_\w+|\w+_facts|scopes)\b")

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
    assert reading == REFERENCED


@pytest.mark.parametrize("fixture", ["area_store", "capacity_store"])
@pytest.mark.parametrize("name", REFERENCED)
def test_query_equals_its_record_level_reference(request, fixture, name):
    served = request.getfixturevalue(fixture)
    reference = (REFERENCE_DIR / f"{name}.sql").read_text(encoding="utf-8")
    rows = 0
    for params in parameter_sets(name):
        expected = served.connection.cursor().execute(reference, params).df()
        got = served.query(name, params)
        rows += len(got)
        try:
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
        except AssertionError as error:
            raise AssertionError(f"{name} with {params}:\n{error}") from None
    assert rows  # the fixtures give each query something to count


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
