"""Outlook views on the hand-made area fixture (tests/fixtures/area, data to 25 Mar 2025), worked out by hand.

The fixture has 19 whole months of requests (Aug 2023 to Feb 2025), too few for a forecast, so demand is the
last 12 months' average held flat: 7 requests (R07, R14, R08, R15, R09, R10, R13) / 12 = 0.583 a month.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dashboard.outlook import model
from dashboard.outlook.simulator import Capacity
from dashboard.views import outlook as views


@pytest.fixture(scope="module")
def outlook(area_store):
    return model.prepare(area_store.query, area_store.as_of)


def test_the_inputs_by_hand(outlook):
    assert outlook.start == date(2025, 2, 28)
    assert outlook.specification is None
    assert outlook.forecasts[model.WHOLE_AREA]["forecast"].iloc[0] == pytest.approx(7 / 12)
    # Dec 2024-Feb 2025: decisions R09, R10, R13 (3 / 3 = 1.0); no EP advice completed; one plan (R15) / 3 = 0.3.
    # Requests 1 (R13) against 4 a year before (R16, R04, R05, R06): -75%, held at the control's -50%.
    assert outlook.defaults == Capacity(1.0, 0.0, 0.3, -50.0)
    # Decisions Mar 2024-Feb 2025: R06, R07, R14 (not going on) and R08, R15, R09, R10, R13: 5 of 8.
    assert outlook.carried_on == 5 / 8
    # Open at 28 Feb 2025: R08, R09, R10, R13 (all waiting for EP advice); R15 closed that day. Only R08 (received
    # 3 Jun 2024) has waited more than 140 days.
    assert (outlook.caseload.open(), outlook.caseload.overdue()) == (4, 1)


def test_the_backlog_and_rate_views_by_hand(outlook):
    # Mar: R08, R09, R10 get EP advice. Apr: their plans, all late (R10: 20 Nov to 15 Apr, 146 days); R13 gets
    # advice. May: R13's plan (late); no case past 140 days at 31 May: cleared. Jun: March's new requests, decided
    # in April and advised in May, get plans on 15 Jun, 92 days: 100% from then on.
    outlook = replace(outlook, oldest_first=1.0)  # worked by hand oldest first
    result = model.scenario(outlook, Capacity(2, 3, 3, -50.0), "Staffed up")
    backlog = views.backlog_view(outlook, result)
    assert backlog.title == "The overdue backlog clears in May 2025"
    assert "projected for 36 months from 4 open (1 overdue) at 28 Feb 2025" in backlog.summary
    projected = backlog.table.dropna(subset=[views.OPEN_PROJECTED])
    assert projected[views.OVERDUE_PROJECTED].tolist()[:3] == [2, 1, 0]  # Mar: R08 and R09 (150 days)
    rate = views.rate_view(outlook, result)
    assert rate.title == "The 20-week rate reaches the 46.4% target in June 2025"
    assert rate.table[views.RATE_PROJECTED].dropna().tolist()[:3] == [0, 0, 100]
    # At the recent capacity no EP advice is completed, so nothing reaches a plan.
    stuck = model.scenario(outlook, outlook.defaults)
    assert views.backlog_view(outlook, stuck).title == "At this capacity the overdue backlog never clears"
    assert views.rate_view(outlook, stuck).title.startswith("At this capacity the 20-week rate never reaches")
    compared = views.compare_view(outlook, [stuck, result])
    assert compared.title == "Staffed up clears the overdue backlog first, in May 2025"
    assert list(compared.table.columns) == ["Month", "Scenario: overdue", "Staffed up: overdue"]


def test_the_capacity_needed_to_reach_the_target_by_hand(outlook):
    outlook = replace(outlook, oldest_first=1.0)
    chosen = model.scenario(outlook, Capacity(2, 1, 1, -50.0))
    # One EP advice and one plan a month, oldest first: R08, R09, R10 and R13 are advised Mar to Jun and get their
    # (late) plans Apr to Jul, so June's rate is 0%. Reaching 46.4% by June needs more EP advice and plans.
    need = model.requirement(outlook, chosen.capacity, date(2025, 6, 30))
    assert need.factor is not None and need.factor > 1
    view = views.requirement_view(outlook, chosen, need, date(2025, 6, 30))
    assert view.title.startswith(
        "To reach 46.4% within 20 weeks by June 2025 (and stay there) at 2.0 decisions"
    )
    needed = view.table.set_index("Month")[views.AT_NEEDED]
    assert needed["2025-06"] >= 46.4 and needed.loc["2025-06":].min() >= 46.4
    assert view.table.set_index("Month")[views.AT_CHOSEN]["2025-06"] == 0


def test_no_forecast_or_backtest_without_two_years(outlook):
    assert views.forecast_view(outlook) is None
    assert views.backtest_view(outlook, "recent") is None
    assert views.model_words(outlook) == views.NO_FORECAST


def test_the_specialist_places_gap_by_hand(outlook):
    # New specialist placements a month = 7/12 requests x 5/8 going on x 3/5 of new plans specialist (R03 SLCN,
    # R16 and R05 ASD of 5 plans, Mar 2024-Feb 2025) = 0.21875; ASD 2/3 of it, SLCN 1/3. 2024-25 runs Mar-Aug 2025
    # (6 months); 2027-28 is left out (the 36 months end in Feb 2028). Supply: spare at the 15 Jan 2025 census
    # (ASD 100 - 106 = -6, SLCN 12 - 12 = 0) and 20 ASD places opening 1 Sep 2025 (2025-26).
    view = views.specialist_view(outlook)
    table = view.table.set_index(views.NEED)
    asd, slcn = "Autism (ASD)", "Speech, language and communication (SLCN)"
    assert list(table.index) == [slcn, asd]  # the larger gap at the end first
    assert table.loc[asd, views.SPARE] == -6
    assert table.loc[asd, "Gap at end of 2024-25"] == round(6 * 0.21875 * 2 / 3 + 6)  # 0.875 + 6 = 6.875 -> 7
    assert table.loc[asd, "Pipeline places opened by end of 2025-26"] == 20
    assert table.loc[asd, "Gap at end of 2026-27"] == round(30 * 0.21875 * 2 / 3 - 14)  # 4.375 - 14 -> -10
    assert table.loc[slcn, "Gap at end of 2026-27"] == round(30 * 0.21875 / 3)  # 2.1875 -> 2
    assert "Gap at end of 2027-28" not in table.columns
    # ASD's places to spare do not fill SLCN's gap.
    assert view.title.startswith("About 2 specialist places short by the end of 2026-27")


def test_the_validation_view_by_hand(outlook):
    view = views.validation_view(outlook)
    table = view.table
    assert table["Month"].tolist() == ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
    # R15's plan (28 Feb 2025) had no EP advice recorded, so the model has no case waiting for a plan to issue:
    # its open caseload stays one above the actual in February, the one month a stage ran dry.
    assert (table[views.OPEN_PROJECTED] - table[views.OPEN_ACTUAL]).tolist() == [0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plan A~320~300~330~5", views.ScenarioChoice("Plan A", Capacity(320, 300, 330, 5))),
        (
            "Two more EPs (from May)~1~2.5~3~-10",
            views.ScenarioChoice("Two more EPs (from May)", Capacity(1, 2.5, 3, -10)),
        ),
        ("=HYPERLINK(1)~1~1~1~1", None),  # a formula
        ("<b>x</b>~1~1~1~1", None),  # markup
        ("A~-1~1~1~1", None),  # below zero
        ("A~1~1~100001~1", None),  # above the bound (model.MAX_PER_MONTH)
        ("A~1~1~100000~1", views.ScenarioChoice("A", Capacity(1, 1, 100000, 1))),  # at it
        ("A~1~1~1~-60", None),  # growth below -50%
        ("A~nan~1~1~1", None),
        ("A~inf~1~1~1", None),
        ("A~1~1~1", None),  # a part missing
        ("~1~1~1~1", None),  # no name
        ("x" * 41 + "~1~1~1~1", None),  # too long
    ],
)
def test_scenarios_from_the_address_are_validated(text, expected):
    assert views.parse_scenario(text) == expected
    if expected is not None:
        assert views.parse_scenario(expected.encoded()) == expected


def test_exports_hide_small_counts_in_actuals_and_in_projections_from_them(outlook):
    from dashboard.outputs.downloads import export_csv

    result = model.scenario(replace(outlook, oldest_first=1.0), Capacity(2, 3, 3, -50.0))
    rows = export_csv(views.backlog_view(outlook, result)).decode("utf-8-sig").splitlines()
    by_month = {row.split(",")[0]: row.split(",")[1:] for row in rows[1:]}
    # Open at the end of Feb 2025: 4 (c); Dec 2024: 5, shown. Projected at the end of Apr 2025: 1.948 open (c).
    assert by_month["2025-02"][0] == "c" and by_month["2024-12"][0] == "5.0"
    assert by_month["2025-04"][2:] == ["c", "c"]
    # The actual 20-week rate goes with its counts: 1 plan in Apr 2024 (R16, within 20 weeks) shows no 100%.
    rate_rows = export_csv(views.rate_view(outlook, result)).decode("utf-8-sig").splitlines()
    assert rate_rows[0].startswith("Month,Plans issued (actual),Issued within 20 weeks (actual)")
    assert [row for row in rate_rows if row.startswith("2024-04")][0].split(",")[3] == "c"
