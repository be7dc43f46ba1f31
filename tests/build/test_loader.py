"""The loader against the data contract: one case per rule and per bad input, with the exact line and column."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import contract
from dashboard.build import csvfile
from dashboard.build.loader import LoadOptions, load_folder, looks_like_identifier

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "area"
TODAY = date(2025, 3, 31)

REQUESTS_HEADER = (
    "request_id,child_id,received_date,request_source,age_at_request,district,primary_need,"
    "decision,decision_date,outcome,plan_issued_date,exception_20wk,placement_type,appeal_lodged"
)
GOOD_REQUESTS = [
    "G1,C1,2024-01-02,parent,7,Burnley,ASD,assess,2024-02-01,plan_issued,2024-05-01,false,mainstream,false",
    "G2,C2,2024-01-03,school,8,Preston,SEMH,not_assess,2024-02-01,,,false,,true",
    "G3,C3,2024-01-04,health,9,Lancaster,SLCN,pending,,,,false,,false",
]
EP_HEADER = "ep_request_id,request_id,requested_date,completed_date,status,provider,district"
GOOD_EP = ["E1,G1,2024-02-02,2024-03-01,completed,in_house,Burnley", "E2,G1,2024-02-03,,open,agency,Burnley"]
PLACES_HEADER = (
    "snapshot_date,setting_id,setting_name,setting_type,district,designation,commissioned_places,"
    "occupied_places,planned_places,planned_open_date"
)
GOOD_PLACES = [
    "2024-10-01,900001,Brookfield Park School,special_maintained,Burnley,ASD,100,104,20,2025-09-01",
    "2024-10-01,900002,Riverside Base,resourced_provision,Preston,SLCN,12,10,,",
]
SPENDING_HEADER = "month,budget_line,funding_source,budget_gbp,actual_gbp"
GOOD_SPENDING = [
    "2025-01-01,send_transport,council_general_fund,500000,550000",
    "2025-02-01,send_transport,council_general_fund,500000,",
]
PLANS_HEADER = (
    "plan_id,child_id,request_id,start_date,district,primary_need,age_at_start,placement_type,ceased_date,"
    "ceased_reason"
)
GOOD_PLANS = [
    "P1,C1,G1,2024-05-01,Burnley,ASD,7,mainstream,,",
    "P2,C7,,2016-03-01,Preston,SLD,9,special_maintained,2024-07-31,adult_services_or_left_education",
]
REVIEWS_HEADER = (
    "review_id,plan_id,review_meeting_date,decision,decision_date,amended_plan_issued_date,phase_transfer"
)
GOOD_REVIEWS = [
    "AR1,P2,2023-06-01,amend,2023-06-20,2023-08-01,false",
    "AR2,P2,2024-05-10,cease,2024-06-01,,false",
    "AR3,P1,2025-03-01,pending,,,true",
]
FILES = {
    "ehcp_requests": ("ehcp_requests.csv", REQUESTS_HEADER, GOOD_REQUESTS),
    "ep_assessments": ("ep_assessments.csv", EP_HEADER, GOOD_EP),
    "specialist_places": ("specialist_places.csv", PLACES_HEADER, GOOD_PLACES),
    "spending": ("spending.csv", SPENDING_HEADER, GOOD_SPENDING),
    "ehcp_plans": ("ehcp_plans.csv", PLANS_HEADER, GOOD_PLANS),
    "annual_reviews": ("annual_reviews.csv", REVIEWS_HEADER, GOOD_REVIEWS),
}


def make_folder(tmp_path: Path, **overrides: str | bytes | None) -> Path:
    """A folder of good extracts, with any file replaced by the text or bytes given (None = leave it out)."""
    folder = tmp_path / "extracts"
    shutil.copytree(FIXTURE / "reference", folder / "reference")
    for table, (filename, header, rows) in FILES.items():
        content = overrides.get(table, "\n".join([header, *rows]) + "\n")
        if content is None:
            continue
        path = folder / filename
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def load(folder: Path, threshold: float = 1.0, last_good: Path | None = None):
    connection = duckdb.connect()
    report = load_folder(
        connection, folder, LoadOptions(today=TODAY, reject_threshold=threshold, last_good_dir=last_good)
    )
    return connection, report


def with_row(table: str, row: str) -> str:
    """The good file for `table` with one bad row appended: it lands on line len(good rows) + 2."""
    _, header, rows = FILES[table]
    return "\n".join([header, *rows, row]) + "\n"


def bad_line(table: str) -> int:
    return len(FILES[table][2]) + 2


# One row per rule: (table, bad row, column named, words the rule must contain).
ROW_RULES = [
    ("ehcp_requests", "B1,,2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false", "child_id", "required"),
    (
        "ehcp_requests",
        "B1,C9,abc,parent,7,Burnley,ASD,pending,,,,false,,false",
        "received_date",
        "not a valid date",
    ),
    (
        "ehcp_requests",
        "B1,C9,2099-01-05,parent,7,Burnley,ASD,pending,,,,false,,false",
        "received_date",
        "future",
    ),
    (
        "ehcp_requests",
        "B1,C9,2013-01-05,parent,7,Burnley,ASD,pending,,,,false,,false",
        "received_date",
        "before 2014-09-01",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,granny,7,Burnley,ASD,pending,,,,false,,false",
        "request_source",
        "unknown value",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,abc,Burnley,ASD,pending,,,,false,,false",
        "age_at_request",
        "whole number",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,26,Burnley,ASD,pending,,,,false,,false",
        "age_at_request",
        "between 0 and 25",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Leeds,ASD,pending,,,,false,,false",
        "district",
        "districts.csv",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ADHD,pending,,,,false,,false",
        "primary_need",
        "unknown value",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,maybe,,,,false,,false",
        "decision",
        "unknown value",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,,ongoing,,false,,false",
        "decision_date",
        "required unless decision is pending",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,pending,2024-02-01,,,false,,false",
        "decision_date",
        "pending request cannot have",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,not_assess,2024-01-04,,,false,,false",
        "decision_date",
        "on or after received_date",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,,,false,,false",
        "outcome",
        "required when decision is assess",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,not_assess,2024-02-01,ongoing,,false,,false",
        "outcome",
        "only allowed when decision is assess",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,plan_issued,,false,mainstream,false",
        "plan_issued_date",
        "required when outcome is plan_issued",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,ongoing,2024-05-01,false,,false",
        "plan_issued_date",
        "only allowed when outcome is plan_issued",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,plan_issued,2024-01-31,false,mainstream,false",
        "plan_issued_date",
        "on or after decision_date",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,plan_issued,2024-05-01,false,,false",
        "placement_type",
        "required when outcome is plan_issued",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,assess,2024-02-01,plan_issued,2024-05-01,false,castle,false",
        "placement_type",
        "unknown value",
    ),
    (
        "ehcp_requests",
        "B1,C9,2024-01-05,parent,7,Burnley,ASD,pending,,,,perhaps,,false",
        "exception_20wk",
        "true/false, 1/0 or Y/N",
    ),
    (
        "ehcp_requests",
        "G1,C9,2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false",
        "request_id",
        "duplicate key (request_id): first seen on line 2",
    ),
    (
        "ehcp_requests",
        'B1,=HYPERLINK("http://x"),2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false',
        "child_id",
        "spreadsheet formula",
    ),
    (
        "ehcp_requests",
        "B1,@SUM(A1),2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false",
        "child_id",
        "spreadsheet formula",
    ),
    (
        "ep_assessments",
        "E9,G1,2024-02-02,,completed,in_house,Burnley",
        "completed_date",
        "required when status is completed",
    ),
    (
        "ep_assessments",
        "E9,G1,2024-02-02,2024-03-01,open,in_house,Burnley",
        "completed_date",
        "open request cannot have",
    ),
    (
        "ep_assessments",
        "E9,G1,2024-02-02,2024-02-01,completed,in_house,Burnley",
        "completed_date",
        "on or after requested_date",
    ),
    ("ep_assessments", "E9,G1,2024-02-02,,open,freelance,Burnley", "provider", "unknown value"),
    ("ep_assessments", "E1,G1,2024-02-02,,open,agency,Burnley", "ep_request_id", "duplicate key"),
    (
        "specialist_places",
        "2024-10-01,900003,New Base,resourced_provision,Preston,SLCN,-4,0,,",
        "commissioned_places",
        "must not be negative",
    ),
    (
        "specialist_places",
        "2024-10-01,900003,New Base,resourced_provision,Preston,SLCN,4,-1,,",
        "occupied_places",
        "must not be negative",
    ),
    (
        "specialist_places",
        "2024-10-01,900003,New Base,resourced_provision,Preston,SLCN,4,4,10,",
        "planned_open_date",
        "required when planned_places",
    ),
    (
        "specialist_places",
        "2024-10-01,900003,New Base,castle,Preston,SLCN,4,4,,",
        "setting_type",
        "unknown value",
    ),
    (
        "specialist_places",
        "2024-10-01,900003,New Base,resourced_provision,Preston,ADHD,4,4,,",
        "designation",
        "unknown value",
    ),
    (
        "specialist_places",
        "2024-10-01,900001,Brookfield Again,special_maintained,Burnley,ASD,1,1,,",
        "setting_id",
        "duplicate key (snapshot_date, setting_id): first seen on line 2",
    ),
    ("spending", "2025-01-15,ep_service,high_needs_block,1000,1000", "month", "first day of a month"),
    ("spending", "2025-01-01,send_transport,council_general_fund,1,1", "budget_line", "duplicate key"),
    ("spending", "2025-03-01,magic,high_needs_block,1000,1000", "budget_line", "unknown value"),
    ("spending", "2025-03-01,ep_service,lottery,1000,1000", "funding_source", "unknown value"),
    ("spending", "2025-03-01,ep_service,high_needs_block,abc,1000", "budget_gbp", "plain number"),
    ("ehcp_plans", ",C9,,2020-01-01,Burnley,ASD,5,mainstream,,", "plan_id", "required"),
    ("ehcp_plans", "P1,C9,,2020-01-01,Burnley,ASD,5,mainstream,,", "plan_id", "duplicate key (plan_id)"),
    ("ehcp_plans", "P9,,,2020-01-01,Burnley,ASD,5,mainstream,,", "child_id", "required"),
    ("ehcp_plans", "P9,C9,,2099-01-01,Burnley,ASD,5,mainstream,,", "start_date", "future"),
    ("ehcp_plans", "P9,C9,,2013-01-01,Burnley,ASD,5,mainstream,,", "start_date", "before 2014-09-01"),
    ("ehcp_plans", "P9,C9,,01/13/2020,Burnley,ASD,5,mainstream,,", "start_date", "not a valid date"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Leeds,ASD,5,mainstream,,", "district", "districts.csv"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,,5,mainstream,,", "primary_need", "required"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ADHD,5,mainstream,,", "primary_need", "unknown value"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ASD,26,mainstream,,", "age_at_start", "between 0 and 25"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ASD,-1,mainstream,,", "age_at_start", "must not be negative"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ASD,five,mainstream,,", "age_at_start", "whole number"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ASD,5,,,", "placement_type", "required"),
    ("ehcp_plans", "P9,C9,,2020-01-01,Burnley,ASD,5,castle,,", "placement_type", "unknown value"),
    (
        "ehcp_plans",
        "P9,C9,,2020-01-01,Burnley,ASD,5,mainstream,2021-01-01,",
        "ceased_reason",
        "required when ceased_date is given",
    ),
    (
        "ehcp_plans",
        "P9,C9,,2020-01-01,Burnley,ASD,5,mainstream,,needs_met",
        "ceased_reason",
        "only allowed when ceased_date is given",
    ),
    (
        "ehcp_plans",
        "P9,C9,,2020-01-01,Burnley,ASD,5,mainstream,2021-01-01,emigrated",
        "ceased_reason",
        "unknown value",
    ),
    (
        "ehcp_plans",
        "P9,C9,,2020-01-01,Burnley,ASD,5,mainstream,2019-12-31,needs_met",
        "ceased_date",
        "on or after start_date",
    ),
    (
        "ehcp_plans",
        "P9,C9,,2020-01-01,Burnley,ASD,5,mainstream,2099-01-01,needs_met",
        "ceased_date",
        "future",
    ),
    ("ehcp_plans", "P9,=cmd|x,,2020-01-01,Burnley,ASD,5,mainstream,,", "child_id", "spreadsheet formula"),
    ("annual_reviews", ",P1,2025-01-10,maintain,2025-01-20,,false", "review_id", "required"),
    (
        "annual_reviews",
        "AR1,P1,2025-01-10,maintain,2025-01-20,,false",
        "review_id",
        "duplicate key (review_id)",
    ),
    ("annual_reviews", "AR9,,2025-01-10,maintain,2025-01-20,,false", "plan_id", "required"),
    ("annual_reviews", "AR9,P1,,maintain,2025-01-20,,false", "review_meeting_date", "required"),
    ("annual_reviews", "AR9,P1,2099-01-10,pending,,,false", "review_meeting_date", "future"),
    ("annual_reviews", "AR9,P1,2025-01-10,keep,2025-01-20,,false", "decision", "unknown value"),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,maintain,,,false",
        "decision_date",
        "required unless decision is pending",
    ),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,pending,2025-01-20,,false",
        "decision_date",
        "pending review cannot have",
    ),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,maintain,2025-01-09,,false",
        "decision_date",
        "on or after review_meeting_date",
    ),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,maintain,2025-01-20,2025-02-20,false",
        "amended_plan_issued_date",
        "only allowed when decision is amend",
    ),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,amend,2025-01-20,2025-01-19,false",
        "amended_plan_issued_date",
        "on or after decision_date",
    ),
    (
        "annual_reviews",
        "AR9,P1,2025-01-10,amend,2025-01-20,,maybe",
        "phase_transfer",
        "true/false, 1/0 or Y/N",
    ),
]


@pytest.mark.parametrize(("table", "row", "column", "rule"), ROW_RULES)
def test_each_rule_rejects_the_row_and_names_line_column_and_rule(tmp_path, table, row, column, rule):
    connection, report = load(make_folder(tmp_path, **{table: with_row(table, row)}))
    file_report = report.files[table]
    assert file_report.status == "loaded_with_rejections"
    assert file_report.rows_rejected == 1
    matches = [p for p in file_report.problems if p.column == column]
    assert matches, file_report.lines()
    assert matches[0].line == bad_line(table)
    assert rule in matches[0].rule
    assert matches[0].file == FILES[table][0]
    served = connection.execute("select count(*) from " + table).fetchone()[0]
    assert served == len(FILES[table][2])


def test_a_whole_number_column_refuses_fractions_and_other_notations_but_reads_2_0_as_2(tmp_path):
    """DuckDB's cast would store 2.5 as 3 (and 1e1 as 10): such cells are rejected, named by line and value.
    A whole number written with a zero fraction, as spreadsheets export it, is that number."""
    rows = [
        "B1,C9,2024-01-05,parent,2.5,Burnley,ASD,pending,,,,false,,false",  # line 5: rejected
        "B2,C10,2024-01-06,parent,2.0,Burnley,ASD,pending,,,,false,,false",  # line 6: loaded as 2
        "B3,C11,2024-01-07,parent,1e1,Burnley,ASD,pending,,,,false,,false",  # line 7: rejected
        "B4,C12,2024-01-08,parent, 11 ,Burnley,ASD,pending,,,,false,,false",  # line 8: loaded as 11
    ]
    content = "\n".join([REQUESTS_HEADER, *GOOD_REQUESTS, *rows]) + "\n"
    connection, report = load(make_folder(tmp_path, ehcp_requests=content))
    requests = report.files["ehcp_requests"]
    assert (requests.rows_read, requests.rows_loaded, requests.rows_rejected) == (7, 5, 2)
    assert [p.describe() for p in requests.problems] == [
        "ehcp_requests.csv, line 5, column age_at_request: value '2.5': must be a whole number",
        "ehcp_requests.csv, line 7, column age_at_request: value '1e1': must be a whole number",
    ]
    # Served: the three good rows' 7, 8 and 9, then 2 (from 2.0) and 11.
    ages = connection.execute("select list(age_at_request order by request_id) from ehcp_requests").fetchone()
    assert ages == ([2, 11, 7, 8, 9],)


def test_a_good_folder_loads_every_row_with_no_problems(tmp_path):
    connection, report = load(make_folder(tmp_path))
    for table, (_, _, rows) in FILES.items():
        assert report.files[table].status == "loaded", report.files[table].lines()
        assert connection.execute("select count(*) from " + table).fetchone()[0] == len(rows)
    assert not report.any_refused


def test_values_are_canonicalised_and_derived_columns_added(tmp_path):
    rows = "\n".join(
        [
            REQUESTS_HEADER,
            "G1,C1,2024-01-02,Parent,7,burnley,asd,ASSESS,2024-02-01,plan_issued,2024-05-01,Y,mainstream,N",
            "G2,C2,2024-01-03,school,16,Preston,,pending,,,,1,,",
        ]
    )
    connection, report = load(make_folder(tmp_path, ehcp_requests=rows + "\n"))
    assert report.files["ehcp_requests"].rows_rejected == 0
    got = connection.execute(
        "select request_source, district, locality, primary_need, decision, exception_20wk, "
        "appeal_lodged, age_group from ehcp_requests order by request_id"
    ).fetchall()
    assert got == [
        ("parent", "Burnley", "East", "ASD", "assess", True, False, "5 to 10"),
        ("school", "Preston", "Central", None, "pending", True, None, "16 to 19"),
    ]


def test_missing_file_is_reported_and_the_table_is_empty_but_queryable(tmp_path):
    connection, report = load(make_folder(tmp_path, ep_assessments=None))
    ep = report.files["ep_assessments"]
    assert ep.status == "missing"
    assert "ep_assessments.csv was not found" in ep.errors[0]
    assert connection.execute("select count(*) from ep_assessments").fetchone()[0] == 0
    assert report.files["ehcp_requests"].status == "loaded"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("\n\n  \n", "the file is empty"),
        (REQUESTS_HEADER + "\n", "header but no data rows"),
    ],
)
def test_empty_and_header_only_files_are_refused(tmp_path, content, message):
    _, report = load(make_folder(tmp_path, ehcp_requests=content))
    assert report.files["ehcp_requests"].status == "refused"
    assert message in " ".join(report.files["ehcp_requests"].errors)


def test_missing_required_column_is_refused_naming_it(tmp_path):
    header = REQUESTS_HEADER.replace("district,", "")
    rows = [",".join(r.split(",")[:5] + r.split(",")[6:]) for r in GOOD_REQUESTS]
    _, report = load(make_folder(tmp_path, ehcp_requests="\n".join([header, *rows]) + "\n"))
    assert report.files["ehcp_requests"].status == "refused"
    assert "required column(s) missing from the header: district" in report.files["ehcp_requests"].errors[0]


def test_unknown_extra_column_is_ignored_with_a_warning(tmp_path):
    rows = [REQUESTS_HEADER + ",Notes", *(r + ",something" for r in GOOD_REQUESTS)]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    assert report.files["ehcp_requests"].status == "loaded"
    assert "unknown column(s) ignored: 'Notes'" in report.files["ehcp_requests"].warnings[0]
    columns = [r[0] for r in connection.execute("describe ehcp_requests").fetchall()]
    assert "notes" not in columns and "Notes" not in columns


def test_header_names_match_case_insensitively_in_any_order(tmp_path):
    names = REQUESTS_HEADER.split(",")
    order = list(reversed(range(len(names))))
    header = ",".join(" " + names[i].upper() + " " for i in order)
    rows = [",".join(r.split(",")[i] for i in order) for r in GOOD_REQUESTS]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join([header, *rows]) + "\n"))
    assert report.files["ehcp_requests"].status == "loaded", report.files["ehcp_requests"].lines()
    assert (
        connection.execute("select district from ehcp_requests where request_id = 'G2'").fetchone()[0]
        == "Preston"
    )


@pytest.mark.parametrize(
    "identifier", ["dob", "Name", "UPN", "date_of_birth", "NHS Number", "Postcode", "child_name", "surname"]
)
def test_a_direct_identifier_column_refuses_the_file(tmp_path, identifier):
    rows = [REQUESTS_HEADER + "," + identifier, *(r + ",secret" for r in GOOD_REQUESTS)]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    requests = report.files["ehcp_requests"]
    assert requests.status == "refused"
    assert f"direct-identifier column(s) {identifier!r}" in requests.errors[0]
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 0


def test_identifier_detection_spares_contract_columns():
    for extract in contract.EXTRACTS:
        for column in extract.columns:
            assert not looks_like_identifier(column.name), column.name


def test_uk_dates_load_and_month_first_or_impossible_dates_are_named(tmp_path):
    rows = [
        REQUESTS_HEADER,
        "G1,C1,02/01/2024,parent,7,Burnley,ASD,pending,,,,false,,false",
        "G2,C2,12/31/2024,parent,7,Burnley,ASD,pending,,,,false,,false",
        "G3,C3,31/02/2024,parent,7,Burnley,ASD,pending,,,,false,,false",
        *[
            f"G{n},C{n},0{n % 9 + 1}/03/2024,parent,7,Burnley,ASD,pending,,,,false,,false"
            for n in range(4, 12)
        ],
    ]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    requests = report.files["ehcp_requests"]
    by_line = {p.line: p for p in requests.problems}
    assert by_line[3].column == "received_date" and by_line[3].value == "12/31/2024"
    assert "month-first" in by_line[3].rule
    assert by_line[4].value == "31/02/2024" and "not a real calendar date" in by_line[4].rule
    assert connection.execute("select received_date from ehcp_requests where request_id = 'G1'").fetchone()[
        0
    ] == date(2024, 1, 2)


def test_windows_1252_text_is_transcoded_with_a_warning(tmp_path):
    text = (
        "\n".join(
            [
                PLACES_HEADER,
                "2024-10-01,900001,Brontë House School,special_maintained,Burnley,ASD,100,104,20,2025-09-01",
            ]
        )
        + "\n"
    )
    connection, report = load(make_folder(tmp_path, specialist_places=text.encode("cp1252")))
    places = report.files["specialist_places"]
    assert places.status == "loaded"
    assert "Windows-1252" in places.warnings[0]
    assert (
        connection.execute("select setting_name from specialist_places").fetchone()[0]
        == "Brontë House School"
    )


def test_semicolon_delimited_file_is_refused_with_a_clear_message(tmp_path):
    text = "\n".join([REQUESTS_HEADER.replace(",", ";"), *(r.replace(",", ";") for r in GOOD_REQUESTS)])
    _, report = load(make_folder(tmp_path, ehcp_requests=text + "\n"))
    assert report.files["ehcp_requests"].status == "refused"
    assert "semicolon-delimited" in report.files["ehcp_requests"].errors[0]


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("B1,C9,2024-01-05,parent,7,Burnley", "ragged row: fewer cells"),
        (
            "B1,C9,2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false,extra,cells",
            "ragged row: more cells",
        ),
        ('B1,"C "9" x",2024-01-05,parent,7,Burnley,ASD,pending,,,,false,,false', "unescaped quote"),
    ],
)
def test_structural_errors_name_the_line(tmp_path, row, rule):
    connection, report = load(make_folder(tmp_path, ehcp_requests=with_row("ehcp_requests", row)))
    requests = report.files["ehcp_requests"]
    assert requests.rows_rejected == 1
    assert [(p.line, rule in p.rule) for p in requests.problems] == [(5, True)]
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 3


def test_bom_crlf_and_null_spellings_load(tmp_path):
    rows = [REQUESTS_HEADER, "G1,C1,2024-01-02,parent,7,Burnley,NULL,pending,N/A,-,n/a,,,"]
    content = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    connection, report = load(make_folder(tmp_path, ehcp_requests=content))
    assert report.files["ehcp_requests"].status == "loaded", report.files["ehcp_requests"].lines()
    assert connection.execute(
        "select primary_need, decision_date, outcome from ehcp_requests"
    ).fetchone() == (None, None, None)


def test_money_may_carry_pound_signs_and_thousands_separators(tmp_path):
    rows = [SPENDING_HEADER, '2025-01-01,send_transport,council_general_fund,"£500,000","1,234.50"']
    connection, report = load(make_folder(tmp_path, spending="\n".join(rows) + "\n"))
    assert report.files["spending"].status == "loaded", report.files["spending"].lines()
    assert connection.execute("select budget_gbp, actual_gbp, financial_year from spending").fetchone() == (
        500000.0,
        1234.5,
        "2024-25",
    )


def test_line_numbers_stay_true_with_blank_lines_and_multi_line_cells(tmp_path):
    rows = [
        PLACES_HEADER,
        '2024-10-01,900001,"Brookfield\nPark School",special_maintained,Burnley,ASD,100,104,20,2025-09-01',
        "",
        "2024-10-01,900002,Riverside Base,resourced_provision,Preston,SLCN,-12,10,,",
        "2024-10-01,900003,Hill Base,resourced_provision,Preston,SLCN,abc,10,,",
    ]
    connection, report = load(make_folder(tmp_path, specialist_places="\n".join(rows) + "\n"))
    problems = {(p.line, p.column) for p in report.files["specialist_places"].problems}
    assert problems == {(5, "commissioned_places"), (6, "commissioned_places")}
    assert (
        connection.execute("select setting_name from specialist_places").fetchone()[0]
        == "Brookfield\nPark School"
    )


def test_ep_requests_for_unknown_assessments_load_with_a_warning(tmp_path):
    _, report = load(
        make_folder(
            tmp_path, ep_assessments=with_row("ep_assessments", "E9,R404,2024-02-02,,open,in_house,Burnley")
        )
    )
    ep = report.files["ep_assessments"]
    assert ep.status == "loaded" and ep.rows_loaded == 3
    assert (
        "1 EP advice request(s) refer to a request_id not in ehcp_requests.csv (for example 'R404')"
        in ep.warnings[0]
    )


def test_plans_linked_to_unknown_or_unissued_requests_load_with_warnings(tmp_path):
    plans = with_row("ehcp_plans", "P8,C8,R404,2024-06-01,Burnley,ASD,6,mainstream,,")
    plans = plans + "P9,C2,G2,2024-06-01,Preston,SEMH,8,mainstream,,\n"  # G2 was not assessed
    _, report = load(make_folder(tmp_path, ehcp_plans=plans))
    file_report = report.files["ehcp_plans"]
    assert file_report.status == "loaded" and file_report.rows_loaded == 4
    assert file_report.warnings == [
        "1 plan(s) refer to a request_id not in ehcp_requests.csv (for example 'R404'); they are loaded but "
        "cannot be linked to the request they were issued on",
        "1 plan(s) refer to a request whose outcome is not plan_issued (for example 'G2'); they are loaded, but "
        "the plan or the request is wrong in one of the two extracts",
    ]


def test_reviews_of_unknown_plans_load_with_a_warning(tmp_path):
    reviews = with_row("annual_reviews", "AR9,P404,2025-01-10,maintain,2025-01-20,,false")
    _, report = load(make_folder(tmp_path, annual_reviews=reviews))
    file_report = report.files["annual_reviews"]
    assert file_report.status == "loaded" and file_report.rows_loaded == 4
    assert (
        "1 annual review(s) refer to a plan_id not in ehcp_plans.csv (for example 'P404')"
        in (file_report.warnings[0])
    )


def test_the_plans_and_reviews_extracts_are_optional(tmp_path):
    connection, report = load(make_folder(tmp_path, ehcp_plans=None, annual_reviews=None))
    for table in ("ehcp_plans", "annual_reviews"):
        file_report = report.files[table]
        assert file_report.status == "missing" and file_report.optional and not file_report.failed
        assert file_report.summary() == f"{table}.csv: missing (optional extract)"
        assert connection.execute(f"select count(*) from {table}").fetchone()[0] == 0
    assert not report.any_refused
    # A required extract's absence still fails the folder.
    _, report = load(make_folder(tmp_path / "again", spending=None))
    assert report.any_refused and report.files["spending"].failed


def test_out_of_area_is_a_valid_setting_district(tmp_path):
    row = "2024-10-01,900009,Far Away School,independent_special,out_of_area,SEMH,10,11,,"
    connection, report = load(make_folder(tmp_path, specialist_places=with_row("specialist_places", row)))
    assert report.files["specialist_places"].status == "loaded"
    assert (
        connection.execute("select locality from specialist_places where setting_id = '900009'").fetchone()[0]
        is None
    )


def test_a_file_over_the_threshold_is_refused_and_the_last_good_version_served(tmp_path):
    last_good = tmp_path / "last_good"
    load(make_folder(tmp_path), threshold=0.05, last_good=last_good)
    broken = with_row("ehcp_requests", "B1,C9,abc,parent,7,Burnley,ASD,pending,,,,false,,false")
    shutil.rmtree(tmp_path / "extracts")
    connection, report = load(
        make_folder(tmp_path, ehcp_requests=broken), threshold=0.05, last_good=last_good
    )
    requests = report.files["ehcp_requests"]
    assert requests.status == "refused"
    assert "1 of 4 rows (25.0%) break the contract, more than the 5% allowed" in requests.errors[0]
    assert requests.serving == "last_good" and requests.usable
    assert connection.execute("select list(request_id order by request_id) from ehcp_requests").fetchone()[
        0
    ] == ["G1", "G2", "G3"]
    assert (tmp_path / "extracts" / "ehcp_requests.csv").read_text() == broken


def test_a_refused_file_with_no_last_good_version_leaves_an_empty_table(tmp_path):
    broken = with_row("ehcp_requests", "B1,C9,abc,parent,7,Burnley,ASD,pending,,,,false,,false")
    connection, report = load(make_folder(tmp_path, ehcp_requests=broken), threshold=0.05)
    assert report.files["ehcp_requests"].status == "refused"
    assert not report.files["ehcp_requests"].usable
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 0


def test_report_text_lists_file_line_column_value_and_rule(tmp_path):
    _, report = load(
        make_folder(
            tmp_path,
            ehcp_requests=with_row(
                "ehcp_requests", "B1,C9,2024-01-05,parent,7,Leeds,ASD,pending,,,,false,,false"
            ),
        )
    )
    assert (
        "ehcp_requests.csv, line 5, column district: value 'Leeds': unknown value: must be a district in "
        "reference/districts.csv"
    ) in report.text()


def test_every_kind_of_rejected_row_is_named_by_its_own_line_in_a_crlf_file_with_multi_line_cells(tmp_path):
    rows = [
        PLACES_HEADER,
        '2024-10-01,900001,"Brookfield\r\nPark School",special_maintained,Burnley,ASD,100,104,20,2025-09-01',
        "",
        "2024-10-01,900002,Riverside Base,resourced_provision,Preston,SLCN,12,10",
        '2024-10-01,900003,"Hill ""Top""\r\nBase",castle,Preston,SLCN,4,4,,',
        "",
        "",
        "2024-10-01,900004,Vale Base,resourced_provision,Preston,SLCN,4,4,,2025-13-01",
        "2024-10-01,900001,Brookfield Again,special_maintained,Burnley,ASD,1,1,,",
        "2024-10-01,900005,Last Base,resourced_provision,Preston,SLCN,4,4,,",
    ]
    content = "\r\n".join(rows).encode()  # no newline after the last row
    connection, report = load(make_folder(tmp_path, specialist_places=content))
    places = report.files["specialist_places"]
    assert [(p.line, p.column, p.value) for p in places.problems] == [
        (5, None, None),
        (6, "setting_type", "castle"),
        (10, "planned_open_date", "2025-13-01"),
        (11, "setting_id", "2024-10-01 / 900001"),
    ]
    assert places.problems[3].rule.endswith("first seen on line 2")
    assert (places.rows_read, places.rows_rejected, places.rows_loaded) == (6, 4, 2)
    assert connection.execute(
        "select list(setting_id order by setting_id) from specialist_places"
    ).fetchone()[0] == ["900001", "900005"]


def test_a_quote_inside_an_unquoted_cell_does_not_shift_later_lines(tmp_path):
    rows = [
        REQUESTS_HEADER,
        'G1,C1 "the" first,2024-01-02,parent,7,Burnley,ASD,pending,,,,false,,false',
        "G2,C2,2024-01-03,school,8,Leeds,SEMH,pending,,,,false,,false",
    ]
    _, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    assert [(p.line, p.column) for p in report.files["ehcp_requests"].problems] == [(3, "district")]


@pytest.mark.parametrize(
    "text",
    [
        'h\n1,"a\n\nb"\n\n2\r\n\r\n3',
        'h\r\n"x""\r\n"",y"\r\n\r\n4\r\n',
        "h\n\n\n5\n6\n\n",
        'h,"multi\nline header"\n7\n',
    ],
)
def test_record_lines_found_from_bytes_match_the_csv_module(tmp_path, monkeypatch, text):
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode())
    monkeypatch.setattr(csvfile, "_CHUNK", 3)  # records, quotes and CRLFs split across reads
    assert csvfile.record_start_lines(path).tolist() == csvfile.record_start_lines_by_csv(path).tolist()


def test_a_file_of_ragged_rows_is_counted_in_full_and_refused(tmp_path):
    rows = [REQUESTS_HEADER, *GOOD_REQUESTS, *(f"B{n},C{n},2024-01-05" for n in range(3000))]
    connection, report = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"), threshold=0.05)
    requests = report.files["ehcp_requests"]
    assert requests.status == "refused" and (requests.rows_read, requests.rows_rejected) == (3003, 3000)
    assert requests.rule_counts == {"ragged row: fewer cells than the header": 3000}
    assert requests.problems_total == 3000 and requests.problems[-1].line == 204
    assert connection.execute("select count(*) from ehcp_requests").fetchone()[0] == 0


def test_a_file_neither_utf8_nor_windows_1252_is_refused_naming_the_byte(tmp_path):
    good = ("\n".join([SPENDING_HEADER, *GOOD_SPENDING]) + "\n").encode()
    undefined = b"\x81"  # not UTF-8, and one of the five bytes Windows-1252 leaves undefined
    content = good + b"2025-03-01,ep_service,high_needs_block,1" + undefined + b",1\n"
    _, report = load(make_folder(tmp_path, spending=content))
    assert report.files["spending"].status == "refused"
    position = content.index(undefined)
    assert f"undecodable byte at position {position}" in report.files["spending"].errors[0]


def test_a_table_is_stored_in_date_order_whatever_the_file_order(tmp_path):
    rows = [REQUESTS_HEADER, *reversed(GOOD_REQUESTS)]
    connection, _ = load(make_folder(tmp_path, ehcp_requests="\n".join(rows) + "\n"))
    stored = connection.execute("select request_id from ehcp_requests order by rowid").fetchall()
    assert stored == [("G1",), ("G2",), ("G3",)]


def test_the_check_command_passes_a_folder_without_the_optional_extracts(tmp_path, capsys):
    from dashboard.build import check

    folder = make_folder(tmp_path, ehcp_plans=None, annual_reviews=None)
    assert check.main([str(folder), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "ehcp_plans.csv: missing (optional extract)" in out and out.rstrip().endswith("All files loaded.")
    (folder / "spending.csv").unlink()
    assert check.main([str(folder), "--today", TODAY.isoformat()]) == 1
    assert "REFUSED OR MISSING: spending.csv" in capsys.readouterr().out
