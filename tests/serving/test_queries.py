"""Queries and measures on a real DuckDB over tests/fixtures/area, against answers worked out by hand.

The fixture's requests (days from request to plan in brackets):
  issued 2023: R02 (150, late)
  issued 2024: R01 (126), R03 (165, late, exception), R04 (140, on the day), R05 (141, late), R16 (137;
               received Dec 2023, so it crosses the year boundary)
  issued 2025: R13 (108), R15 (179, late, exception)
  open at 25 Mar 2025 (the as-of date): R08 (295 days), R09 (144), R10 (125), R11 (24, pending), R12 (0, pending)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard import measures
from dashboard.dates import Window
from dashboard.filters import whole_area
from dashboard.measures import Rate
from dashboard.serving import queries
from tests.helpers import everything

YEAR_2023 = Window(date(2023, 1, 1), date(2023, 12, 31))
YEAR_2024 = Window(date(2024, 1, 1), date(2024, 12, 31))
YEAR_2025 = Window(date(2025, 1, 1), date(2025, 12, 31))


def test_as_of_is_the_latest_activity_date(area_store):
    assert area_store.as_of == date(2025, 3, 25)
    assert not area_store.is_sample


@pytest.mark.parametrize(
    ("window", "exclude", "expected"),
    [
        (YEAR_2023, False, Rate(0, 1)),
        (YEAR_2024, False, Rate(3, 5)),  # R01, R04 (exactly 140 days counts), R16 within; R03, R05 late
        (YEAR_2024, True, Rate(3, 4)),  # R03 is an exception case and leaves both counts
        (YEAR_2025, False, Rate(1, 2)),
        (YEAR_2025, True, Rate(1, 1)),
        (
            Window(date(2023, 12, 1), date(2024, 1, 31)),
            False,
            Rate(1, 2),
        ),  # R02 (Dec, late) and R01 (Jan, on time)
    ],
)
def test_twenty_week_rate_by_issue_date_including_and_excluding_exceptions(run, window, exclude, expected):
    assert measures.twenty_week_rate(run, everything(), window, exclude_exceptions=exclude) == expected


def test_twenty_week_rate_percent():
    assert Rate(3, 4).percent == 75.0
    assert Rate(0, 0).percent is None


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"districts": ("Burnley",)}, Rate(2, 3)),  # R01, R04 within; R05 late
        ({"needs": ("ASD",)}, Rate(3, 4)),  # R01, R04, R16 within; R05 late
        ({"localities": ("North",)}, Rate(1, 2)),  # Lancaster: R16 within, R03 late
        ({"age_groups": ("Under 5",)}, Rate(1, 2)),  # R04 within, R05 late (both aged 4)
        ({"districts": ("Burnley' or '1'='1",)}, Rate(0, 0)),  # bound as a value, never as SQL
    ],
)
def test_filters_narrow_the_twenty_week_rate(run, scope, expected):
    assert (
        measures.twenty_week_rate(run, everything(**scope), YEAR_2024, exclude_exceptions=False) == expected
    )


@pytest.mark.parametrize(
    ("window", "scope", "expected"),
    [
        (YEAR_2023, {}, 4),  # R01, R02, R03, R16
        (YEAR_2024, {}, 10),  # R04-R10, R13, R14, R15
        (YEAR_2025, {}, 2),  # R11, R12
        (YEAR_2024, {"localities": ("East",)}, 5),  # Burnley: R04, R05, R08, R13, R15
        (YEAR_2024, {"age_groups": ("Under 5",)}, 2),
        (YEAR_2024, {"needs": ("SLCN", "SEMH")}, 4),  # R07, R14 (SEMH), R09, R10 (SLCN); R06 is MLD
    ],
)
def test_requests_received(run, window, scope, expected):
    assert measures.requests_received(run, everything(**scope), window) == expected


def test_open_assessments_at_the_as_of_date(run):
    got = measures.open_assessments(run, everything(), date(2025, 3, 25))
    assert (got.open, got.overdue, got.awaiting_decision, got.being_assessed) == (5, 2, 2, 3)


def test_open_assessments_at_an_earlier_date(run):
    # On 30 Jun 2024 only R08 was open (received 3 Jun, decided 10 Jul); R14's plan_not_issued outcome
    # carries no date, so it counts as closed from its decision on 1 Jun.
    got = measures.open_assessments(run, everything(), date(2024, 6, 30))
    assert (got.open, got.overdue, got.awaiting_decision, got.being_assessed) == (1, 0, 1, 0)


def test_overdue_boundary_is_more_than_140_days(run):
    # R10 was received on 20 Nov 2024: 140 days later is 9 Apr 2025, overdue from 10 Apr.
    assert measures.open_assessments(run, everything(districts=("Preston",)), date(2025, 4, 9)).overdue == 1
    assert measures.open_assessments(run, everything(districts=("Preston",)), date(2025, 4, 10)).overdue == 2


def test_monthly_requests_and_plans(run):
    frame = measures.monthly_requests_and_plans(run, everything(date(2024, 1, 1), date(2024, 6, 30)))
    assert list(frame["month"].dt.strftime("%Y-%m")) == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    assert list(frame["requests_received"]) == [2, 1, 1, 0, 1, 1]
    assert list(frame["plans_issued"]) == [1, 0, 1, 1, 2, 0]
    assert list(frame["within_20_weeks"]) == [1, 0, 0, 1, 1, 0]
    assert frame["twenty_week_rate"].tolist()[4] == 50.0
    assert frame["twenty_week_rate"].isna().tolist() == [False, True, False, False, False, True]


def test_breakdowns_by_district_add_up_to_the_headline(run):
    total = measures.requests_received(run, everything(), YEAR_2024)
    by_district = sum(
        measures.requests_received(run, everything(districts=(d,)), YEAR_2024)
        for d in ("Burnley", "Preston", "Lancaster")
    )
    assert by_district == total == 10


def test_events_in_period(run):
    frame = run("events", {"period_start": date(2024, 1, 1), "period_end": date(2025, 3, 31)})
    assert list(frame["label"]) == ["Area SEND inspection"]


def test_filter_options_come_from_the_reference_file(run):
    frame = run("filter_options", {})
    assert list(frame.itertuples(index=False, name=None)) == [
        ("Preston", "Central"),
        ("Burnley", "East"),
        ("Lancaster", "North"),
    ]


def test_a_query_must_be_given_every_parameter_it_uses(run):
    with pytest.raises(queries.QueryError, match="needs parameters"):
        run("requests_by_month_and_decision", {"period_start": date(2024, 1, 1)})


@pytest.mark.parametrize("name", ["../secrets", "DROP", "no_such_query"])
def test_only_named_query_files_can_run(run, name):
    with pytest.raises(queries.QueryError):
        run(name, {})


def test_serving_connection_is_read_only_and_cannot_reach_files(area_store):
    with pytest.raises(duckdb.Error):
        area_store.connection.execute("create table x as select 1")
    with pytest.raises(duckdb.Error, match="disabled by configuration"):
        area_store.connection.execute("select * from read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error, match="locked"):
        area_store.connection.execute("set enable_external_access = true")


def test_every_query_file_is_documented_and_tested():
    tested = "".join(p.read_text() for p in Path(__file__).resolve().parents[1].rglob("test_*.py"))
    for name in queries.names():
        assert queries.sql_text(name).startswith("-- "), f"{name}.sql must open with what one row means"
        assert f'"{name}"' in tested, f"{name}.sql has no test"


SCOPE_ALL = whole_area()


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("data_period", {}, [(date(2023, 8, 1), date(2025, 3, 25))]),
        (
            "source_row_counts",
            {},
            [
                ("ehcp_requests", 16),
                ("ep_assessments", 3),
                ("specialist_places", 4),
                ("spending", 4),
                ("ehcp_plans", 0),  # optional extracts the area fixture does not supply
                ("annual_reviews", 0),
                ("advice_requests", 0),  # the area fixture has neither optional health extract
                ("neurodevelopmental_waits", 0),
            ],
        ),
        ("validation_problems", {}, []),
    ],
)
def test_raw_query_rows(run, name, params, expected):
    frame = run(name, params)
    rows = [
        tuple(v.date() if hasattr(v, "date") and callable(v.date) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    assert rows == expected


def test_monthly_figures_show_every_month_even_when_empty(run):
    frame = measures.monthly_requests_and_plans(run, everything(date(2022, 1, 1), date(2022, 3, 31)))
    assert frame["requests_received"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2023, 8, 1), date(2025, 3, 31)),
        (date(2024, 6, 1), date(2024, 6, 30)),
        (date(2025, 1, 1), date(2025, 12, 31)),  # runs past the as-of date
    ],
)
def test_monthly_figures_cut_from_the_whole_history_equal_a_query_over_the_window(run, start, end):
    from dataclasses import replace

    from dashboard.measures import ehcp

    direct, cached = everything(start, end), replace(everything(start, end), through=date(2025, 3, 25))
    window = Window(start, end)
    assert measures.twenty_week_rate(
        run, cached, window, exclude_exceptions=True
    ) == measures.twenty_week_rate(run, direct, window, exclude_exceptions=True)
    assert measures.requests_received(run, cached, window) == measures.requests_received(run, direct, window)
    for build in (ehcp.decisions_by_month, ehcp.timeliness_by_month, ehcp.decision_timeliness_by_month):
        a, b = build(run, cached), build(run, direct)
        assert (
            a.drop(columns=[c for c in a.columns if c.endswith("weeks") and "median" in c])
            .fillna(-1)
            .equals(
                b.drop(columns=[c for c in b.columns if c.endswith("weeks") and "median" in c]).fillna(-1)
            )
        ), build.__name__
    a = ehcp.open_caseload_by_month(run, cached, date(2025, 3, 25))
    b = ehcp.open_caseload_by_month(run, direct, date(2025, 3, 25))
    assert a[["open_cases", "overdue"]].equals(b[["open_cases", "overdue"]])
    assert list(a["month_end"]) == list(b["month_end"])
