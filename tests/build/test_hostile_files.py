"""Hostile or careless files: identifier columns however they are spelt, formula-like cells in every file the
app reads (checked on the value as stored), a rejected row reported by its offending cell alone, and no
server folder in any message a viewer can see."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import contract
from dashboard.build.loader import header_words, looks_like_identifier
from dashboard.build.published import PublishedDataError, load_published
from dashboard.build.validation import MAX_VALUE_CHARS, Problem, without_paths
from tests.build.test_loader import FILES, FIXTURE, bad_line, load, make_folder, with_row

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "data" / "published"

# --- Identifier columns, as people spell them ------------------------------------------------------------

IDENTIFIER_SPELLINGS = [
    "name",
    "Name",
    "NAME",
    "Child's name",
    "Child’s Name",
    "Child Name",
    "child_name",
    "ChildName",
    "childname",
    "Name of child",
    "Pupil Name",
    "Young person's name",
    "Parent/Carer Name",
    "FirstName",
    "First Name",
    "first name",
    "first_name",
    "FIRST_NAME",
    "Forename",
    "Forenames",
    "Given name",
    "Preferred Name",
    "Middle Name(s)",
    "Surname",
    "Sur name",
    "Last_Name",
    "LastName",
    "last-name",
    "Family name",
    "Full Name",
    "full_name",
    "post_code",
    "Post Code",
    "POSTCODE",
    "postcode",
    "Post-code",
    "Home postcode",
    "Postal code",
    "D.O.B",
    "D.O.B.",
    "DoB",
    "DOB",
    "dob",
    "Date of Birth",
    "date_of_birth",
    "DateOfBirth",
    "birthdate",
    "Birth Date",
    "birth_date",
    "Birthday",
    "UPN",
    "U.P.N.",
    "upn",
    "Pupil UPN",
    "Unique Pupil Number",
    "unique_pupil_number",
    "ULN",
    "U.L.N",
    "Unique Learner Number",
    "NHS No",
    "NHS No.",
    "NHS Number",
    "nhs_no",
    "NHSNumber",
    "N.H.S. number",
    "Address",
    "Address Line 1",
    "address_line_1",
    "AddressLine1",
    "home address",
    "Home_Address",
    "Street address",
    "email",
    "E-mail",
    "Email Address",
    "parent_email",
    "phone",
    "Phone number",
    "Telephone",
    "Tel No",
    "mobile",
    "Mobile Number",
    "NI number",
    "NI No",
    "N.I. No",
    "National Insurance Number",
    "nino",
    " \ufeffSurname ",
]

HARMLESS_COLUMNS = [
    *(c.name for e in contract.EXTRACTS for c in e.columns),
    *(c for r in contract.REFERENCE_FILES for c in r.columns),
    "setting_name",
    "Setting Name",
    "SettingName",
    "School Name",
    "school_name",
    "establishment_name",
    "provider",
    "Provider name",
    "district",
    "District Name",
    "locality",
    "LA name",
    "la_name",
    "region_name",
    "source",
    "need",
    "primary need",
    "Primary_Need",
    "child_id",
    "Child ID",
    "request_id",
    "age_at_request",
    "Age at request",
    "year_group",
    "vulnerable_group",
    "phase",
    "status",
    "notes_count",
    "budget_line_name",
    "file_name",
    "urn",
    "Setting URN",
    "ward_code",
]


@pytest.mark.parametrize("header", IDENTIFIER_SPELLINGS)
def test_identifier_columns_are_recognised_however_they_are_spelt(header):
    assert looks_like_identifier(header), header_words(header)


@pytest.mark.parametrize("header", HARMLESS_COLUMNS)
def test_contract_and_harmless_columns_are_not_taken_for_identifiers(header):
    assert not looks_like_identifier(header), header_words(header)


def test_header_words_normalise_case_punctuation_spaces_and_underscores():
    assert header_words("Child's name") == ["child", "s", "name"]
    assert (
        header_words("post_code")
        == header_words("Post Code")
        == header_words("POST-CODE")
        == ["post", "code"]
    )
    assert header_words("D.O.B") == ["d", "o", "b"]
    assert header_words("FirstName") == ["first", "name"]
    assert header_words("NHSNumber") == ["nhs", "number"]


@pytest.mark.parametrize(
    "header", ["Child's name", "post_code", "D.O.B", "U.P.N.", "NHS No", "Address Line 1"]
)
def test_a_file_with_an_identifier_column_however_spelt_is_refused_whole(tmp_path, header):
    rows = [FILES["ehcp_requests"][1] + f',"{header}"', *(r + ",secret" for r in FILES["ehcp_requests"][2])]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    requests = report.files["ehcp_requests"]
    assert requests.status == "refused"
    assert f"direct-identifier column(s) {header!r}" in requests.errors[0]
    assert not any("unknown column" in w for w in requests.warnings)
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 0


def test_a_reference_file_with_an_identifier_column_is_refused(tmp_path):
    folder = make_folder(tmp_path)
    (folder / "reference" / "events.csv").write_text(
        "date,label,source,Child's name\n2024-12-02,Inspection,product.md,Jane Doe\n", encoding="utf-8"
    )
    connection, report = load(folder)
    events = report.references["events"]
    assert events.status == "refused"
    assert 'direct-identifier column(s) "Child\'s name"' in events.errors[0]
    assert connection.execute("select count(*) from events").fetchone()[0] == 0
    assert "Jane Doe" not in report.text()


# --- Formula-like cells: checked on what is stored, in every file ------------------------------------------

REQUEST = "B1,{child},2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false"
PLACE = "2024-10-01,{setting_id},{setting_name},resourced_provision,Preston,SLCN,4,4,,"


@pytest.mark.parametrize(
    ("table", "row", "column"),
    [
        ("ehcp_requests", REQUEST.format(child='" =HYPERLINK(""http://x"",""y"")"'), "child_id"),
        ("ehcp_requests", REQUEST.format(child="  =1+1"), "child_id"),
        ("ehcp_requests", REQUEST.format(child="-2+3+cmd|' /C calc'!A0"), "child_id"),
        ("ehcp_requests", REQUEST.format(child="+cmd"), "child_id"),
        ("ehcp_requests", REQUEST.format(child=" @SUM(A1)"), "child_id"),
        ("ehcp_requests", REQUEST.format(child='"\t=1"'), "child_id"),
        ("ehcp_requests", REQUEST.format(child='"\r=1"'), "child_id"),
        (
            "specialist_places",
            PLACE.format(setting_id="900003", setting_name=' =HYPERLINK("x")'),
            "setting_name",
        ),
        ("specialist_places", PLACE.format(setting_id="900003", setting_name="-Base"), "setting_name"),
    ],
)
def test_a_formula_like_text_cell_is_rejected_even_behind_spaces(tmp_path, table, row, column):
    connection, report = load(make_folder(tmp_path, **{table: with_row(table, row)}))
    file_report = report.files[table]
    found = [p for p in file_report.problems if p.rule == contract.FORMULA_RULE]
    assert [(p.line, p.column) for p in found] == [(bad_line(table), column)], file_report.lines()
    stored = connection.table(table).select(duckdb.ColumnExpression(column)).fetchall()
    assert not [v for (v,) in stored if contract.looks_like_formula(v)]


def test_numbers_are_numbers_not_formulas(tmp_path):
    places = with_row("specialist_places", PLACE.format(setting_id="-900003", setting_name="+1"))
    spending = with_row("spending", "2025-03-01,ep_service,high_needs_block,-1000,-250.50")
    connection, report = load(make_folder(tmp_path, specialist_places=places, spending=spending))
    assert report.files["specialist_places"].status == "loaded", report.files["specialist_places"].lines()
    assert report.files["spending"].status == "loaded", report.files["spending"].lines()
    assert connection.execute("select min(actual_gbp) from spending").fetchone()[0] == -250.5


def test_no_stored_text_in_any_table_starts_like_a_formula(tmp_path):
    hostile = [
        REQUEST.format(child=c).replace("B1", f"B{n}")
        for n, c in enumerate([" =1", "  +x", " -y", " @z", '"\t=1"', "ok"], start=1)
    ]
    _, header, rows = FILES["ehcp_requests"]
    connection, _ = load(make_folder(tmp_path, ehcp_requests="\n".join([header, *rows, *hostile]) + "\n"))
    text_columns = connection.execute(
        "select table_name, column_name from information_schema.columns where data_type = 'VARCHAR' "
        "and table_name in ('ehcp_requests', 'ep_assessments', 'specialist_places', 'spending', 'districts', "
        "'targets', 'events')"
    ).fetchall()
    for table, column in text_columns:
        values = connection.table(table).select(duckdb.ColumnExpression(column)).distinct().fetchall()
        assert not [v for (v,) in values if contract.looks_like_formula(v)], (table, column)
    assert connection.execute("select count(*) from ehcp_requests where child_id = 'ok'").fetchone()[0] == 1


def reference_folder(tmp_path, name: str, text: str) -> Path:
    folder = make_folder(tmp_path)
    (folder / "reference" / name).write_text(text, encoding="utf-8")
    return folder


def test_a_formula_in_a_reference_file_is_rejected_with_file_line_column_value_and_rule(tmp_path):
    districts = (FIXTURE / "reference" / "districts.csv").read_text().rstrip("\n").splitlines()
    districts.insert(3, '" =HYPERLINK(""http://x"",""Burnley"")",East')
    folder = reference_folder(tmp_path, "districts.csv", "\n".join(districts) + "\n")
    connection, report = load(folder)
    reference = report.references["districts"]
    assert reference.status == "loaded_with_rejections"
    assert reference.rows_rejected == 1
    (problem,) = reference.problems
    assert (problem.file, problem.line, problem.column, problem.rule) == (
        "reference/districts.csv",
        4,
        "district",
        contract.FORMULA_RULE,
    )
    assert problem.value == '=HYPERLINK("http://x","Burnley")'
    assert (
        'reference/districts.csv, line 4, column district: value \'=HYPERLINK("http://x","Burnley")\': the cell '
        "starts with =" in report.text()
    )
    assert (
        connection.execute("select count(*) from districts where district like '%HYPERLINK%'").fetchone()[0]
        == 0
    )
    assert connection.execute("select count(*) from districts").fetchone()[0] == len(districts) - 2
    stored = connection.execute(
        "select * from validation_problems where file = 'reference/districts.csv'"
    ).fetchall()
    assert stored == [("reference/districts.csv", 4, "district", problem.value, contract.FORMULA_RULE)]


@pytest.mark.parametrize(
    ("name", "text", "line", "column", "rule"),
    [
        ("events.csv", "date,label,source\n2024-12-02,@SUM(1),x\n2025-01-01,Fine,y\n", 2, "label", "formula"),
        (
            "events.csv",
            "date,label,source\n2025-01-01,Fine,y\n2024-12-02,Inspection,  -cmd\n",
            3,
            "source",
            "formula",
        ),
        ("events.csv", 'date,label,source\n2025-01-01,"\tTabbed",y\n', 2, "label", "formula"),
        ("events.csv", "date,label,source\n02/12/2024,Inspection,x\n", 2, "date", "YYYY-MM-DD"),
        ("events.csv", "date,label,source\n2024-12-02,Inspection\n", 2, None, "ragged row"),
        (
            "targets.csv",
            "metric,label,target,unit,due_date,baseline,baseline_date,polarity,source\n"
            "m1,Label,=1+1,count,2026-01-01,,,higher_is_better,x\n",
            2,
            "target",
            "plain number",
        ),
        (
            "targets.csv",
            "metric,label,target,unit,due_date,baseline,baseline_date,polarity,source\n"
            "m1,Label,10,count,2026-01-01,-5,2025-01-01,higher_is_better,x\n"
            "m1,Again,11,count,2026-01-01,,,higher_is_better,x\n",
            3,
            "metric",
            "duplicate key (metric): first seen on line 2",
        ),
    ],
)
def test_each_reference_rule_names_line_column_and_rule(tmp_path, name, text, line, column, rule):
    connection, report = load(reference_folder(tmp_path, name, text))
    table = name.removesuffix(".csv")
    reference = report.references[table]
    assert [(p.line, p.column) for p in reference.problems] == [(line, column)], reference.lines()
    assert rule in reference.problems[0].rule
    assert reference.rows_loaded == reference.rows_read - 1
    assert connection.table(table).count("*").fetchall()[0][0] == reference.rows_loaded


def test_negative_numbers_in_a_reference_file_load(tmp_path):
    text = (
        "metric,label,target,unit,due_date,baseline,baseline_date,polarity,source\n"
        "m1,Label,-10,gbp,2026-01-01,-5.5,2025-01-01,lower_is_better,x\n"
    )
    connection, report = load(reference_folder(tmp_path, "targets.csv", text))
    assert report.references["targets"].status == "loaded"
    assert connection.execute("select target, baseline from targets").fetchall() == [(-10.0, -5.5)]


def published_folder(tmp_path, la_name: str = "Lancashire", value: str = "73.7") -> Path:
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED / "reference", folder / "reference")
    head = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,requests_received_in_year,"
        "requests_decided_to_assess,requests_decided_not_to_assess,request_assess_pc,request_not_assess_pc"
    )
    rows = [
        "2024,Calendar year,National,E92000001,England,,,,,,All requests for EHC needs assessments,All,"
        "154489,101045,38889,65.4,-25.2",
        "2024,Calendar year,Local authority,E92000001,England,E12000002,North West,E10000017,888,"
        f"{la_name},All requests for EHC needs assessments,All,-,~,-,{value},12",
    ]
    (folder / "ehcp_2030").mkdir()
    (folder / "ehcp_2030" / "requests.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return folder


def test_a_published_file_storing_a_formula_is_refused_naming_line_column_and_value(tmp_path):
    folder = published_folder(tmp_path, la_name='" =HYPERLINK(""http://x"",""Lancashire"")"')
    conn = duckdb.connect()
    report = load_published(conn, folder)
    load = report.file("ehcp_2030/requests.csv")
    assert load.status == "refused"
    assert load.message == (
        'line 3, column la_name: value \'=HYPERLINK("http://x","Lancashire")\': ' + contract.FORMULA_RULE
    )
    names = conn.execute("select distinct area_name from published_measures").fetchall()
    assert not [n for (n,) in names if contract.looks_like_formula(n)]
    with pytest.raises(PublishedDataError, match="line 3, column la_name"):
        load_published(duckdb.connect(), folder, strict=True)


def test_negative_numbers_and_symbols_in_a_published_file_are_not_formulas(tmp_path):
    report = load_published(duckdb.connect(), published_folder(tmp_path, value="-3.5"))
    assert report.file("ehcp_2030/requests.csv").status == "loaded"


# --- A rejected row is reported by its offending cell alone ------------------------------------------------

NAME = "Jemima Puddleduck-Smythe"


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [
        # A formula in request_id; a name sits in the same row's child_id.
        (f"=cmd,{NAME},2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false", "request_id", "=cmd"),
        # The name where a decision should be.
        (f"B1,C9,2024-01-05,parent,7,Burnley,ASD,{NAME},,,,false,,false", "decision", NAME),
        # A ragged row: no cell can be shown on its own, so none is.
        (f"B1,C9,2024-01-05,parent,7,Burnley,{NAME}", None, None),
        (f"B1,C9,2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false,{NAME},extra", None, None),
        (f'B1,"C "9" x",2024-01-05,parent,7,Burnley,ASD,pending,,,,false,{NAME},false', None, None),
    ],
)
def test_a_rejected_row_is_reported_by_file_line_column_rule_and_its_own_cell_only(
    tmp_path, row, column, value
):
    connection, report = load(make_folder(tmp_path, ehcp_requests=with_row("ehcp_requests", row)))
    requests = report.files["ehcp_requests"]
    assert requests.rows_rejected == 1
    assert {(p.file, p.line) for p in requests.problems} == {("ehcp_requests.csv", bad_line("ehcp_requests"))}
    assert (requests.problems[0].column, requests.problems[0].value) == (column, value)
    stored = connection.execute("select * from validation_problems").fetchall()
    shown = "\n".join([report.text(), *(str(r) for r in stored)])
    if value != NAME:
        assert NAME not in shown and "Puddleduck" not in shown
    assert "2024-01-05,parent" not in shown


def test_a_rejected_cell_value_is_cut_short():
    long = "x" * 500
    problem = Problem("f.csv", 2, "child_id", long, "rule")
    assert len(problem.value) == MAX_VALUE_CHARS
    assert problem.value.endswith("…")


def test_rejects_tables_holding_whole_lines_are_not_kept(tmp_path):
    row = f"B1,C9,2024-01-05,parent,7,Burnley,{NAME}"
    connection, _ = load(make_folder(tmp_path, ehcp_requests=with_row("ehcp_requests", row)))
    tables = {r[0] for r in connection.execute("select table_name from information_schema.tables").fetchall()}
    assert not tables & {"_rej", "_rej_scan"}
    for table in tables:
        for column, kind in connection.execute(
            "select column_name, data_type from information_schema.columns where table_name = $t",
            {"t": table},
        ).fetchall():
            if kind == "VARCHAR":
                hits = connection.execute(
                    f'select count(*) from "{table}" where "{column}" like $n', {"n": "%Puddleduck%"}
                ).fetchone()[0]
                assert not hits, (table, column)


# --- No server folder reaches a viewer ---------------------------------------------------------------------


def test_messages_name_files_not_folders(tmp_path, caplog):
    folder = make_folder(tmp_path / "SECRET-FOLDER-9q", ehcp_requests=None)
    (folder / "reference" / "targets.csv").unlink()
    (folder / "ep_assessments.csv").write_text("ep_request_id;request_id\nE1;G1\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        _, report = load(folder)
    messages = [
        m
        for r in [*report.files.values(), *report.references.values()]
        for m in (*r.errors, *r.warnings, *r.lines())
    ]
    assert "ehcp_requests.csv was not found in the extracts folder" in messages
    assert "reference/targets.csv is not in the extracts folder; using the bundled copy" in messages
    assert not [m for m in messages if "SECRET-FOLDER" in m or str(tmp_path) in m]
    # The folder is in the server log instead.
    assert any("SECRET-FOLDER-9q" in r.getMessage() for r in caplog.records)


def test_library_errors_lose_their_folders():
    assert without_paths('IO Error: No files found that match the pattern "/srv/send data/x/ehcp.csv"') == (
        'IO Error: No files found that match the pattern "ehcp.csv"'
    )
    assert without_paths("cannot open /srv/send/extracts/ehcp.csv: denied") == "cannot open ehcp.csv: denied"
    assert without_paths("in /srv/send/extracts today", "/srv/send/extracts") == "in extracts today"
    unchanged = "must be true/false, 1/0 or Y/N; dates are DD/MM/YYYY; see ehcp_2025/requests.csv"
    assert without_paths(unchanged) == unchanged
