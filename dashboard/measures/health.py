"""Health measures: the one definition of each figure the Health page, the Board and snapshots show (issue 17).

Definitions (docs/data-contract.md, "Measures"):
  * Health advice within six weeks: of advice from a health service (every service but social care) completed
    in a period, the share completed within 42 days of the request (day 42 within, day 43 late); by service
    and provider. Social care advice the same, on its own.
  * Open advice at a date and its age: requested by the date, not cancelled, not completed by it; bands of
    weeks since the request (OPEN_BANDS).
  * Which advice holds plans up: of the plans issued after 20 weeks each month, how many had late EP, late
    health and late social care advice; the bottleneck is the input late on the most of them.
  * Neurodevelopmental waits: the list is the sum of the five bands; share over 13 weeks (NICE QS51); referrals
    against assessments; months to clear = the latest list / the mean monthly completions over the latest
    three months with a row (None when that mean is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.contract import ADVICE_SERVICES, ND_PATHWAYS, ND_WAIT_BANDS, SOCIAL_CARE_SERVICE
from dashboard.dates import Window
from dashboard.filters import Filters
from dashboard.measures import SIX_WEEKS_DAYS, QueryRunner, Rate, shared

HEALTH, SOCIAL_CARE = "health", "social_care"
# Rates on fewer completions than this are not given for a service, a provider or a quarter.
MIN_DENOMINATOR = 10
OPEN_BANDS: tuple[tuple[int, str], ...] = (
    (1, "Up to 6 weeks"),
    (2, "6 to 12 weeks"),
    (3, "12 to 20 weeks"),
    (4, "Over 20 weeks"),
)
WAIT_BANDS: tuple[tuple[str, str], ...] = tuple(
    zip(
        ND_WAIT_BANDS,
        ("Up to 13 weeks", "13 to 26 weeks", "26 to 52 weeks", "52 to 104 weeks", "Over 104 weeks"),
        strict=True,
    )
)
STANDARD_WEEKS = 13  # NICE QS51: an autism diagnostic assessment starts within three months of referral
CLEAR_MONTHS = 3  # the completion rate for months to clear: the mean over the latest three months
INPUTS = (("ep", "EP advice"), ("health", "health advice"), ("social_care", "social care advice"))
assert SIX_WEEKS_DAYS == 42  # the queries count day 42 as within six weeks


def kind_of(service: str) -> str:
    """'social_care' for social care advice, else 'health'."""
    return SOCIAL_CARE if service == SOCIAL_CARE_SERVICE else HEALTH


def _params(filters: Filters, window: Window) -> dict[str, object]:
    return {**filters.scope_params(), "period_start": window.start, "period_end": window.end}


@shared
def completed(run: QueryRunner, filters: Filters, window: Window) -> pd.DataFrame:
    """Advice completed in the window by month, service and provider, with a `kind` column (health or
    social_care): completed and within_6_weeks."""
    frame = run("health_advice_completed", _params(filters, window)).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["kind"] = frame["service"].map(kind_of)
    return frame


def six_week_rate(frame: pd.DataFrame, kind: str = HEALTH) -> Rate:
    """Advice of a kind completed within six weeks, of all of that kind completed, in `frame` (from completed)."""
    rows = frame[frame["kind"] == kind]
    return Rate(int(rows["within_6_weeks"].sum()), int(rows["completed"].sum()))


def _with_rate(grouped: pd.DataFrame) -> pd.DataFrame:
    grouped["rate"] = (100.0 * grouped["within_6_weeks"] / grouped["completed"]).where(
        grouped["completed"] >= MIN_DENOMINATOR
    )
    return grouped


def by_service(frame: pd.DataFrame) -> pd.DataFrame:
    """Per service (in the contract's order, those with advice completed): completed, within 6 weeks, rate."""
    grouped = frame.groupby("service", as_index=False)[["completed", "within_6_weeks"]].sum()
    order = {s: i for i, s in enumerate(ADVICE_SERVICES)}
    grouped = grouped.sort_values("service", key=lambda s: s.map(order)).reset_index(drop=True)
    return _with_rate(grouped)


def by_provider(frame: pd.DataFrame) -> pd.DataFrame:
    """Per provider and kind: completed, within 6 weeks, rate (providers in code order)."""
    grouped = frame.groupby(["provider", "kind"], as_index=False)[["completed", "within_6_weeks"]].sum()
    return _with_rate(grouped.sort_values(["kind", "provider"]).reset_index(drop=True))


def by_quarter(frame: pd.DataFrame) -> pd.DataFrame:
    """Per quarter of completion and kind: completed, within 6 weeks, rate."""
    quarters = frame.assign(quarter=frame["month"].dt.to_period("Q").dt.start_time)
    grouped = quarters.groupby(["quarter", "kind"], as_index=False)[["completed", "within_6_weeks"]].sum()
    return _with_rate(grouped)


def open_advice(run: QueryRunner, filters: Filters, at: date) -> pd.DataFrame:
    """Advice open at `at` by service, provider and band (band_order, band), with `kind`."""
    frame = run("health_advice_open", {**filters.scope_params(), "at": at}).copy()
    frame["band"] = frame["band_order"].map(dict(OPEN_BANDS))
    frame["kind"] = frame["service"].map(kind_of)
    return frame


@dataclass(frozen=True)
class Bottleneck:
    """A month's late plans and the input late on most of them."""

    month: date
    issued_late: int
    late: dict[str, int]  # input -> late plans with that input late
    inputs: tuple[str, ...]  # the inputs late on the most late plans (ties together); () when none


@shared
def bottlenecks(run: QueryRunner, filters: Filters, window: Window) -> pd.DataFrame:
    """Plans issued by month, those issued after 20 weeks, and how many of those had each input late, with the
    month's bottleneck (`bottleneck`: the input codes late on the most late plans joined by ' and ', '' when
    none)."""
    frame = run("advice_bottleneck", _params(filters, window)).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    columns = [f"late_with_late_{code}" for code, _ in INPUTS]

    def pick(row: pd.Series) -> str:
        most = max(int(row[c]) for c in columns)
        if not most:
            return ""
        return " and ".join(code for code, _ in INPUTS if int(row[f"late_with_late_{code}"]) == most)

    frame["bottleneck"] = frame.apply(pick, axis=1) if len(frame) else pd.Series(dtype=str)
    return frame


# ---------------------------------------------------------------------------------------------------
# Neurodevelopmental waits


@shared
def waits(run: QueryRunner, window: Window) -> pd.DataFrame:
    """Each month's referrals, completions and list (by band and in all) by pathway and place, in the window."""
    frame = run("neurodevelopmental_waits", {"period_start": window.start, "period_end": window.end}).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def over_standard(frame: pd.DataFrame) -> pd.Series:
    """Those waiting over 13 weeks: the list less its first band."""
    return frame["waiting_list"] - frame["waiting_0_13"]


def share_over_standard(frame: pd.DataFrame) -> Rate:
    """Waiting over 13 weeks, of the whole list, summed over the rows of `frame` (one month's, say)."""
    return Rate(int(over_standard(frame).sum()), int(frame["waiting_list"].sum()))


def monthly_totals(frame: pd.DataFrame, pathway: str | None = None) -> pd.DataFrame:
    """Per month (all places, one pathway or all): referrals, completions, each band and the list."""
    rows = frame if pathway is None else frame[frame["pathway"] == pathway]
    columns = ["referrals_received", "assessments_completed", *ND_WAIT_BANDS, "waiting_list"]
    return rows.groupby("month", as_index=False)[columns].sum()


def months_to_clear(frame: pd.DataFrame) -> pd.DataFrame:
    """Per pathway and place at the latest month in `frame`: the list, the mean completions a month over the
    latest three months with a row, and the months to clear the list at that rate (None when it is 0)."""
    if frame.empty:
        return pd.DataFrame(
            columns=["pathway", "place", "waiting_list", "monthly_completions", "months_to_clear"]
        )
    latest = frame["month"].max()
    recent = frame[frame["month"] > latest - pd.DateOffset(months=CLEAR_MONTHS)]
    rate = recent.groupby(["pathway", "place"], as_index=False)["assessments_completed"].mean()
    now = frame[frame["month"] == latest][["pathway", "place", "waiting_list"]]
    result = now.merge(rate, on=["pathway", "place"], how="left").rename(
        columns={"assessments_completed": "monthly_completions"}
    )
    result["months_to_clear"] = (result["waiting_list"] / result["monthly_completions"]).where(
        result["monthly_completions"] > 0
    )
    order = {p: i for i, p in enumerate(ND_PATHWAYS)}
    return result.sort_values(
        ["pathway", "place"], key=lambda s: s.map(order) if s.name == "pathway" else s
    ).reset_index(drop=True)


def months_to_clear_all(frame: pd.DataFrame, pathway: str | None = None) -> float | None:
    """Months to clear the whole list (all places, one pathway or all) at the latest month."""
    totals = monthly_totals(frame, pathway)
    if totals.empty:
        return None
    latest = totals["month"].max()
    recent = totals[totals["month"] > latest - pd.DateOffset(months=CLEAR_MONTHS)]
    rate = recent["assessments_completed"].mean()
    listed = totals.loc[totals["month"] == latest, "waiting_list"].iloc[0]
    return float(listed / rate) if rate > 0 else None
