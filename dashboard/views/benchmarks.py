"""Benchmarks: one authority against England, its region and its DfE statistical neighbours, on published figures.

Every figure here is published by DfE or ESFA for a whole local authority, so no view follows the sidebar
filters (each says so), and none is a count of children from the local extracts: each spec keeps every
figure, because the download is the published figure exactly as DfE publishes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import pandas as pd

from dashboard import escape, fmt
from dashboard.charts import ranking
from dashboard.charts.template import Series
from dashboard.measures import benchmarks
from dashboard.measures.benchmarks import SEN2_BREAK_NOTE, SN_MODELS, Comparison, Measure
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views.base import Headline, Honours, View

INTRO = (
    "How an authority compares with England, its region and its ten DfE statistical neighbours on the "
    "published DfE and ESFA figures, with its rank among all local authorities and the direction of good."
)
FILTERS_NOTE = (
    "**The sidebar filters do not apply on this page.** They narrow the local extracts; every figure "
    "here is a published national statistic for a whole local authority, chosen with the controls below."
)
NOTHING_LOADED = (
    "**No published figures are loaded.** The folder of published releases is missing or could not be read; "
    "the Data and methodology page lists the problem."
)
NEIGHBOURS_HELP = (
    "DfE's children's services statistical neighbour model: the ten authorities most like the chosen "
    "one. May 2025 is the current model."
)
PUBLISHED = Honours(
    period=False,
    area=False,
    need=False,
    age=False,
    requests=False,
    note="these are DfE's and ESFA's published figures for whole local authorities, chosen with "
    "the controls on this page, so the sidebar filters do not apply.",
)

DIRECTION = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "none (a higher value is neither better nor worse)",
}
_TILE_COLOUR = {"higher_is_better": "normal", "lower_is_better": "inverse", "neutral": "off"}
_UNIT_WORDS = {"percent": "%", "count": "number", "gbp": "£", "gbp_per_week": "£ a week", "weeks": "weeks"}
_FILE_STATUS = {"loaded": "Loaded", "refused": "Refused", "missing": "Missing", "skipped": "Skipped"}
AVERAGE, LOWEST, HIGHEST = "Neighbours' average", "Neighbours' lowest", "Neighbours' highest"


def trend(chosen: Comparison) -> View:
    """The authority against England, its region and its neighbours' average and range, over every period."""
    measure, la, region = chosen.measure, chosen.la_name, chosen.region_name
    rows = chosen.trend
    table = pd.DataFrame(
        {
            "Period": rows["period"],
            la: rows["authority"],
            "England": rows["england"],
            region: rows["region"],
            AVERAGE: rows["neighbour_mean"].round(2),
            LOWEST: rows["neighbour_low"],
            HIGHEST: rows["neighbour_high"],
            "Neighbours with a figure": rows["neighbours_with_figure"],
            f"Release ({la})": rows["release"],
        }
    )
    starts = benchmarks.break_period(rows, measure)
    draw = partial(
        ranking.trend_against_comparators,
        x="Period",
        series=[
            Series(la),
            Series("England"),
            Series(region),
            Series(AVERAGE, "Statistical neighbours' average"),
        ],
        band=(Series(LOWEST), Series(HIGHEST, "Neighbours' range (lowest to highest)")),
        off_chart=("England", region) if measure.is_total else (),
        unit=measure.unit,
        y_title=measure.short,
        break_at=starts,
        break_text=f"Series break: person-level SEN2 from {measure.series_break}",
    )
    compared = f"{la} and" if measure.is_total else f"{la}, England, {region} and"
    span = (
        f"{table['Period'].iloc[0]} to {table['Period'].iloc[-1]}. The shaded band is the neighbours' range."
        if len(table) > 1
        else f"{chosen.period} only: the one period published by authority."
    )
    summary = (
        f"{measure.label} for {compared} the average of its statistical neighbours "
        f"({SN_MODELS[chosen.model]}), {span}"
    )
    if measure.is_total:
        summary += (
            f" England and {region} are totals many times any authority's size, so they are in the "
            "table, not on the chart."
        )
    return View(
        key="benchmark_trend",
        title=_trend_title(table, la, measure),
        summary=summary,
        table=table,
        spec=_published(table),
        draw=draw,
        filename=f"benchmark_trend_{_slug(measure.short)}_{_slug(la)}.csv",
        honours=PUBLISHED,
        notes=(f"Dashed line: break in the series. {SEN2_BREAK_NOTE}",) if starts else (),
    )


# The mean weeks to issue a plan shown beside each 20-week share (the same plans, including or excluding exceptions).
MEAN_WEEKS_FOR = {
    "twenty_week_rate_incl": "mean_weeks_to_plan_incl",
    "twenty_week_rate_excl": "mean_weeks_to_plan_excl",
}


def mean_weeks(chosen: Comparison) -> View:
    """Mean weeks to issue a plan, for the authority against England, its region and its neighbours, by year:
    shown under a 20-week share when the releases loaded publish it (`chosen` is that measure's comparison)."""
    view = trend(chosen)
    return replace(
        view,
        key="benchmark_mean_weeks",
        title=f"Mean weeks to issue a plan: {view.title}",
        filename=f"benchmark_mean_weeks_{_slug(chosen.measure.short)}_{_slug(chosen.la_name)}.csv",
    )


def mean_weeks_absent(measure: Measure) -> str:
    """One sentence, in place of a chart, when no release loaded publishes a measure a newer release adds."""
    return (
        f"{measure.label.split(',')[0]} is first published in {measure.added_in}: the releases loaded here do "
        "not include it yet."
    )


def neighbours(chosen: Comparison) -> View:
    """The authority and its statistical neighbours for the period, best (or highest) first."""
    measure, la, period, group = chosen.measure, chosen.la_name, chosen.period, chosen.group
    value = f"{measure.short}, {period}"
    table = pd.DataFrame(
        {
            "Rank in group": group["rank"],
            "Local authority": group["la_name"],
            value: group["value"],
            "Chosen authority": group["is_selected"].map({True: "yes", False: ""}),
            "Neighbour rank (closeness)": group["sn_rank"].astype("Int64"),
            "Release": group["release_label"],
        }
    )
    england = None if measure.is_total else chosen.value("england")
    average = chosen.summary.mean
    draw = partial(
        ranking.ranked_with_chosen,
        category="Local authority",
        value=value,
        rank="Rank in group",
        chosen=la,
        unit=measure.unit,
        x_title=measure.short,
        references=[("England", england), (AVERAGE, average)],
    )
    lines = (
        f"The line marks the neighbours' average ({_figure(average, measure)})."
        if measure.is_total
        else f"Lines mark England ({_figure(england, measure)}) and the neighbours' average "
        f"({_figure(average, measure)})."
    )
    summary = (
        f"{measure.label} in {period} for {la} (hatched, outlined and marked 'chosen') and its statistical "
        f"neighbours ({SN_MODELS[chosen.model]}), {'best' if measure.has_direction else 'highest'} first. "
        f"{lines}"
    )
    if missing := chosen.missing_neighbours():
        summary += f" No figure for: {', '.join(missing)}."
    rank = _chosen_rank(table, "Rank in group")
    if rank is None:
        title = f"{la} has no figure for {period}; its statistical neighbours are shown"
    elif measure.has_direction:
        title = (
            f"{la} ranks {fmt.ordinal(rank)} of {len(table)} against its statistical neighbours in {period} "
            "(1 = best)"
        )
    else:
        title = (
            f"{la} has {_highest(rank)} figure of {len(table)} among itself and its statistical neighbours "
            f"in {period}"
        )
    return View(
        key="benchmark_neighbours",
        title=title,
        summary=summary,
        table=table,
        spec=_published(table),
        draw=draw,
        filename=f"benchmark_neighbours_{_slug(measure.short)}_{_slug(period)}_{_slug(la)}.csv",
        honours=PUBLISHED,
    )


def every_authority(chosen: Comparison) -> View:
    """Every ranked authority for the period, in words and numbers: a table to sort, with no chart."""
    measure, period, ranked = chosen.measure, chosen.period, chosen.ranked
    value_column = f"{measure.short} ({_UNIT_WORDS[measure.unit]}), {period}"
    table = pd.DataFrame(
        {
            "Rank": ranked["rank"],
            "Quartile": [
                benchmarks.quartile_words(q, measure).removeprefix("Quartile ") for q in ranked["quartile"]
            ],
            "Local authority": ranked["la_name"],
            "LA code": ranked["new_la_code"],
            "Region": ranked["region_name"],
            value_column: ranked["value"].round(1) if measure.unit == "percent" else ranked["value"],
            "Numerator": ranked["numerator"],
            "Denominator": ranked["denominator"],
            "Statistical neighbour (rank)": ranked["sn_rank"].astype("Int64"),
            "Chosen authority": ranked["is_selected"].map({True: "yes", False: ""}),
            "Release": ranked["release_label"],
            "File": ranked["source_file"],
        }
    )
    la, rank, of = chosen.la_name, _chosen_rank(table, "Rank"), len(table)
    if not chosen.complete:
        expected = chosen.standing.expected
        title = (
            f"{period} is not ranked: only {of} of {expected} local authorities have a figure so far"
            if expected
            else f"{period} is not ranked: its figures are incomplete"
        )
        table = table.drop(columns=["Rank", "Quartile"])
    elif rank is None:
        title = f"{la} has no figure for {period}; {fmt.plural(of, 'local authority', 'local authorities')} ranked"
    elif measure.has_direction:
        title = f"{la} ranks {fmt.ordinal(rank)} of {of} local authorities in {period} (1 = best)"
    else:
        title = f"{la} has {_highest(rank)} figure of {of} local authorities in {period}"
    summary = (
        f"{fmt.plural(of, 'authority', 'authorities')} with a figure. {measure.rank_rule()} Ties share the "
        "better rank; the quartile splits the ranking into four equal parts. Click a column heading to sort."
    )
    return View(
        key="benchmark_all",
        title=title,
        summary=summary,
        table=table,
        spec=_published(table, value_column if measure.unit == "percent" else None),
        draw=None,
        filename=f"benchmark_all_authorities_{_slug(measure.short)}_{_slug(period)}.csv",
        honours=PUBLISHED,
    )


def sources(files: pd.DataFrame) -> View:
    """Each published file the build reads: its release, whether it loaded, and any problem."""
    table = pd.DataFrame(
        {
            "File": files["path"],
            "Release": files["release"],
            "Status": files["status"].map(_FILE_STATUS),
            "Rows": files["rows"],
            "Message": files["message"],
        }
    )
    loaded = int((files["status"] == "loaded").sum())
    title = f"{loaded} of {fmt.plural(len(table), 'published file')} loaded"
    if loaded < len(table):
        title += f"; {len(table) - loaded} could not be used, so the figures they hold are missing"
    return View(
        key="benchmark_sources",
        title=title,
        summary="Every published file in the folder of published releases that the build reads, the release it "
        "comes from, whether it loaded and how many rows it gave.",
        table=table,
        spec=_published(table),
        draw=None,
        filename="benchmark_published_files.csv",
        honours=PUBLISHED,
    )


def headlines(chosen: Comparison) -> list[Headline]:
    """The period's figure for the authority, England, its region and its neighbours, and its rank."""
    measure, la, when = chosen.measure, chosen.la_name, _short(chosen.period)
    mine, england, region = chosen.value("authority"), chosen.value("england"), chosen.value("region")
    gap = _gap_words(benchmarks.gap(mine, england, measure), measure)
    verdict = benchmarks.judgement(mine, england, measure)
    # The tile's delta is its gap to England; the words under the tiles say so (a tile has room for the figures).
    difference = None if gap is None else gap + (f", {verdict}" if verdict else "")
    summary, standing = chosen.summary, chosen.standing
    spread = (
        f"range {_figure(summary.lowest, measure)} to {_figure(summary.highest, measure)}"
        if summary.with_figure
        else "no neighbour has a figure"
    )
    band = benchmarks.quartile_words(standing.quartile, measure) if standing.quartile else "no quartile"
    rank = f"{fmt.ordinal(standing.rank)} of {standing.ranked_of}" if standing.rank else fmt.MISSING
    if standing.expected:
        band = f"not ranked: {standing.ranked_of} of {standing.expected} authorities published"
    in_points = difference is not None and measure.unit == "percent"
    points = " The difference from England is in percentage points." if in_points else ""
    return [
        Headline(
            f"{la}, {when}",
            _figure(mine, measure),
            view="benchmark_trend",
            delta=difference,
            delta_colour=_TILE_COLOUR[measure.polarity] if difference else "off",
            help=_source(chosen.row("authority")) + points,
        ),
        Headline(
            f"England, {when}",
            _figure(england, measure),
            view="benchmark_trend",
            help=_source(chosen.row("england")),
        ),
        Headline(
            f"{chosen.region_name}, {when}",
            _figure(region, measure),
            view="benchmark_trend",
            delta=f"{la}'s region",
            help=_source(chosen.row("region")),
        ),
        Headline(
            f"{AVERAGE}, {when}",
            _figure(summary.mean, measure),
            view="benchmark_neighbours",
            delta=spread,
            help=f"Unweighted mean of the {summary.with_figure} of {summary.neighbours} statistical neighbours "
            f"({SN_MODELS[chosen.model]}) with a figure. Lowest: {summary.lowest_name or fmt.MISSING}; "
            f"highest: {summary.highest_name or fmt.MISSING}.",
        ),
        Headline(
            f"Rank among LAs, {when}",
            rank,
            view="benchmark_all",
            delta=band,
            help=(
                f"Not ranked: {when} has figures for {standing.ranked_of} of the {standing.expected} authorities a "
                "full year has (a partial release), and a rank among whoever is present would mislead."
                if standing.expected
                else f"Rank among the {standing.ranked_of} local authorities with a figure. {measure.rank_rule()} "
                "Ties share the better rank. Quartile bands split the ranking into four equal parts."
            ),
        ),
    ]


def heading(chosen: Comparison) -> str:
    """The section heading over the tiles: the measure and period."""
    return f"{chosen.measure.label}: {chosen.period}"


def sources_words(chosen: Comparison) -> str:
    """Where the tiles' figures come from, what the authority's gap is to, which way is good, and how rank 1 is
    decided."""
    measure = chosen.measure
    releases = sorted(
        {
            row["release_label"]
            for row in map(chosen.row, ("authority", "england", "region"))
            if row is not None
        }
    )
    mine, england = chosen.value("authority"), chosen.value("england")
    gap = (
        ""
        if benchmarks.gap(mine, england, measure) is None
        else f" The figure under {chosen.la_name}'s is its difference from England"
        + (" in percentage points." if measure.unit == "percent" else ".")
    )
    return (
        f"{measure.label}, {chosen.period} ({measure.period_type}). Source: "
        f"{'; '.join(releases) or measure.source}.{gap} Direction of good: {DIRECTION[measure.polarity]}. "
        f"{measure.rank_rule()}"
    )


def about(measure: Measure, releases: Sequence[str] = ()) -> str:
    """What the measure is, where it is published and how ranks and averages are worked out (markdown).

    `releases`: the releases the figures shown came from (named as loaded, so a new release names itself);
    the measure's usual source when none is given."""
    source = "; ".join(escape.markdown(r) for r in releases) if releases else measure.source
    return (
        f"**{measure.label}.** {measure.notes}\n\n**Source:** {source}.\n\n**Ranking:** "
        f"{measure.rank_rule()} Ties share the better rank; the quartile band splits the ranked authorities "
        "into four equal parts (A or 1 is the first). The neighbours' average is the unweighted mean of the "
        "neighbours with a figure.\n\n**Releases:** where two releases publish the same year, the newer one's "
        "figure is shown; each figure's release is in the tables and downloads.\n\n"
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )


def period_help(measure: Measure) -> str:
    """What one period of the measure is, for the Year control."""
    return f"Each period is a {measure.period_type}. Newest first."


def unusable_files(files: pd.DataFrame) -> str | None:
    """A warning naming each published file that was refused or missing (markdown), or None when all loaded."""
    refused = files[files["status"] != "loaded"]
    if refused.empty:
        return None
    return (
        "**Some published files could not be used**, so the figures they hold are missing here: "
        + escape.markdown("; ".join(f"{row.path} ({row.message})" for row in refused.itertuples()))
    )


def index_of(options: Sequence[str], wanted: str) -> int:
    """Where a default sits among a control's options (the first when it is not one of them)."""
    return list(options).index(wanted) if wanted in options else 0


def _figure(value: float | None, measure: Measure) -> str:
    return fmt.value(value, measure.unit)


def _gap_words(gap: float | None, measure: Measure) -> str | None:
    """A signed gap in its unit: '-29.1 points' for a rate, '+£10' for pounds."""
    if gap is None:
        return None
    if measure.unit == "percent":
        return fmt.points(gap)
    if measure.unit == "weeks":
        return f"{gap:+.1f} weeks"
    return ("+" if gap > 0 else "") + fmt.money(gap, exact=True)


def _trend_title(table: pd.DataFrame, la: str, measure: Measure) -> str:
    """The authority's latest figure on the chart and its change from the one before, from its own column."""
    known = table[table[la].notna()]
    if known.empty:
        return f"{la} has no published figure for {measure.short.lower()}"
    latest, last = known.iloc[-1], table["Period"].iloc[-1]
    text = f"{la}: " + (f"no figure for {last}; " if latest["Period"] != last else "")
    text += f"{_figure(latest[la], measure)} in {latest['Period']}"
    if len(known) > 1:
        before = known.iloc[-2]
        change = latest[la] - before[la]
        word = "up" if change > 0 else "down" if change < 0 else "unchanged"
        text += f", {word} from {_figure(before[la], measure)} in {before['Period']}"
    if latest["Period"] == last and not measure.is_total and pd.notna(latest["England"]):
        text += f"; England {_figure(latest['England'], measure)}"
    return text


def _chosen_rank(table: pd.DataFrame, rank: str) -> int | None:
    mine = table.loc[table["Chosen authority"] == "yes", rank]
    return None if mine.empty or pd.isna(mine.iloc[0]) else int(mine.iloc[0])


def _highest(rank: int) -> str:
    """'the highest', 'the 3rd highest'."""
    return "the highest" if rank == 1 else f"the {fmt.ordinal(rank)} highest"


def _source(row: pd.Series | None) -> str:
    """Which release and file a tile's figure comes from, with its numerator and denominator when published."""
    if row is None:
        return "No published figure."
    text = f"Source: {row['release_label']}, file {row['source_file']}."
    if pd.notna(row["numerator"]) and pd.notna(row["denominator"]):
        text += f" {fmt.count(row['numerator'])} of {fmt.count(row['denominator'])}."
    if row["derived"]:
        text += " Derived here by summing the region's authorities (the table publishes no regional figure)."
    return text


def _short(period: str) -> str:
    """A period short enough for a tile label: 'January 2025' becomes 'Jan 2025'; others are unchanged."""
    return period.replace("January ", "Jan ")


def _slug(text: str) -> str:
    """Words for a file name: 'Within 20 weeks (excl. exceptions)' becomes 'within-20-weeks-excl-exceptions'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _published(table: pd.DataFrame, rate: str | None = None) -> Spec:
    """Published statistics (already public, exactly as DfE and ESFA publish them) are kept, except that a
    published numerator or denominator is a count of children, so the one disclosure rule applies to it as
    to every export: a count from 1 to 4 is `c`, and so is the rate built on it."""
    counts = tuple(c for c in ("Numerator", "Denominator") if c in table.columns)
    rates = {rate: Rate("Denominator", "Numerator")} if rate and len(counts) == 2 else {}
    return Spec(
        counts=counts,
        rates=rates,
        column_totals=False,
        keep=tuple(c for c in table.columns if c not in counts and c not in rates),
    )
