"""Spending measures and charts on a real DuckDB over tests/fixtures/finance, with answers worked out by hand.

The fixture and the hand-worked figures the tests use are in tests/fixtures/finance/README.md.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import fmt, labels
from dashboard.charts import money
from dashboard.dates import FinancialYear
from dashboard.measures import rag, spending

PAGE = "pages/spending.py"
AS_OF = date(2025, 3, 25)
FY_2023, FY_2024 = FinancialYear(2023), FinancialYear(2024)


@pytest.fixture()
def fin(finance_store):
    return finance_store.query


def test_fixture_loads_cleanly_with_the_area_as_of_date(finance_store, fin):
    assert finance_store.as_of == AS_OF
    assert fin("validation_problems", {}).empty


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2025, 3, 31), "2024-25", date(2024, 4, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), "2025-26", date(2025, 4, 1), date(2026, 3, 31)),
        (date(2026, 1, 1), "2025-26", date(2025, 4, 1), date(2026, 3, 31)),
        (date(2099, 12, 31), "2099-00", date(2099, 4, 1), date(2100, 3, 31)),
    ],
)
def test_financial_years_run_april_to_march(day, label, start, end):
    year = FinancialYear.containing(day)
    assert (year.label, year.start, year.end) == (label, start, end)
    assert FinancialYear.parse(label) == year


# --- Forecast outturn ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "forecast"), [("budget", 2_433_000), ("run_rate", 2_520_000)])
def test_forecast_outturn_for_the_current_year(fin, method, forecast):
    outturn = spending.forecast_outturn(fin, AS_OF, method)
    assert outturn.financial_year == FY_2024
    assert (outturn.budget, outturn.budget_to_date, outturn.actual_to_date) == (
        2_180_000,
        1_625_000,
        1_878_000,
    )
    assert (outturn.months, outturn.months_closed, outturn.last_closed_month) == (12, 9, date(2024, 12, 1))
    assert outturn.forecast == pytest.approx(forecast)
    assert outturn.variance == pytest.approx(forecast - 2_180_000)  # +253,000 or +340,000
    assert outturn.ytd_variance == 253_000
    assert not outturn.is_final
    assert outturn.method == method and outturn.method_text.startswith("Forecast outturn = actual spend")


def test_the_headline_is_the_data_contracts_method(fin):
    assert spending.HEADLINE_METHOD == "budget"
    assert spending.forecast_outturn(fin, AS_OF) == spending.forecast_outturn(fin, AS_OF, "budget")
    assert "budget for the months not yet closed" in spending.forecast_outturn(fin, AS_OF).method_text


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("budget", 2_317_000),
        # Every line keeps the same ratio all year in the fixture, so the run rate gives the same as at December.
        ("run_rate", 2_520_000),
    ],
)
def test_forecast_outturn_as_it_stood_at_the_end_of_august(fin, method, expected):
    # Apr-Aug closed: independent 600,000 + 700,000 to come; transport 252,000 + 350,000; EP 90,000 + 140,000;
    # staffing 80,000 + 105,000: 2,317,000 at budget for the rest.
    outturn = spending.forecast_outturn(fin, date(2024, 8, 31), method)
    assert outturn.months_closed == 5
    assert outturn.forecast == pytest.approx(expected)


def test_a_past_year_forecasts_its_actual_outturn(fin):
    for method in spending.METHODS:
        outturn = spending.forecast_outturn(fin, AS_OF, method, year=FY_2023)
        assert outturn.is_final and outturn.forecast == 2_252_000 and outturn.variance == 132_000


def test_funding_source_narrows_the_lines(fin):
    # High needs block: independent and EP. Budget 1,200,000 + 240,000; forecast 1,380,000 + 222,000.
    outturn = spending.forecast_outturn(fin, AS_OF, funding=("high_needs_block",))
    assert (outturn.budget, outturn.actual_to_date, outturn.forecast) == (1_440_000, 1_242_000, 1_602_000)
    assert outturn.variance == 162_000
    injected = spending.forecast_outturn(fin, AS_OF, funding=("high_needs_block' or '1'='1",))
    assert (injected.budget, injected.forecast, injected.months) == (
        0,
        0,
        0,
    )  # bound as a value, never as SQL


def test_credits_and_years_with_no_closed_month_do_not_break_the_run_rate():
    frame = pd.DataFrame(
        {
            "budget_gbp": [1200.0, 1200.0, 1200.0],
            "budget_to_date_gbp": [0.0, 100.0, 600.0],
            "actual_to_date_gbp": [0.0, -30.0, 660.0],
            "budget_not_closed_gbp": [1200.0, 1100.0, 600.0],
        }
    )
    got = spending.with_forecasts(frame)
    assert got["run_rate_ratio"].tolist() == pytest.approx([1.0, 0.0, 1.1])  # none closed; a credit; 10% over
    assert got["forecast_budget_gbp"].tolist() == pytest.approx([1200.0, 1070.0, 1260.0])
    assert got["forecast_run_rate_gbp"].tolist() == pytest.approx([1200.0, -30.0, 1320.0])
    assert got["ytd_variance_gbp"].tolist() == pytest.approx([0.0, -130.0, 60.0])


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (
            "budget",
            [
                ("independent_special_placements", 180_000),
                ("send_transport", 82_000),
                ("send_casework_staffing", 9_000),
                ("ep_service", -18_000),
            ],
        ),
        (
            "run_rate",
            [
                ("independent_special_placements", 240_000),
                ("send_transport", 112_000),
                ("send_casework_staffing", 12_000),
                ("ep_service", -24_000),
            ],
        ),
    ],
)
def test_lines_ranked_by_forecast_variance(fin, method, expected):
    ranked = spending.lines(fin, FY_2024, AS_OF, method)
    assert [(r.budget_line, round(r.variance_gbp)) for r in ranked.itertuples()] == expected
    assert ranked["variance_gbp"].sum() == pytest.approx(
        spending.forecast_outturn(fin, AS_OF, method).variance
    )
    drivers = spending.overspend_drivers(ranked)
    # 180,000 of 271,000 overspend is 66%, short of three quarters, so transport is named too.
    assert list(drivers["budget_line"]) == ["independent_special_placements", "send_transport"]


# --- Year to date across the April boundary ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "year", "months", "budget", "actual", "variance"),
    [
        # 2023-24 to the end of February: independent +10,000 and EP +1,000 a month for 11 months.
        (date(2024, 3, 15), "2023-24", 11, 1_940_000, 2_061_000, 121_000),
        (date(2024, 3, 31), "2023-24", 12, 2_120_000, 2_252_000, 132_000),
        # 1 April starts 2024-25; April has not ended on the 29th, so no month has closed.
        (date(2024, 4, 1), "2024-25", 0, 0, 0, 0),
        (date(2024, 4, 29), "2024-25", 0, 0, 0, 0),
        # April closed: independent +20,000, transport +10,000, EP -2,000, staffing +1,000.
        (date(2024, 4, 30), "2024-25", 1, 185_000, 214_000, 29_000),
        # Apr-Sep: five months at +29,000 and August at +21,000 (transport 12,000 against 10,000).
        (date(2024, 9, 30), "2024-25", 6, 1_070_000, 1_236_000, 166_000),
        (AS_OF, "2024-25", 9, 1_625_000, 1_878_000, 253_000),
    ],
)
def test_year_to_date_variance_across_the_april_boundary(fin, at, year, months, budget, actual, variance):
    ytd = spending.fytd_variance(fin, at)
    assert (
        ytd.financial_year.label,
        ytd.months_closed,
        ytd.budget_to_date,
        ytd.actual_to_date,
        ytd.variance,
    ) == (year, months, budget, actual, variance)


def test_monthly_budget_and_actual(fin):
    frame = spending.monthly(fin, FY_2023, FY_2024, AS_OF)
    frame.index = frame["month"].dt.strftime("%Y-%m")
    assert len(frame) == 24
    assert frame.loc[
        "2024-03", ["budget_gbp", "actual_gbp", "variance_gbp", "fytd_variance_gbp"]
    ].tolist() == [180_000, 191_000, 11_000, 132_000]
    assert frame.loc["2024-04", "fytd_variance_gbp"] == 29_000  # the running total restarts in April
    assert frame.loc["2024-08", ["budget_gbp", "actual_gbp", "fytd_variance_gbp"]].tolist() == [
        145_000,
        166_000,
        137_000,
    ]
    assert frame.loc["2025-01":"2025-03", "actual_gbp"].isna().all()
    assert frame.loc["2025-02", "budget_gbp"] == 185_000
    transport = spending.monthly(fin, FY_2024, FY_2024, AS_OF, budget_lines=("send_transport",))
    assert transport.loc[
        transport["month"] == "2024-08-01", ["budget_gbp", "actual_gbp"]
    ].values.tolist() == [[10_000, 12_000]]


def test_spend_by_financial_year(fin):
    years = spending.by_year(fin, FY_2023, FY_2024, AS_OF).set_index("financial_year")
    assert years.loc[
        "2023-24",
        [
            "budget_gbp",
            "actual_to_date_gbp",
            "actual_high_needs_block_gbp",
            "actual_council_general_fund_gbp",
            "forecast_gbp",
            "variance_gbp",
        ],
    ].tolist() == [2_120_000, 2_252_000, 1_572_000, 680_000, 2_252_000, 132_000]
    # 2024-25: high needs block 1,080,000 + 162,000; general fund 492,000 + 144,000; 555,000 still to come.
    assert years.loc[
        "2024-25",
        [
            "budget_gbp",
            "actual_to_date_gbp",
            "actual_high_needs_block_gbp",
            "actual_council_general_fund_gbp",
            "not_closed_forecast_gbp",
            "forecast_gbp",
        ],
    ].tolist() == [2_180_000, 1_878_000, 1_242_000, 636_000, 555_000, 2_433_000]
    assert years["final"].tolist() == [True, False]
    run_rate = spending.by_year(fin, FY_2024, FY_2024, AS_OF, method="run_rate")
    assert run_rate["forecast_gbp"].iloc[0] == pytest.approx(2_520_000)


def test_published_high_needs_block_allocation_for_lancashire(fin):
    frame = spending.published_allocation(fin).set_index("financial_year")
    assert list(frame.index) == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    # SOURCES.md check figures: 2020-21 £134,984,270; 2023-24 £193,174,760 (after deductions £183,592,425).
    assert frame.loc["2020-21", "allocation_gbp"] == 134_984_270
    assert frame.loc["2023-24", ["allocation_gbp", "allocation_after_deductions_gbp"]].tolist() == [
        193_174_760,
        183_592_425,
    ]
    assert "2023-24" in frame.loc["2023-24", "release_label"]
    assert frame.loc["2023-24", "source_file"] == "high_needs/dsg_allocations_2019_20_to_2023_24.csv"


# --- Unit costs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "cost_2024"), [("budget", 115_000), ("run_rate", 120_000)])
def test_independent_placement_cost_per_place(fin, method, cost_2024):
    frame = spending.independent_placement_costs(fin, FY_2023, FY_2024, AS_OF, method).set_index(
        "financial_year"
    )
    # 2023-24: 1,320,000 spent / 11 places (6 + 5) at the census of 5 Oct 2023, the only one that year.
    assert frame.loc[
        "2023-24", ["spend_gbp", "occupied_places", "cost_per_place_gbp", "forecast"]
    ].tolist() == [1_320_000, 11, 120_000, False]
    # 2024-25: forecast 1,380,000 (budget) or 1,440,000 (run rate) / 12 places (7 + 5) at 15 Jan 2025,
    # the latest census in the year; special schools and resourced bases are not independent.
    assert frame.loc["2024-25", "census_date"] == pd.Timestamp("2025-01-15")
    assert frame.loc["2024-25", "occupied_places"] == 12
    assert frame.loc["2024-25", "cost_per_place_gbp"] == pytest.approx(cost_2024)
    assert frame.loc["2024-25", "forecast"]


def test_ep_spend_per_completed_assessment(fin):
    frame = spending.ep_assessment_costs(fin, FY_2023, FY_2024, AS_OF).set_index("financial_year")
    # 2023-24: 252,000 / 4 completed (EP01 Nov, EP04 Dec, EP05 Feb, EP06 28 Mar) = 63,000.
    assert frame.loc["2023-24", ["spend_gbp", "completed", "cost_per_assessment_gbp"]].tolist() == [
        252_000,
        4,
        63_000,
    ]
    # 2024-25, closed months Apr-Dec only: 162,000 / 6 (EP07 2 Apr to EP12 31 Dec) = 27,000. EP13 was completed
    # on 10 Feb 2025, in a month not yet closed, so it waits for its spend.
    assert frame.loc[
        "2024-25", ["spend_gbp", "completed", "cost_per_assessment_gbp", "months_closed"]
    ].tolist() == [162_000, 6, 27_000, 9]


def test_casework_staffing_against_the_commitment(fin):
    got = spending.staffing_commitment(fin, AS_OF)
    assert (got.year.label, got.baseline_year.label) == ("2024-25", "2023-24")
    # Apr-Dec 2024 at 16,000 a month against the same months of 2023-24 at 10,000: 9 x 6,000 = 54,000.
    assert (got.spend, got.baseline_spend, got.additional, got.baseline_full_year) == (
        144_000,
        90_000,
        54_000,
        120_000,
    )
    assert got.measured_to == date(2024, 12, 31)
    # Straight line from £0 on 1 Apr 2024 to £60,000 on 31 Mar 2025 (364 days), at 31 Dec (274 days).
    assert got.expected == pytest.approx(60_000 * 274 / 364)
    assert got.judgement.status == rag.Status.GREEN and got.judgement.words == "On track"
    assert got.progress["cumulative_additional_gbp"].tolist() == [6_000 * n for n in range(1, 10)]


def test_casework_staffing_before_the_year_closes_a_month(fin):
    got = spending.staffing_commitment(fin, date(2024, 4, 15))
    assert got.progress.empty and got.additional == 0 and got.measured_to is None


def test_no_staffing_commitment_without_a_target(run):
    assert spending.staffing_commitment(run, date(2025, 3, 25)) is None


def test_the_area_fixture_keeps_pence(run):
    # tests/fixtures/area: January 2025 closed (1,200,000 + 550,000.50 against 1,500,000); February open.
    outturn = spending.forecast_outturn(run, date(2025, 3, 25))
    assert (outturn.budget, outturn.actual_to_date, outturn.months_closed) == (3_000_000, 1_750_000.50, 1)
    assert outturn.forecast == 3_250_000.50 and outturn.ytd_variance == 250_000.50


# --- Raw query rows (every spending_*.sql has a test here) -------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        (
            "spending_financial_years",
            {"as_of": AS_OF},
            [
                (2023, "2023-24", date(2023, 4, 1), date(2024, 3, 1), 12, 12),
                (2024, "2024-25", date(2024, 4, 1), date(2025, 3, 1), 12, 9),
            ],
        ),
        (
            "spending_by_year_and_line",
            {
                "first_year": 2024,
                "last_year": 2024,
                "as_of": date(2024, 4, 30),
                "funding_sources": ["council_general_fund"],
            },
            [
                (
                    2024,
                    "2024-25",
                    "send_casework_staffing",
                    "council_general_fund",
                    12,
                    1,
                    date(2024, 4, 1),
                    180_000,
                    15_000,
                    16_000,
                    165_000,
                ),
                (
                    2024,
                    "2024-25",
                    "send_transport",
                    "council_general_fund",
                    12,
                    1,
                    date(2024, 4, 1),
                    560_000,
                    50_000,
                    60_000,
                    510_000,
                ),
            ],
        ),
        (
            "spending_monthly",
            {
                "period_start": date(2024, 12, 1),
                "period_end": date(2025, 1, 31),
                "as_of": AS_OF,
                "budget_lines": ["ep_service", "send_transport"],
                "funding_sources": [],
            },
            [
                (date(2024, 12, 1), 2024, "2024-25", 2, 2, 70_000, 70_000, 78_000),
                (date(2025, 1, 1), 2024, "2024-25", 2, 0, 70_000, None, None),
            ],
        ),
    ],
)
def test_raw_query_rows(fin, name, params, expected):
    frame = fin(name, params)
    rows = [
        tuple(None if pd.isna(v) else (v.date() if isinstance(v, pd.Timestamp) else v) for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    assert rows == expected


def test_allocation_query_for_an_authority_with_no_figures(fin):
    assert fin("spending_high_needs_allocation", {"la_code": "E99999999"}).empty
    assert len(fin("spending_high_needs_allocation", {"la_code": "E10000017"})) == 5


# --- Words and labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (8_007_656, "£8m over budget"),
        (-18_000, "£18k under budget"),
        (0.4, "on budget"),
        (-250, "£250 under budget"),
    ],
)
def test_variance_words(value, words):
    assert fmt.variance(value) == words


def test_line_labels_read_in_a_sentence():
    assert fmt.in_sentence("Independent special placements") == "independent special placements"
    assert fmt.in_sentence("SEND transport") == "SEND transport"


def test_budget_lines_and_funding_sources_have_one_set_of_labels(fin):
    assert labels.label("budget_line", "independent_special_placements") == "Independent special placements"
    assert labels.label("funding_source", "high_needs_block") == "High needs block (DSG)"
    assert not hasattr(spending, "LINE_LABELS") and not hasattr(spending, "FUNDING_LABELS")
    assert "line" not in spending.lines(fin, FY_2024, AS_OF)  # measures carry codes; views put them in words


def test_money_ticks_are_round_and_labelled_like_fmt_money():
    values, words, bounds = money.money_ticks(0, 2_300_000)
    assert values == [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]
    assert words == ["£0", "£500k", "£1m", "£1.5m", "£2m", "£2.5m"]
    assert bounds == [0, 2_500_000]
    values, words, _ = money.money_ticks(-874_216, 4_726_449)
    assert values[0] == -2_000_000 and words[0] == "-£2m" and 0 in values
