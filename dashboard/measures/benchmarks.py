"""Benchmarks on the published data: each measure's definition, direction of good, rank, quartile and comparators.

Pure functions over the frames the benchmark_* queries return, so the page, its tests and any
export compute a rank or a neighbour average the same way; `compare` reads one choice's frames once
through those named queries. Words for users (titles, tiles, tables) are built in dashboard.views.benchmarks.

Ranks: among every local authority with a published figure for the measure and period, 1 is the
best when the measure has a direction of good (highest first for higher_is_better, lowest first for
lower_is_better). For a neutral measure (more requests or more plans is neither good nor bad in
itself) rank 1 is simply the highest value, and the page says so. Ties share the better rank
(1, 2, 2, 4), as DfE's LA Interactive Tool does. The quartile band splits the ranking into four:
band 1 holds ranks up to a quarter of the authorities ranked, and so on (A to D when there is a
direction of good, A the best).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import pandas as pd

from dashboard.measures import QueryRunner

Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]
Unit = Literal["count", "percent", "gbp", "gbp_per_week", "weeks"]

DEFAULT_AUTHORITY = "E10000017"  # Lancashire
DEFAULT_MEASURE = "twenty_week_rate_excl"
SN_MODELS = {"2025-05": "May 2025 model", "2021-04": "April 2021 model"}
DEFAULT_SN_MODEL = "2025-05"

SEN2_BREAK = 2023
SEN2_BREAK_NOTE = (
    "From 2023 the SEN2 return is collected child by child (person-level); earlier years are "
    "aggregate returns from each authority, so figures either side of the line are not strictly "
    "comparable."
)
EHCP_2025 = "Education, health and care plans 2025 (DfE, 26 June 2025)"
EHCP_2023 = "Education, health and care plans 2023 (DfE, June 2023), file sen2_mi"
EHCP_2022 = "Education, health and care plans 2022 (DfE), file sen2_estab_caseload"
LAIT = "DfE LA Interactive Tool (LAIT)"


@dataclass(frozen=True)
class Measure:
    """One published measure as the Benchmarks page shows it."""

    key: str
    label: str
    short: str
    unit: Unit
    polarity: Polarity
    period_type: str
    source: str
    notes: str
    series_break: int | None = SEN2_BREAK
    # The DfE release that first publishes the measure, for one that earlier releases do not have: the page
    # names it when the releases loaded do not include the measure yet.
    added_in: str | None = None

    @property
    def has_direction(self) -> bool:
        return self.polarity != "neutral"

    @property
    def is_total(self) -> bool:
        """True for counts and £ totals, which grow with an authority's size (so England dwarfs any authority)."""
        return self.unit in ("count", "gbp")

    def rank_rule(self) -> str:
        """How rank 1 is decided for this measure, in words."""
        if self.polarity == "higher_is_better":
            return "Rank 1 is the highest value, which is best for this measure."
        if self.polarity == "lower_is_better":
            return "Rank 1 is the lowest value, which is best for this measure."
        return (
            "This measure has no direction of good (a higher value is neither better nor worse), so rank 1 "
            "is simply the highest value."
        )


_TIMELINESS_NOTE = (
    "Share of new EHC plans issued within the statutory 20 weeks of the request, by the calendar "
    "year the plan was issued. 2014 to 2018 come from the 2023 release's sen2_mi file; 2019 "
    "onwards from the yearly releases, the newest preferred where two publish a year. Lancashire's "
    "2022 figure (98.6%) is thought to be a data-quality artefact of the last aggregate return."
)


def _need(code: str, name: str) -> Measure:
    return Measure(
        f"need_{code}_pct",
        f"Primary need: {name} (% of EHC plans)",
        f"{name} (% of plans)",
        "percent",
        "neutral",
        "January census",
        f"{EHCP_2025}, sen_needs_all_plans",
        f"Share of all active EHC plans at the January census whose primary need is {name}. Published by "
        "authority for the latest January only.",
    )


MEAN_WEEKS_RELEASE = "Education, health and care plans 2026 (DfE)"


def _mean_weeks(key: str, words: str, short: str, column: str, which: str) -> Measure:
    """The mean weeks from request to plan issued, which DfE publishes from its 2026 release."""
    return Measure(
        key,
        f"Mean weeks to issue a plan, {words}",
        f"Mean weeks to issue a plan ({short})",
        "weeks",
        "lower_is_better",
        "calendar year",
        f"{MEAN_WEEKS_RELEASE}, timeliness_20_week ({column})",
        "The mean time, in weeks, from the request for an EHC needs assessment to the new EHC plan being issued, "
        f"over the plans issued in the calendar year. {which} Fewer weeks is better; the statutory limit is 20 "
        "weeks. Published from the 2026 release; earlier releases give only the share issued within 20 weeks.",
        added_in=MEAN_WEEKS_RELEASE,
    )


MEASURES: dict[str, Measure] = {
    m.key: m
    for m in (
        Measure(
            "ehc_plans",
            "Active EHC plans at January",
            "Active EHC plans",
            "count",
            "neutral",
            "January census",
            f"{EHCP_2025}, caseload; January 2015 to 2018 from {EHCP_2022}",
            "Children and young people with an EHC plan at the January census. January 2015 to 2018 count "
            "statements of SEN too (the transfer to EHC plans ended in 2018). A count grows with the "
            "authority's size, so compare it with the rate per pupil.",
        ),
        Measure(
            "ehc_plans_pct_pupils",
            "Pupils with an EHC plan (% of all pupils)",
            "Pupils with an EHC plan",
            "percent",
            "neutral",
            "January school census",
            f"{LAIT}: SEN_TotStat ('Special educational needs in England', school census)",
            "Pupils with an EHC plan or statement as a share of all pupils in the authority's schools, January "
            "school census. The school census counts pupils in schools, not all plans (SEN2).",
            series_break=None,
        ),
        Measure(
            "sen_support_pct_pupils",
            "Pupils on SEN support (% of all pupils)",
            "Pupils on SEN support",
            "percent",
            "neutral",
            "January school census",
            f"{LAIT}: SEN_TotSENSuP (school census)",
            "Pupils with special educational needs but no EHC plan, as a share of all pupils, January school "
            "census.",
            series_break=None,
        ),
        Measure(
            "requests_received",
            "Requests for an EHC needs assessment",
            "Requests received",
            "count",
            "neutral",
            "calendar year",
            f"{EHCP_2025}, requests; 2014 to 2018 from {EHCP_2023}",
            "Initial requests for an EHC needs assessment received in the calendar year. A count grows with the "
            "authority's size.",
        ),
        Measure(
            "requests_agreed_pct",
            "Requests agreed for assessment (%)",
            "Requests agreed for assessment",
            "percent",
            "neutral",
            "calendar year",
            f"{EHCP_2025}, requests",
            "Of requests received in the year, the share the authority decided to assess. Collected from 2023, "
            "when SEN2 became person-level; not available for earlier years.",
        ),
        Measure(
            "requests_refused_pct",
            "Requests refused (% decided not to assess)",
            "Requests refused",
            "percent",
            "neutral",
            "calendar year",
            f"{EHCP_2025}, requests; 2014 to 2022 from {EHCP_2023}",
            "Of requests received in the year, the share the authority decided not to assess. The yearly "
            "releases publish this share from 2023, so 2014 to 2022 come from sen2_mi. Lancashire reported 0 "
            "refusals in 2022, thought to be a data-quality artefact.",
        ),
        Measure(
            "new_plans",
            "New EHC plans issued",
            "New EHC plans",
            "count",
            "neutral",
            "calendar year",
            f"{EHCP_2025}, newplans; 2014 to 2018 from {EHCP_2023}",
            "EHC plans issued for the first time in the calendar year. A count grows with the authority's size.",
        ),
        Measure(
            "twenty_week_rate_incl",
            "Plans issued within 20 weeks, including exceptions (%)",
            "Within 20 weeks (incl. exceptions)",
            "percent",
            "higher_is_better",
            "calendar year",
            f"{EHCP_2025}, timeliness_20_week; 2014 to 2018 from {EHCP_2023}",
            _TIMELINESS_NOTE + " Including exceptions counts every plan issued.",
        ),
        Measure(
            "twenty_week_rate_excl",
            "Plans issued within 20 weeks, excluding exceptions (%)",
            "Within 20 weeks (excl. exceptions)",
            "percent",
            "higher_is_better",
            "calendar year",
            f"{EHCP_2025}, timeliness_20_week; 2014 to 2018 from {EHCP_2023}",
            _TIMELINESS_NOTE + " Excluding exceptions (the DfE headline) leaves out plans where an exception "
            "under the SEND Regulations applies.",
        ),
        _mean_weeks(
            "mean_weeks_to_plan_incl",
            "including exceptions",
            "incl. exceptions",
            "avg_weeks_issue_plan",
            "Including exceptions counts every plan issued.",
        ),
        _mean_weeks(
            "mean_weeks_to_plan_excl",
            "excluding exceptions",
            "excl. exceptions",
            "avg_weeks_issue_plan_exc",
            "Excluding exceptions leaves out plans where an exception under the SEND Regulations applies, as the "
            "DfE 20-week headline does.",
        ),
        Measure(
            "special_school_pct",
            "EHC plans placed in special schools (% of plans)",
            "Placed in special schools",
            "percent",
            "neutral",
            "January census",
            f"{EHCP_2025}, caseload (special_total); January 2015 to 2018 from {EHCP_2022}",
            "Share of active EHC plans whose placement is a special school: LA-maintained, academy or free, "
            "independent or non-maintained. More placements in special schools is neither good nor bad in "
            "itself; it reflects need and local provision.",
        ),
        Measure(
            "mainstream_pct",
            "EHC plans placed in mainstream schools (% of plans)",
            "Placed in mainstream",
            "percent",
            "neutral",
            "January census",
            f"{EHCP_2025}, caseload (mainstream_total)",
            "Share of active EHC plans whose placement is a mainstream school, including resourced provision "
            "and SEN units.",
        ),
        Measure(
            "independent_special_pct",
            "EHC plans placed in independent or non-maintained special schools (% of plans)",
            "Placed in independent or non-maintained special",
            "percent",
            "neutral",
            "January census",
            f"{EHCP_2025}, caseload (special_independent and special_non_maintained)",
            "Share of active EHC plans whose placement is an independent or non-maintained special school: the "
            "most expensive placements. Worked out from the published counts (the release gives no share), "
            "rounded to one decimal place.",
        ),
        _need("asd", "Autistic spectrum disorder"),
        _need("semh", "Social, emotional and mental health"),
        _need("slcn", "Speech, language and communication needs"),
        _need("mld", "Moderate learning difficulty"),
        _need("sld", "Severe learning difficulty"),
        _need("pmld", "Profound and multiple learning difficulty"),
        _need("spld", "Specific learning difficulty"),
        _need("pd", "Physical disability"),
        _need("hi", "Hearing impairment"),
        _need("vi", "Visual impairment"),
        _need("msi", "Multi-sensory impairment"),
        _need("oth", "Other difficulty or disability"),
        Measure(
            "tribunal_appeal_rate",
            "SEND Tribunal appeal rate (% of appealable decisions)",
            "Tribunal appeal rate",
            "percent",
            "lower_is_better",
            "calendar year",
            f"{EHCP_2025}, supporting file send_tribunal_appeal_rate_2014_2024 (HMCTS appeals, DfE SEN2)",
            "Appeals registered with the SEND Tribunal as a share of all appealable decisions (refusals to "
            "assess, decisions not to issue a plan, plans in place at January, plans ceased because needs are "
            "met). Lower is better, as in LAIT. The table has no regional figures: the region's rate here is "
            "derived by summing its authorities' appeals and decisions. DfE advises caution comparing 2023 "
            "with earlier years.",
        ),
        Measure(
            "tribunal_appeal_rate_in_development",
            "SEND Tribunal appeal rate, new method in development (%)",
            "Tribunal appeal rate (new method)",
            "percent",
            "lower_is_better",
            "calendar year",
            f"{EHCP_2025}, supporting file send_tribunal_appeal_rate_2014_2024",
            "The 2024 appeal rate on DfE's 'in development' count of appealable decisions, which is much smaller "
            "than the established one. Published for 2024 only.",
            series_break=None,
        ),
        Measure(
            "high_needs_block",
            "High needs block allocation, before deductions (£)",
            "High needs block",
            "gbp",
            "neutral",
            "financial year",
            "ESFA Dedicated schools grant allocations 2019-20 to 2023-24",
            "The dedicated schools grant's high needs block for the authority, before academy recoupment and "
            "ESFA's direct funding of places. 2019-20 is from DfE's amalgamated table (published in £ million, "
            "converted to £). A total grows with the authority's size.",
            series_break=None,
        ),
        Measure(
            "high_needs_block_after_deductions",
            "High needs block allocation, after deductions (£)",
            "High needs block after deductions",
            "gbp",
            "neutral",
            "financial year",
            "ESFA Dedicated schools grant allocations 2019-20 to 2023-24",
            "The high needs block after deductions for places ESFA funds directly in academies, free schools "
            "and colleges: what the authority receives. A total grows with the authority's size.",
            series_break=None,
        ),
        Measure(
            "sen_weekly_unit_cost",
            "SEN weekly unit cost (s251 outturn, £ per child with a plan)",
            "SEN weekly unit cost",
            "gbp_per_week",
            "neutral",
            "financial year (outturn)",
            f"{LAIT}: SENFinance (s251 outturn)",
            "s251 spend on SEN support services, SEN direct payments, SEN transport and SEN administration and "
            "assessment, divided by the number of children with a plan, per week, rounded to the nearest £5. "
            "LAIT gives it no direction of good.",
            series_break=None,
        ),
    )
}

QUARTILE_WORDS = {
    True: {1: "A (best 25%)", 2: "B", 3: "C", 4: "D (worst 25%)"},
    False: {1: "1 (highest 25%)", 2: "2", 3: "3", 4: "4 (lowest 25%)"},
}


def quartile(rank: int, ranked: int) -> int:
    """The quartile band (1 to 4, 1 holding the first quarter of ranks) of a rank among `ranked` authorities."""
    if ranked <= 0 or not 1 <= rank <= ranked:
        raise ValueError(f"rank {rank} is not between 1 and {ranked}")
    if ranked < 4:
        # Fewer ranks than bands: a rank's band is where it starts (first of one is the top band, not D).
        return math.floor(4 * (rank - 1) / ranked) + 1
    return math.ceil(4 * rank / ranked)


def quartile_words(band: int, measure: Measure) -> str:
    """'Quartile D (worst 25%)' or, for a neutral measure, 'Quartile 4 (lowest 25%)'."""
    return f"Quartile {QUARTILE_WORDS[measure.has_direction][band]}"


def rank_authorities(values: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """Every authority with a figure, ranked (1 = best, ties share the better rank) with its quartile band.

    `values` is the benchmark_authority_values frame; authorities with no figure are left out.
    Adds `rank`, `ranked_of` and `quartile`, sorted by rank then name.
    """
    ranked = values[values["value"].notna()].copy()
    ascending = measure.polarity == "lower_is_better"
    ranked["rank"] = ranked["value"].rank(method="min", ascending=ascending).astype(int)
    ranked["ranked_of"] = len(ranked)
    ranked["quartile"] = [quartile(r, len(ranked)) for r in ranked["rank"]]
    return ranked.sort_values(["rank", "la_name"]).reset_index(drop=True)


@dataclass(frozen=True)
class Standing:
    """Where one authority stands among all authorities for a measure and period."""

    rank: int | None
    ranked_of: int
    quartile: int | None
    expected: int | None = None  # when the period is incomplete: how many authorities a full year has


def standing(ranked: pd.DataFrame, la_code: str) -> Standing:
    """The chosen authority's rank, how many were ranked and its quartile band."""
    row = ranked[ranked["new_la_code"] == la_code]
    if row.empty:
        return Standing(None, len(ranked), None)
    return Standing(int(row["rank"].iloc[0]), len(ranked), int(row["quartile"].iloc[0]))


@dataclass(frozen=True)
class NeighbourSummary:
    """The statistical neighbours' figures for one period: unweighted mean, range and how many had a figure."""

    mean: float | None
    lowest: float | None
    highest: float | None
    lowest_name: str | None
    highest_name: str | None
    with_figure: int
    neighbours: int


def neighbour_summary(neighbours: pd.DataFrame, total: int | None = None) -> NeighbourSummary:
    """Mean and range of the neighbours' values (each authority counts once, as in LAIT's neighbour average).

    `neighbours` has a row per neighbour with a published row, with `area_name` (or `la_name`) and
    `value`, which may be null; `total` is how many neighbours the model lists (default: the rows).
    """
    name = "area_name" if "area_name" in neighbours else "la_name"
    known = neighbours[neighbours["value"].notna()]
    total = len(neighbours) if total is None else total
    if known.empty:
        return NeighbourSummary(None, None, None, None, None, 0, total)
    low, high = known.loc[known["value"].idxmin()], known.loc[known["value"].idxmax()]
    return NeighbourSummary(
        float(known["value"].mean()),
        float(low["value"]),
        float(high["value"]),
        str(low[name]),
        str(high[name]),
        len(known),
        total,
    )


def neighbour_ranking(values: pd.DataFrame, la_code: str, measure: Measure) -> pd.DataFrame:
    """The chosen authority and its neighbours that have a figure, best first, with their rank in that group."""
    group = values[(values["new_la_code"] == la_code) | values["sn_rank"].notna()]
    return rank_authorities(group, measure)


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """One row per period: the authority, England, its region, and the neighbours' mean, range and count.

    `trend` is the benchmark_trend frame (one row per period and area, with a `role` column).
    """
    periods = trend[["period", "period_order"]].drop_duplicates().sort_values("period_order")
    rows = []
    for period, order in periods.itertuples(index=False):
        here = trend[trend["period"] == period]

        def value_of(role: str, frame: pd.DataFrame = here) -> float | None:
            found = frame.loc[frame["role"] == role, "value"].dropna()
            return float(found.iloc[0]) if len(found) else None

        summary = neighbour_summary(here[here["role"] == "neighbour"])
        releases = sorted(here.loc[here["role"] == "authority", "release_label"].dropna().unique())
        rows.append(
            {
                "period": period,
                "period_order": int(order),
                "authority": value_of("authority"),
                "england": value_of("england"),
                "region": value_of("region"),
                "neighbour_mean": summary.mean,
                "neighbour_low": summary.lowest,
                "neighbour_high": summary.highest,
                "neighbours_with_figure": summary.with_figure,
                "release": "; ".join(releases),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "period",
            "period_order",
            "authority",
            "england",
            "region",
            "neighbour_mean",
            "neighbour_low",
            "neighbour_high",
            "neighbours_with_figure",
            "release",
        ],
    )


def crosses_break(table: pd.DataFrame, measure: Measure) -> bool:
    """True when the periods in `table` (a `period_order` column) lie on both sides of the measure's series break."""
    if measure.series_break is None or table.empty:
        return False
    orders = table["period_order"]
    return bool((orders < measure.series_break).any() and (orders >= measure.series_break).any())


def gap(value: float | None, reference: float | None, measure: Measure) -> float | None:
    """The signed gap to a reference, to one decimal place (percentage points for a rate, pounds for a unit
    cost); None when either is missing or for totals, which grow with an authority's size."""
    if value is None or reference is None or measure.is_total:
        return None
    return round(value - reference, 1)


def judgement(value: float | None, reference: float | None, measure: Measure) -> str | None:
    """'better' or 'worse' than a reference for a measure with a direction of good, else None."""
    if value is None or reference is None or not measure.has_direction or value == reference:
        return None
    higher = value > reference
    return "better" if higher == (measure.polarity == "higher_is_better") else "worse"


def break_period(table: pd.DataFrame, measure: Measure) -> str | None:
    """The first period of the new series when the periods in `table` lie on both sides of its break, else None."""
    if not crosses_break(table, measure):
        return None
    return str(table.loc[table["period_order"] >= measure.series_break, "period"].iloc[0])


# --- What the page reads, each from its named query ------------------------------------------------------


def authority_names(run: QueryRunner) -> dict[str, str]:
    """Every authority that can be benchmarked: its code and name, in name order."""
    authorities = run("benchmark_authorities", {})
    return dict(zip(authorities["new_la_code"], authorities["la_name"], strict=True))


def measures_with_figures(run: QueryRunner) -> list[str]:
    """The keys of the measures with at least one published figure, in MEASURES order."""
    available = set(run("benchmark_measures", {})["measure"])
    return [key for key in MEASURES if key in available]


def periods(run: QueryRunner, measure_key: str) -> list[str]:
    """The periods with a published figure for a measure, newest first."""
    return list(run("benchmark_periods", {"measure": measure_key})["period"])


def published_files(run: QueryRunner) -> pd.DataFrame:
    """Each published file the build read: path, release, status (loaded, refused or missing), rows, message."""
    return run("benchmark_sources", {})


@dataclass(frozen=True)
class Comparison:
    """One measure and period for one authority, beside England, its region and its statistical neighbours.

    Read once per choice and handed to every view and tile that needs it, so each frame is computed once.
    """

    measure: Measure
    period: str
    model: str
    la_code: str
    la_name: str
    region_name: str
    values: pd.DataFrame  # benchmark_authority_values: every authority's figure for the period
    areas: pd.DataFrame  # benchmark_trend: every period, for the authority, England, region and neighbours
    neighbours: pd.DataFrame  # benchmark_neighbours: the model's neighbours, closest first

    @cached_property
    def ranked(self) -> pd.DataFrame:
        """Every authority with a figure for the period, ranked."""
        return rank_authorities(self.values, self.measure)

    @cached_property
    def complete(self) -> bool:
        """Whether the period has figures for (nearly) every authority, so that a rank means something."""
        return "period_complete" not in self.values or bool(self.values["period_complete"].all())

    @cached_property
    def standing(self) -> Standing:
        """The authority's rank among every authority, and its quartile band; no rank when the period is
        incomplete (a partial release), as a rank among whoever happens to be present would mislead."""
        if not self.complete:
            expected = self.values["authorities_expected"].max()
            return Standing(None, len(self.ranked), None, int(expected) if pd.notna(expected) else None)
        return standing(self.ranked, self.la_code)

    @cached_property
    def group(self) -> pd.DataFrame:
        """The authority and its neighbours with a figure, ranked within that group."""
        return neighbour_ranking(self.values, self.la_code, self.measure)

    @cached_property
    def summary(self) -> NeighbourSummary:
        """The neighbours' average and range for the period."""
        return neighbour_summary(self.values[self.values["sn_rank"].notna()], total=len(self.neighbours))

    @cached_property
    def trend(self) -> pd.DataFrame:
        """One row per period: the authority, England, its region and the neighbours' average and range."""
        return trend_table(self.areas)

    def row(self, role: str) -> pd.Series | None:
        """The period's published row for 'authority', 'england' or 'region' (None when there is none)."""
        rows = self.areas[(self.areas["role"] == role) & (self.areas["period"] == self.period)]
        return rows.iloc[0] if len(rows) else None

    def value(self, role: str) -> float | None:
        """The period's figure for 'authority', 'england' or 'region' (None when not published)."""
        row = self.row(role)
        return None if row is None or pd.isna(row["value"]) else float(row["value"])

    def missing_neighbours(self) -> list[str]:
        """The names of the neighbours with no figure for the period, closest first."""
        shown = set(self.group["new_la_code"])
        return [
            name
            for code, name in zip(
                self.neighbours["sn_new_la_code"], self.neighbours["sn_la_name"], strict=True
            )
            if code not in shown
        ]


def compare(run: QueryRunner, la_code: str, measure_key: str, period: str, model: str) -> Comparison:
    """Read one authority's figures for a measure and period, with its comparators, from the named queries."""
    authority = run("benchmark_authorities", {}).set_index("new_la_code").loc[la_code]
    params = {"measure": measure_key, "period": period, "la_code": la_code, "sn_model": model}
    return Comparison(
        MEASURES[measure_key],
        period,
        model,
        la_code,
        str(authority["la_name"]),
        str(authority["region_name"]),
        run("benchmark_authority_values", params),
        run("benchmark_trend", params),
        run("benchmark_neighbours", params),
    )
