"""Synthetic sample data: the four extracts and the reference files, shaped like Lancashire's published figures.

Nothing here describes a real child, school or payment. Requests are drawn month by month to match the
published yearly totals (DfE "Education, health and care plans"); each request then flows through a
decision, an educational psychology (EP) advice queue with a monthly capacity, and plan drafting. The
backlog and the 20-week timeliness emerge from that capacity, which is calibrated so the published
yearly rates come out. Settings have invented names and URNs. Everything is vectorised with numpy and
written with DuckDB, and the same seed, scale and as-of date always give byte-identical files.

Run: python -m dashboard.build.sample --out data [--seed N] [--scale X] [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard import contract
from dashboard.build import sample_health
from dashboard.dates import census_day

DEFAULT_SEED = 20261031
DEFAULT_AS_OF = date(2026, 10, 31)
FIRST_REQUEST_DATE = date(2018, 1, 1)
EARLIEST_AS_OF = date(2019, 10, 31)
MARKER_FILE = "SAMPLE"

EPOCH = np.datetime64("1970-01-01", "D")
NEVER = 10**6  # a day number far beyond any as-of date: "not happened yet"

# fmt: off
# Requests received per calendar year (DfE EHCP release 2025 and sen2_mi: 2018-2024; 2025 and later are
# the story's assumptions). A year not listed repeats the last one.
REQUESTS_PER_YEAR: dict[int, int] = {
    2018: 1304, 2019: 1278, 2020: 924, 2021: 1270, 2022: 972, 2023: 2560, 2024: 3658, 2025: 3630, 2026: 3450,
}
# Requests by month of the year: few in August, peaks in the spring and autumn terms.
MONTH_SEASONALITY = np.array([1.05, 1.0, 1.15, 0.92, 1.12, 1.1, 0.95, 0.45, 0.9, 1.2, 1.18, 0.88])
# School closures in spring 2020 and January 2021 held requests back.
COVID_DIP: dict[tuple[int, int], float] = {(2020, 4): 0.45, (2020, 5): 0.55, (2020, 6): 0.75, (2021, 1): 0.8}

# (assess, not_assess, withdrawn) by year received. 2023 and 2024 are published; earlier years follow the
# published refusal counts loosely (2022's zero refusals is a known artefact, so it is not copied).
DECISION_SHARES: dict[int, tuple[float, float, float]] = {
    2018: (0.71, 0.27, 0.02), 2019: (0.80, 0.18, 0.02), 2020: (0.86, 0.12, 0.02), 2021: (0.77, 0.21, 0.02),
    2022: (0.80, 0.18, 0.02), 2023: (0.926, 0.069, 0.005), 2024: (0.737, 0.240, 0.023),
    2025: (0.72, 0.25, 0.03), 2026: (0.70, 0.27, 0.03),
}
# Share of decisions made within six weeks, by year received (95.4% and 96.4% published for 2023-24).
DECISION_ON_TIME: dict[int, float] = {
    2018: 0.90, 2019: 0.90, 2020: 0.89, 2021: 0.88, 2022: 0.91, 2023: 0.954, 2024: 0.964, 2025: 0.87, 2026: 0.93,
}
PLAN_OUTCOME_SHARES = {"plan_issued": 0.915, "plan_not_issued": 0.06, "withdrawn": 0.025}
EXCEPTION_SHARE = 0.015

# Primary need of requests (the January 2025 mix of all plans, DfE sen_needs_all_plans, rounded).
NEED_MIX: dict[str, float] = {
    "ASD": 35.0, "SLCN": 21.0, "SEMH": 20.0, "MLD": 7.0, "SPLD": 4.0, "SLD": 3.0, "PD": 3.0, "PMLD": 1.0,
    "HI": 1.5, "VI": 0.8, "MSI": 0.2, "OTH": 2.0, "NSA": 1.5,
}
SOURCE_MIX: dict[str, float] = {
    "school": 40.0, "parent": 38.0, "early_years": 9.0, "health": 5.0, "social_care": 3.0,
    "young_person": 1.0, "other": 4.0,
}
# Age at request, 0 to 25: a peak in the early years, a second one at the move to secondary school.
AGE_WEIGHTS = np.array([
    0.5, 1.5, 4.0, 7.5, 9.0, 8.5, 7.5, 6.5, 5.5, 5.0, 6.0, 6.5, 4.5, 4.0, 4.0, 3.5,
    2.5, 1.5, 1.0, 0.7, 0.5, 0.4, 0.3, 0.2, 0.2, 0.1,
])
# Which needs and sources are more or less likely at each age band (the overall mixes above still hold).
NEED_AGE_AFFINITY: dict[str, tuple[float, float, float, float, float]] = {
    #        under 5, 5-10, 11-15, 16-19, 20-25
    "ASD": (1.1, 1.1, 0.9, 0.8, 0.8), "SLCN": (2.2, 1.0, 0.5, 0.4, 0.4), "SEMH": (0.3, 1.0, 1.7, 1.5, 1.3),
    "MLD": (0.5, 1.1, 1.1, 1.4, 1.4), "SPLD": (0.1, 1.0, 1.6, 1.2, 1.0), "SLD": (1.5, 1.0, 0.9, 1.0, 1.0),
    "PD": (1.5, 1.0, 0.8, 0.9, 1.0), "PMLD": (2.0, 1.0, 0.7, 0.8, 0.8), "HI": (1.8, 1.0, 0.7, 0.7, 0.7),
    "VI": (1.5, 1.0, 0.8, 0.8, 0.8), "MSI": (1.5, 1.0, 0.8, 0.8, 0.8), "OTH": (1.0, 1.0, 1.0, 1.1, 1.3),
    "NSA": (1.2, 1.0, 0.9, 0.9, 0.9),
}
SOURCE_AGE_AFFINITY: dict[str, tuple[float, float, float, float, float]] = {
    "school": (0.1, 1.3, 1.3, 1.0, 0.2), "parent": (1.0, 1.0, 1.0, 0.8, 0.5),
    "early_years": (8.0, 0.01, 0.001, 0.001, 0.001), "health": (2.5, 0.8, 0.8, 0.8, 1.0),
    "social_care": (1.0, 1.0, 1.1, 1.3, 1.5), "young_person": (0.001, 0.001, 0.05, 6.0, 12.0),
    "other": (0.8, 1.0, 1.0, 1.2, 2.0),
}

# ONS mid-2022 population (thousands), approximate, and the partnership's localities.
DISTRICT_POPULATION: dict[str, int] = {
    "Burnley": 95, "Chorley": 119, "Fylde": 83, "Hyndburn": 82, "Lancaster": 144, "Pendle": 97,
    "Preston": 150, "Ribble Valley": 62, "Rossendale": 71, "South Ribble": 112, "West Lancashire": 118,
    "Wyre": 114,
}
LOCALITY: dict[str, str] = {
    "Lancaster": "North", "Wyre": "North", "Fylde": "North",
    "Preston": "Central", "South Ribble": "Central", "Chorley": "Central", "West Lancashire": "Central",
    "Burnley": "East", "Pendle": "East", "Hyndburn": "East", "Rossendale": "East", "Ribble Valley": "East",
}
# Extra days each district's cases take (fewer EPs and caseworkers in the East), so breakdowns differ.
DISTRICT_DELAY_DAYS: dict[str, float] = {
    "Burnley": 10, "Pendle": 8, "Hyndburn": 7, "Rossendale": 5, "Ribble Valley": 2, "Lancaster": 3,
    "Wyre": 2, "Fylde": 0, "Preston": 1, "South Ribble": -2, "Chorley": -2, "West Lancashire": 1,
}

# EP assessments the service can complete per month at scale 1, between these dates (linear in between).
# Tight in 2021 (the post-lockdown catch-up), far short of demand through 2023-24 and early 2025, then
# agency and locum EPs bought with the Improvement Notice money from June 2025.
EP_CAPACITY_PER_MONTH: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 135), ("2020-12-01", 130), ("2021-02-01", 78), ("2021-11-01", 82), ("2022-03-01", 130),
    ("2022-12-01", 150), ("2023-03-01", 190), ("2023-06-01", 225), ("2023-09-01", 190), ("2023-12-01", 155),
    ("2024-01-15", 148), ("2024-12-01", 168), ("2025-06-01", 168), ("2025-07-15", 250), ("2025-09-15", 330),
    ("2026-10-31", 330), ("2027-12-31", 300),
)
# EPs work term time: less advice written in August and over Christmas and Easter.
EP_MONTH_FACTOR = np.array([1.0, 1.0, 1.0, 0.9, 1.0, 1.0, 0.95, 0.45, 1.0, 1.05, 1.05, 0.8])
# Drafting the plan after EP advice (consultation with settings, other advice, draft and final plan):
# the scale of a gamma(2) delay on top of a three-week minimum, quicker from 2022.
DRAFTING_DAYS: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 14.0), ("2021-09-01", 14.0), ("2022-03-01", 10.5), ("2024-01-01", 10.5), ("2025-01-01", 13.0),
    ("2025-10-01", 11.0),
)
# Share of plans held up for months after the advice (no school place agreed, missing health advice, a
# dispute over the draft); more of them once special schools were full.
STUCK_SHARE: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 0.08), ("2022-12-01", 0.08), ("2023-06-01", 0.30), ("2024-06-01", 0.30), ("2025-06-01", 0.15),
    ("2026-03-01", 0.10),
)
# How long they are held up: the scale of a gamma(2) delay on top of a month.
STUCK_DAYS: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 60.0), ("2022-06-01", 60.0), ("2023-01-01", 130.0), ("2025-06-01", 130.0), ("2026-03-01", 70.0),
)
# Share of newly decided assessments on the priority track (by decision date). Before the Improvement
# Notice only urgent cases (tribunal orders, phase transfers) jump the queue; from the new portal in
# September 2025 new requests are increasingly kept on time while the backlog is worked separately.
PRIORITY_SHARE: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 0.11), ("2023-10-01", 0.11), ("2024-01-01", 0.04), ("2025-01-01", 0.11), ("2025-08-31", 0.11),
    ("2025-09-01", 0.35), ("2026-03-01", 0.50), ("2026-09-01", 0.60),
)
# Share of EP advice written by agency or locum EPs, by completion date.
EXTERNAL_EP_SHARE: tuple[tuple[str, float], ...] = (
    ("2017-12-01", 0.03), ("2023-01-01", 0.05), ("2024-06-01", 0.08), ("2025-05-31", 0.08),
    ("2025-09-15", 0.32), ("2026-01-15", 0.40),
)
AGENCY_SHARE_OF_EXTERNAL = 0.6

# Placement named in new plans; independent special rises from 6.5% (2019) to 10% (2026), mainstream gives way.
PLACEMENT_MIX: dict[str, float] = {
    "mainstream": 43.0, "special_maintained": 26.0, "special_academy": 8.0, "independent_special": 7.0,
    "resourced_provision": 6.0, "post16": 6.0, "alternative_provision": 2.0, "other": 2.0,
}
PLACEMENT_NEED_AFFINITY: dict[str, dict[str, float]] = {
    "ASD": {"special_maintained": 1.2, "independent_special": 1.5, "resourced_provision": 1.4},
    "SEMH": {"independent_special": 1.8, "alternative_provision": 3.0, "special_academy": 1.3},
    "SLCN": {"mainstream": 1.5, "special_maintained": 0.5, "independent_special": 0.4},
    "SPLD": {"mainstream": 2.0, "special_maintained": 0.2, "independent_special": 0.3},
    "SLD": {"special_maintained": 2.5, "mainstream": 0.3}, "PMLD": {"special_maintained": 3.0, "mainstream": 0.1},
    "PD": {"mainstream": 1.3}, "HI": {"resourced_provision": 3.0}, "VI": {"resourced_provision": 2.5},
    "MLD": {"special_maintained": 1.3},
}
PLACEMENT_AGE_AFFINITY: dict[str, tuple[float, float, float, float, float]] = {
    "post16": (0.0, 0.0, 0.02, 12.0, 15.0), "mainstream": (1.2, 1.1, 0.9, 0.5, 0.3),
    "alternative_provision": (0.05, 0.6, 2.0, 0.5, 0.3), "other": (1.5, 0.8, 0.8, 1.2, 2.5),
}

# High-needs block budget by financial year (pounds, total of the high-needs lines) and how it splits.
HIGH_NEEDS_BUDGET: dict[int, float] = {
    2019: 140e6, 2020: 149e6, 2021: 161e6, 2022: 174e6, 2023: 190e6, 2024: 203e6, 2025: 216e6, 2026: 226e6,
}
HIGH_NEEDS_SPLIT: dict[str, float] = {
    "special_school_topups": 0.33, "independent_special_placements": 0.13, "resourced_provision": 0.05,
    "mainstream_topups": 0.22, "alternative_provision": 0.06, "post16_high_needs": 0.12, "ep_service": 0.02,
    "other_high_needs": 0.07,
}
TRANSPORT_BUDGET_2019 = 32e6
CASEWORK_BUDGET_2019 = 4.0e6
STAFFING_UPLIFT_GBP = 5_000_000
GENERAL_FUND_LINES = ("send_transport", "send_casework_staffing")
# Overspend on the lines under pressure, by financial year (independent placements and transport).
PRESSURE_OVERSPEND: dict[int, float] = {
    2019: 0.03, 2020: 0.02, 2021: 0.05, 2022: 0.07, 2023: 0.14, 2024: 0.21, 2025: 0.18, 2026: 0.15,
}
# How the extra £5m of casework staff was actually spent through 2025-26, month by month (recruitment lag).
STAFFING_UPLIFT_PROFILE = np.array([2, 3, 5, 7, 8, 9, 10, 11, 11, 11, 11.5, 11.5]) / 100

NOTICE_DATE = date(2025, 6, 5)
PIPELINE_OPEN_DATE = date(2025, 9, 1)
NEW_SCHOOL_OPEN_DATE = date(2027, 9, 1)
PIPELINE_VISIBLE_FROM = date(2025, 1, 1)

# (name, setting_type, district, designation, commissioned places at October 2019, yearly growth,
#  places added on 1 September 2025). Names are invented; any likeness to a real school is chance.
SETTINGS: tuple[tuple[str, str, str, str, int, float, int], ...] = (
    ("Larkspur Vale School", "special_maintained", "Preston", "MIXED", 220, 0.015, 45),
    ("Kestrel Brook School", "special_maintained", "Lancaster", "SLD", 150, 0.01, 0),
    ("Amberwell Meadows School", "special_maintained", "Burnley", "ASD", 130, 0.02, 40),
    ("Tansy Hill School", "special_maintained", "Chorley", "MIXED", 180, 0.01, 0),
    ("Harebell Rise School", "special_maintained", "Wyre", "PMLD", 90, 0.005, 0),
    ("Fernglen Grange School", "special_maintained", "West Lancashire", "MLD", 160, 0.01, 0),
    ("Cloudberry Edge School", "special_maintained", "Pendle", "SEMH", 80, 0.02, 30),
    ("Wrenfield Park School", "special_maintained", "Hyndburn", "ASD", 120, 0.02, 0),
    ("Meadowsweet Lane School", "special_maintained", "South Ribble", "SLCN", 100, 0.01, 0),
    ("Curlew Heights School", "special_maintained", "Fylde", "SEMH", 70, 0.02, 0),
    ("Sorrel Bank School", "special_maintained", "Rossendale", "MIXED", 140, 0.01, 0),
    ("Thistledown Cross School", "special_maintained", "Ribble Valley", "PD", 75, 0.005, 0),
    ("Kingcup Hollow Academy", "special_academy", "Preston", "SEMH", 110, 0.02, 0),
    ("Pipit Brook Academy", "special_academy", "Lancaster", "ASD", 140, 0.02, 35),
    ("Bracken Edge Academy", "special_academy", "Burnley", "MLD", 180, 0.01, 0),
    ("Heronmere Academy", "special_academy", "Chorley", "ASD", 96, 0.025, 0),
    ("Linnet Fold Academy", "special_academy", "West Lancashire", "SLD", 120, 0.01, 0),
    ("Quillfield Primary School (autism base)", "resourced_provision", "Chorley", "ASD", 16, 0.0, 0),
    ("Greywell Cross Primary School (speech and language base)", "resourced_provision", "Lancaster", "SLCN",
     14, 0.0, 0),
    ("Tarnbeck High School (autism base)", "resourced_provision", "Preston", "ASD", 24, 0.0, 16),
    ("Elderwick High School (hearing impairment base)", "resourced_provision", "South Ribble", "HI", 12, 0.0, 0),
    ("Sandmartin Primary School (SEMH base)", "resourced_provision", "Wyre", "SEMH", 10, 0.0, 0),
    ("Foxglove Bank Primary School (speech and language base)", "resourced_provision", "Burnley", "SLCN",
     12, 0.0, 12),
    ("Rowanthorpe High School (autism base)", "resourced_provision", "Pendle", "ASD", 20, 0.0, 0),
    ("Brambling Primary School (learning unit)", "sen_unit", "Hyndburn", "MLD", 14, 0.0, 10),
    ("Cowslip Brow High School (autism unit)", "sen_unit", "Fylde", "ASD", 16, 0.0, 0),
    ("Starling Gate Primary School (nurture unit)", "sen_unit", "Rossendale", "SEMH", 10, 0.0, 0),
    ("Yarrow Dene High School (vision support unit)", "sen_unit", "West Lancashire", "VI", 8, 0.0, 0),
    ("Harrier Lodge School", "independent_special", contract.OUT_OF_AREA, "SEMH", 22, 0.12, 0),
    ("Orielwood School", "independent_special", "Ribble Valley", "ASD", 28, 0.10, 0),
    ("Quarrystone House School", "independent_special", contract.OUT_OF_AREA, "ASD", 16, 0.14, 0),
    ("Greenfinch College", "independent_special", "Lancaster", "ASD", 18, 0.11, 0),
    ("Shalebank School", "independent_special", contract.OUT_OF_AREA, "SEMH", 12, 0.15, 0),
    ("Alderspring School", "independent_special", "Wyre", "MIXED", 10, 0.12, 0),
    ("Millrace Learning Centre", "alternative_provision", "Preston", "SEMH", 60, 0.02, 0),
    ("Weirside Learning Centre", "alternative_provision", "Burnley", "SEMH", 45, 0.02, 0),
    ("Juniper Heath Primary School (autism base)", "resourced_provision", "Wyre", "ASD", 0, 0.0, 24),
)
NEW_SPECIAL_SCHOOL = ("Skylark Fields School", "special_maintained", "South Ribble", "ASD", 0, 0.0, 0)
NEW_SPECIAL_SCHOOL_PLACES = 150
# fmt: on


def generate(
    out_dir: Path, seed: int = DEFAULT_SEED, scale: float = 1.0, as_of: date = DEFAULT_AS_OF
) -> dict[str, int]:
    """Write the four extracts, the reference files and the SAMPLE marker to out_dir; return row counts."""
    if as_of < EARLIEST_AS_OF:
        raise ValueError(f"as_of must be on or after {EARLIEST_AS_OF.isoformat()}")
    if not scale > 0:
        raise ValueError("scale must be more than 0")
    out_dir = Path(out_dir)
    (out_dir / "reference").mkdir(parents=True, exist_ok=True)
    # Each extract family draws from its own stream, so adding one (plans and reviews, the fourth) leaves the
    # others byte for byte as they were.
    streams = np.random.SeedSequence(seed).spawn(4)
    requests, ep = simulate_requests(np.random.default_rng(streams[0]), scale, as_of)
    places = specialist_places(np.random.default_rng(streams[1]), as_of)
    spending = spending_lines(np.random.default_rng(streams[2]), as_of)
    plans, reviews = simulate_plans(np.random.default_rng(streams[3]), requests, scale, as_of)

    con = duckdb.connect()
    # Rows are written in the order they were built (no sort needed) and without a console progress bar.
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    counts = {
        "ehcp_requests.csv": _write_requests(con, requests, out_dir / "ehcp_requests.csv"),
        "ep_assessments.csv": _write_ep(con, ep, out_dir / "ep_assessments.csv"),
        "specialist_places.csv": _write_frame(
            con, places, out_dir / "specialist_places.csv", "snapshot_date, setting_id"
        ),
        "spending.csv": _write_frame(con, spending, out_dir / "spending.csv", "month, budget_line_order"),
        "ehcp_plans.csv": _write_plans(con, plans, requests, out_dir / "ehcp_plans.csv"),
        "annual_reviews.csv": _write_reviews(con, reviews, plans, out_dir / "annual_reviews.csv"),
    }
    con.close()
    counts["reference/districts.csv"] = _write_rows(
        out_dir / "reference" / "districts.csv",
        contract.DISTRICTS.columns,
        [(d, LOCALITY[d]) for d in sorted(DISTRICT_POPULATION)],
    )
    counts["reference/targets.csv"] = _write_rows(
        out_dir / "reference" / "targets.csv", contract.TARGETS.columns, _targets(requests, places, as_of)
    )
    counts["reference/events.csv"] = _write_rows(
        out_dir / "reference" / "events.csv", contract.EVENTS.columns, _events()
    )
    # The health extracts (issue 17) from a stream of their own, so the four above are unchanged.
    counts |= sample_health.write(out_dir, seed, scale, as_of, requests, ep, DISTRICT_POPULATION)
    (out_dir / MARKER_FILE).write_text(
        f"synthetic sample data generated by dashboard.build.sample seed={seed} as_of={as_of.isoformat()}"
        + (f" scale={scale:g}" if scale != 1 else "")
        + "\n",
        encoding="utf-8",
    )
    return counts


# ----------------------------------------------------------------------------------------------------
# Requests and EP advice


def simulate_requests(
    rng: np.random.Generator, scale: float, as_of: date
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Draw every request and its EP advice as column arrays (day numbers since 1970, category codes)."""
    as_of_day = _day(as_of)
    received = _received_days(rng, scale, as_of)
    n = received.size
    year = _year_of(received)

    everyone = np.zeros(n, dtype=np.int64)
    district = _sample_rows(rng, everyone, _normalised(list(DISTRICT_POPULATION.values()))[None, :])
    age_pmf = _normalised(AGE_WEIGHTS)
    age = _sample_rows(rng, everyone, age_pmf[None, :])
    need = _sample_rows(
        rng, age, _conditional_on_age(age_pmf, NEED_MIX, NEED_AGE_AFFINITY, contract.NEED_CODES)
    )
    source = _sample_rows(
        rng, age, _conditional_on_age(age_pmf, SOURCE_MIX, SOURCE_AGE_AFFINITY, contract.REQUEST_SOURCES)
    )
    child, age, district, need = _link_repeat_requests(rng, received, age, district, need)
    age_band = _age_band(age)

    # Decision: which one, and how long it took.
    years = np.arange(FIRST_REQUEST_DATE.year, max(as_of.year, max(REQUESTS_PER_YEAR)) + 1)
    year_idx = year - years[0]
    decision_table = np.array([DECISION_SHARES[min(y, max(DECISION_SHARES))] for y in years])
    decision = _sample_rows(rng, year_idx, decision_table)  # 0 assess, 1 not_assess, 2 withdrawn
    on_time = (
        rng.random(n) < np.array([DECISION_ON_TIME[min(y, max(DECISION_ON_TIME))] for y in years])[year_idx]
    )
    lag_on_time = np.maximum(12, 42 - np.floor(rng.gamma(2.0, 4.0, n)))
    lag_late = 43 + np.floor(rng.gamma(1.6, 12.0, n))
    decision_day = _back_to_friday(received + np.where(on_time, lag_on_time, lag_late).astype(np.int64))
    pending = decision_day > as_of_day
    decision_code = np.where(pending, 3, decision)
    assess = decision_code == 0

    # Assessment: EP advice through a capacity-limited queue, then drafting and consultation.
    delay = np.array([DISTRICT_DELAY_DAYS[d] for d in DISTRICT_POPULATION])[district]
    fate = _sample_rows(
        rng, everyone, _normalised(list(PLAN_OUTCOME_SHARES.values()))[None, :]
    )  # issued/not/withdrawn
    exception = rng.random(n) < EXCEPTION_SHARE
    ep_requested = _forward_to_monday(decision_day + rng.integers(0, 8, n))
    ep_requested = np.minimum(ep_requested, as_of_day)
    withdrawn_day = ep_requested + 10 + np.floor(rng.gamma(1.5, 40.0, n)).astype(np.int64)
    in_queue = assess & (fate != 2)
    service = 6 + rng.gamma(3.0, 6.5, n) + 0.6 * delay
    ready = ep_requested + service
    priority = rng.random(n) < _interp_dates(decision_day, PRIORITY_SHARE)
    grid_start = _day(FIRST_REQUEST_DATE) - 31
    capacity = _ep_capacity(grid_start, as_of_day + 800) * scale
    ep_done = _priority_queue(ready, priority, in_queue, capacity, grid_start)

    advice_day = ep_done.clip(max=as_of_day + 800)
    stuck = rng.random(n) < _interp_dates(advice_day, STUCK_SHARE)
    drafting = (
        21
        + rng.gamma(2.0, 1.0, n) * _interp_dates(advice_day, DRAFTING_DAYS)
        + 0.5 * delay
        + np.where(exception, 28 + rng.gamma(2.0, 14.0, n), 0)
        + np.where(stuck, 30 + rng.gamma(2.0, 1.0, n) * _interp_dates(advice_day, STUCK_DAYS), 0)
    )
    plan_day = np.where(ep_done < NEVER, _back_to_friday(ep_done + drafting.astype(np.int64)), NEVER)
    not_issued_day = ep_done + 14 + np.floor(rng.gamma(2.0, 7.0, n)).astype(np.int64)
    outcome = np.full(n, -1, dtype=np.int8)
    outcome[assess] = 3  # ongoing unless it has finished by the as-of date
    outcome[assess & (fate == 0) & (plan_day <= as_of_day)] = 0
    outcome[assess & (fate == 1) & (not_issued_day <= as_of_day)] = 1
    outcome[assess & (fate == 2) & (withdrawn_day <= as_of_day)] = 2
    issued = outcome == 0

    # Need is sometimes not yet recorded on a pending request or a refusal.
    need = need.astype(np.int8)
    need[pending & (rng.random(n) < 0.45)] = -1
    need[(decision_code == 1) & (rng.random(n) < 0.08)] = -1
    need[(decision_code == 2) & (rng.random(n) < 0.2)] = -1

    plan_year_idx = np.clip(_year_of(np.where(issued, plan_day, received)) - years[0], 0, years.size - 1)
    placement = np.full(n, -1, dtype=np.int8)
    placement_group = (plan_year_idx * len(contract.AGE_GROUPS) + age_band) * (
        len(contract.NEED_CODES) + 1
    ) + np.where(need < 0, len(contract.NEED_CODES), need)
    placement[issued] = _sample_rows(rng, placement_group[issued], _placement_table(years, age_pmf))

    appeal_p = np.select([decision_code == 1, issued, decision_code == 3], [0.06, 0.018, 0.0], 0.008)
    appeal = rng.random(n) < appeal_p

    requests = {
        "request_number": np.arange(1, n + 1),
        "child_number": child,
        "received_day": received,
        "request_source": source.astype(np.int8),
        "age_at_request": age.astype(np.int8),
        "district": district.astype(np.int8),
        "primary_need": need,
        "decision": decision_code.astype(np.int8),
        "decision_day": np.where(pending, -1, decision_day),
        "outcome": outcome,
        "plan_issued_day": np.where(issued, plan_day, -1),
        "exception_20wk": exception,
        "placement_type": placement,
        "appeal_lodged": appeal,
    }

    ep_rows = np.flatnonzero(assess)
    ep_order = ep_rows[np.lexsort((ep_rows, ep_requested[ep_rows]))]
    completed = ep_done[ep_order] <= as_of_day
    cancelled = (fate[ep_order] == 2) & (withdrawn_day[ep_order] <= as_of_day)
    status = np.where(completed, 0, np.where(cancelled, 2, 1)).astype(np.int8)
    provider_day = np.where(
        completed, ep_done[ep_order], np.where(cancelled, ep_requested[ep_order], as_of_day)
    )
    external = rng.random(ep_order.size) < _interp_dates(provider_day, EXTERNAL_EP_SHARE)
    agency = rng.random(ep_order.size) < AGENCY_SHARE_OF_EXTERNAL
    ep = {
        "ep_number": np.arange(1, ep_order.size + 1),
        "request_number": ep_order + 1,
        "requested_day": ep_requested[ep_order],
        "completed_day": np.where(completed, ep_done[ep_order], -1),
        "status": status,
        "provider": np.where(external, np.where(agency, 1, 2), 0).astype(np.int8),
        "district": district[ep_order].astype(np.int8),
    }
    return requests, ep


def _received_days(rng: np.random.Generator, scale: float, as_of: date) -> np.ndarray:
    """Received dates, sorted: yearly totals as published, spread over months by season and trend."""
    as_of_day = _day(as_of)
    # The grid runs to the end of the as-of year so a part year gets its share of the year's requests.
    months = np.arange(np.datetime64(FIRST_REQUEST_DATE, "M"), np.datetime64(f"{as_of.year + 1}-01", "M"))
    month_start = months.astype("datetime64[D]").astype(np.int64)
    month_end = (months + 1).astype("datetime64[D]").astype(np.int64)  # exclusive
    month_year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month_of_year = months.astype(np.int64) % 12

    rate_years = np.arange(FIRST_REQUEST_DATE.year, as_of.year + 1)
    annual = np.array([_requests_in_year(y) for y in rate_years], dtype=float)
    # The level drifts from one year's rate to the next, so 2023's surge builds through the year.
    mid_year = np.array([_day(date(y, 7, 1)) for y in rate_years], dtype=float)
    level = np.interp(month_start, mid_year, annual)
    weight = MONTH_SEASONALITY[month_of_year] * level
    weight *= np.array(
        [COVID_DIP.get((int(y), int(m) + 1), 1.0) for y, m in zip(month_year, month_of_year, strict=True)]
    )
    elapsed = np.clip((as_of_day + 1 - month_start) / (month_end - month_start), 0, 1)

    counts = np.zeros(months.size, dtype=np.int64)
    for y, total in zip(rate_years, annual, strict=True):
        in_year = month_year == y
        full_year = weight[in_year].sum()
        share = weight[in_year] * elapsed[in_year]
        expected = total * scale * share.sum() / full_year
        counts[in_year] = rng.multinomial(int(round(expected)), share / share.sum()) if expected > 0 else 0

    # Within a month: working days mostly; little over Christmas; nothing after the as-of date.
    days = np.arange(month_start[0], month_end[-1])
    weekday = (days + 3) % 7
    day_weight = np.where(weekday < 5, 1.0, 0.06)
    dates = days.astype("datetime64[D]")
    md = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    moy = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_weight[((moy == 12) & (md >= 24)) | ((moy == 1) & (md == 1))] *= 0.15
    day_weight[days > as_of_day] = 0
    cum = np.concatenate(([0.0], np.cumsum(day_weight)))
    month_of_request = np.repeat(np.arange(months.size), counts)
    lo = cum[month_start[month_of_request] - days[0]]
    hi = cum[month_end[month_of_request] - days[0]]
    target = lo + rng.random(month_of_request.size) * (hi - lo)
    received = days[0] + np.searchsorted(cum, target, side="right") - 1
    return np.sort(np.clip(received, month_start[month_of_request], month_end[month_of_request] - 1))


def _requests_in_year(year: int) -> int:
    return REQUESTS_PER_YEAR.get(year, REQUESTS_PER_YEAR[max(REQUESTS_PER_YEAR)])


def _link_repeat_requests(
    rng: np.random.Generator, received: np.ndarray, age: np.ndarray, district: np.ndarray, need: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Make about 6% of children come back with a later request; return child numbers and aligned attributes."""
    n = received.size
    lo = np.searchsorted(received, received - 900, side="left")
    hi = np.searchsorted(received, received - 120, side="right")
    pick = lo + np.floor(rng.random(n) * (hi - lo)).astype(
        np.int64
    )  # an earlier request, 4 to 30 months back
    # Over-20s rarely come back before they turn 25, and a request is never its own earlier request.
    repeat = (rng.random(n) < 0.064) & (hi > lo) & (age[np.minimum(pick, n - 1)] <= 20)
    root = np.where(repeat, pick, np.arange(n))
    while True:  # pointer jumping: a few passes reach every chain's first request
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    is_repeat = root != np.arange(n)
    years_later = (received - received[root]) / 365.25
    age = np.where(is_repeat, np.minimum(25, age[root] + np.floor(years_later + rng.random(n))), age).astype(
        np.int64
    )
    district = np.where(is_repeat, district[root], district)
    need = np.where(is_repeat & (rng.random(n) < 0.75), need[root], need)

    first = np.flatnonzero(~is_repeat)
    children = first.size
    child_of_first = np.empty(n, dtype=np.int64)
    child_of_first[first] = _pseudonymous_numbers(rng, children)
    return child_of_first[root], age, district, need


def _pseudonymous_numbers(rng: np.random.Generator, count: int) -> np.ndarray:
    """Distinct numbers of at least 7 digits, in random order, for pseudonymous child ids.

    An affine map i -> (a*i + b) mod span with a coprime to span is a bijection, so the numbers are
    distinct without the sort or hash set that drawing and de-duplicating would need.
    """
    digits = 7
    while count > 10 ** (digits - 1) * 4:  # keep the ids sparse in their range
        digits += 1
    low, span = 10 ** (digits - 1), 9 * 10 ** (digits - 1)
    a = int(rng.integers(span // 3, span))
    while math.gcd(a, span) != 1:
        a += 1
    b = int(rng.integers(0, span))
    return low + (a * rng.permutation(count).astype(np.int64) + b) % span


def _ep_capacity(grid_start: int, grid_end: int) -> np.ndarray:
    """EP assessments that can be completed on each day of the grid: the monthly capacity over working days."""
    days = np.arange(grid_start, grid_end)
    per_month = _interp_dates(days, EP_CAPACITY_PER_MONTH)
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    month_id = month.astype(np.int64)
    working = ((days + 3) % 7 < 5).astype(float)
    # Months cut by the grid's edges still use their full count of working days.
    first, last = month[0].astype("datetime64[D]"), (month[-1] + 1).astype("datetime64[D]")
    full = np.arange(first, last).astype(np.int64)
    full_month = full.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    full_working = np.bincount(full_month - month_id[0], weights=((full + 3) % 7 < 5).astype(float))
    working_in_month = full_working[month_id - month_id[0]]
    return per_month * EP_MONTH_FACTOR[month_id % 12] * working / working_in_month


def _priority_queue(
    ready: np.ndarray, priority: np.ndarray, in_queue: np.ndarray, capacity: np.ndarray, grid_start: int
) -> np.ndarray:
    """Day each queued item is served by a two-class priority queue with a daily capacity; NEVER if not in time.

    Within a class, items go in order of readiness (request date plus their own service time, so the
    order is FIFO with noise). The priority class uses capacity first and the rest get what is left.
    Cumulative departures D(t) = min(A(t), C(t) + min over s < t of (A(s) - C(s))) for a work-conserving
    queue, so the whole queue is solved with cumulative sums instead of a loop over items.
    """
    days = capacity.size
    done = np.full(ready.size, NEVER, dtype=np.int64)
    remaining = capacity.astype(float)
    for klass in (priority, ~priority):
        members = np.flatnonzero(in_queue & klass)
        order = members[np.argsort(ready[members], kind="stable")]
        slot = np.floor(ready[order]).astype(np.int64) - grid_start
        arrived = np.cumsum(np.bincount(np.clip(slot, 0, days), minlength=days + 1)[:days]).astype(float)
        offered = np.cumsum(remaining)
        slack = np.minimum.accumulate(np.concatenate(([0.0], (arrived - offered)[:-1])))
        departed = np.minimum(arrived, offered + slack)
        rank = np.arange(1, order.size + 1)
        served_on = np.searchsorted(departed, rank - 1e-6, side="left")
        done[order] = np.where(served_on < days, grid_start + served_on, NEVER)
        remaining = np.maximum(remaining - np.diff(departed, prepend=0.0), 0.0)
    return done


def _placement_table(years: np.ndarray, age_pmf: np.ndarray) -> np.ndarray:
    """P(placement | year, age band, need) with the year's placement mix as the overall share."""
    n_needs = len(contract.NEED_CODES) + 1  # the last one stands for "need not recorded"
    bands = len(contract.AGE_GROUPS)
    band_pmf = np.bincount(_age_band(np.arange(age_pmf.size)), weights=age_pmf, minlength=bands)
    need_pmf = _normalised([NEED_MIX[c] for c in contract.NEED_CODES] + [1.0])
    affinity = np.ones((bands, n_needs, len(contract.PLACEMENT_TYPES)))
    for k, placement in enumerate(contract.PLACEMENT_TYPES):
        affinity[:, :, k] *= np.array(PLACEMENT_AGE_AFFINITY.get(placement, (1.0,) * bands))[:, None]
        for j, code in enumerate(contract.NEED_CODES):
            affinity[:, j, k] *= PLACEMENT_NEED_AFFINITY.get(code, {}).get(placement, 1.0)
    tables = []
    for y in years:
        mix = dict(PLACEMENT_MIX)
        independent = float(np.clip(6.5 + 0.5 * (y - 2019), 6.0, 10.0))
        mix["mainstream"] -= independent - mix["independent_special"]
        mix["independent_special"] = independent
        target = _normalised([mix[p] for p in contract.PLACEMENT_TYPES])
        joint = affinity * (band_pmf[:, None] * need_pmf[None, :])[:, :, None]
        for _ in range(60):
            joint *= (target / joint.sum(axis=(0, 1)))[None, None, :]
            joint *= ((band_pmf[:, None] * need_pmf[None, :]) / joint.sum(axis=2))[:, :, None]
        tables.append(joint / joint.sum(axis=2, keepdims=True))
    return np.concatenate([t.reshape(bands * n_needs, -1) for t in tables])


def _conditional_on_age(
    age_pmf: np.ndarray, mix: dict[str, float], affinity: dict[str, tuple[float, ...]], codes: tuple[str, ...]
) -> np.ndarray:
    """P(category | age) whose overall mix is `mix` while leaning by age band as `affinity` says."""
    band = _age_band(np.arange(age_pmf.size))
    seed = np.array([[affinity[c][b] for c in codes] for b in band])
    target = _normalised([mix[c] for c in codes])
    joint = seed * age_pmf[:, None]
    for _ in range(100):
        joint *= (target / joint.sum(axis=0))[None, :]
        joint *= (age_pmf / joint.sum(axis=1))[:, None]
    return joint / joint.sum(axis=1, keepdims=True)


def _sample_rows(rng: np.random.Generator, group: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each row, a category from table[group], in random order but in the table's exact shares per group.

    Exact shares rather than independent draws keep published figures (say, 73.7% assessed in 2024)
    on target at any scale instead of a sampling error away from it.
    """
    shuffled = rng.permutation(group.size)
    keys = group[shuffled]
    # A stable sort of small integers is a radix sort: linear time even for millions of rows.
    order = shuffled[
        np.argsort(keys.astype(np.int16) if group.size and group.max() < 2**15 else keys, kind="stable")
    ]
    sizes = np.bincount(group, minlength=table.shape[0])
    # Row r (0-based) of a group of n takes the category whose cumulative share first exceeds (r + 0.5) / n.
    upper = np.ceil(np.cumsum(table, axis=1) * sizes[:, None] - 0.5).clip(0, sizes[:, None]).astype(np.int64)
    upper[:, -1] = sizes
    counts = np.diff(upper, axis=1, prepend=0)
    out = np.empty(group.size, dtype=np.int64)
    out[order] = np.repeat(np.tile(np.arange(table.shape[1]), table.shape[0]), counts.ravel())
    return out


def _age_band(age: np.ndarray) -> np.ndarray:
    upper = np.array([high for _, _, high in contract.AGE_GROUPS])
    return np.searchsorted(upper, age, side="left")


# ----------------------------------------------------------------------------------------------------
# Specialist places


def specialist_places(rng: np.random.Generator, as_of: date) -> pd.DataFrame:
    """One row per setting per termly census date, with the September 2025 expansion and the 2027 school."""
    snapshots = _census_dates(date(2019, 10, 1), as_of)
    settings = SETTINGS + (NEW_SPECIAL_SCHOOL,)
    urns = 900000 + np.random.default_rng(8_880_017).choice(99_000, size=len(settings), replace=False) + 1000
    tight = {"ASD": 0.05, "SEMH": 0.05, "MIXED": 0.02}
    setting_pressure = 1.0 + rng.normal(0.0, 0.025, len(settings))
    rows = []
    for s, (name, kind, district, designation, base, growth, added) in enumerate(settings):
        is_new_base = base == 0 and added > 0
        is_new_school = name == NEW_SPECIAL_SCHOOL[0]
        for snap in snapshots:
            years = (snap - date(2019, 10, 1)).days / 365.25
            if (is_new_base or is_new_school) and snap < PIPELINE_VISIBLE_FROM:
                continue
            commissioned = (
                int(round(base * (1 + growth) ** years))
                if kind == "independent_special"
                else int(round(base * (1 + growth * np.floor(years + 0.1))))
            )
            opened = snap >= PIPELINE_OPEN_DATE
            if opened:
                commissioned += added
            # Occupancy creeps up as demand outruns places, eases a little when new places open.
            pressure = 1.0 + tight.get(designation, 0.0) + 0.012 * min(years, 5.5) - (0.02 if opened else 0.0)
            if kind == "independent_special":
                pressure = 0.985
            ratio = pressure * setting_pressure[s] + rng.normal(0.0, 0.012)
            occupied = commissioned * ratio
            if opened and added:
                months_open = (snap - PIPELINE_OPEN_DATE).days / 30.4
                fill = min(0.97, 0.55 + 0.06 * months_open)
                occupied = (commissioned - added) * ratio + added * fill
            planned = open_date = None
            if snap >= PIPELINE_VISIBLE_FROM and not opened and added:
                planned, open_date = added, PIPELINE_OPEN_DATE
            if is_new_school:
                commissioned, occupied = 0, 0
                planned, open_date = _new_school_pipeline(snap)
            rows.append(
                (
                    snap,
                    str(urns[s]),
                    name,
                    kind,
                    district,
                    designation,
                    commissioned,
                    max(0, int(round(occupied))),
                    planned,
                    open_date,
                )
            )
    frame = pd.DataFrame(rows, columns=[c.name for c in contract.SPECIALIST_PLACES.columns])
    frame["planned_places"] = frame["planned_places"].astype("Int64")
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).dt.date
    frame["planned_open_date"] = pd.to_datetime(frame["planned_open_date"]).dt.date
    return frame


def _new_school_pipeline(snap: date) -> tuple[int | None, date | None]:
    """Planned places of the new special school at a snapshot (nothing once it has opened)."""
    if snap >= NEW_SCHOOL_OPEN_DATE:
        return None, None
    return NEW_SPECIAL_SCHOOL_PLACES, NEW_SCHOOL_OPEN_DATE


def _census_dates(start: date, as_of: date) -> list[date]:
    """School census days (first Thursday of October, third Thursday of January and May) up to as_of."""
    out = []
    for year in range(start.year, as_of.year + 1):
        for month, week in ((1, 3), (5, 3), (10, 1)):
            first = date(year, month, 1)
            day = first + timedelta(days=(3 - first.weekday()) % 7 + 7 * (week - 1))
            if start <= day <= as_of:
                out.append(day)
    return out


# ----------------------------------------------------------------------------------------------------
# Spending


def spending_lines(rng: np.random.Generator, as_of: date) -> pd.DataFrame:
    """Monthly budget and actual by budget line, April 2019 to the end of the current financial year."""
    last_fy = as_of.year if as_of.month >= 4 else as_of.year - 1
    rows = []
    for fy in range(2019, last_fy + 1):
        high_needs = HIGH_NEEDS_BUDGET.get(
            fy, HIGH_NEEDS_BUDGET[max(HIGH_NEEDS_BUDGET)] * 1.04 ** (fy - 2026)
        )
        months = [date(fy + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12)]
        for order, line in enumerate(contract.BUDGET_LINES):
            annual, profile = _annual_budget(line, fy, high_needs)
            budget = _split_whole_pounds(annual, profile)
            drift = rng.normal(0.0, 0.015)
            if line in ("independent_special_placements", "send_transport"):
                drift += PRESSURE_OVERSPEND.get(fy, 0.15) + rng.normal(0.0, 0.02)
            if line == "ep_service" and fy >= 2025:
                drift += 0.08  # agency and locum EPs cost more than the budgeted posts
            noise = rng.normal(0.0, 0.05, 12)
            noise[11] += 0.06  # year-end accruals
            noise[0] -= 0.04
            actual = budget * (1 + drift + noise)
            if line == "send_casework_staffing" and fy == 2025:
                uplift = _split_whole_pounds(STAFFING_UPLIFT_GBP, np.full(12, 1 / 12))
                actual = (budget - uplift) * (
                    1 + drift + noise
                ) + STAFFING_UPLIFT_GBP * STAFFING_UPLIFT_PROFILE * (1 + rng.normal(0.0, 0.03, 12))
            if line == "other_high_needs" and fy in (2021, 2024):
                actual[0] = -0.3 * budget[0]  # a prior-year accrual released in April shows as a credit
            for m, month in enumerate(months):
                closed = _month_end(month) <= as_of
                rows.append(
                    (
                        month,
                        line,
                        _funding_source(line),
                        int(budget[m]),
                        int(round(actual[m])) if closed else None,
                        order,
                    )
                )
    frame = pd.DataFrame(
        rows,
        columns=["month", "budget_line", "funding_source", "budget_gbp", "actual_gbp", "budget_line_order"],
    )
    frame["actual_gbp"] = frame["actual_gbp"].astype("Int64")
    return frame


def _annual_budget(line: str, fy: int, high_needs: float) -> tuple[float, np.ndarray]:
    """A line's approved budget for a financial year and how it is profiled over the twelve months."""
    even = np.full(12, 1 / 12)
    if line == "send_transport":
        # No school runs in August and fewer over Christmas and Easter.
        profile = np.array([0.9, 1.05, 1.05, 0.95, 0.25, 1.05, 1.1, 1.1, 0.9, 1.05, 1.05, 1.0])
        return TRANSPORT_BUDGET_2019 * 1.08 ** (fy - 2019), profile / profile.sum()
    if line == "send_casework_staffing":
        base = CASEWORK_BUDGET_2019 * 1.03 ** (fy - 2019)
        return base + (STAFFING_UPLIFT_GBP if fy >= 2025 else 0), even
    split = dict(HIGH_NEEDS_SPLIT)
    shift = min(max(fy - 2019, 0), 7) * 0.004  # independent placements take a growing share
    split["independent_special_placements"] += shift
    split["mainstream_topups"] -= shift
    if fy >= 2025:
        split["ep_service"] += 0.008
        split["other_high_needs"] -= 0.008
    return high_needs * split[line], even


def _split_whole_pounds(annual: float, profile: np.ndarray) -> np.ndarray:
    """Monthly whole-pound amounts following `profile` that add up exactly to the rounded annual figure."""
    cumulative = np.round(np.cumsum(profile) / profile.sum() * round(annual))
    return np.diff(np.concatenate(([0.0], cumulative)))


def _funding_source(line: str) -> str:
    return "council_general_fund" if line in GENERAL_FUND_LINES else "high_needs_block"


def _month_end(month: date) -> date:
    return (date(month.year + month.month // 12, month.month % 12 + 1, 1)) - timedelta(days=1)


# ----------------------------------------------------------------------------------------------------
# Reference files


def overdue_open_assessments(requests: dict[str, np.ndarray], on: date) -> int:
    """Requests open on a date (undecided, or assessed with no plan yet) received more than 20 weeks before it.

    Uses only what the extract shows, so the dashboard can recompute it: a plan_not_issued or withdrawn
    assessment has no closing date in the extract and is not counted.
    """
    day = _day(on)
    received = requests["received_day"]
    decided = requests["decision_day"]
    issued = requests["plan_issued_day"]
    undecided = (decided < 0) | (decided > day)
    awaiting_plan = (
        (requests["decision"] == 0)
        & (decided >= 0)
        & (decided <= day)
        & np.isin(requests["outcome"], (0, 3))
        & ((issued < 0) | (issued > day))
    )
    return int(((received <= day) & (undecided | awaiting_plan) & (day - received > 140)).sum())


def _targets(requests: dict[str, np.ndarray], places: pd.DataFrame, as_of: date) -> list[tuple]:
    # Baselines are as at the Improvement Notice; an extract that ends before it has none yet.
    before = places[places["snapshot_date"] < NOTICE_DATE]
    if len(before) and as_of >= NOTICE_DATE:
        snap = before["snapshot_date"].max()
        places_baseline, places_date = (
            int(before.loc[before["snapshot_date"] == snap, "commissioned_places"].sum()),
            snap.isoformat(),
        )
    else:
        places_baseline, places_date = "", ""
    overdue = overdue_open_assessments(requests, NOTICE_DATE) if as_of >= NOTICE_DATE else ""
    notice = "Improvement Notice (DfE, 5 June 2025): "
    return [
        (
            "ep_additional_assessments",
            "Additional EP assessments",
            1200,
            "count",
            "2026-03-05",
            0,
            "2025-06-05",
            "higher_is_better",
            notice + "1,200 additional EP assessments within nine months",
        ),
        (
            "specialist_places_added",
            "Additional specialist places",
            200,
            "places",
            "2025-09-30",
            places_baseline,
            places_date,
            "higher_is_better",
            notice + "more than 200 additional specialist places by September 2025",
        ),
        (
            "new_special_school",
            "New special school open",
            1,
            "schools",
            "2027-09-01",
            0,
            "2025-06-05",
            "higher_is_better",
            notice + "new special school planned for 2027",
        ),
        (
            "twenty_week_rate_ex",
            "Plans issued within 20 weeks (excluding exceptions)",
            46.4,
            "percent",
            "2026-12-31",
            17.3,
            "2024-12-31",
            "higher_is_better",
            "At least the England average: 46.4% in 2024 (DfE, Education, health and care plans, 2025 release)",
        ),
        (
            "send_staffing_additional_gbp",
            "Additional SEND staffing",
            5000000,
            "gbp",
            "2026-03-31",
            0,
            "2025-04-01",
            "higher_is_better",
            notice + "£5m additional SEND staffing in 2025-26",
        ),
        (
            "overdue_open_assessments",
            "Open assessments past 20 weeks",
            0,
            "count",
            "2026-12-31",
            overdue,
            "2025-06-05",
            "lower_is_better",
            "Partnership recovery plan (sample target)",
        ),
        (
            "high_needs_forecast_variance_gbp",
            "High-needs forecast variance",
            0,
            "gbp",
            "2027-03-31",
            0,
            "2026-04-01",
            "lower_is_better",
            "Balanced high-needs budget (sample target)",
        ),
        (
            "specialist_occupancy_pct",
            "Specialist place occupancy",
            95,
            "percent",
            "2026-12-31",
            "",
            "",
            "lower_is_better",
            "Planning assumption: keep about 5% of places free for in-year demand (sample target)",
        ),
    ]


def _events() -> list[tuple[str, str, str]]:
    notice = "DfE Improvement Notice, 5 June 2025"
    return [
        ("2024-12-02", "Area SEND inspection (Ofsted and CQC)", "product.md"),
        ("2025-02-14", "Inspection report published", "product.md (date approximate)"),
        ("2025-06-05", "Improvement Notice issued", notice),
        ("2025-09-01", "New EHCP portal launched", notice),
        ("2025-09-01", "200+ new specialist places open", notice),
        ("2027-09-01", "New special school planned to open", notice),
    ]


# ----------------------------------------------------------------------------------------------------
# EHC plans and their annual reviews

# Active EHC plans in January (DfE "Education, health and care plans", 2025 release, caseload: Lancashire).
PUBLISHED_ACTIVE_JANUARY: dict[int, int] = {
    2019: 7042,
    2020: 7287,
    2021: 8085,
    2022: 8691,
    2023: 9803,
    2024: 11258,
    2025: 12317,
}
# Current placement of plans older than the requests extract (children now 10 to 30), chosen so that all
# active plans in January 2025 come out near the published mix (40% mainstream, 38% special schools of
# which 6% independent or non-maintained, 11% post-16, 10% other arrangements).
# fmt: off
LEGACY_PLACEMENT_MIX: dict[str, float] = {
    "mainstream": 36.0, "special_maintained": 32.0, "special_academy": 0.5, "independent_special": 5.0,
    "resourced_provision": 0.5, "post16": 12.0, "alternative_provision": 0.5, "other": 13.5,
}
# The published mix of all plans in January 2025 in the contract's codes (mainstream less its resourced
# provision and units; independent and non-maintained special schools together; FE as post-16; elsewhere,
# early years and other arrangements as other): the placements of plans of children who moved in.
PUBLISHED_PLACEMENT_MIX: dict[str, float] = {
    "mainstream": 39.2, "resourced_provision": 1.3, "special_maintained": 29.0, "special_academy": 2.7,
    "independent_special": 6.1, "alternative_provision": 0.7, "post16": 11.4, "other": 9.6,
}
# fmt: on
# Share of annual reviews held late (after the 12 months), and the scale of how late (gamma(2) days), by
# meeting date: worse through 2024-25 with the assessment backlog, then partly recovered once the staffing
# investment (from September 2025) is in place.
# fmt: off
REVIEW_LATE_SHARE: tuple[tuple[str, float], ...] = (
    ("2014-09-01", 0.18), ("2022-06-01", 0.20), ("2023-09-01", 0.35), ("2024-09-01", 0.55), ("2025-06-01", 0.60),
    ("2025-10-01", 0.50), ("2026-03-01", 0.38), ("2026-09-01", 0.34),
)
REVIEW_LATE_DAYS: tuple[tuple[str, float], ...] = (
    ("2014-09-01", 30.0), ("2023-06-01", 40.0), ("2024-09-01", 75.0), ("2025-06-01", 85.0), ("2025-10-01", 70.0),
    ("2026-04-01", 55.0),
)
# fmt: on
# Share of review decisions notified within four weeks of the meeting, and of amended plans finalised
# within 12 weeks of it, by meeting date.
DECISION_ON_TIME_SHARE: tuple[tuple[str, float], ...] = (
    ("2014-09-01", 0.78),
    ("2022-06-01", 0.74),
    ("2023-09-01", 0.55),
    ("2024-09-01", 0.38),
    ("2025-06-01", 0.36),
    ("2025-10-01", 0.50),
    ("2026-06-01", 0.66),
)
AMENDED_ON_TIME_SHARE: tuple[tuple[str, float], ...] = (
    ("2014-09-01", 0.62),
    ("2022-06-01", 0.58),
    ("2023-09-01", 0.40),
    ("2024-09-01", 0.24),
    ("2025-06-01", 0.22),
    ("2025-10-01", 0.36),
    ("2026-06-01", 0.52),
)
# Share of phase transfers whose new placement is named by the deadline, by transfer year.
TRANSFER_ON_TIME: dict[int, float] = {
    2015: 0.9,
    2019: 0.88,
    2020: 0.86,
    2021: 0.84,
    2022: 0.82,
    2023: 0.72,
    2024: 0.58,
    2025: 0.52,
    2026: 0.7,
    2027: 0.8,
}
AMEND_SHARE = 0.45
# Plans a year (per plan) that cease for other reasons than leaving education: moving away, needs met.
CEASE_HAZARD = 0.035
REVIEWS_FROM = date(2017, 1, 1)  # the reviews extract starts here (the last review before 2018 included)
TRANSFER_AGES = (4, 11, 16)  # age at 31 August of the transfer year: reception, year 7, post-16


def age_on(start: np.ndarray, age_at_start: np.ndarray, day: np.ndarray | int) -> np.ndarray:
    """Age in whole years at `day` (day numbers), as the contract defines it: age at the plan's start plus the
    whole years since the start."""
    start, day = np.asarray(start), np.asarray(day)
    start_dates, day_dates = (
        start.astype("datetime64[D]"),
        np.broadcast_to(day, start.shape).astype("datetime64[D]"),
    )
    years = day_dates.astype("datetime64[Y]").astype(np.int64) - start_dates.astype("datetime64[Y]").astype(
        np.int64
    )
    before = (day_dates - day_dates.astype("datetime64[Y]")) < (
        start_dates - start_dates.astype("datetime64[Y]")
    )
    return age_at_start + years - before.astype(np.int64)


def simulate_plans(
    rng: np.random.Generator, requests: dict[str, np.ndarray], scale: float, as_of: date
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Every plan (one per request whose outcome is plan_issued, plus plans older than the requests) and every
    annual review since REVIEWS_FROM, as column arrays. Older plans fill the gap to the published January
    caseload, so the count of active plans each January is close to it."""
    as_of_day = _day(as_of)
    issued = np.flatnonzero(requests["outcome"] == 0)
    start = requests["plan_issued_day"][issued].astype(np.int64)
    waited = (start - requests["received_day"][issued]) // 365
    new = {
        "request_number": issued + 1,
        "child_number": requests["child_number"][issued].astype(np.int64),
        "start_day": start,
        "district": requests["district"][issued].astype(np.int8),
        "primary_need": requests["primary_need"][issued].astype(np.int8),
        "age_at_start": np.minimum(25, requests["age_at_request"][issued] + waited).astype(np.int8),
        "placement_type": requests["placement_type"][issued].astype(np.int8),
    }
    new_cease, new_reason = _ceasing(rng, new["start_day"], new["age_at_start"], NEVER)
    # A child with a later plan: the earlier one ends the day before the later one starts.
    order = np.lexsort((new["start_day"], new["child_number"]))
    later = np.zeros(issued.size, dtype=bool)
    later[order[:-1]] = new["child_number"][order[:-1]] == new["child_number"][order[1:]]
    follow_on = np.empty(issued.size, dtype=np.int64)
    follow_on[order[:-1]] = new["start_day"][order[1:]] - 1
    replaced = later & (follow_on < new_cease)
    new_cease = np.where(replaced, np.maximum(follow_on, new["start_day"]), new_cease)
    new_reason = np.where(replaced, 3, new_reason)

    # Plans with no request in the extract: older plans (from before 2018) and plans of children who moved
    # in from another authority. Year by year, as many move in (or extra plans cease) as bring the count of
    # active plans on each January census day to the published figure.
    plans = {**new, "cease_day": new_cease, "reason": new_reason}
    older = _unrequested_plans(
        rng,
        int(round(PUBLISHED_ACTIVE_JANUARY[min(PUBLISHED_ACTIVE_JANUARY)] * scale)),
        _day(date(2014, 9, 1)),
        _day(date(2017, 12, 31)),
        LEGACY_PLACEMENT_MIX,
    )
    plans = {k: np.concatenate([older[k], plans[k]]) for k in plans}
    previous = _day(date(2018, 1, 1))
    moved_in_per_year = []
    for year in sorted(PUBLISHED_ACTIVE_JANUARY):
        census = _day(census_day(year))
        if census > _day(as_of):
            break
        active = (plans["start_day"] <= census) & (plans["cease_day"] > census)
        gap = int(round(PUBLISHED_ACTIVE_JANUARY[year] * scale)) - int(active.sum())
        if gap > 0:
            moved_in = _unrequested_plans(rng, gap, previous + 1, census, PUBLISHED_PLACEMENT_MIX)
            moved_in["cease_day"] = np.maximum(moved_in["cease_day"], census + 1)
            plans = {k: np.concatenate([plans[k], moved_in[k]]) for k in plans}
            moved_in_per_year.append(gap)
        elif gap < 0:
            # The oldest children's plans cease first (most leave education between 16 and 19).
            candidates = np.flatnonzero(active & (plans["start_day"] < census - 30))
            age = age_on(
                plans["start_day"][candidates], plans["age_at_start"][candidates].astype(np.int64), census
            )
            picked = np.argsort(-(age + rng.gumbel(0.0, 2.5, candidates.size)), kind="stable")[:-gap]
            chosen = candidates[picked]
            low = np.maximum(plans["start_day"][chosen] + 1, previous)
            plans["cease_day"][chosen] = low + np.floor(rng.random(chosen.size) * (census - low)).astype(
                np.int64
            )
            plans["reason"][chosen] = np.where(age[picked] >= 16, 2, 0)
            moved_in_per_year.append(0)
        previous = census
    # After the last published January, children keep moving in at the average yearly rate.
    yearly = int(round(np.mean(moved_in_per_year))) if moved_in_per_year else 0
    years_after = max(0.0, (_day(as_of) - previous) / 365.25)
    if yearly and years_after:
        later = _unrequested_plans(
            rng, int(round(yearly * years_after)), previous + 1, _day(as_of), PUBLISHED_PLACEMENT_MIX
        )
        plans = {k: np.concatenate([plans[k], later[k]]) for k in plans}
    cease, reason = plans.pop("cease_day"), plans.pop("reason").astype(np.int8)
    # A plan now at post-16 age in a school placement has mostly moved on to college.
    last_day = np.minimum(cease, as_of_day)
    now_age = age_on(plans["start_day"], plans["age_at_start"].astype(np.int64), last_day)
    school = np.isin(
        plans["placement_type"], [contract.PLACEMENT_TYPES.index(p) for p in ("mainstream", "other")]
    )
    moved_on = (now_age >= 18) & school & (rng.random(cease.size) < 0.5)
    plans["placement_type"] = np.where(
        moved_on, contract.PLACEMENT_TYPES.index("post16"), plans["placement_type"]
    )
    unnumbered = plans["child_number"] < 0
    next_child = int(requests["child_number"].max()) + 1 if requests["child_number"].size else 1_000_000
    plans["child_number"][unnumbered] = next_child + rng.permutation(int(unnumbered.sum()))
    ceased = cease <= as_of_day
    plans["ceased_day"] = np.where(ceased, cease, -1)
    plans["ceased_reason"] = np.where(ceased, reason, -1).astype(np.int8)
    order = np.lexsort((np.arange(cease.size), plans["start_day"]))
    plans = {k: v[order] for k, v in plans.items()}
    plans["plan_number"] = np.arange(1, order.size + 1)
    return plans, _simulate_reviews(rng, plans, as_of)


def _unrequested_plans(
    rng: np.random.Generator, n: int, first_day: int, last_day: int, placements: dict[str, float]
) -> dict[str, np.ndarray]:
    """`n` plans with no request in the extract, starting between two days: their children, areas, needs,
    ages, placements and when (and why) they cease."""
    start = first_day + np.floor(rng.random(n) * max(last_day - first_day, 1)).astype(np.int64)
    age = rng.choice(20, size=n, p=_normalised(AGE_WEIGHTS[:20])).astype(np.int8)
    need_codes = np.array([contract.NEED_CODES.index(code) for code in NEED_MIX])
    placement_codes = np.array([contract.PLACEMENT_TYPES.index(code) for code in placements])
    cease, reason = _ceasing(rng, start, age.astype(np.int64), NEVER)
    return {
        "request_number": np.full(n, -1, dtype=np.int64),
        "child_number": np.full(n, -1, dtype=np.int64),  # numbered once every plan is drawn
        "start_day": start,
        "district": rng.choice(
            len(DISTRICT_POPULATION), size=n, p=_normalised(list(DISTRICT_POPULATION.values()))
        ).astype(np.int8),
        "primary_need": need_codes[
            rng.choice(need_codes.size, size=n, p=_normalised(list(NEED_MIX.values())))
        ].astype(np.int8),
        "age_at_start": age,
        "placement_type": placement_codes[
            rng.choice(placement_codes.size, size=n, p=_normalised(list(placements.values())))
        ].astype(np.int8),
        "cease_day": cease,
        "reason": reason,
    }


def _ceasing(
    rng: np.random.Generator, start: np.ndarray, age_at_start: np.ndarray, never: int
) -> tuple[np.ndarray, np.ndarray]:
    """When a plan from a request ceases (day number) and why (code of contract.CEASED_REASONS): at random
    (moving away, needs met), or on leaving education between 16 and 25."""
    n = start.size
    at_random = start + np.floor(rng.exponential(365.0 / CEASE_HAZARD, n)).astype(np.int64)
    leave_age = np.clip(np.round(rng.normal(19.0, 2.2, n)), 16, 25).astype(np.int64)
    leave_day = start + np.maximum(leave_age - age_at_start, 0) * 365 + rng.integers(150, 240, n)
    leaves = leave_day < at_random
    day = np.where(leaves, leave_day, at_random)
    reason = np.where(leaves, 2, np.where(rng.random(n) < 0.55, 0, np.where(rng.random(n) < 0.7, 1, 3)))
    return np.minimum(day, never), reason.astype(np.int8)


def _simulate_reviews(
    rng: np.random.Generator, plans: dict[str, np.ndarray], as_of: date
) -> dict[str, np.ndarray]:
    """Annual reviews from REVIEWS_FROM: one about every 12 months while a plan is maintained (late more often
    in 2024-25), plus the phase-transfer review in the autumn before each plan's move to reception, year 7 or
    post-16."""
    n, as_of_day = plans["start_day"].size, _day(as_of)
    end = np.where(plans["ceased_day"] >= 0, plans["ceased_day"], as_of_day + 1)
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (plan index, meeting day, phase transfer)
    meeting = plans["start_day"].astype(np.int64)
    while True:
        # How late the next review is depends on when it falls due, 12 months on.
        due = meeting + 365
        late = rng.random(n) < _interp_dates(due, REVIEW_LATE_SHARE)
        gap = (
            330
            + rng.integers(0, 35, n)
            + np.where(
                late,
                np.floor(rng.gamma(2.0, 1.0, n) * _interp_dates(due, REVIEW_LATE_DAYS)).astype(np.int64) + 1,
                0,
            )
        )
        meeting = _forward_to_monday(meeting + gap)
        held = (meeting < end) & (meeting <= as_of_day)
        if not held.any():
            break
        keep = held & (meeting >= _day(REVIEWS_FROM) - 365)
        rows.append((np.flatnonzero(keep), meeting[keep], np.zeros(int(keep.sum()), dtype=bool)))
    # Phase transfers: plans maintained on 15 February of the year they move.
    for year in range(REVIEWS_FROM.year + 1, as_of.year + 2):
        deadline = _day(date(year, 2, 15))
        age = age_on(plans["start_day"], plans["age_at_start"].astype(np.int64), _day(date(year, 8, 31)))
        due = (
            np.isin(age, TRANSFER_AGES)
            & (plans["start_day"] <= deadline - 120)
            & (end > min(deadline, as_of_day))
        )
        meeting = _forward_to_monday(_day(date(year - 1, 9, 15)) + rng.integers(0, 120, n))
        keep = due & (meeting <= as_of_day)
        rows.append((np.flatnonzero(keep), meeting[keep], np.ones(int(keep.sum()), dtype=bool)))
    plan_index = np.concatenate([r[0] for r in rows])
    meeting = np.concatenate([r[1] for r in rows])
    phase = np.concatenate([r[2] for r in rows])
    # Earlier than the extract's start: only the last review before it is kept (it dates the next one).
    first_kept = meeting >= _day(REVIEWS_FROM)
    order = np.lexsort((meeting, plan_index))
    plan_index, meeting, phase, first_kept = (
        plan_index[order],
        meeting[order],
        phase[order],
        first_kept[order],
    )
    next_same = np.append(plan_index[1:] == plan_index[:-1], False)
    next_meeting = np.append(meeting[1:], NEVER)
    keep = first_kept | (next_same & (next_meeting >= _day(REVIEWS_FROM)))
    plan_index, meeting, phase = plan_index[keep], meeting[keep], phase[keep]
    m = plan_index.size

    # A phase-transfer review is held from September to January before the move the next September.
    transfer_year = _year_of(meeting) + ((meeting - _year_start(meeting)) > 180)
    # Per-year figures looked up by index (a loop over years, never over reviews).
    first_year = int(transfer_year.min()) if m else 2000
    years = np.arange(first_year, int(transfer_year.max()) + 1 if m else first_year + 1)
    index = transfer_year - first_year
    on_time_share = np.array([TRANSFER_ON_TIME.get(int(y), 0.8) for y in years])[index]
    august_31 = np.array([_day(date(int(y), 8, 31)) for y in years])[index]
    age = age_on(
        plans["start_day"][plan_index], plans["age_at_start"][plan_index].astype(np.int64), august_31
    )
    deadline = np.where(
        age == 16,
        np.array([_day(date(int(y), 3, 31)) for y in years])[index],
        np.array([_day(date(int(y), 2, 15)) for y in years])[index],
    )

    decision_late = rng.random(m) >= _interp_dates(meeting, DECISION_ON_TIME_SHARE)
    decision_day = meeting + np.where(
        decision_late, 29 + np.floor(rng.gamma(1.6, 18.0, m)), 5 + rng.integers(0, 24, m)
    ).astype(np.int64)
    plan_end = end[plan_index]
    ceasing = (plan_end - meeting < 120) & (plans["ceased_reason"][plan_index] >= 0) & ~phase
    amend = ~ceasing & (phase | (rng.random(m) < AMEND_SHARE))
    amended_late = rng.random(m) >= _interp_dates(meeting, AMENDED_ON_TIME_SHARE)
    amended_day = np.maximum(
        decision_day + 7,
        meeting
        + np.where(amended_late, 85 + np.floor(rng.gamma(1.5, 35.0, m)), 40 + rng.integers(0, 44, m)).astype(
            np.int64
        ),
    )
    # A phase transfer is named by the deadline or not, as the year's share says.
    named_on_time = rng.random(m) < on_time_share
    transfer_named = np.where(
        named_on_time,
        np.minimum(amended_day, deadline - rng.integers(0, 20, m)),
        np.maximum(amended_day, deadline + 1 + rng.integers(0, 70, m)),
    )
    amended_day = np.where(phase, np.maximum(transfer_named, meeting + 1), amended_day)
    decision_day = np.where(phase, np.minimum(decision_day, amended_day), decision_day)
    decision = np.where(ceasing, 2, np.where(amend, 1, 0)).astype(np.int8)
    pending = decision_day > as_of_day
    decision = np.where(pending, 3, decision).astype(np.int8)
    order = np.lexsort((plan_index, meeting))
    return {
        "review_number": np.arange(1, m + 1),
        "plan_number": plans["plan_number"][plan_index][order],
        "meeting_day": meeting[order],
        "decision": decision[order],
        "decision_day": np.where(pending, -1, decision_day)[order],
        "amended_day": np.where((decision == 1) & (amended_day <= as_of_day), amended_day, -1)[order],
        "phase_transfer": phase[order],
    }


def _year_start(days: np.ndarray) -> np.ndarray:
    return (
        np.asarray(days)
        .astype("datetime64[D]")
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


# ----------------------------------------------------------------------------------------------------
# Writing


def _write_requests(con: duckdb.DuckDBPyConnection, r: dict[str, np.ndarray], path: Path) -> int:
    width = max(7, len(str(r["request_number"].size)))
    child_width = max(7, len(str(int(r["child_number"].max()))))
    frame = pd.DataFrame(
        {
            "request_number": r["request_number"],
            "child_number": r["child_number"],
            "received_day": r["received_day"].astype(np.int32),
            "request_source": _categorical(r["request_source"], contract.REQUEST_SOURCES),
            "age_at_request": r["age_at_request"],
            "district": _categorical(r["district"], tuple(DISTRICT_POPULATION)),
            "primary_need": _categorical(r["primary_need"], contract.NEED_CODES),
            "decision": _categorical(r["decision"], contract.DECISIONS),
            "decision_day": r["decision_day"].astype(np.int32),
            "outcome": _categorical(r["outcome"], contract.OUTCOMES),
            "plan_issued_day": r["plan_issued_day"].astype(np.int32),
            "exception_20wk": r["exception_20wk"],
            "placement_type": _categorical(r["placement_type"], contract.PLACEMENT_TYPES),
            "appeal_lodged": r["appeal_lodged"],
        }
    )
    con.register("requests_frame", frame)
    # Widths and the output path are the generator's own numbers, not user input.
    sql = f"""
        copy (
            select
                'R' || lpad(request_number::varchar, {width}, '0') as request_id,
                'C' || lpad(child_number::varchar, {child_width}, '0') as child_id,
                date '1970-01-01' + received_day as received_date,
                request_source::varchar as request_source,
                age_at_request::integer as age_at_request,
                district::varchar as district,
                primary_need::varchar as primary_need,
                decision::varchar as decision,
                case when decision_day >= 0 then date '1970-01-01' + decision_day end as decision_date,
                outcome::varchar as outcome,
                case when plan_issued_day >= 0 then date '1970-01-01' + plan_issued_day end as plan_issued_date,
                exception_20wk,
                placement_type::varchar as placement_type,
                appeal_lodged
            from requests_frame
        ) to '{_sql_path(path)}' (header, delimiter ',')
    """  # noqa: S608 - the only interpolations are integers and our own output path
    con.execute(sql)
    con.unregister("requests_frame")
    return len(frame)


def _write_ep(con: duckdb.DuckDBPyConnection, e: dict[str, np.ndarray], path: Path) -> int:
    width = max(7, len(str(e["ep_number"].size)))
    request_width = max(7, len(str(int(e["request_number"].max()) if e["request_number"].size else 0)))
    frame = pd.DataFrame(
        {
            "ep_number": e["ep_number"],
            "request_number": e["request_number"],
            "requested_day": e["requested_day"].astype(np.int32),
            "completed_day": e["completed_day"].astype(np.int32),
            "status": _categorical(e["status"], contract.EP_STATUSES),
            "provider": _categorical(e["provider"], contract.EP_PROVIDERS),
            "district": _categorical(e["district"], tuple(DISTRICT_POPULATION)),
        }
    )
    con.register("ep_frame", frame)
    sql = f"""
        copy (
            select
                'EP' || lpad(ep_number::varchar, {width}, '0') as ep_request_id,
                'R' || lpad(request_number::varchar, {request_width}, '0') as request_id,
                date '1970-01-01' + requested_day as requested_date,
                case when completed_day >= 0 then date '1970-01-01' + completed_day end as completed_date,
                status::varchar as status,
                provider::varchar as provider,
                district::varchar as district
            from ep_frame
        ) to '{_sql_path(path)}' (header, delimiter ',')
    """  # noqa: S608 - the only interpolations are integers and our own output path
    con.execute(sql)
    con.unregister("ep_frame")
    return len(frame)


def _write_plans(
    con: duckdb.DuckDBPyConnection, p: dict[str, np.ndarray], requests: dict[str, np.ndarray], path: Path
) -> int:
    # The same spellings of child and request ids as ehcp_requests.csv (printf pads and never cuts).
    request_width = max(7, len(str(requests["request_number"].size)))
    child_width = max(7, len(str(int(requests["child_number"].max()))))
    plan_width = max(7, len(str(p["plan_number"].size)))
    frame = pd.DataFrame(
        {
            "plan_number": p["plan_number"],
            "child_number": p["child_number"],
            "request_number": p["request_number"],
            "start_day": p["start_day"].astype(np.int32),
            "district": _categorical(p["district"], tuple(DISTRICT_POPULATION)),
            "primary_need": _categorical(p["primary_need"], contract.NEED_CODES),
            "age_at_start": p["age_at_start"].astype(np.int64),
            "placement_type": _categorical(p["placement_type"], contract.PLACEMENT_TYPES),
            "ceased_day": p["ceased_day"].astype(np.int32),
            "ceased_reason": _categorical(p["ceased_reason"], contract.CEASED_REASONS),
        }
    )
    con.register("plans_frame", frame)
    sql = f"""
        copy (
            select
                printf('P%0{plan_width}d', plan_number) as plan_id,
                printf('C%0{child_width}d', child_number) as child_id,
                case when request_number > 0 then printf('R%0{request_width}d', request_number) end as request_id,
                date '1970-01-01' + start_day as start_date,
                district::varchar as district,
                primary_need::varchar as primary_need,
                age_at_start,
                placement_type::varchar as placement_type,
                case when ceased_day >= 0 then date '1970-01-01' + ceased_day end as ceased_date,
                ceased_reason::varchar as ceased_reason
            from plans_frame
        ) to '{_sql_path(path)}' (header, delimiter ',')
    """  # noqa: S608 - the only interpolations are integers and our own output path
    con.execute(sql)
    con.unregister("plans_frame")
    return len(frame)


def _write_reviews(
    con: duckdb.DuckDBPyConnection, r: dict[str, np.ndarray], plans: dict[str, np.ndarray], path: Path
) -> int:
    plan_width = max(7, len(str(plans["plan_number"].size)))
    width = max(7, len(str(r["review_number"].size)))
    frame = pd.DataFrame(
        {
            "review_number": r["review_number"],
            "plan_number": r["plan_number"],
            "meeting_day": r["meeting_day"].astype(np.int32),
            "decision": _categorical(r["decision"], contract.REVIEW_DECISIONS),
            "decision_day": r["decision_day"].astype(np.int32),
            "amended_day": r["amended_day"].astype(np.int32),
            "phase_transfer": r["phase_transfer"],
        }
    )
    con.register("reviews_frame", frame)
    sql = f"""
        copy (
            select
                printf('AR%0{width}d', review_number) as review_id,
                printf('P%0{plan_width}d', plan_number) as plan_id,
                date '1970-01-01' + meeting_day as review_meeting_date,
                decision::varchar as decision,
                case when decision_day >= 0 then date '1970-01-01' + decision_day end as decision_date,
                case when amended_day >= 0 then date '1970-01-01' + amended_day end as amended_plan_issued_date,
                phase_transfer
            from reviews_frame
        ) to '{_sql_path(path)}' (header, delimiter ',')
    """  # noqa: S608 - the only interpolations are integers and our own output path
    con.execute(sql)
    con.unregister("reviews_frame")
    return len(frame)


def _write_frame(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path, order_by: str | None = None
) -> int:
    con.register("out_frame", frame)
    columns = ", ".join(c for c in frame.columns if c != "budget_line_order")
    con.execute(
        f"copy (select {columns} from out_frame{f' order by {order_by}' if order_by else ''}) "
        f"to '{_sql_path(path)}' (header, delimiter ',')"
    )  # noqa: S608 - our own column names
    con.unregister("out_frame")
    return len(frame)


def _write_rows(path: Path, header: tuple[str, ...], rows: list[tuple]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _categorical(codes: np.ndarray, values: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(values))


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# ----------------------------------------------------------------------------------------------------
# Small helpers


def _day(d: date) -> int:
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def _year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _interp_dates(days: np.ndarray, knots: tuple[tuple[str, float], ...]) -> np.ndarray:
    x = np.array([_day(date.fromisoformat(d)) for d, _ in knots], dtype=float)
    return np.interp(np.asarray(days, dtype=float), x, np.array([v for _, v in knots], dtype=float))


def _back_to_friday(days: np.ndarray) -> np.ndarray:
    weekday = (days + 3) % 7
    return days - np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))


def _forward_to_monday(days: np.ndarray) -> np.ndarray:
    weekday = (days + 3) % 7
    return days + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))


def _normalised(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def main(argv: list[str] | None = None) -> int:
    """Command line: write the synthetic sample to --out."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.build.sample", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write the extracts to")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply request and EP volumes by this")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        dest="as_of",
        help="extract date, YYYY-MM-DD; nothing is dated after it",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.out, seed=args.seed, scale=args.scale, as_of=args.as_of)
    for name, rows in counts.items():
        print(f"{name}: {rows:,} rows")
    print(
        f"wrote {args.out} in {time.perf_counter() - started:.1f} s (seed {args.seed}, scale {args.scale:g}, "
        f"as of {args.as_of.isoformat()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
