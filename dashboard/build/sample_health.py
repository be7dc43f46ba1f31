"""Synthetic health extracts for the sample: advice for EHC needs assessments from health and social care, and
neurodevelopmental (autism and ADHD) assessment waits by ICB place (issue 17).

Drawn from a random stream of their own, after the four original extracts, so those stay byte-for-byte what
they were. Advice is requested alongside each assessment's EP advice, from the usual mix of services; how
long it takes follows a story: poorer than EP's through 2024-25, improving unevenly by service (speech and
language therapy recovers, CAMHS does not), and an issued plan never waits on advice it already had (advice
is received by the plan's issue). Neurodevelopmental lists are a monthly queue per pathway and place whose
referrals grow faster than assessments, so the oldest waits pass two years. Provider names are invented;
the places are the ICB's sub-ICB locations covering Lancashire. None of it describes real services.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import contract

EPOCH = np.datetime64("1970-01-01", "D")

# fmt: off
# Providers (reference/health_providers.csv): code, name, kind. Invented names, one per kind of service.
PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("community_trust", "Community and mental health trust", "nhs_trust"),
    ("acute_central", "Central Lancashire acute trust", "nhs_trust"),
    ("acute_east", "East Lancashire acute trust", "nhs_trust"),
    ("acute_north", "Morecambe Bay acute trust", "nhs_trust"),
    ("acute_fylde", "Fylde coast acute trust", "nhs_trust"),
    ("school_nursing", "School nursing service (commissioned by the council)", "council_commissioned"),
    ("icb_dco", "ICB designated clinical officer", "icb"),
    ("lcc_social_care", "Children's social care (county council)", "council"),
)
# ICB places (reference/icb_places.csv): the sub-ICB locations of NHS Lancashire and South Cumbria ICB that
# cover Lancashire's districts, with the ODS code NHS England publishes autism waiting times under.
PLACES: dict[str, tuple[str, str]] = {
    "Chorley": ("chorley_and_south_ribble", "00X"), "South Ribble": ("chorley_and_south_ribble", "00X"),
    "Burnley": ("east_lancashire", "01A"), "Hyndburn": ("east_lancashire", "01A"),
    "Pendle": ("east_lancashire", "01A"), "Ribble Valley": ("east_lancashire", "01A"),
    "Rossendale": ("east_lancashire", "01A"), "Preston": ("greater_preston", "01E"),
    "Lancaster": ("morecambe_bay", "01K"), "West Lancashire": ("west_lancashire", "02G"),
    "Fylde": ("fylde_and_wyre", "02M"), "Wyre": ("fylde_and_wyre", "02M"),
}
# Chance an assessment asks each service for advice (most ask several).
SERVICE_SHARE: dict[str, float] = {
    "community_paediatrics": 0.72, "speech_and_language": 0.55, "occupational_therapy": 0.30,
    "physiotherapy": 0.10, "camhs": 0.18, "school_nursing": 0.35, "designated_clinical_officer": 0.06,
    "social_care": 0.55, "other_health": 0.08,
}
# Share of each service's advice received within six weeks, by date requested (linear in between): health
# below EP through 2024-25 and recovering unevenly in 2025-26.
ON_TIME: dict[str, tuple[tuple[str, float], ...]] = {
    "community_paediatrics": (("2019-01-01", 0.72), ("2023-06-01", 0.48), ("2024-12-01", 0.36),
                              ("2025-09-01", 0.52), ("2026-10-31", 0.68)),
    "speech_and_language": (("2019-01-01", 0.75), ("2023-06-01", 0.52), ("2024-09-01", 0.44),
                            ("2025-06-01", 0.70), ("2026-10-31", 0.86)),
    "occupational_therapy": (("2019-01-01", 0.68), ("2024-06-01", 0.40), ("2026-10-31", 0.50)),
    "physiotherapy": (("2019-01-01", 0.80), ("2024-06-01", 0.66), ("2026-10-31", 0.80)),
    "camhs": (("2019-01-01", 0.55), ("2024-06-01", 0.34), ("2026-10-31", 0.30)),
    "school_nursing": (("2019-01-01", 0.80), ("2024-06-01", 0.60), ("2026-10-31", 0.78)),
    "designated_clinical_officer": (("2019-01-01", 0.85), ("2026-10-31", 0.85)),
    "social_care": (("2019-01-01", 0.70), ("2024-06-01", 0.52), ("2025-09-01", 0.62), ("2026-10-31", 0.74)),
    "other_health": (("2019-01-01", 0.70), ("2024-06-01", 0.50), ("2026-10-31", 0.62)),
}
# Neurodevelopmental referrals and assessments a month for all of Lancashire at scale 1, by date (linear in
# between): referrals outgrow assessments on every pathway.
ND_REFERRALS: dict[str, tuple[tuple[str, float], ...]] = {
    "autism_under_5": (("2019-01-01", 28), ("2022-01-01", 40), ("2026-10-31", 62)),
    "autism_5_to_18": (("2019-01-01", 120), ("2022-01-01", 175), ("2026-10-31", 250)),
    "adhd": (("2019-01-01", 110), ("2022-01-01", 190), ("2026-10-31", 320)),
}
ND_ASSESSMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "autism_under_5": (("2019-01-01", 28), ("2022-01-01", 33), ("2026-10-31", 44)),
    "autism_5_to_18": (("2019-01-01", 115), ("2022-01-01", 130), ("2026-10-31", 170)),
    "adhd": (("2019-01-01", 100), ("2022-01-01", 120), ("2026-10-31", 150)),
}
ND_FIRST_MONTH = date(2019, 1, 1)
# Share of each month's assessments taken out of turn (urgent cases), from the newest referrals; the rest go
# to the longest waiting.
ND_OUT_OF_TURN = 0.25
# fmt: on


def write(
    out_dir: Path,
    seed: int,
    scale: float,
    as_of: date,
    requests: dict[str, np.ndarray],
    ep: dict[str, np.ndarray],
    district_population: dict[str, int],
) -> dict[str, int]:
    """Write advice_requests.csv, neurodevelopmental_waits.csv and their two reference files; return row counts."""
    # A stream of its own (the fourth child of the seed), so the first three extracts' draws are unchanged.
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(4)[3])
    counts = {
        "advice_requests.csv": _write_advice(out_dir, rng, as_of, requests, ep),
        "neurodevelopmental_waits.csv": _write_waits(out_dir, rng, scale, as_of, district_population),
    }
    reference = out_dir / "reference"
    counts["reference/health_providers.csv"] = _write_rows(
        reference / "health_providers.csv", contract.HEALTH_PROVIDERS.columns, PROVIDERS
    )
    counts["reference/icb_places.csv"] = _write_rows(
        reference / "icb_places.csv",
        contract.ICB_PLACES.columns,
        [(d, *PLACES[d]) for d in sorted(district_population)],
    )
    return counts


def _day(d: date) -> int:
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def _interp(days: np.ndarray, knots: tuple[tuple[str, float], ...]) -> np.ndarray:
    x = np.array([_day(date.fromisoformat(d)) for d, _ in knots], dtype=float)
    return np.interp(np.asarray(days, dtype=float), x, np.array([v for _, v in knots], dtype=float))


def _iso(day: int) -> str:
    return str(EPOCH + np.timedelta64(int(day), "D"))


# ----------------------------------------------------------------------------------------------------
# Advice requests


def _provider(service: str, district: str) -> str:
    place = PLACES[district][0]
    if service == "social_care":
        return "lcc_social_care"
    if service == "school_nursing":
        return "school_nursing"
    if service == "designated_clinical_officer":
        return "icb_dco"
    if service in ("community_paediatrics", "physiotherapy"):
        return {
            "east_lancashire": "acute_east",
            "morecambe_bay": "acute_north",
            "fylde_and_wyre": "acute_fylde",
        }.get(place, "acute_central")
    if service == "occupational_therapy" and place == "east_lancashire":
        return "acute_east"
    return "community_trust"


def _write_advice(
    out_dir: Path,
    rng: np.random.Generator,
    as_of: date,
    requests: dict[str, np.ndarray],
    ep: dict[str, np.ndarray],
) -> int:
    as_of_day = _day(as_of)
    districts = list(_districts_in_order())
    request_index = ep["request_number"] - 1
    plan_day = requests["plan_issued_day"][request_index]
    received = requests["received_day"][request_index]
    district = requests["district"][request_index]
    services = contract.ADVICE_SERVICES
    asked = np.column_stack([rng.random(ep["ep_number"].size) < SERVICE_SHARE[s] for s in services])
    # Most assessments ask at least one health service: one with none asks community paediatrics.
    asked[:, 0] |= ~asked[:, [i for i, s in enumerate(services) if s != "social_care"]].any(axis=1) & (
        rng.random(ep["ep_number"].size) < 0.85
    )
    requested = np.minimum(ep["requested_day"][:, None] + rng.integers(0, 4, asked.shape), as_of_day)
    late_plan = (plan_day >= 0) & (plan_day - received > 140)
    on_time_draw = rng.random(asked.shape)
    quick = 10 + np.floor(rng.random(asked.shape) * 33)  # 10 to 42 days
    slow = 43 + np.floor(rng.gamma(1.7, 16.0, asked.shape))  # 43 days and more
    parts = []
    for j, service in enumerate(services):
        chance = _interp(requested[:, j], ON_TIME[service]) * np.where(late_plan, 0.8, 1.08)
        took = np.where(on_time_draw[:, j] < chance, quick[:, j], slow[:, j])
        done = requested[:, j] + took
        # An issued plan had its advice by the day before issue (never before the advice was asked for).
        done = np.where(plan_day >= 0, np.maximum(requested[:, j] + 1, np.minimum(done, plan_day - 1)), done)
        i = np.flatnonzero(asked[:, j])
        cancelled = (ep["status"][i] == 2) & (plan_day[i] < 0)
        completed = ~cancelled & (done[i] <= as_of_day)
        providers = [_provider(service, d) for d in districts]
        parts.append(
            pd.DataFrame(
                {
                    "day": requested[i, j].astype(np.int64),
                    "request": ep["request_number"][i].astype(np.int64),
                    "service_order": j,
                    "service": service,
                    "done": np.where(completed, done[i], -1).astype(np.int64),
                    "status": np.where(cancelled, "cancelled", np.where(completed, "completed", "open")),
                    "provider": np.array(providers)[district[i]],
                }
            )
        )
    frame = pd.concat(parts).sort_values(["day", "request", "service_order"], kind="stable")
    width = max(7, len(str(len(frame))))
    request_width = max(7, len(str(int(requests["request_number"].size))))
    numbers = np.arange(1, len(frame) + 1)
    out = pd.DataFrame(
        {
            "advice_request_id": [f"HA{n:0{width}d}" for n in numbers],
            "request_id": [f"R{r:0{request_width}d}" for r in frame["request"]],
            "service": frame["service"].to_numpy(),
            "requested_date": (EPOCH + frame["day"].to_numpy().astype("timedelta64[D]")).astype(str),
            "completed_date": np.where(
                frame["done"] >= 0,
                (EPOCH + np.maximum(frame["done"].to_numpy(), 0).astype("timedelta64[D]")).astype(str),
                "",
            ),
            "status": frame["status"].to_numpy(),
            "provider": frame["provider"].to_numpy(),
        }
    )
    out.to_csv(out_dir / "advice_requests.csv", index=False, lineterminator="\n")
    return len(out)


def _districts_in_order() -> tuple[str, ...]:
    from dashboard.build.sample import DISTRICT_POPULATION

    return tuple(DISTRICT_POPULATION)


# ----------------------------------------------------------------------------------------------------
# Neurodevelopmental waits


def _months(as_of: date) -> list[date]:
    months, month = [], ND_FIRST_MONTH
    while month <= as_of.replace(day=1):
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _write_waits(
    out_dir: Path, rng: np.random.Generator, scale: float, as_of: date, district_population: dict[str, int]
) -> int:
    months = _months(as_of)
    place_weight: dict[str, float] = {}
    for district, population in district_population.items():
        place = PLACES[district][0]
        place_weight[place] = place_weight.get(place, 0.0) + population
    total = sum(place_weight.values())
    # Waits differ by place: East Lancashire has fewer clinicians for its referrals.
    capacity_factor = {"east_lancashire": 0.82, "morecambe_bay": 1.05, "greater_preston": 0.95}
    rows: list[tuple] = []
    month_days = np.array([_day(m) for m in months], dtype=float)
    for pathway in contract.ND_PATHWAYS:
        referral_rate = _interp(month_days, ND_REFERRALS[pathway])
        assessment_rate = _interp(month_days, ND_ASSESSMENTS[pathway])
        for place in sorted(place_weight):
            share = place_weight[place] / total * scale
            # Cohorts by referral month (index into months); a starting list of eight months' referrals.
            cohorts = np.zeros(len(months) + 8, dtype=np.int64)
            cohorts[:8] = rng.poisson(referral_rate[0] * share * 0.9, 8)
            for t, month in enumerate(months):
                now = t + 8
                referrals = int(rng.poisson(referral_rate[t] * share))
                cohorts[now] = referrals
                capacity = int(rng.poisson(assessment_rate[t] * share * capacity_factor.get(place, 1.0)))
                done = 0
                out_of_turn = int(round(capacity * ND_OUT_OF_TURN))
                for k in range(now, -1, -1):  # urgent cases from the newest
                    take = min(cohorts[k], out_of_turn - done)
                    cohorts[k] -= take
                    done += take
                    if done >= out_of_turn:
                        break
                for k in range(now + 1):  # the rest to the longest waiting
                    take = min(cohorts[k], capacity - done)
                    cohorts[k] -= take
                    done += take
                    if done >= capacity:
                        break
                # Weeks waited at month end by a referral made mid-month k months before.
                weeks = (np.arange(now, -1, -1) + 0.5) * 30.44 / 7
                bands = (
                    cohorts[: now + 1][weeks <= 13].sum(),
                    cohorts[: now + 1][(weeks > 13) & (weeks <= 26)].sum(),
                    cohorts[: now + 1][(weeks > 26) & (weeks <= 52)].sum(),
                    cohorts[: now + 1][(weeks > 52) & (weeks <= 104)].sum(),
                    cohorts[: now + 1][weeks > 104].sum(),
                )
                listed = [int(b) for b in bands]
                rows.append((month.isoformat(), pathway, place, referrals, done, *listed, sum(listed)))
    rows.sort(key=lambda r: (r[0], contract.ND_PATHWAYS.index(r[1]), r[2]))
    header = tuple(c.name for c in contract.ND_WAITS.columns)
    return _write_rows(out_dir / "neurodevelopmental_waits.csv", header, rows)


def _write_rows(path: Path, header: tuple[str, ...], rows) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)
