"""Specialist places views: places and occupancy at each census, spare places, the pipeline and the 200-place
commitment, demand for specialist placements from new plans, and independent special schools.

Places are counted by setting at termly censuses, so every figure says which census it is for. Views of
places follow the area filters (the setting's district) and the primary need filter (the places'
designation), but not age, request source or placement, which describe children; the commitment is for
all of Lancashire and follows no filter. The page's own setting type control narrows the places counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import contract, fmt, labels
from dashboard.charts import bars, lines
from dashboard.charts.template import Series, target_line
from dashboard.dates import month_key
from dashboard.filters import DISTRICT, LOCALITY, NEED
from dashboard.measures import places, rag
from dashboard.measures.rag import Judgement
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views.base import (
    AREA,
    EVERY_FILTER,
    WHOLE_AREA,
    Context,
    Drill,
    Headline,
    Honours,
    View,
    part_month,
)

PLACES_HONOURS = Honours(
    age=False,
    requests=False,
    note="places are counted by setting, not by child, so age, request source and placement do not apply.",
)
GAP_HONOURS = Honours(
    age=False,
    requests=False,
    note="spare places are counted by setting, not by child, so age, request source and placement "
    "narrow the new plans but not the spare places.",
)
# Short enough to show in full on a tile (a tile's delta line does not wrap); the help says it at length.
WHOLE_AREA_WORDS = f"All of {AREA} (no filters)"
_WHOLE_AREA_HELP = f"For all of {AREA}: the filters do not apply. "

# The page's setting type control offers the words; the URL holds them too, and the measures take codes.
SETTING_TYPES = labels.options("setting_type")
# The breakdown control's options (also their URL form) and the breakdown each asks the measures for.
BREAKDOWNS = {
    "Setting type": "setting_type",
    "Designation": "designation",
    "District": "district",
    "Locality": "locality",
}
_PLURALS = {
    "setting_type": "setting types",
    "designation": "designations",
    "district": "districts",
    "locality": "localities",
}
_DRILLS = {"designation": NEED, "district": DISTRICT, "locality": LOCALITY}

COMMISSIONED, OCCUPIED, SPARE, OCCUPANCY = (
    "Commissioned places",
    "Occupied places",
    "Spare places",
    "Occupancy %",
)
# Occupied places are children; commissioned places are not. Spare places (commissioned minus occupied)
# are left undeclared, so a download hides them wherever it hides the occupied places they reveal.
_OCCUPIED_SPEC = Spec(
    counts=(OCCUPIED,), rates={OCCUPANCY: Rate(COMMISSIONED, OCCUPIED)}, keep=(COMMISSIONED,)
)


def setting_type_codes(chosen: Sequence[str]) -> tuple[str, ...]:
    """The setting type codes for the words chosen in the page's control (words it does not offer are ignored)."""
    by_words = {words: code for code, words in SETTING_TYPES.items()}
    return tuple(by_words[words] for words in chosen if words in by_words)


def census_options(over_time: pd.DataFrame) -> list[str]:
    """The censuses a `places.census` frame holds, newest first, as the census control and the URL give them."""
    return [day.date().isoformat() for day in over_time["snapshot_date"]][::-1]


def headlines(
    ctx: Context,
    over_time: pd.DataFrame,
    census: date,
    setting_types: tuple[str, ...],
    promise: places.PlacesCommitment | None,
    school: places.NewSchool | None,
) -> list[Headline]:
    """The page's headline tiles: places and occupancy at the chosen census, then the two commitments."""
    occupancy = places.occupancy_in(over_time, census)
    at_census = f"At the {fmt.day(census)} census"
    judgement = _occupancy_judgement(ctx, occupancy, setting_types)
    not_judged = "" if judgement else f"{fmt.day(census)}; not judged"
    tiles = [
        Headline(
            "Commissioned places",
            fmt.count(occupancy.commissioned),
            f"Places commissioned at the {fmt.day(census)} census in "
            f"{fmt.plural(occupancy.settings, 'setting')} ({_type_words(setting_types)}).",
            view="places_trend",
            delta=at_census,
        ),
        Headline(
            "Occupancy",
            fmt.percent(occupancy.rate.percent),
            f"{fmt.count(occupancy.occupied)} children in {fmt.count(occupancy.commissioned)} commissioned places "
            f"at the {fmt.day(census)} census. Above 100% means more children than places. "
            + (
                f"Status rule: {judgement.rule}"
                if judgement
                else f"Not judged: the planning level is set for all of {AREA}, so places narrowed by area, need or "
                "setting type are not judged against it."
            ),
            view="places_trend",
            delta=not_judged or at_census,
            judgement=judgement,
        ),
        Headline(
            "Settings over 100%",
            f"{occupancy.settings_over_capacity} of {occupancy.settings}",
            f"Settings with more children than commissioned places at the {fmt.day(census)} census.",
            view="places_settings",
            delta=at_census,
        ),
    ]
    if promise is None:
        tiles.append(
            Headline(
                "Places added since the baseline",
                fmt.MISSING,
                _WHOLE_AREA_HELP
                + "No additional places target in targets.csv, or no census on or before its baseline date.",
                delta=WHOLE_AREA_WORDS,
            )
        )
    else:
        tiles.append(
            Headline(
                f"Places added (target {fmt.count(promise.target.target)})",
                fmt.count(promise.added),
                f"{_WHOLE_AREA_HELP}Commissioned places (all setting types) at the "
                f"{fmt.day(promise.counted_census)} census, less the "
                f"{fmt.count(promise.baseline_places)} at the baseline census of {fmt.day(promise.baseline_census)}. "
                f"{_reconciliation(promise)} Status rule: {promise.judgement.rule}",
                view="places_commitment",
                delta=WHOLE_AREA_WORDS,
                judgement=promise.judgement,
            )
        )
    if school is not None:
        tiles.append(
            Headline(
                f"New special school ({school.opens:%b %Y})",
                fmt.plural(school.places, "place"),
                f"{_WHOLE_AREA_HELP}{school.name}, planned to open on {fmt.day(school.opens)}. "
                f"Status rule: {school.judgement.rule}",
                view="places_pipeline",
                delta=WHOLE_AREA_WORDS,
                judgement=school.judgement,
            )
        )
    return tiles


def trend(ctx: Context, over_time: pd.DataFrame, census: date, setting_types: tuple[str, ...]) -> View:
    """Commissioned and occupied places at each census in the period, with occupancy on the right-hand axis."""
    table = pd.DataFrame(
        {
            "Census": over_time["snapshot_date"].dt.strftime("%Y-%m-%d"),
            COMMISSIONED: over_time["commissioned"],
            OCCUPIED: over_time["occupied"],
            OCCUPANCY: over_time["occupancy_pct"].round(1),
        }
    ).reset_index(drop=True)
    chosen = table[table["Census"] == census.isoformat()]
    summary = (
        f"Commissioned and occupied specialist places at each census in {fmt.months(ctx.period.start, ctx.at)}"
        f" ({_type_words(setting_types)}), with occupancy on the right-hand axis."
    )
    if chosen.empty:
        title = f"No specialist places census in {fmt.months(ctx.period.start, ctx.at)}"
    else:
        row, first = chosen.iloc[0], table.iloc[0]
        title = (
            f"Occupancy {fmt.percent(row[OCCUPANCY])} at the {fmt.day(census)} census: "
            f"{fmt.plural(row[OCCUPIED], 'child', 'children')} in {fmt.count(row[COMMISSIONED])} "
            "commissioned places"
        )
        summary += (
            f" Occupancy was {fmt.percent(first[OCCUPANCY])} at the {_day(first['Census'])} census and "
            f"{fmt.percent(row[OCCUPANCY])} at the {fmt.day(census)} census."
        )
    events = ctx.events

    def draw(frame: pd.DataFrame) -> go.Figure:
        # The occupancy axis spans the values shown (and 100%), so a change of a point or two can be seen.
        values = pd.to_numeric(frame[OCCUPANCY], errors="coerce").dropna()
        low = min(90.0, float(values.min()) - 5) if len(values) else 90.0
        high = max(110.0, float(values.max()) + 5) if len(values) else 110.0
        figure = lines.time_series(
            frame,
            "Census",
            [Series(COMMISSIONED), Series(OCCUPIED), Series(OCCUPANCY, "Occupancy (right axis)", "y2")],
            y_title="Places",
            y2_title="Occupancy (right axis)",
            percent_axis="y2",
            y2_range=(low, high),
            marks=[target_line(100, "100% full", axis="y2")],
            events=events,
            x_hover="%-d %b %Y",
        )
        return figure.update_layout(yaxis2={"tickmode": "linear", "tick0": 0, "dtick": 5})  # whole 5% steps

    return View(
        "places_trend",
        title,
        summary,
        table,
        _OCCUPIED_SPEC,
        draw,
        f"specialist_places_by_census_{month_key(ctx.period.start)}_{month_key(ctx.at)}.csv",
        honours=PLACES_HONOURS,
    )


def groups(ctx: Context, frame: pd.DataFrame, by: str, census: date, setting_types: tuple[str, ...]) -> View:
    """Commissioned against occupied places at one census by setting type, designation, district or locality."""
    heading = next(words for words, key in BREAKDOWNS.items() if key == by)
    names = [_group_words(by, code) for code in frame["breakdown"]]
    table = pd.DataFrame(
        {
            heading: names,
            COMMISSIONED: frame["commissioned"],
            OCCUPIED: frame["occupied"],
            OCCUPANCY: frame["occupancy_pct"].round(1),
        }
    ).reset_index(drop=True)
    if table.empty:
        title = f"No places match the filters at the {fmt.day(census)} census"
    else:
        over = int((table[OCCUPANCY] > 100).sum())
        fullest = table.sort_values(OCCUPANCY, ascending=False, na_position="last", kind="stable").iloc[0]
        title = (
            f"{over} of {len(table)} {_PLURALS[by]} {'is' if over == 1 else 'are'} over 100% full at the "
            f"{fmt.day(census)} census; the fullest is {fullest[heading]} at {fmt.percent(fullest[OCCUPANCY])}"
        )
    summary = (
        f"Commissioned against occupied places by {heading.lower()} at the {fmt.day(census)} census "
        f"({_type_words(setting_types)}); each occupied bar is labelled with its occupancy, and groups over "
        "100% are marked '▲ over 100%'."
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        occupied = pd.to_numeric(shown[OCCUPIED], errors="coerce")
        rate = pd.to_numeric(shown[OCCUPANCY], errors="coerce")
        text = [_occupied_words(o, p) for o, p in zip(occupied, rate, strict=True)]
        top = pd.concat([pd.to_numeric(shown[COMMISSIONED], errors="coerce"), occupied]).max()
        return bars.horizontal_bars(
            shown,
            heading,
            [Series(COMMISSIONED), Series(OCCUPIED)],
            x_title="Places",
            text=text,
            x_range=(0, 1.35 * (1.0 if pd.isna(top) else float(top))),
        )

    return View(
        "places_groups",
        title,
        summary,
        table,
        _OCCUPIED_SPEC,
        draw,
        f"specialist_places_by_{by}_{census.isoformat()}.csv",
        honours=PLACES_HONOURS,
        drill=_drill(by, frame["breakdown"], names),
    )


def spare(
    ctx: Context,
    designations: pd.DataFrame,
    census: date,
    setting_types: tuple[str, ...],
    specialist: pd.DataFrame | None = None,
) -> View:
    """Spare places by designation at one census; `specialist` (places.demand_vs_spare) is the demand chart's
    frame, whose spare places leave out alternative provision: a note says where the two differ."""
    ordered = designations.assign(_name=[labels.label("designation", c) for c in designations["breakdown"]])
    ordered = ordered.sort_values(["spare", "_name"], ignore_index=True)
    table = pd.DataFrame(
        {
            "Designation": ordered["_name"],
            COMMISSIONED: ordered["commissioned"],
            OCCUPIED: ordered["occupied"],
            SPARE: ordered["spare"],
        }
    )
    short = table[table[SPARE] < 0]
    if table.empty:
        title = f"No places match the filters at the {fmt.day(census)} census"
    else:
        title = (
            f"{fmt.sentence_case(_spare_words(table[SPARE].sum()))} overall at the {fmt.day(census)} census; "
        )
        if len(short):
            most = short.iloc[0]
            title += (
                f"{fmt.plural(len(short), 'designation')} {'has' if len(short) == 1 else 'have'} more children "
                f"than places, most of all {most['Designation']}: over by {fmt.count(-most[SPARE])}"
            )
        else:
            title += "no designation has more children than places"
    summary = (
        f"Spare places (commissioned minus occupied) by designation at the {fmt.day(census)} census "
        f"({_type_words(setting_types)}). A bar left of zero, hatched and labelled 'over by', means more "
        "children than commissioned places."
    )
    notes = ()
    differences = _alternative_provision(designations, specialist)
    if differences:
        notes = (
            "These spare places include alternative provision, which the demand chart below leaves out because "
            "a plan cannot name it: without it, "
            + fmt.words(
                [
                    f"{name} is {_short_spare(named)} rather than {_short_spare(every)}"
                    for name, every, named in differences
                ]
            )
            + ".",
        )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.diverging_bars(
            shown,
            "Designation",
            SPARE,
            words=_short_spare,
            x_title="Spare places (negative: more children than places)",
        )

    return View(
        "places_spare",
        title,
        summary,
        table,
        Spec(counts=(OCCUPIED,), keep=(COMMISSIONED,)),
        draw,
        f"spare_places_by_designation_{census.isoformat()}.csv",
        honours=PLACES_HONOURS,
        notes=notes,
        drill=_drill("designation", ordered["breakdown"], ordered["_name"]),
    )


def pipeline(ctx: Context, frame: pd.DataFrame, setting_types: tuple[str, ...]) -> View:
    """Planned places by opening date as last recorded at a census up to the date, opened or still to open."""
    frame = frame.sort_values(["planned_open_date", "setting_name"], ignore_index=True)
    table = pd.DataFrame(
        {
            "Setting": frame["setting_name"],
            "URN": frame["setting_id"],
            "Setting type": labels.labels("setting_type", frame["setting_type"]),
            "District": labels.labels("district", frame["district"]),
            "Designation": labels.labels("designation", frame["designation"]),
            "Planned places": frame["planned_places"],
            "Opening date": pd.to_datetime(frame["planned_open_date"]).dt.strftime("%Y-%m-%d"),
            "Opened": frame["opened"].map({True: "Yes", False: "Not yet"}),
            "New setting": frame["new_setting"].map({True: "Yes", False: "No"}),
            "Last recorded at census": pd.to_datetime(frame["last_recorded"]).dt.strftime("%Y-%m-%d"),
        }
    )
    opened = int(table.loc[table["Opened"] == "Yes", "Planned places"].sum())
    still = table[table["Opened"] == "Not yet"]
    if table.empty:
        title = "No planned places recorded for these filters"
    else:
        title = (
            f"{fmt.count(opened + still['Planned places'].sum())} places in the pipeline: {fmt.count(opened)} "
            f"opened by {fmt.day(ctx.at)}"
        )
        if len(still):
            upcoming = still.iloc[0]
            title += (
                f" and {fmt.count(still['Planned places'].sum())} still to open, the next {upcoming['Setting']} "
                f"({fmt.plural(upcoming['Planned places'], 'place')}) on {_day(upcoming['Opening date'])}"
            )
    summary = (
        "Planned places by opening date as last recorded at a census, one bar segment per setting, split into "
        f"places whose opening date has passed by {fmt.day(ctx.at)} and places still to open "
        f"({_type_words(setting_types)})."
    )
    notes = (
        "Places opened are planned places whose opening date has passed, as settings recorded them at a census; "
        "they are not a count at a census. Places added, in the next chart, count commissioned places at a census "
        f"against the baseline for all of {AREA}, so they also take in places settings added beyond their plans.",
    )
    events = (
        None
        if table.empty
        else ctx.events_between(_date(table["Opening date"].min()), _date(table["Opening date"].max()))
    )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.dated_bars(
            shown,
            "Opening date",
            "Planned places",
            group="Opened",
            groups=[("Yes", "Opened"), ("Not yet", "Still to open")],
            label="Setting",
            y_title="Planned places",
            x_title="Opening date",
            events=events,
        )

    return View(
        "places_pipeline",
        title,
        summary,
        table,
        Spec(counts=(), keep=("Planned places",)),
        draw,
        f"specialist_places_pipeline_{month_key(ctx.at)}.csv",
        honours=PLACES_HONOURS,
        notes=notes,
    )


ADDED = "Places added since the baseline census"
COUNTED = "Commissioned places at the census"
PLANNED = "Planned places opened since the baseline (cumulative)"
REQUIRED = "Required by the straight line to the target"


def commitment(ctx: Context, promise: places.PlacesCommitment | None = None) -> View | None:
    """Commissioned places added since the baseline census, with planned openings, against the 200-place target
    (None when targets.csv has no such target or no census is on or before its baseline)."""
    promise = promise or places.commitment(ctx.run, ctx.at)
    if promise is None:
        return None
    target, due = promise.target, promise.target.due_date
    counted = pd.DataFrame(
        {
            "Date": promise.progress["snapshot_date"].dt.strftime("%Y-%m-%d"),
            COUNTED: promise.progress["commissioned"],
            ADDED: promise.progress["added"],
        }
    )
    planned = pd.DataFrame(
        {
            "Date": promise.planned["snapshot_date"].dt.strftime("%Y-%m-%d"),
            PLANNED: promise.planned["planned"],
        }
    )
    table = counted.merge(planned, on="Date", how="outer")
    # The straight line from nothing added at the baseline census to the target on its due date: the run rate
    # the Notice asks for, drawn through every date shown and the due date itself.
    line = replace(target, baseline=0.0, baseline_date=promise.baseline_census)
    due_row = pd.DataFrame({"Date": [due.isoformat()]})
    table = pd.concat([table, due_row[~due_row["Date"].isin(table["Date"])]]).sort_values(
        "Date", ignore_index=True
    )
    table[REQUIRED] = [
        None if v is None else round(v, 1)
        for v in rag.required_path(line, [date.fromisoformat(d) for d in table["Date"]])
    ]
    table = table.astype(
        {COUNTED: "Int64", ADDED: "Int64", PLANNED: "Int64"}
    )  # blank where a row has no such figure
    censuses = table[table[COUNTED].notna()]
    judged = censuses[censuses["Date"] == promise.counted_census.isoformat()].iloc[0]
    latest = censuses.iloc[-1]
    title = (
        f"{fmt.count(judged[ADDED])} places added since the {fmt.day(promise.baseline_census)} census, against the "
        f"{fmt.count(target.target)} target: {promise.judgement.label}"
    )
    if latest["Date"] != judged["Date"] and latest[ADDED] != judged[ADDED]:
        title += f" ({fmt.count(latest[ADDED])} by {_day(latest['Date'])})"
    baseline_note = ""
    if target.baseline is not None and int(target.baseline) != promise.baseline_places:
        baseline_note = f" (targets.csv gives {fmt.count(target.baseline)}; the census figure is used)"
    summary = (
        f"Commissioned places added since the baseline, the {fmt.day(promise.baseline_census)} census with "
        f"{fmt.count(promise.baseline_places)} places{baseline_note}, at each later census to "
        f"{fmt.day(promise.at)}, with planned places by opening date, against the target of "
        f"{fmt.count(target.target)} more places by {fmt.day(due)} ({target.source}). All setting types and "
        f"all of {AREA}; the filters do not apply."
    )
    judged_words = (
        f"Judged on the first census on or after the due date ({fmt.day(promise.judged_census)}), because "
        "places are counted at censuses."
        if promise.judged_census is not None
        else "Before the due date it is judged on places added so far plus the "
        f"{fmt.plural(promise.planned_by_due, 'place')} planned to open by the due date and not yet counted."
    )
    notes = (_reconciliation(promise), judged_words, f"Status rule: {promise.judgement.rule}")
    events = ctx.events_between(promise.baseline_census, max(ctx.at, _date(table["Date"].max())))

    def draw(shown: pd.DataFrame) -> go.Figure:
        shown = shown.assign(
            **{c: pd.to_numeric(shown[c], errors="coerce").astype(float) for c in (COUNTED, ADDED, PLANNED)}
        )
        at_census = shown[shown[COUNTED].notna() | shown[ADDED].notna()]
        steps = shown[shown[PLANNED].notna()].rename(columns={PLANNED: "planned"})
        figure = lines.commitment(
            at_census,
            "Date",
            Series(ADDED, "Places added (census)"),
            planned=steps,
            planned_label="Planned places by opening date (cumulative)",
            target=target.target,
            target_text=f"Target: {fmt.count(target.target)} more places",
            due=due,
            due_text=f"Due {fmt.day(due)}",
            y_title="Places added since the baseline",
            events=events,
        )
        return lines.add_target_path(
            figure, shown, x="Date", y=REQUIRED, label="Required: straight line to the target"
        )

    return View(
        "places_commitment",
        title,
        summary,
        table,
        Spec(counts=(), keep=(COUNTED, ADDED, PLANNED, REQUIRED)),
        draw,
        f"specialist_places_added_{month_key(ctx.at)}.csv",
        honours=WHOLE_AREA,
        notes=notes,
    )


OTHER_NEEDS = "All other needs"


def demand(ctx: Context, monthly: pd.DataFrame) -> View:
    """New EHC plans naming a specialist placement each month in the period, by primary need (the five largest
    needs in the period, then the rest together); `monthly` is places.demand_monthly over the period."""
    wide, shown = places.demand_by_need(monthly, ctx.period)
    names = {code: labels.label("primary_need", code) for code in shown} | {"other": OTHER_NEEDS}
    table = wide.rename(columns={"month": "Month", **names})
    table["Month"] = wide["month"].dt.strftime("%Y-%m")
    needs = list(names.values())
    recent = table.tail(12)
    first, last = pd.Timestamp(recent["Month"].iloc[0]).date(), pd.Timestamp(recent["Month"].iloc[-1]).date()
    span = (
        f"in the 12 months to {fmt.month_long(last)}"
        if len(recent) == 12
        else f"in {fmt.months(first, last)}"
    )
    partial = ctx.partial_month
    if partial is not None:
        span += f" (to {fmt.day(ctx.at)})"
    totals = recent[needs].sum()
    total = int(totals.sum())
    if total:
        title = f"{fmt.plural(total, 'new plan')} named a specialist placement {span}; " + fmt.words(
            [
                f"{need} {fmt.percent(100 * totals[need] / total, 0)}"
                for need in totals.drop(OTHER_NEEDS).sort_values(ascending=False, kind="stable").index[:2]
            ]
        )
    else:
        title = f"No new plans named a specialist placement {span}"
    summary = (
        f"New EHC plans naming a specialist placement each month by primary need, "
        f"{fmt.months(ctx.period.start, ctx.at)}: the five largest needs over the period and the rest together. "
        "Specialist placements are special schools (maintained), special academies, independent special schools "
        "and resourced provision (which includes SEN units, as in SEN2)."
    )
    marks, notes = part_month(ctx, "its bar counts the plans issued so far")
    events = ctx.events

    def draw(frame: pd.DataFrame) -> go.Figure:
        return bars.stacked_bars(
            frame,
            "Month",
            [Series(need) for need in needs],
            y_title="New plans naming a specialist placement",
            events=events,
            marks=marks,
        )

    return View(
        "places_demand",
        title,
        summary,
        table,
        Spec(counts=tuple(needs)),
        draw,
        f"specialist_placement_demand_{month_key(ctx.period.start)}_{month_key(ctx.at)}.csv",
        honours=EVERY_FILTER,
        notes=notes,
    )


def gap(ctx: Context, frame: pd.DataFrame, census: date, designations: pd.DataFrame | None = None) -> View:
    """By need: new plans naming a specialist placement in the 12 months to the census's month against spare
    places at the census (places.demand_vs_spare); `designations` is the spare places chart's frame, so a note
    can say where the two charts' spare places differ."""
    window = places.demand_window(census, ctx.at)
    months = fmt.months(window.start, window.end)
    demand_column = f"New plans naming a specialist placement ({months})"
    spare_column = f"Spare places at the {fmt.day(census)} census"
    frame = frame[(frame["new_specialist_plans"] > 0) | (frame["commissioned"] > 0)]
    table = pd.DataFrame(
        {
            "Need or designation": [_need_words(c) for c in frame["need"]],
            demand_column: frame["new_specialist_plans"],
            COMMISSIONED: frame["commissioned"],
            OCCUPIED: frame["occupied"],
            spare_column: frame["spare"],
        }
    ).reset_index(drop=True)
    if table.empty:
        title = "No demand or places match the filters"
    else:
        first = table.iloc[0]
        title = (
            f"{first['Need or designation']}: {fmt.plural(first[demand_column], 'new plan')} naming a specialist "
            f"placement in {months}, against {_spare_words(first[spare_column])} at the {fmt.day(census)} census"
        )
        if len(table) > 1:
            second = table.iloc[1]
            title += (
                f"; {second['Need or designation']}: {fmt.count(second[demand_column])} against "
                f"{_spare_words(second[spare_column])}"
            )
    summary = (
        f"By need: new plans naming a specialist placement in {months}, as the monthly chart counts them, against "
        f"spare places at the {fmt.day(census)} census in settings of the same designation that a plan can name "
        "(negative: more children than places), largest demand over spare places first. Places also free up as "
        "children leave, so it is a guide for comparing needs."
    )
    differences = _alternative_provision(designations, frame) if designations is not None else []
    notes = ()
    if differences:
        notes = (
            "Spare places here leave out alternative provision, which a plan cannot name, so they differ from the "
            "spare places chart above: "
            + fmt.words(
                [
                    f"{name} {_short_spare(named)} here, {_short_spare(every)} there"
                    for name, every, named in differences
                ]
            )
            + ".",
        )

    def draw(shown: pd.DataFrame) -> go.Figure:
        return bars.horizontal_bars(
            shown,
            "Need or designation",
            [Series(demand_column), Series(spare_column)],
            x_title="Plans or places",
        )

    return View(
        "places_gap",
        title,
        summary,
        table,
        Spec(counts=(demand_column, OCCUPIED), keep=(COMMISSIONED,)),
        draw,
        f"specialist_demand_vs_spare_{census.isoformat()}.csv",
        honours=GAP_HONOURS,
        notes=notes,
    )


INDEPENDENT = "Children in independent special schools"
ALL_SPECIALIST = "Children in all specialist settings"
SHARE = "Independent share %"


def independent(ctx: Context, frame: pd.DataFrame) -> View:
    """Children in independent special schools at each census in the period, and their share of all children in
    specialist settings (places.independent_over_time)."""
    table = pd.DataFrame(
        {
            "Census": frame["snapshot_date"].dt.strftime("%Y-%m-%d"),
            INDEPENDENT: frame["occupied_independent"],
            ALL_SPECIALIST: frame["occupied"],
            SHARE: frame["independent_share"].round(1),
        }
    ).reset_index(drop=True)
    if table.empty:
        title = f"No independent special school places in {fmt.months(ctx.period.start, ctx.at)}"
    else:
        first, last = table.iloc[0], table.iloc[-1]
        change = (
            "unchanged"
            if last[INDEPENDENT] == first[INDEPENDENT]
            else "up"
            if last[INDEPENDENT] > first[INDEPENDENT]
            else "down"
        )
        title = (
            f"Children in independent special schools {change} from {fmt.count(first[INDEPENDENT])} at the "
            f"{_day(first['Census'])} census to {fmt.count(last[INDEPENDENT])} at the {_day(last['Census'])} "
            f"census, {fmt.percent(last[SHARE])} of children in specialist places"
        )
    summary = (
        "Children in independent special schools (the most expensive route) at each census, and their share of "
        "all children in specialist settings (special schools and academies, resourced provision, SEN units and "
        "independent special schools). The setting type control does not apply."
    )
    events = ctx.events

    def draw(shown: pd.DataFrame) -> go.Figure:
        share = pd.to_numeric(shown[SHARE], errors="coerce").max()
        top = max(10.0, 1.5 * float(share)) if pd.notna(share) else 10.0
        return lines.time_series(
            shown,
            "Census",
            [Series(INDEPENDENT), Series(SHARE, "Share of children in specialist places (right axis)", "y2")],
            y_title="Children (occupied places)",
            y2_title="Share (right axis)",
            percent_axis="y2",
            y2_range=(0, top),
            events=events,
            x_hover="%-d %b %Y",
        ).update_layout(yaxis2={"tickmode": "linear", "tick0": 0, "dtick": 2 if top <= 20 else 10})

    return View(
        "places_independent",
        title,
        summary,
        table,
        Spec(counts=(INDEPENDENT, ALL_SPECIALIST), rates={SHARE: Rate(ALL_SPECIALIST, INDEPENDENT)}),
        draw,
        f"independent_special_places_{month_key(ctx.at)}.csv",
        honours=PLACES_HONOURS,
    )


def settings(ctx: Context, frame: pd.DataFrame, census: date, setting_types: tuple[str, ...]) -> View:
    """Every setting's places, spare places and occupancy at one census: a table with no chart."""
    table = pd.DataFrame(
        {
            "Setting": frame["setting_name"],
            "URN": frame["setting_id"],
            "Setting type": labels.labels("setting_type", frame["setting_type"]),
            "District": labels.labels("district", frame["district"]),
            "Designation": labels.labels("designation", frame["designation"]),
            COMMISSIONED: frame["commissioned"],
            OCCUPIED: frame["occupied"],
            SPARE: frame["spare"],
            OCCUPANCY: frame["occupancy_pct"].round(1),
            "Over 100%": frame["over_capacity"].map({True: "▲ Yes", False: "No"}),
            "Planned places": frame["planned_places"],
            "Planned opening": pd.to_datetime(frame["planned_open_date"]).dt.strftime("%Y-%m-%d"),
        }
    )
    over = int((table["Over 100%"] == "▲ Yes").sum())
    title = (
        f"{fmt.plural(len(table), 'setting')} at the {fmt.day(census)} census, {over} of them over 100% "
        "occupancy"
    )
    summary = (
        f"Each setting's places at the {fmt.day(census)} census ({_type_words(setting_types)}), with places "
        "planned in the pipeline. Select a column heading to sort."
    )
    spec = Spec(
        counts=(OCCUPIED,),
        rates={OCCUPANCY: Rate(COMMISSIONED, OCCUPIED)},
        keep=(COMMISSIONED, "Planned places"),
    )
    return View(
        "places_settings",
        title,
        summary,
        table,
        spec,
        None,
        f"specialist_settings_{census.isoformat()}.csv",
        honours=PLACES_HONOURS,
    )


# ---------------------------------------------------------------------------------------------------
# Words


def _type_words(setting_types: Sequence[str]) -> str:
    return fmt.words(labels.labels("setting_type", setting_types), "all setting types")


def _group_words(by: str, code: str) -> str:
    # Localities have no label of their own; settings outside Lancashire have the district's.
    return labels.label("district" if by == "locality" else by, code)


def _need_words(code: str) -> str:
    """A need code in words: needs on the demand side, designations (which add mixed needs) on the supply side."""
    return labels.label("designation" if code in labels.LABELS["designation"] else "primary_need", code)


def _day(iso: str) -> str:
    return fmt.day(_date(iso))


def _date(iso: str) -> date:
    return date.fromisoformat(iso)


def _spare_words(spare: float) -> str:
    """'12 spare places', or 'no spare places (57 more children than places)'."""
    if spare >= 0:
        return f"{fmt.plural(spare, 'spare place')}"
    return f"no spare places ({fmt.plural(-spare, 'more child', 'more children')} than places)"


def _short_spare(spare: float) -> str:
    """A bar's label: '12 spare' or 'over by 57' ('' when the figure is hidden)."""
    if pd.isna(spare):
        return ""
    return f"over by {fmt.count(-spare)}" if spare < 0 else f"{fmt.count(spare)} spare"


def _occupied_words(occupied: float, rate: float) -> str:
    if pd.isna(occupied):
        return ""
    if pd.isna(rate):
        return fmt.count(occupied)
    return f"{fmt.count(occupied)} ({fmt.percent(rate, 0)}{' ▲ over 100%' if rate > 100 else ''})"


def _occupancy_judgement(
    ctx: Context, occupancy: places.Occupancy, setting_types: tuple[str, ...]
) -> Judgement | None:
    """Occupancy against the planning level, only for the places of all of Lancashire (the level it is set for)."""
    if ctx.filters.scoped or setting_types:
        return None
    return places.occupancy_judgement(ctx.run, occupancy.rate)


def _reconciliation(promise: places.PlacesCommitment) -> str:
    """How places added at a census relate to the pipeline's places opened and to the latest census, in words."""
    words = (
        f"Of the {fmt.plural(promise.added, 'place')} added by the {fmt.day(promise.counted_census)} census, "
        f"{fmt.count(promise.planned_opened)} were planned openings (the pipeline's places opened by then)"
    )
    if promise.unplanned >= 0:
        words += (
            f" and the other {fmt.count(promise.unplanned)} were places settings added beyond any planned "
            "opening recorded at a census."
        )
    else:
        words += f", less {fmt.count(-promise.unplanned)} places settings gave up elsewhere."
    if promise.latest_census != promise.counted_census:
        words += (
            f" By the latest census, {fmt.day(promise.latest_census)}, "
            f"{fmt.count(promise.latest_added)} places had been added: "
            f"{fmt.count(promise.latest_added - promise.added)} more since."
        )
    return words


def _alternative_provision(
    designations: pd.DataFrame | None, specialist: pd.DataFrame | None
) -> list[tuple[str, int, int]]:
    """Designations whose spare places differ between the spare places chart (every chosen setting type) and the
    demand chart (settings a plan can name, so not alternative provision): name, spare there, spare here."""
    if designations is None or specialist is None:
        return []
    every = designations.set_index("breakdown")["spare"].rename("every")
    named = specialist.set_index("need")["spare"].rename("named")
    both = pd.concat([every, named], axis=1).fillna(0).astype(int)
    differ = both[both["every"] != both["named"]]
    return [
        (labels.label("designation", code), int(row.every), int(row.named)) for code, row in differ.iterrows()
    ]


def _drill(by: str, codes: Sequence[str], names: Sequence[str]) -> Drill | None:
    """Clicking a district, locality or designation's bar sets the shared filter it stands for."""
    key = _DRILLS.get(by)
    if key is None:
        return None
    allowed = set(labels.NEEDS) if by == "designation" else None
    code_by_name = {
        name: code
        for code, name in zip(codes, names, strict=True)
        if code != contract.OUT_OF_AREA and (allowed is None or code in allowed)
    }
    return Drill(key, lambda point: code_by_name.get(point.get("y")))
