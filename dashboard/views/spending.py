"""The Spending page's views: budget against actual by month, the budget lines behind the forecast, spend by
financial year beside the published allocation, unit costs and the staffing commitment; and its headline tiles.

The finance extract is for the whole authority, so no view follows the area, need, age, source or placement
filters, and each says so in words when one is set. Every figure is as at ctx.at, the end of the chosen
period capped at the data's date: which months have closed, the year to date and every forecast.
"""

from __future__ import annotations

import pandas as pd

from dashboard import contract, fmt, labels
from dashboard.charts import money
from dashboard.charts.template import Series
from dashboard.dates import FinancialYear, add_months, month_key
from dashboard.measures import kpis, spending
from dashboard.measures.spending import HEADLINE_METHOD, METHODS
from dashboard.outputs.suppression import Spec
from dashboard.views.base import Context, Headline, Honours, View, month_column

FINANCE = Honours(
    area=False,
    need=False,
    age=False,
    requests=False,
    note="the finance extract is for the whole authority, so they do not apply to spending.",
)
# The views that show one financial year (or every year) whatever the period's first month; each still
# follows its last month, the date every figure is as at.
FINANCE_AT_A_DATE = Honours(
    period=False, area=False, need=False, age=False, requests=False, note=FINANCE.note
)

INTRO = (
    "High-needs budget against actual spend, by month and by budget line: the year to date, the forecast "
    "outturn for the financial year and the lines driving it, spend by financial year beside the published "
    "high needs block allocation, and unit costs."
)
WHERE_FILTERS_APPLY = (
    "**Filters that apply here:** the finance extract is for the whole authority, so locality, district, primary "
    "need, age group, request source and placement do **not** apply to this page. Every figure is as at the end "
    "of the chosen period (the last day of its **To** month, or the data's date if that is earlier): which months "
    "have closed, the year to date and the forecasts. The period also chooses which financial years the "
    "year-by-year chart shows (every April-to-March year that overlaps it). The financial year, forecast method "
    "and budget lines chosen below set everything else, and a copied link keeps them."
)
UNIT_COSTS_NOTE = (
    "Unit costs are for the whole authority and ignore the budget lines control. Spend comes from the "
    "finance extract; places and EP assessments from the specialist places and EP extracts, counted "
    "exactly as on their own pages."
)
SCOPE_HELP = (
    "All lines, or only those paid from one funding source (the high needs block of the dedicated schools "
    "grant, or the council's general fund). Unit costs are always for their own line."
)
METHOD_HELP = (
    "How the rest of the year is forecast. Both are shown in the tiles; the headline method is the one the "
    "Overview uses."
)

# The controls' options are what the URL holds (Streamlit writes the shown option), so they are words.
METHOD_NAMES: dict[str, str] = {m.short: m.key for m in METHODS.values()}
METHOD_CAPTIONS = [
    ("Headline: " if m.key == HEADLINE_METHOD else "") + m.label.lower() for m in METHODS.values()
]
SCOPE_NAMES: dict[str, str] = {name: key for key, (name, _, _) in spending.FUNDING_SCOPES.items()}
ALL_LINES = "All lines in scope"

SPEND_PER_PLACE = "Spend per place (£)"
SPEND_PER_ASSESSMENT = "Spend per assessment (£)"


def _scope_words(scope: str) -> str:
    return spending.FUNDING_SCOPES[scope][1]


def _method_words(method: str) -> str:
    return METHODS[method].label.lower()


def _closed_to(last_closed: object) -> str:
    """' (to Dec 2024)' after a count of closed months, or nothing when none has closed."""
    return (
        "" if last_closed is None or pd.isna(last_closed) else f" (to {fmt.month(pd.Timestamp(last_closed))})"
    )


# --- The page's controls and the words around them ----------------------------------------------------------


def year_help(ctx: Context) -> str:
    """What the financial year control means, and which year the date the figures are at falls in."""
    return (
        f"April to March. The figures are as at {fmt.day(ctx.at)}, which falls in "
        f"{FinancialYear.containing(ctx.at).label}; choosing another year keeps that date."
    )


def year_options(ctx: Context, offered: list[FinancialYear]) -> tuple[list[str], int]:
    """The financial year control's options, latest first, and the one to show until a year is chosen: the
    year the date the figures are at falls in (the latest year in the extract if it has no such year)."""
    choices = [year.label for year in reversed(offered)]
    current = FinancialYear.containing(ctx.at).label
    return choices, choices.index(current) if current in choices else 0


def line_options(ranked: pd.DataFrame) -> dict[str, str | None]:
    """The monthly chart's budget line choices in words, to their codes (None: every line in scope)."""
    codes = sorted(ranked["budget_line"].unique(), key=lambda code: labels.label("budget_line", code))
    return {ALL_LINES: None} | {labels.label("budget_line", code): code for code in codes}


def as_at(ctx: Context, year: FinancialYear, scope: str) -> str:
    """The heading over the tiles: which year, which lines, and the date the figures are at."""
    return f"#### {year.label}: {_scope_words(scope)}, as at {fmt.day(ctx.at)}"


def method_note(method: str) -> str:
    """How the forecast is made, in words, and which method the tiles and charts use."""
    headline, run_rate = METHODS[HEADLINE_METHOD], METHODS["run_rate"]
    chosen = " (the headline)." if method == HEADLINE_METHOD else ", chosen above instead of the headline."
    return (
        f"**How the forecast is made.** The headline method (used on the Overview) is "
        f"*{headline.label.lower()}*: {headline.formula}; it assumes {headline.assumption}. Shown alongside is "
        f"*{run_rate.label.lower()}*: {run_rate.formula} (the ratio is 1 before any month closes and never "
        f"below 0); it assumes {run_rate.assumption}. Both are worked out line by line and added up. The tiles, "
        f"line ranking and year-by-year chart use **{_method_words(method)}**{chosen}"
    )


# --- Headline tiles ----------------------------------------------------------------------------------------------


def headlines(
    ctx: Context,
    year: FinancialYear,
    method: str,
    scope: str,
    ranked: pd.DataFrame,
    independent: pd.DataFrame,
    ep_costs: pd.DataFrame,
    staffing: spending.StaffingCommitment | None,
) -> list[Headline]:
    """The page's tiles: the year's budget, actual and variance to date, forecast outturn under both methods,
    unit costs and the staffing commitment, each linking to the chart that shows it."""
    outturn = spending.outturn_from_lines(ranked, year, ctx.at, method)
    other = next(key for key in METHODS if key != method)
    alternative = spending.outturn_from_lines(ranked, year, ctx.at, other)
    ytd, words = outturn.year_to_date, _scope_words(scope)
    closed_to = _closed_to(outturn.last_closed_month)
    tiles = [
        Headline(
            f"Budget {year.label}",
            fmt.money(outturn.budget),
            view="spending_lines",
            help=f"{fmt.money(outturn.budget, exact=True)}: the approved budget for the whole of {year.label}, {words}.",
        ),
        Headline(
            "Actual to date",
            fmt.money(outturn.actual_to_date),
            view="spending_monthly",
            delta=f"{outturn.months_closed} of {outturn.months} months closed",
            help=f"{fmt.money(outturn.actual_to_date, exact=True)} spent in the months closed by {fmt.day(ctx.at)}"
            f"{closed_to}. A month is closed once the extract has its actual and the month has ended.",
        ),
        Headline(
            "Year-to-date variance",
            fmt.variance(ytd.variance, short=True),
            view="spending_monthly",
            delta=f"on {fmt.money(ytd.budget_to_date)} budget to date",
            help=f"Actual {fmt.money(ytd.actual_to_date, exact=True)} against budget {fmt.money(ytd.budget_to_date, exact=True)} over the "
            f"{ytd.months_closed} months closed by {fmt.day(ctx.at)}: {fmt.money(ytd.variance, exact=True)} "
            f"({fmt.variance(ytd.variance)}). Positive is an overspend.",
        ),
        _forecast_tile(ctx, year, method, scope, outturn),
        Headline(
            f"{METHODS[other].short} variance",
            fmt.variance(alternative.variance, short=True),
            view="spending_lines",
            delta=f"outturn {fmt.money(alternative.forecast)}",
            help=f"The other method, for comparison: {fmt.money(alternative.forecast, exact=True)} outturn, "
            f"{fmt.money(alternative.variance, exact=True)} against budget. {alternative.method_text}",
        ),
    ]
    return tiles + [
        _independent_tile(year, independent),
        _ep_tile(year, ep_costs),
        _staffing_tile(ctx, staffing),
    ]


def _forecast_tile(
    ctx: Context, year: FinancialYear, method: str, scope: str, outturn: spending.Outturn
) -> Headline:
    # With the headline method on every line, for the year the date falls in, this is the Overview's tile:
    # the same measure at the same date, so it carries the Overview's status too.
    overview = (
        kpis.forecast_variance_kpi(ctx.run, ctx.at)
        if (method, scope, year) == (HEADLINE_METHOD, "all", FinancialYear.containing(ctx.at))
        else None
    )
    status = (
        f" Status, as on the Overview: {overview.rule}" if overview is not None and overview.judgement else ""
    )
    return Headline(
        "Outturn" if outturn.is_final else "Forecast outturn",
        fmt.money(outturn.forecast),
        view="spending_lines",
        delta=fmt.variance(outturn.variance),
        judgement=overview.judgement if overview is not None else None,
        help=f"{fmt.money(outturn.forecast, exact=True)}, {fmt.money(outturn.variance, exact=True)} against the budget of "
        f"{fmt.money(outturn.budget, exact=True)}, as at {fmt.day(ctx.at)}. Method: {outturn.method_label}. "
        f"{outturn.method_text}{status}",
    )


def _independent_tile(year: FinancialYear, costs: pd.DataFrame) -> Headline:
    label = f"Independent placement cost per place, {year.label}"
    row = costs[costs["fy_start_year"] == year.start_year]
    if row.empty or pd.isna(row["cost_per_place_gbp"].iloc[0]):
        return Headline(
            label,
            fmt.MISSING,
            view="spending_independent_unit_cost",
            help="Needs independent special placement spend and a places census in the year with "
            "occupied independent special places.",
        )
    row = row.iloc[0]
    return Headline(
        label,
        fmt.money(row["cost_per_place_gbp"], exact=None),
        view="spending_independent_unit_cost",
        delta="forecast" if row["forecast"] else "outturn",
        help=f"{fmt.money(row['spend_gbp'], exact=True)} independent special placement spend"
        f"{' (forecast outturn)' if row['forecast'] else ''} ÷ {fmt.count(row['occupied_places'])} occupied "
        f"places in independent special settings at the census of {fmt.day(row['census_date'].date())} (the "
        f"latest in the year) = {fmt.money(row['cost_per_place_gbp'], exact=True)} a place a year.",
    )


def _ep_tile(year: FinancialYear, costs: pd.DataFrame) -> Headline:
    label = f"EP spend per completed assessment, {year.label}"
    row = costs[costs["fy_start_year"] == year.start_year]
    if row.empty or pd.isna(row["cost_per_assessment_gbp"].iloc[0]):
        return Headline(
            label,
            fmt.MISSING,
            view="spending_ep_unit_cost",
            help="Needs closed months of EP service spend and EP advice completed in them.",
        )
    row = row.iloc[0]
    return Headline(
        label,
        fmt.money(row["cost_per_assessment_gbp"], exact=None),
        view="spending_ep_unit_cost",
        delta=f"{row['months_closed']} closed months",
        help=f"{fmt.money(row['spend_gbp'], exact=True)} EP service spend ÷ {fmt.count(row['completed'])} pieces of EP advice "
        f"completed in the same {row['months_closed']} closed months = {fmt.money(row['cost_per_assessment_gbp'], exact=True)} "
        "each.",
    )


def _staffing_tile(ctx: Context, staffing: spending.StaffingCommitment | None) -> Headline:
    if staffing is None:
        return Headline(
            "Additional casework staffing",
            fmt.MISSING,
            help="reference/targets.csv has no send_staffing_additional_gbp commitment.",
        )
    label = (
        f"Additional casework staffing {staffing.year.label} (commitment {fmt.money(staffing.target.target)})"
    )
    if staffing.progress.empty:
        return Headline(label, fmt.MISSING, help=staffing_gap(ctx, staffing))
    return Headline(
        label,
        fmt.money(staffing.additional),
        view="spending_staffing",
        judgement=staffing.judgement,
        help=f"SEND casework staffing spend in {staffing.year.label} ({fmt.money(staffing.spend, exact=True)} over its "
        f"{staffing.months_closed} closed months) minus {staffing.baseline_year.label} spend over the same "
        f"months ({fmt.money(staffing.baseline_spend, exact=True)}) = {fmt.money(staffing.additional, exact=True)}. The shared RAG rule, "
        f"in pounds: {staffing.judgement.rule}",
    )


# --- Month by month ----------------------------------------------------------------------------------------------


def monthly(
    ctx: Context, year: FinancialYear | None = None, scope: str = "all", line: str | None = None
) -> View:
    """Budget and actual each month of the year and the year before, as at ctx.at; months not closed shaded."""
    year = year or FinancialYear.containing(ctx.at)
    words = labels.label("budget_line", line) if line else _scope_words(scope)
    months = spending.monthly(
        ctx.run, year.previous, year, ctx.at, (line,) if line else (), spending.funding(scope)
    )
    table = pd.DataFrame(
        {
            "Month": month_column(months),
            "Financial year": months["financial_year"],
            "Budget (£)": months["budget_gbp"],
            "Budget in closed months (£)": months["budget_closed_gbp"],
            "Actual (£)": months["actual_gbp"],
            "Variance (£)": months["variance_gbp"],
            "Year-to-date variance (£)": months["fytd_variance_gbp"],
        }
    )
    closed = table.loc[table["Financial year"] == year.label, "Year-to-date variance (£)"].dropna()
    if not (table["Financial year"] == year.label).any():
        title = f"No spending on {fmt.in_sentence(words)} in {year.label}"
    elif closed.empty:
        title = f"No month of {year.label} had closed by {fmt.day(ctx.at)}"
    else:
        title = f"{fmt.sentence_case(words)}: {fmt.variance(closed.iloc[-1])} after {len(closed)} months of {year.label}"
    # The months still open are the run after the last closed one (a month is closed once it has an actual and
    # has ended by ctx.at).
    last_closed = months.loc[months["lines_closed"] > 0, "month"].max()
    still_open = months[months["month"] > last_closed] if pd.notna(last_closed) else months
    open_from = month_key(still_open["month"].iloc[0]) if len(still_open) else None
    notes = (
        (
            f"{fmt.months(still_open['month'].iloc[0], still_open['month'].iloc[-1])} had not closed by "
            f"{fmt.day(ctx.at)} (no actual yet, or the month had not ended), so the chart shows their budget only, "
            "shaded.",
        )
        if open_from
        else ()
    )
    events = ctx.events_between(year.previous.start, year.end)

    def draw(shown: pd.DataFrame):
        return money.monthly_budget_and_actual(
            shown,
            "Month",
            Series("Actual (£)", "Actual (closed months)"),
            Series("Budget (£)", "Budget"),
            open_from=open_from,
            events=events,
        )

    return View(
        key="spending_monthly",
        title=title,
        table=table,
        draw=draw,
        notes=notes,
        honours=FINANCE_AT_A_DATE,
        summary=f"Budget and actual spend each month for {fmt.in_sentence(words)}, {year.previous.label} and "
        f"{year.label}, as at {fmt.day(ctx.at)}. A month not yet closed shows its budget only. Milestones are "
        "marked. The table has exact pounds and the running year-to-date variance.",
        filename=f"spending_monthly_{year.label}.csv",
        spec=Spec(counts=(), keep=tuple(c for c in table.columns if c.endswith("(£)"))),
    )


# --- By budget line ----------------------------------------------------------------------------------------------


def lines(
    ctx: Context,
    year: FinancialYear | None = None,
    method: str = HEADLINE_METHOD,
    scope: str = "all",
    ranked: pd.DataFrame | None = None,
) -> View:
    """Each budget line's forecast variance for a financial year as at ctx.at, largest overspend first.

    `ranked` is spending.lines for the same year, method and scope, when the caller has it already.
    """
    year = year or FinancialYear.containing(ctx.at)
    if ranked is None:
        ranked = spending.lines(ctx.run, year, ctx.at, method, spending.funding(scope))
    outturn = spending.outturn_from_lines(ranked, year, ctx.at, method)
    chosen = _method_words(method)
    forecast, variance = f"Forecast outturn, {chosen} (£)", f"Forecast variance, {chosen} (£)"
    table = pd.DataFrame(
        {
            "Budget line": labels.labels("budget_line", ranked["budget_line"]),
            "Funding source": labels.labels("funding_source", ranked["funding_source"]),
            "Budget (£)": ranked["budget_gbp"],
            "Months closed": ranked["months_closed"],
            "Budget to date (£)": ranked["budget_to_date_gbp"],
            "Actual to date (£)": ranked["actual_to_date_gbp"],
            "Budget for the months not yet closed (£)": ranked["budget_not_closed_gbp"],
        }
    )
    if method == "run_rate":
        table["Actual ÷ budget to date"] = ranked["run_rate_ratio"].round(4)
    table[forecast] = ranked[f"forecast_{method}_gbp"]
    table[variance] = ranked[f"variance_{method}_gbp"]
    title = _lines_title(table, variance, year, outturn.is_final)
    closed = (
        f"{outturn.months_closed} of {outturn.months} months of {year.label} had closed by {fmt.day(ctx.at)}"
    )
    notes = (
        ()
        if outturn.is_final
        else (
            f"{closed}{_closed_to(outturn.last_closed_month)}; the rest of the year is forecast ({chosen}).",
        )
    )
    axis = (
        "Variance (outturn − budget)" if outturn.is_final else "Forecast variance (forecast outturn − budget)"
    )

    def draw(shown: pd.DataFrame):
        return money.variance_by_line(shown, "Budget line", Series(variance, axis))

    return View(
        key="spending_lines",
        title=title,
        table=table,
        draw=draw,
        notes=notes,
        honours=FINANCE_AT_A_DATE,
        summary=f"Each budget line's forecast variance for {year.label} ({chosen}), as at {fmt.day(ctx.at)}, largest "
        "overspend first: "
        + "; ".join(
            f"{line} {fmt.variance(value)}"
            for line, value in zip(table["Budget line"], table[variance], strict=True)
        )
        + ". The table has the figures behind each forecast, in exact pounds.",
        filename=f"spending_by_line_{year.label}.csv",
        spec=Spec(
            counts=(), keep=tuple(c for c in table.columns if c not in ("Budget line", "Funding source"))
        ),
    )


def _lines_title(table: pd.DataFrame, variance: str, year: FinancialYear, final: bool) -> str:
    """The year's variance and the lines that make up most of an overspend, from the chart's own column."""
    if table.empty:
        return f"No spending lines in {year.label}"
    total = float(table[variance].sum())
    forecast = "" if final else "Forecast "
    if round(total) > 0:
        drivers = spending.overspend_drivers(table.rename(columns={variance: "variance_gbp"}))
        names = [fmt.in_sentence(name) for name in drivers["Budget line"]]
        return fmt.sentence_case(
            f"{forecast}overspend of {fmt.money(total)} in {year.label}, mostly {fmt.words(names)}"
        )
    if round(total) < 0:
        return fmt.sentence_case(f"{forecast}underspend of {fmt.money(-total)} in {year.label}")
    return f"{year.label} is {'forecast to spend' if not final else 'spent to'} its budget"


# --- Year by year ------------------------------------------------------------------------------------------------


ALLOCATION_COLUMN = "Published high needs block allocation, before deductions (£)"
FORECAST_COLUMN = "Forecast for months not yet closed (£)"
OUTTURN_COLUMN = "Outturn or forecast outturn (£)"
_FUNDING_COLUMNS = {
    "high_needs_block": "Actual, high needs block lines (£)",
    "council_general_fund": "Actual, council general fund lines (£)",
}


def years(ctx: Context, method: str = HEADLINE_METHOD, scope: str = "all") -> View:
    """Spend each financial year overlapping the chosen period, by funding source, against the budget and the
    published high needs block allocation, as at ctx.at."""
    offered = spending.years_in_extract(ctx.run, ctx.at)
    funding = spending.funding(scope)
    by_year = spending.by_year(ctx.run, offered[0], offered[-1], ctx.at, funding, method)
    first, last = FinancialYear.containing(ctx.filters.period_start), FinancialYear.containing(ctx.at)
    shown = by_year[by_year["fy_start_year"].between(first.start_year, last.start_year)]
    notes = []
    if shown.empty:
        shown = by_year
        notes.append("No financial year overlaps the selected period, so every year in the extract is shown.")
    sources = [s for s in contract.FUNDING_SOURCES if not funding or s in funding]
    table = pd.DataFrame(
        {"Financial year": shown["financial_year"], "Budget (£)": shown["budget_gbp"]}
        | {_FUNDING_COLUMNS[s]: shown[f"actual_{s}_gbp"] for s in sources}
        | {
            FORECAST_COLUMN: shown["not_closed_forecast_gbp"],
            OUTTURN_COLUMN: shown["forecast_gbp"],
            "Months closed": shown["months_closed"],
            "Year still open": ~shown["final"],
        }
    )
    # The allocation funds the high needs block lines, so it is not drawn against the general fund lines alone.
    allocation = spending.published_allocation(ctx.run)
    allocation = allocation[allocation["financial_year"].isin(table["Financial year"])]
    reference = None
    if "high_needs_block" in sources and len(allocation):
        table = table.merge(
            allocation[["financial_year", "allocation_gbp", "release_label"]].rename(
                columns={
                    "financial_year": "Financial year",
                    "allocation_gbp": ALLOCATION_COLUMN,
                    "release_label": "Allocation source",
                }
            ),
            on="Financial year",
            how="left",
        )
        covered = " to ".join(dict.fromkeys(allocation["financial_year"].iloc[[0, -1]]))
        reference = Series(ALLOCATION_COLUMN, f"{spending.ALLOCATION_LABEL}, before deductions ({covered})")
        notes.append(_allocation_note(allocation.iloc[-1], table))
    else:
        notes.append(
            "The published high needs block allocation is not drawn: it is for the high needs block lines "
            "and covers 2019-20 to 2023-24 only."
        )
    table = table.reset_index(drop=True)
    still_open = table[table["Year still open"]]
    if len(still_open):
        latest = still_open.iloc[-1]
        notes.insert(
            0,
            f"{latest['Financial year']} is not over: {fmt.plural(int(latest['Months closed']), 'month')} "
            f"had closed by {fmt.day(ctx.at)}, and the grey dotted part is the forecast for the rest "
            f"({_method_words(method)}).",
        )
    stack = [
        Series(_FUNDING_COLUMNS[s], f"Actual: {fmt.in_sentence(labels.label('funding_source', s))} lines")
        for s in sources
    ]

    def draw(shown_table: pd.DataFrame):
        return money.spend_by_year(
            shown_table,
            "Financial year",
            stack,
            Series("Budget (£)", "Budget"),
            forecast=Series(FORECAST_COLUMN, "Forecast for months not yet closed"),
            partial="Year still open",
            reference=reference,
        )

    return View(
        key="spending_years",
        title=_years_title(table, scope),
        table=table,
        draw=draw,
        notes=tuple(notes),
        honours=FINANCE,
        summary=f"Spend each financial year (April to March) on {_scope_words(scope)}, split by funding source, with "
        "the budget marked as a black bar; a year not yet over shows its actual to date and, dotted grey, the "
        f"forecast for the months not yet closed ({_method_words(method)}), as at {fmt.day(ctx.at)}.",
        filename=f"spending_by_year_{scope}.csv",
        spec=Spec(
            counts=(), keep=tuple(c for c in table.columns if c.endswith("(£)") or c == "Months closed")
        ),
    )


def _years_title(table: pd.DataFrame, scope: str) -> str:
    """The trend in outturn across the years shown, ending with the latest (a forecast while it is open)."""
    if table.empty:
        return f"Spend by financial year, {_scope_words(scope)}"
    complete = table[~table["Year still open"]]
    latest = table.iloc[-1]
    parts = []
    if len(complete) >= 2:
        a, b = complete.iloc[0], complete.iloc[-1]
        before, after = a[OUTTURN_COLUMN], b[OUTTURN_COLUMN]
        change = (
            f" ({'+' if after > before else ''}{fmt.percent(100 * (after / before - 1), 0)})"
            if before
            else ""
        )
        parts.append(
            f"spend {'rose' if after >= before else 'fell'} from {fmt.money(before)} in "
            f"{a['Financial year']} to {fmt.money(after)} in {b['Financial year']}{change}"
        )
    elif len(complete) == 1:
        parts.append(
            f"spend was {fmt.money(complete.iloc[0][OUTTURN_COLUMN])} in {complete.iloc[0]['Financial year']}"
        )
    if latest["Year still open"]:
        parts.append(
            f"{latest['Financial year']} is forecast at {fmt.money(latest[OUTTURN_COLUMN])} with "
            f"{fmt.plural(int(latest['Months closed']), 'month')} closed"
        )
    return fmt.sentence_case("; ".join(parts))


def _allocation_note(latest: pd.Series, table: pd.DataFrame) -> str:
    hnb = table.set_index("Financial year").get(_FUNDING_COLUMNS["high_needs_block"])
    spent = hnb.get(latest["financial_year"]) if hnb is not None else None
    against = f" against {fmt.money(spent)} spent on the high needs block lines here" if spent else ""
    return (
        f"The dotted line with diamonds is the {spending.ALLOCATION_LABEL} for Lancashire ({spending.LANCASHIRE}, "
        f"old code 888), {spending.ALLOCATION_NOTE}: {latest['financial_year']} "
        f"{fmt.money(latest['allocation_gbp'])}{against}. Source: {latest['release_label']}, file "
        f"{latest['source_file']}. It is context, not this budget: the council's high-needs budget also reflects "
        "deductions, recoupment and any transfers between blocks."
    )


# --- Unit costs --------------------------------------------------------------------------------------------------


def independent_unit_cost(
    ctx: Context, method: str = HEADLINE_METHOD, costs: pd.DataFrame | None = None
) -> View:
    """Independent special placement spend per occupied independent special place, each financial year.

    `costs` is spending.independent_placement_costs over every year in the extract, as at ctx.at.
    """
    if costs is None:
        offered = spending.years_in_extract(ctx.run, ctx.at)
        costs = spending.independent_placement_costs(ctx.run, offered[0], offered[-1], ctx.at, method)
    table = pd.DataFrame(
        {
            "Financial year": costs["financial_year"],
            "Independent special placement spend (£)": costs["spend_gbp"],
            "Spend is a forecast": costs["forecast"].astype(bool),
            "Latest census in the year": pd.to_datetime(costs["census_date"]).dt.strftime("%Y-%m-%d"),
            "Occupied independent special places": costs["occupied_places"],
            SPEND_PER_PLACE: costs["cost_per_place_gbp"].round(0),
        }
    )
    shown = table[table[SPEND_PER_PLACE].notna()]
    title = "Independent special placement spend per place"
    notes = ()
    if len(shown):
        last = shown.iloc[-1]
        title = (
            f"Independent placements cost {fmt.money(last[SPEND_PER_PLACE], exact=None)} a place in "
            f"{last['Financial year']}" + (" (forecast)" if last["Spend is a forecast"] else "")
        )
        if last["Spend is a forecast"]:
            notes = (
                f"{last['Financial year']} is not over at {fmt.day(ctx.at)}: its spend is the forecast outturn "
                f"({_method_words(method)}), so its bar is hatched and shaded.",
            )

    def draw(shown_table: pd.DataFrame):
        return money.unit_cost_by_year(
            shown_table,
            "Financial year",
            Series(SPEND_PER_PLACE, "Spend per place a year"),
            partial="Spend is a forecast",
            partial_words="forecast",
        )

    return View(
        key="spending_independent_unit_cost",
        title=title,
        table=table,
        draw=draw,
        notes=notes,
        honours=FINANCE_AT_A_DATE,
        summary="Independent special placement spend in each financial year (the forecast outturn for a year still "
        f"open, {_method_words(method)}) divided by the places occupied in independent special settings at "
        "the latest specialist places census in that year (so a year in progress uses the latest census so "
        f"far), as at {fmt.day(ctx.at)}.",
        filename="independent_placement_cost_per_place.csv",
        spec=Spec(
            counts=("Occupied independent special places",), keep=("Independent special placement spend (£)",)
        ),
    )


def ep_unit_cost(ctx: Context, costs: pd.DataFrame | None = None) -> View:
    """EP service spend per completed EP assessment over each financial year's closed months.

    `costs` is spending.ep_assessment_costs over every year in the extract, as at ctx.at.
    """
    if costs is None:
        offered = spending.years_in_extract(ctx.run, ctx.at)
        costs = spending.ep_assessment_costs(ctx.run, offered[0], offered[-1], ctx.at)
    table = pd.DataFrame(
        {
            "Financial year": costs["financial_year"],
            "Months closed": costs["months_closed"],
            "Part year": costs["forecast"].astype(bool),
            "EP service spend in closed months (£)": costs["spend_gbp"],
            "EP advice completed in those months": costs["completed"],
            SPEND_PER_ASSESSMENT: costs["cost_per_assessment_gbp"].round(0),
        }
    )
    shown = table[table[SPEND_PER_ASSESSMENT].notna()]
    title = "EP service spend per completed EP assessment"
    notes = ()
    if len(shown):
        last = shown.iloc[-1]
        title = (
            f"EP service spend per completed assessment: {fmt.money(last[SPEND_PER_ASSESSMENT], exact=None)} "
            f"in {last['Financial year']}"
        )
        if last["Part year"]:
            start = FinancialYear.parse(last["Financial year"]).start
            months = fmt.months(start, add_months(start, int(last["Months closed"]) - 1))
            title += f" so far ({months})"
            notes = (
                f"{last['Financial year']} is not over: both sides count only the months closed by "
                f"{fmt.day(ctx.at)} ({months}), so its bar is hatched and shaded.",
            )

    def draw(shown_table: pd.DataFrame):
        return money.unit_cost_by_year(
            shown_table,
            "Financial year",
            Series(SPEND_PER_ASSESSMENT, "Spend per assessment"),
            partial="Part year",
            partial_words="to date",
        )

    return View(
        key="spending_ep_unit_cost",
        title=title,
        table=table,
        draw=draw,
        notes=notes,
        honours=FINANCE_AT_A_DATE,
        summary="EP service spend in each financial year's closed months divided by the EP advice completed in those "
        "same months (every provider and district). A year still open counts its closed months only, so "
        "both sides cover the same time.",
        filename="ep_spend_per_completed_assessment.csv",
        spec=Spec(
            counts=("EP advice completed in those months",),
            keep=("EP service spend in closed months (£)", "Months closed"),
        ),
    )


# --- The staffing commitment -------------------------------------------------------------------------------------


def staffing(ctx: Context, commitment: spending.StaffingCommitment | None) -> View | None:
    """Additional casework staffing spend so far against the straight line to the commitment (None when there is
    no commitment or no month of its year has closed: staffing_gap says why)."""
    if commitment is None or commitment.progress.empty:
        return None
    target = commitment.target
    target_words = f"{fmt.money(target.target)} by {fmt.day(target.due_date)}"
    progress = commitment.progress
    this_year, baseline = commitment.year.label, commitment.baseline_year.label
    table = pd.DataFrame(
        {
            "Month": month_column(progress),
            f"Casework staffing spend {this_year} (£)": progress["spend_gbp"],
            f"Same month of {baseline} (£)": progress["baseline_spend_gbp"],
            "Additional (£)": progress["additional_gbp"],
            "Additional so far (£)": progress["cumulative_additional_gbp"],
            "Needed by now on a straight line (£)": progress["required_gbp"].round(0),
        }
    )

    def draw(shown: pd.DataFrame):
        return money.against_commitment(
            shown,
            "Month",
            Series("Additional so far (£)", "Additional spend so far"),
            Series("Needed by now on a straight line (£)", "Straight line to the commitment"),
            target=target.target,
            target_text=f"Commitment: {target_words}",
        )

    judgement = commitment.judgement
    return View(
        key="spending_staffing",
        table=table,
        draw=draw,
        honours=FINANCE_AT_A_DATE,
        title=(
            f"{judgement.status.symbol} {judgement.words}: {fmt.money(commitment.additional)} additional casework "
            f"staffing in {this_year} against {target_words}"
        ),
        summary=f"SEND casework staffing spend in each closed month of {this_year} above the same month of {baseline} "
        f"(the baseline year: {fmt.money(commitment.baseline_full_year, exact=True)} in its closed months), added up, "
        f"against a straight line from £0 on {fmt.day(target.baseline_date)} to the commitment "
        f"({target.source}). The shared RAG rule, in pounds: {judgement.rule} Measured to "
        f"{fmt.day(commitment.measured_to)}, the end of the last month closed by {fmt.day(ctx.at)}; cash "
        "terms, so pay awards count as additional.",
        filename=f"casework_staffing_commitment_{this_year}.csv",
        spec=Spec(counts=(), keep=tuple(c for c in table.columns if c.endswith("(£)"))),
    )


def staffing_gap(ctx: Context, commitment: spending.StaffingCommitment | None) -> str:
    """Why there is no staffing chart, in words."""
    if commitment is None:
        return (
            "reference/targets.csv has no additional SEND staffing commitment (send_staffing_additional_gbp), "
            "so casework staffing spend is not compared with one."
        )
    return (
        f"No month of {commitment.year.label} had closed by {fmt.day(ctx.at)}, so additional casework staffing "
        "spend cannot be measured yet."
    )
