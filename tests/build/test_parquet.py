"""An extract given as Parquet in place of CSV: the same contract, checks and messages, rows named by number."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.build.test_loader import FILES, load, make_folder, with_row


def to_parquet(folder: Path, table: str, select: str = "*", typed: bool = False) -> Path:
    """Write the folder's CSV for `table` as Parquet (cells as text, or typed as DuckDB reads them) and
    remove the CSV."""
    csv_path = folder / FILES[table][0]
    parquet_path = csv_path.with_suffix(".parquet")
    source = f"read_csv('{csv_path}', all_varchar = {not typed}, header = true)"
    duckdb.execute(f"copy (select {select} from {source}) to '{parquet_path}' (format parquet)")
    csv_path.unlink()
    return parquet_path


def served(connection: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return connection.execute(f"select * from {table} order by all").fetchall()


def test_a_parquet_extract_loads_the_same_rows_as_the_csv(tmp_path):
    csv_connection, _ = load(make_folder(tmp_path / "csv"))
    folder = make_folder(tmp_path / "parquet")
    to_parquet(folder, "ehcp_requests")
    to_parquet(folder, "specialist_places", typed=True)  # dates, numbers and flags as Parquet types
    connection, report = load(folder)
    for table in ("ehcp_requests", "specialist_places"):
        assert report.files[table].status == "loaded", report.files[table].lines()
        assert report.files[table].filename == f"{table}.parquet"
        assert served(connection, table) == served(csv_connection, table)
    ep = report.files["ep_assessments"]
    assert ep.status == "loaded" and not ep.warnings  # every EP request still finds its assessment


def test_a_bad_parquet_value_is_reported_by_row_column_value_and_rule(tmp_path):
    row = "B1,C9,2024-01-05,parent,7,Leeds,ASD,pending,,,,false,,false"
    folder = make_folder(tmp_path, ehcp_requests=with_row("ehcp_requests", row))
    to_parquet(folder, "ehcp_requests")
    connection, report = load(folder)
    requests = report.files["ehcp_requests"]
    assert requests.status == "loaded_with_rejections" and requests.rows_rejected == 1
    [problem] = requests.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "ehcp_requests.parquet",
        4,
        "district",
        "Leeds",
    )
    assert "ehcp_requests.parquet, row 4, column district: value 'Leeds': unknown value" in report.text()
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 3


def test_a_parquet_file_with_an_identifier_column_is_refused(tmp_path):
    folder = make_folder(tmp_path)
    to_parquet(folder, "ep_assessments", select="*, 'Jane Smith' as \"Child Name\"")
    connection, report = load(folder)
    ep = report.files["ep_assessments"]
    assert ep.status == "refused"
    assert "direct-identifier column(s) 'Child Name'" in ep.errors[0]
    assert connection.execute("select count(*) from ep_assessments").fetchone()[0] == 0


def test_a_csv_and_a_parquet_file_for_one_extract_are_refused_as_ambiguous(tmp_path):
    folder = make_folder(tmp_path)
    to_parquet(folder, "spending")
    (folder / "spending.csv").write_text("\n".join([FILES["spending"][1], *FILES["spending"][2]]) + "\n")
    _, report = load(folder)
    spending = report.files["spending"]
    assert spending.status == "refused"
    assert "both spending.csv and spending.parquet are in the extracts folder" in spending.errors[0]


def test_a_file_named_parquet_that_is_not_parquet_is_refused_saying_it_cannot_be_read(tmp_path):
    folder = make_folder(tmp_path)
    (folder / "spending.csv").unlink()
    (folder / "spending.parquet").write_text("month,budget_line\n")
    _, report = load(folder)
    assert report.files["spending"].status == "refused"
    assert report.files["spending"].errors[0].startswith("the file cannot be read: ")


def test_a_parquet_whole_number_column_stored_as_decimals_reads_100_0_as_100_and_refuses_2_5(tmp_path):
    """A spreadsheet or pandas export stores a whole-number column with gaps as decimals (100.0)."""
    row = "2024-10-01,900003,New Base,resourced_provision,Preston,ASD,2.5,2,,"
    folder = make_folder(tmp_path, specialist_places=with_row("specialist_places", row))
    to_parquet(folder, "specialist_places", typed=True)  # commissioned_places: DOUBLE 100.0, 12.0, 2.5
    connection, report = load(folder)
    places = report.files["specialist_places"]
    assert places.rows_rejected == 1 and [p.describe() for p in places.problems] == [
        "specialist_places.parquet, row 3, column commissioned_places: value '2.5': must be a whole number"
    ]
    stored = "select list(commissioned_places order by setting_id) from specialist_places"
    assert connection.execute(stored).fetchone() == ([100, 12],)
