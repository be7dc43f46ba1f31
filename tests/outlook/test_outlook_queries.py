"""The outlook's queries on the hand-made area fixture (tests/fixtures/area), worked out by hand."""

from __future__ import annotations

from datetime import date


def rows(frame):
    return [
        tuple(v.date() if hasattr(v, "date") and callable(v.date) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]


def test_monthly_flows_by_hand(run):
    frame = run("outlook_monthly_flows", {"period_start": date(2023, 11, 1), "period_end": date(2024, 3, 31)})
    # month, requests, decisions, carried_on, ep_completed, plans_issued, within_20_weeks
    assert rows(frame) == [
        # R03 decided to assess 1 Nov (plan issued later: carried on); EP01 completed 10 Nov.
        (date(2023, 11, 1), 0, 1, 1, 1, 0, 0),
        # R16 received 15 Dec; R02's plan issued 29 Dec, 150 days after 1 Aug: late.
        (date(2023, 12, 1), 1, 0, 0, 0, 1, 0),
        # R04 and R05 received 10 Jan; R16 decided 20 Jan; R01's plan 5 Jan, 126 days after 1 Sep: within.
        (date(2024, 1, 1), 2, 1, 1, 0, 1, 1),
        # R06 received; R04 and R05 decided to assess 15 Feb (both issued later).
        (date(2024, 2, 1), 1, 2, 2, 0, 0, 0),
        # R07 received; R06 not assessed and R07 withdrawn (neither carries on); R03's plan 15 Mar, 165 days.
        (date(2024, 3, 1), 1, 2, 0, 0, 1, 0),
    ]


def test_open_cases_by_stage_by_hand(run):
    # At 1 Dec 2023: R02 (received 1 Aug, assessed, no EP advice), R01 (1 Sep, EP01 completed 10 Nov: waiting
    # for its plan), R03 (2 Oct, assessed 1 Nov, no EP advice). R16 arrives later; the rest are closed.
    assert rows(run("outlook_open_cases", {"at": date(2023, 12, 1)})) == [
        (date(2023, 8, 1), "ep_advice", 1),
        (date(2023, 9, 1), "plan", 1),
        (date(2023, 10, 2), "ep_advice", 1),
    ]
    # At 31 Dec 2024: R08 (EP advice still open), R15, R09 and R10 (assessed, no advice) and R13 (received
    # 2 Dec, decided only on 10 Jan). R14 ended without a plan at its decision, so it is not open.
    assert rows(run("outlook_open_cases", {"at": date(2024, 12, 31)})) == [
        (date(2024, 6, 3), "ep_advice", 1),
        (date(2024, 9, 2), "ep_advice", 1),
        (date(2024, 11, 1), "ep_advice", 1),
        (date(2024, 11, 20), "ep_advice", 1),
        (date(2024, 12, 2), "decision", 1),
    ]


def test_requests_by_locality_by_hand(run):
    frame = run(
        "outlook_requests_by_locality", {"period_start": date(2023, 11, 1), "period_end": date(2024, 1, 31)}
    )
    # Every month and locality, with zeros: R16 (Lancaster, North) in Dec; R04 and R05 (Burnley, East) in Jan.
    assert rows(frame) == [
        (date(2023, 11, 1), "Central", 0),
        (date(2023, 11, 1), "East", 0),
        (date(2023, 11, 1), "North", 0),
        (date(2023, 12, 1), "Central", 0),
        (date(2023, 12, 1), "East", 0),
        (date(2023, 12, 1), "North", 1),
        (date(2024, 1, 1), "Central", 0),
        (date(2024, 1, 1), "East", 2),
        (date(2024, 1, 1), "North", 0),
    ]
