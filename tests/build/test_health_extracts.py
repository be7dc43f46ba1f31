"""The two health extracts (advice_requests, neurodevelopmental_waits) against the contract: one case per rule
and bad input, each named by file, line, column, value and rule; and both optional for a deployment without
them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.build import check
from tests.build.test_loader import FILES, FIXTURE, load

ADVICE_HEADER = "advice_request_id,request_id,service,requested_date,completed_date,status,provider"
GOOD_ADVICE = [
    "A1,G1,community_paediatrics,2024-02-02,2024-03-15,completed,acute_east",
    "A2,G1,social_care,2024-02-02,,open,lcc_social_care",
]
WAITS_HEADER = (
    "month,pathway,place,referrals_received,assessments_completed,waiting_0_13,waiting_13_26,waiting_26_52,"
    "waiting_52_104,waiting_over_104,waiting_total"
)
GOOD_WAITS = [
    "2025-01-01,autism_5_to_18,east_lancashire,30,20,50,40,30,20,10,150",
    "2025-01-01,adhd,east_lancashire,25,10,40,30,20,10,0,",
]
HEALTH = {
    "advice_requests": ("advice_requests.csv", ADVICE_HEADER, GOOD_ADVICE),
    "neurodevelopmental_waits": ("neurodevelopmental_waits.csv", WAITS_HEADER, GOOD_WAITS),
}
BUNDLED_REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def folder_with(tmp_path: Path, **health: str | None) -> Path:
    """The loader tests' good folder, with the two health extracts (each replaced by the text given, or left
    out when None) and the bundled health reference files."""
    folder = tmp_path / "extracts"
    shutil.copytree(FIXTURE / "reference", folder / "reference")
    for name in ("health_providers.csv", "icb_places.csv"):
        shutil.copy(BUNDLED_REFERENCE / name, folder / "reference" / name)
    for filename, header, rows in FILES.values():
        (folder / filename).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    for table, (filename, header, rows) in HEALTH.items():
        content = health.get(table, "\n".join([header, *rows]) + "\n")
        if content is not None:
            (folder / filename).write_text(content, encoding="utf-8")
    return folder


def with_row(table: str, row: str) -> str:
    _, header, rows = HEALTH[table]
    return "\n".join([header, *rows, row]) + "\n"


def test_good_health_extracts_load_with_no_problems(tmp_path):
    connection, report = load(folder_with(tmp_path))
    for table in HEALTH:
        assert report.files[table].status == "loaded", report.files[table].lines()
        assert report.files[table].warnings == []
    assert not report.any_refused
    # A provider or place code is matched case-insensitively and stored as the reference file spells it.
    assert connection.execute("select provider from advice_requests order by 1").fetchall() == [
        ("acute_east",),
        ("lcc_social_care",),
    ]


def test_codes_are_matched_whatever_their_case(tmp_path):
    folder = folder_with(
        tmp_path,
        advice_requests=with_row("advice_requests", "A3,G1,CAMHS,2024-02-02,,open,Community_Trust"),
        neurodevelopmental_waits=with_row(
            "neurodevelopmental_waits", "2025-01-01,autism_under_5,FYLDE_AND_WYRE,1,1,1,0,0,0,0,1"
        ),
    )
    connection, report = load(folder)
    assert report.files["advice_requests"].rows_rejected == 0
    assert connection.execute(
        "select service, provider from advice_requests where advice_request_id = 'A3'"
    ).fetchall() == [("camhs", "community_trust")]
    assert connection.execute(
        "select place from neurodevelopmental_waits where pathway = 'autism_under_5'"
    ).fetchall() == [("fylde_and_wyre",)]


# One row per rule: (table, bad row, column named, value shown, words the rule must contain).
RULES = [
    ("advice_requests", "A9,,camhs,2024-02-02,,open,community_trust", "request_id", None, "required"),
    ("advice_requests", "A9,G1,dentistry,2024-02-02,,open,community_trust", "service", "dentistry", "one of"),
    (
        "advice_requests",
        "A9,G1,camhs,2024-02-02,,open,acme_health",
        "provider",
        "acme_health",
        "health_providers.csv",
    ),
    ("advice_requests", "A9,G1,camhs,2024-02-02,,lost,community_trust", "status", "lost", "one of completed"),
    (
        "advice_requests",
        "A9,G1,camhs,2099-02-02,,open,community_trust",
        "requested_date",
        "2099-02-02",
        "future",
    ),
    (
        "advice_requests",
        "A9,G1,camhs,2013-02-02,,open,community_trust",
        "requested_date",
        "2013-02-02",
        "before 2014",
    ),
    (
        "advice_requests",
        "A9,G1,camhs,2024-02-30,,open,community_trust",
        "requested_date",
        "2024-02-30",
        "calendar",
    ),
    (
        "advice_requests",
        "A9,G1,camhs,2024-02-02,,completed,community_trust",
        "completed_date",
        None,
        "required when status is completed",
    ),
    (
        "advice_requests",
        "A9,G1,camhs,2024-02-02,2024-03-01,open,community_trust",
        "completed_date",
        "2024-03-01",
        "an open request cannot have",
    ),
    (
        "advice_requests",
        "A9,G1,camhs,2024-02-02,2024-01-01,completed,community_trust",
        "completed_date",
        "2024-01-01",
        "on or after requested_date",
    ),
    (
        "advice_requests",
        "A9,=HYPERLINK(1),camhs,2024-02-02,,open,community_trust",
        "request_id",
        "=HYPERLINK(1)",
        "formula",
    ),
    (
        "advice_requests",
        "A1,G1,camhs,2024-02-02,,open,community_trust",
        "advice_request_id",
        "A1",
        "duplicate key",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-15,autism_5_to_18,greater_preston,1,1,1,0,0,0,0,",
        "month",
        "2025-01-15",
        "first day of a month",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,dyslexia,greater_preston,1,1,1,0,0,0,0,",
        "pathway",
        "dyslexia",
        "one of",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,Blackpool,1,1,1,0,0,0,0,",
        "place",
        "Blackpool",
        "icb_places.csv",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,greater_preston,-1,1,1,0,0,0,0,",
        "referrals_received",
        "-1",
        "negative",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,greater_preston,1,many,1,0,0,0,0,",
        "assessments_completed",
        "many",
        "whole number",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,greater_preston,1,1,,0,0,0,0,",
        "waiting_0_13",
        None,
        "required",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,greater_preston,1,1,5,4,3,2,1,16",
        "waiting_total",
        "16",
        "must equal the sum of the five waiting bands",
    ),
    (
        "neurodevelopmental_waits",
        "2025-01-01,adhd,east_lancashire,1,1,1,0,0,0,0,1",
        "place",
        "2025-01-01 / adhd / east_lancashire",
        "duplicate key (month, pathway, place): first seen on line 3",
    ),
]


@pytest.fixture(scope="module")
def every_bad_row(tmp_path_factory):
    """One load of both extracts with every bad row of RULES appended, in order (so each is on a line of its own)."""
    texts = {}
    for table, (_, header, rows) in HEALTH.items():
        texts[table] = "\n".join([header, *rows, *(r[1] for r in RULES if r[0] == table)]) + "\n"
    return load(folder_with(tmp_path_factory.mktemp("bad"), **texts))


def _line_of(index: int) -> int:
    """The line RULES[index]'s row is on in its file: after the header, the good rows and the earlier bad rows."""
    table = RULES[index][0]
    earlier = sum(1 for r in RULES[:index] if r[0] == table)
    return 1 + len(HEALTH[table][2]) + earlier + 1


@pytest.mark.parametrize("index", range(len(RULES)), ids=[f"{r[0]}-{r[2]}-{r[4][:20]}" for r in RULES])
def test_each_rule_rejects_its_row_naming_file_line_column_value_and_rule(every_bad_row, index):
    table, _, column, value, words = RULES[index]
    _, report = every_bad_row
    problems = [p for p in report.files[table].problems if p.line == _line_of(index) and p.column == column]
    assert len(problems) == 1, report.files[table].problems
    (problem,) = problems
    assert problem.file == HEALTH[table][0]
    assert problem.value == value
    assert words in problem.rule


def test_every_bad_row_is_left_out_and_every_good_row_loads(every_bad_row):
    connection, report = every_bad_row
    for table, (_, _, rows) in HEALTH.items():
        assert report.files[table].rows_rejected == sum(1 for r in RULES if r[0] == table)
        assert report.files[table].rows_loaded == len(rows)
        assert connection.execute(f"select count(*) from {table}").fetchone()[0] == len(rows)


def test_a_band_sum_equal_to_the_total_is_accepted(tmp_path):
    row = "2025-01-01,adhd,greater_preston,1,1,5,4,3,2,1,15"
    _, report = load(
        folder_with(tmp_path, neurodevelopmental_waits=with_row("neurodevelopmental_waits", row))
    )
    assert report.files["neurodevelopmental_waits"].rows_rejected == 0


def test_advice_for_a_request_not_in_the_requests_extract_is_loaded_with_a_warning(tmp_path):
    row = "A9,NOPE1,camhs,2024-02-02,,open,community_trust"
    connection, report = load(folder_with(tmp_path, advice_requests=with_row("advice_requests", row)))
    advice = report.files["advice_requests"]
    assert advice.rows_rejected == 0
    assert any("1 health and social care advice request(s)" in w and "'NOPE1'" in w for w in advice.warnings)
    assert connection.execute("select count(*) from advice_requests").fetchone()[0] == 3


def test_without_the_health_extracts_the_rest_loads_and_the_check_passes(tmp_path, capsys):
    folder = folder_with(tmp_path, advice_requests=None, neurodevelopmental_waits=None)
    connection, report = load(folder)
    for table in HEALTH:
        assert report.files[table].status == "missing"
        assert not report.files[table].usable
        # An empty table with the contract's columns, so a query on it gives no rows rather than an error.
        assert connection.execute(f"select count(*) from {table}").fetchone()[0] == 0
    assert not report.any_refused
    assert check.main([str(folder), "--today", "2025-03-31"]) == 0
    out = capsys.readouterr().out
    assert "advice_requests.csv: missing (optional extract)" in out and "All files loaded." in out


def test_a_refused_health_extract_fails_the_check(tmp_path, capsys):
    folder = folder_with(tmp_path, advice_requests="advice_request_id,service\nA1,camhs\n")
    _, report = load(folder)
    assert report.files["advice_requests"].status == "refused"
    assert "required column(s) missing" in report.files["advice_requests"].errors[0]
    assert check.main([str(folder), "--today", "2025-03-31"]) == 1


def test_a_missing_health_reference_file_falls_back_to_the_bundled_copy(tmp_path):
    folder = folder_with(tmp_path)
    (folder / "reference" / "icb_places.csv").unlink()
    connection, report = load(folder)
    assert report.references["icb_places"].status == "loaded"
    assert "bundled copy" in report.references["icb_places"].warnings[0]
    assert report.files["neurodevelopmental_waits"].rows_rejected == 0
