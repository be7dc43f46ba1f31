"""The query runner: named SQL files from queries/, run with bound parameters only."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


class QueryError(ValueError):
    """A query was asked for by a name that does not exist, or with the wrong parameters."""


def names() -> list[str]:
    """Every query the app can run."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@cache
def sql_text(name: str) -> str:
    """The SQL of a named query."""
    if not _NAME.match(name):
        raise QueryError(f"not a query name: {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


@cache
def parameters(name: str) -> frozenset[str]:
    """The $named parameters a query expects (comments are ignored)."""
    sql = "\n".join(line.split("--", 1)[0] for line in sql_text(name).splitlines())
    return frozenset(_PARAMETER.findall(sql))


def run(connection: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, object]) -> pd.DataFrame:
    """Run a named query on its own cursor; every value reaches DuckDB as a bound parameter.

    `params` may hold more than the query uses (the shared filter set, say); a parameter the
    query needs but was not given is an error.
    """
    expected = parameters(name)
    missing = sorted(expected - set(params))
    if missing:
        raise QueryError(f"query {name!r} needs parameters {missing}")
    cursor = connection.cursor()
    try:
        return cursor.execute(sql_text(name), {k: params[k] for k in expected}).df()
    finally:
        cursor.close()
