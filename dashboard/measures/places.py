"""Specialist places measures: the one definition of each places figure the dashboard shows.

Definitions:
  * Occupancy at a census: occupied places / commissioned places (data-contract.md). Spare places are
    commissioned minus occupied, so they are negative where settings are over-occupied. A setting is
    flagged over 100% when it has more children than commissioned places.
  * Places added since the baseline: commissioned places (all setting types) at a census, less those at
    the baseline census (the latest census on or before targets.csv `baseline_date`). The 200-place
    commitment is judged on the first census on or after the due date, because places are counted at
    censuses; before that, on places added plus places planned to open by the due date. It is for the
    whole partnership, so it ignores every filter. Places added differ from the pipeline's places opened:
    they count every commissioned place at a census (planned openings and growth with no recorded plan),
    at the census they are judged at, where places opened are planned places whose opening date has passed.
  * Demand for specialist places: new EHC plans (by issue date) naming a specialist placement,
    contract.SPECIALIST_PLACEMENT_TYPES. Plans have no SEN unit placement (SEN2 records SEN units and
    resourced provision as one type), so SEN units count as resourced provision on the supply side.
    Alternative provision is not a specialist placement in a plan and is left out of the comparison.
  * Demand against spare places: new plans naming a specialist placement in the 12 whole months ending
    with the census's month (as the monthly demand chart counts them), by primary need, against spare
    places at that census by designation (same need code), in the settings a plan can name (so not
    alternative provision, which the spare places by designation include). The gap
    is demand minus spare places: a rough measure (places also free up as children leave), for
    comparing needs with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import contract
from dashboard.dates import Window, last_day, trailing_months
from dashboard.filters import Filters
from dashboard.measures import QueryRunner, Rate, rag, shared

# Which placement named in a plan each kind of setting provides (alternative provision: none).
PLACEMENT_FOR_SETTING = {
    "special_maintained": "special_maintained",
    "special_academy": "special_academy",
    "resourced_provision": "resourced_provision",
    "sen_unit": "resourced_provision",
    "independent_special": "independent_special",
}
SPECIALIST_SETTING_TYPES = tuple(PLACEMENT_FOR_SETTING)
SPECIAL_SCHOOL_TYPES = ("special_maintained", "special_academy")
_EARLIEST, _LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _params(filters: Filters, setting_types: tuple[str, ...]) -> dict:
    return {
        "localities": list(filters.localities),
        "districts": list(filters.districts),
        "needs": list(filters.needs),
        "setting_types": list(setting_types),
    }


@shared
def census(
    run: QueryRunner,
    filters: Filters,
    setting_types: tuple[str, ...] = (),
    by: str = "all",
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Per census (in the filters' period unless `start`/`end` are given) and group: places and occupancy."""
    frame = run(
        "places_census",
        {
            **_params(filters, setting_types),
            "by": by,
            "period_start": start or filters.period_start,
            "period_end": end or filters.period_end,
        },
    ).copy()
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"])
    frame["occupancy_pct"] = (100.0 * frame["occupied"] / frame["commissioned"]).where(
        frame["commissioned"] > 0
    )
    return frame


@dataclass(frozen=True)
class Occupancy:
    """Commissioned and occupied places at one census."""

    census_date: date
    settings: int
    commissioned: int
    occupied: int
    settings_over_capacity: int

    @property
    def rate(self) -> Rate:
        """Occupied as a share of commissioned places (above 100% when over-occupied)."""
        return Rate(self.occupied, self.commissioned)

    @property
    def spare(self) -> int:
        """Commissioned minus occupied places (negative when over-occupied)."""
        return self.commissioned - self.occupied


def occupancy_in(frame: pd.DataFrame, census_date: date) -> Occupancy:
    """Places and occupancy at one census, read from a `census(...)` frame (no breakdown) that includes it."""
    rows = frame[frame["snapshot_date"].dt.date == census_date]
    if rows.empty:
        return Occupancy(census_date, 0, 0, 0, 0)
    row = rows.iloc[0]
    return Occupancy(
        census_date,
        int(row["settings"]),
        int(row["commissioned"]),
        int(row["occupied"]),
        int(row["settings_over_capacity"]),
    )


def occupancy(
    run: QueryRunner, filters: Filters, census_date: date, setting_types: tuple[str, ...] = ()
) -> Occupancy:
    """Places and occupancy at the census of `census_date`."""
    return occupancy_in(census(run, filters, setting_types, start=census_date, end=census_date), census_date)


def by_group(
    run: QueryRunner, filters: Filters, census_date: date, by: str, setting_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Places and occupancy at one census by setting type, designation, district or locality."""
    frame = census(run, filters, setting_types, by, start=census_date, end=census_date)
    return frame.sort_values(["commissioned", "breakdown"], ascending=[False, True], ignore_index=True)


def settings(
    run: QueryRunner, filters: Filters, census_date: date, setting_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Each setting's places, spare places and occupancy at the census of `census_date`."""
    return run("places_settings", {**_params(filters, setting_types), "census_date": census_date})


@shared
def independent_over_time(run: QueryRunner, filters: Filters, end: date | None = None) -> pd.DataFrame:
    """Per census in the period (to `end` if given): places in independent special schools and their share
    of all occupied places in specialist settings."""
    frame = census(run, filters, SPECIALIST_SETTING_TYPES, by="setting_type", end=end)
    totals = frame.groupby("snapshot_date")[["commissioned", "occupied"]].sum()
    independent = frame[frame["breakdown"] == "independent_special"].set_index("snapshot_date")
    independent = independent[["commissioned", "occupied"]].add_suffix("_independent")
    result = totals.join(independent).fillna(0)
    result = result.reset_index()
    for column in ("commissioned_independent", "occupied_independent"):
        result[column] = result[column].astype(int)
    result["independent_share"] = (100.0 * result["occupied_independent"] / result["occupied"]).where(
        result["occupied"] > 0
    )
    return result


# ---------------------------------------------------------------------------------------------------
# The pipeline and the commitments


@shared
def pipeline(
    run: QueryRunner, filters: Filters, at: date, setting_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Places planned at each setting, by opening date, as last recorded at a census up to `at`."""
    frame = run("places_pipeline", {**_params(filters, setting_types), "at": at}).copy()
    frame["new_setting"] = frame["commissioned_when_recorded"] == 0
    frame["opened"] = pd.to_datetime(frame["planned_open_date"]).dt.date <= at
    return frame


@dataclass(frozen=True)
class PlacesCommitment:
    """Places added since the baseline census against the commitment, as at a date."""

    target: rag.Target
    at: date
    baseline_census: date
    baseline_places: int
    progress: pd.DataFrame  # snapshot_date, commissioned, added (censuses from the baseline to `at`)
    planned: pd.DataFrame  # snapshot_date (an opening date), planned: places planned since the baseline
    judged_census: date | None  # the first census on or after the due date, once there is one
    added: int  # places added at the judged census, or at the latest census before it
    planned_by_due: int  # places planned to open by the due date, not yet counted at a census
    judgement: rag.Judgement

    @property
    def latest_added(self) -> int:
        """Places added by the latest census up to `at`."""
        return int(self.progress["added"].iloc[-1])

    @property
    def latest_census(self) -> date:
        """The latest census up to `at`."""
        return self.progress["snapshot_date"].iloc[-1].date()

    @property
    def counted_census(self) -> date:
        """The census `added` is counted at: the judged census once there is one, else the latest."""
        return self.judged_census or self.latest_census

    @property
    def planned_opened(self) -> int:
        """Planned places whose opening date falls after the baseline census and by `counted_census`."""
        opened = self.planned[self.planned["snapshot_date"].dt.date <= self.counted_census]
        return int(opened["planned"].iloc[-1])

    @property
    def unplanned(self) -> int:
        """Places added by `counted_census` beyond the planned openings (growth with no recorded plan)."""
        return self.added - self.planned_opened


PLACES_TARGETS = ("new_special_school", "specialist_occupancy_pct", "specialist_places_added")


def places_targets(run: QueryRunner) -> dict[str, rag.Target]:
    """The specialist places targets in reference/targets.csv, by metric."""
    return {metric: target for metric, target in rag.targets(run).items() if metric in PLACES_TARGETS}


@shared
def commitment(run: QueryRunner, at: date) -> PlacesCommitment | None:
    """Commissioned places added since the baseline census, judged against the additional places target.

    None when targets.csv has no such target or there is no census on or before its baseline date and `at`.
    """
    target = places_targets(run).get("specialist_places_added")
    if target is None or target.baseline_date is None or target.due_date is None:
        return None
    everything = Filters(_EARLIEST, _LATEST)
    totals = census(run, everything)  # every census, so the result is cached whatever `at` is
    totals = totals[totals["snapshot_date"].dt.date <= at]
    before = totals[totals["snapshot_date"].dt.date <= target.baseline_date]
    if before.empty:
        return None
    baseline = before.iloc[-1]
    progress = totals[totals["snapshot_date"] >= baseline["snapshot_date"]][
        ["snapshot_date", "commissioned"]
    ].copy()
    progress["added"] = progress["commissioned"] - int(baseline["commissioned"])
    after_due = progress[progress["snapshot_date"].dt.date >= target.due_date]
    judged = after_due.iloc[0] if len(after_due) else None
    latest = progress.iloc[-1]
    planned = pipeline(run, everything, at)
    not_yet_counted = planned[
        (pd.to_datetime(planned["planned_open_date"]) > latest["snapshot_date"])
        & (pd.to_datetime(planned["planned_open_date"]).dt.date <= target.due_date)
        & (pd.to_datetime(planned["last_recorded"]) == latest["snapshot_date"])
    ]
    planned_by_due = int(not_yet_counted["planned_places"].sum())
    opening = pd.to_datetime(planned["planned_open_date"])
    steps = planned[opening > baseline["snapshot_date"]].groupby("planned_open_date")["planned_places"].sum()
    steps = pd.DataFrame(
        {
            "snapshot_date": pd.to_datetime([baseline["snapshot_date"], *steps.index]),
            "planned": [0, *steps.cumsum()],
        }
    )
    if judged is not None:
        added = int(judged["added"])
        judgement = rag.judge(added, target.target, polarity=target.polarity, due_passed=True)
    else:
        added = int(latest["added"])
        judgement = rag.judge(added + planned_by_due, target.target, polarity=target.polarity)
    return PlacesCommitment(
        target,
        at,
        baseline["snapshot_date"].date(),
        int(baseline["commissioned"]),
        progress.reset_index(drop=True),
        steps,
        None if judged is None else judged["snapshot_date"].date(),
        added,
        planned_by_due,
        judgement,
    )


@dataclass(frozen=True)
class NewSchool:
    """A new special school in the pipeline: a maintained special school or special academy with no
    commissioned places when its planned places were recorded. It counts as open once its planned
    opening date has passed."""

    name: str
    places: int
    opens: date
    designation: str
    judgement: rag.Judgement


@shared
def new_school(run: QueryRunner, at: date) -> NewSchool | None:
    """The new special school commitment: the first new setting planned, judged against its due date."""
    target = places_targets(run).get("new_special_school")
    if target is None or target.due_date is None:
        return None
    planned = pipeline(run, Filters(_EARLIEST, _LATEST), at)
    schools = planned["new_setting"] & planned["setting_type"].isin(SPECIAL_SCHOOL_TYPES)
    new = planned[schools].sort_values("last_recorded").drop_duplicates("setting_id", keep="last")
    new = new.sort_values("planned_open_date")
    if new.empty:
        judgement = rag.judge_milestone(done=False, planned=None, due=target.due_date, at=at)
        return NewSchool("none planned", 0, target.due_date, "", judgement)
    row = new.iloc[0]
    opens = pd.Timestamp(row["planned_open_date"]).date()
    judgement = rag.judge_milestone(done=opens <= at, planned=opens, due=target.due_date, at=at)
    return NewSchool(
        str(row["setting_name"]), int(row["planned_places"]), opens, str(row["designation"]), judgement
    )


def occupancy_judgement(run: QueryRunner, value: Rate) -> rag.Judgement | None:
    """Occupancy judged against the planning level in targets.csv (specialist_occupancy_pct)."""
    target = places_targets(run).get("specialist_occupancy_pct")
    if target is None or value.percent is None:
        return None
    return rag.judge(value.percent, target.target, polarity=target.polarity, unit="percent")


# ---------------------------------------------------------------------------------------------------
# Demand for specialist places


def placement_types_for(setting_types: tuple[str, ...]) -> tuple[str, ...]:
    """The placements named in plans that the chosen kinds of setting provide (all specialist ones if none)."""
    chosen = setting_types or SPECIALIST_SETTING_TYPES
    return tuple(dict.fromkeys(PLACEMENT_FOR_SETTING[t] for t in chosen if t in PLACEMENT_FOR_SETTING))


@shared
def demand_monthly(
    run: QueryRunner, filters: Filters, window: Window, setting_types: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Per month and primary need: new plans naming a specialist placement (months with none are absent)."""
    placements = placement_types_for(setting_types)
    frame = run(
        "specialist_demand_monthly",
        {
            **filters.scope_params(),
            "start": window.start,
            "end": window.end,
            "placement_types": list(placements) or [""],
        },
    ).copy()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def demand_by_need(frame: pd.DataFrame, window: Window, top: int = 5) -> tuple[pd.DataFrame, list[str]]:
    """`demand_monthly(...)` as one column per need (the `top` largest in the window, then 'other'), every month.

    Returns the wide frame (month, then a column per need code and 'other') and the needs shown.
    """
    inside = frame[(frame["month"].dt.date >= window.start) & (frame["month"].dt.date <= window.end)]
    totals = inside.groupby("primary_need")["plans"].sum().sort_values(ascending=False, kind="stable")
    shown = list(totals.index[:top])
    grouped = inside.assign(need=inside["primary_need"].where(inside["primary_need"].isin(shown), "other"))
    grouped = grouped.groupby(["month", "need"], as_index=False)["plans"].sum()
    months = pd.date_range(
        pd.Timestamp(window.start.replace(day=1)), pd.Timestamp(window.end), freq="MS", name="month"
    )
    wide = (
        grouped.pivot(index="month", columns="need", values="plans")
        .reindex(index=months, columns=[*shown, "other"])
        .fillna(0)
        .astype(int)
    )
    wide.columns.name = None
    return wide.reset_index(), shown


def demand_window(census_date: date, at: date | None = None) -> Window:
    """The 12 whole months, ending with the census's month, whose new plans are set against its spare places.

    Whole months, as the monthly demand chart counts them; the census's month is cut at `at` when that
    comes first.
    """
    end = last_day(census_date)
    return trailing_months(end if at is None else min(end, at), 12)


@shared
def demand_vs_spare(
    run: QueryRunner,
    filters: Filters,
    census_date: date,
    setting_types: tuple[str, ...] = (),
    at: date | None = None,
) -> pd.DataFrame:
    """By need: new plans naming a specialist placement in `demand_window`, against spare places at the census.

    Spare places here are in the settings a plan can name (alternative provision is left out).
    """
    window = demand_window(census_date, at)
    chosen = tuple(t for t in (setting_types or SPECIALIST_SETTING_TYPES) if t in PLACEMENT_FOR_SETTING)
    demand = demand_monthly(run, filters, window, chosen).groupby("primary_need")["plans"].sum()
    supply = census(run, filters, chosen or ("",), "designation", start=census_date, end=census_date)
    supply = supply.set_index("breakdown")[["commissioned", "occupied", "spare"]]
    frame = supply.join(demand.rename("new_specialist_plans"), how="outer").fillna(0).astype(int)
    frame["gap"] = frame["new_specialist_plans"] - frame["spare"]
    frame.index.name = "need"
    frame = frame.reset_index()
    order = {code: index for index, code in enumerate((*contract.DESIGNATIONS, "not_recorded"))}
    frame["_order"] = frame["need"].map(lambda code: order.get(code, len(order)))
    return frame.sort_values(["gap", "_order"], ascending=[False, True], ignore_index=True).drop(
        columns="_order"
    )
