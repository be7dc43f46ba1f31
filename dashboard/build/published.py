"""Load the published DfE and ESFA figures for every local authority into DuckDB, for benchmarking.

The files in data/published/ (see its README.md) are official statistics in the shapes DfE and ESFA
publish them: Explore Education Statistics (EES) CSVs, one spreadsheet-style tribunal table, the
LA Interactive Tool's long table and the DSG allocations. Each is read with DuckDB's CSV reader as
text, and every figure the Benchmarks page uses lands in one tidy table, `published_measures`: one
row per measure, period and area (England, a region or a local authority) per release, with the
value, its numerator and denominator where published, the release and file it came from, and a
`preferred` flag that picks the newest release's figure where releases overlap.

Real releases change: names change case (`PC_plans_issued_20_weeks_ex` became
`pc_plans_issued_20_weeks_ex`), headline labels are reworded ("All EHC plans issued" became "All EHC
plans"), and symbols stand in for numbers. Column names are matched case-insensitively after
trimming, then through ALIASES; headline labels through HEADLINE_LABELS. A new release folder
(`ehcp_2026/`) with changes of those kinds loads without code changes. A file that lacks a column
the dashboard needs is refused with a message naming the file and the column, and the other files
(including older releases of the same figures) still load, so a bad file never replaces good data.
"""

from __future__ import annotations

import csv
import difflib
import logging
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from dashboard import contract
from dashboard.build.validation import Problem, clip, without_paths

log = logging.getLogger(__name__)

ENGLAND_CODE = "E92000001"
NATIONAL, REGIONAL, LOCAL = "National", "Regional", "Local authority"
# The share of the authorities a measure has ever covered that a period needs before it is ranked.
COMPLETE_SHARE = 0.9

# EES and GSS symbols that stand where a number would be (x not available, z not applicable, c
# confidential, low rounds to zero, u low reliability, .. and ~ not available or suppressed, - no data).
NULL_SYMBOLS = ("x", "z", "c", "low", "u", "..", "~", "-", ":")

REGIONS = {
    "north east": ("E12000001", "North East"),
    "north west": ("E12000002", "North West"),
    "yorkshire and the humber": ("E12000003", "Yorkshire and The Humber"),
    "east midlands": ("E12000004", "East Midlands"),
    "west midlands": ("E12000005", "West Midlands"),
    "east of england": ("E12000006", "East of England"),
    "london": ("E12000007", "London"),
    "south east": ("E12000008", "South East"),
    "south west": ("E12000009", "South West"),
}

# Other spellings a release has used (or may use) for a column, after case-insensitive matching.
ALIASES: dict[str, tuple[str, ...]] = {
    "pc_plans_issued_20_weeks_ex": ("pc_plans_issued_within_20_weeks_ex",),
    "plans_issued_20_weeks_ex": ("plans_issued_within_20_weeks_ex",),
    "new_ehc_plans": ("newallehc", "new_all_ehc"),
    "ehcplans": ("total_ehc", "ehc_plans"),
    "ehc_plans": ("ehcplans",),
    "requests_received_in_year": ("requests_received",),
    "la_name": ("la_name_ehcp2025",),
}

Period = Literal["calendar", "january", "financial"]
Status = Literal["loaded", "refused", "missing", "skipped"]


class PublishedDataError(ValueError):
    """A published file cannot be used: a required column is missing, or it cannot be read."""


@dataclass(frozen=True)
class Release:
    """A publication a figure comes from, as the page names it."""

    id: str
    label: str
    order: int  # newer releases sort higher; the newest wins where releases overlap


def ehcp_release(year: int) -> Release:
    """The DfE 'Education, health and care plans' release for a reporting year."""
    dates = {2025: "DfE, 26 June 2025", 2023: "DfE, June 2023"}
    return Release(
        f"ehcp_{year}", f"Education, health and care plans {year} ({dates.get(year, 'DfE')})", year * 10
    )


LAIT_RELEASE = Release("lait", "DfE LA Interactive Tool (LAIT), SEN indicators", 20250)
DSG_RELEASE = Release("dsg", "ESFA Dedicated schools grant allocations", 20240)


@dataclass(frozen=True)
class Figure:
    """One published measure in one file: the column holding the value and, where published, its parts.

    `rows` narrows the file to the rows holding this figure ({column: accepted labels}); by default
    the file's headline rows are used.
    """

    measure: str
    value: str
    numerator: str | None = None
    denominator: str | None = None
    rows: Mapping[str, tuple[str, ...]] | None = None
    # A share the file does not publish: the numerator is the sum of these columns and the value is it as a
    # percentage of the denominator, to one decimal place as DfE rounds its own (`value` is the first part).
    parts: tuple[str, ...] = ()
    # A figure only some releases publish (the 2026 release adds the mean weeks to issue a plan): loaded when
    # the file has its columns, left out without a refusal when it has not.
    optional: bool = False


@dataclass(frozen=True)
class EesFile:
    """An EES-format file: which names it goes by, its period type, headline labels and figures."""

    names: tuple[str, ...]
    period: Period
    figures: tuple[Figure, ...]
    headline: tuple[str, ...] = ()  # accepted breakdown_topic labels; empty when the file has no breakdowns
    headline_column: str = "breakdown_topic"


EES_IDENTIFIERS = (
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)

# Headline rows: every label a release has used for the all-children row of each file.
HEADLINE_LABELS = {
    "requests": ("All requests for EHC needs assessments", "All requests for an EHC needs assessment"),
    "timeliness": ("All EHC plans issued", "All EHC plans"),
    "newplans": ("New EHC plans", "All new EHC plans"),
    "caseload": ("All EHC plans",),
}

NEEDS = ("asd", "semh", "slcn", "mld", "sld", "spld", "pmld", "pd", "hi", "vi", "msi", "oth")

EHCP_FILES = (
    EesFile(
        ("requests.csv",),
        "calendar",
        headline=HEADLINE_LABELS["requests"],
        figures=(
            Figure("requests_received", "requests_received_in_year"),
            Figure(
                "requests_agreed_pct",
                "request_assess_pc",
                "requests_decided_to_assess",
                "requests_received_in_year",
            ),
            Figure(
                "requests_refused_pct",
                "request_not_assess_pc",
                "requests_decided_not_to_assess",
                "requests_received_in_year",
            ),
        ),
    ),
    EesFile(
        ("timeliness_20_week.csv",),
        "calendar",
        headline=HEADLINE_LABELS["timeliness"],
        figures=(
            Figure(
                "twenty_week_rate_incl",
                "pc_plans_issued_within_20_weeks",
                "plans_issued_within_20_weeks",
                "plans_issued_den",
            ),
            Figure(
                "twenty_week_rate_excl",
                "pc_plans_issued_20_weeks_ex",
                "plans_issued_20_weeks_ex",
                "plans_issued_den_ex",
            ),
            # Added by the 2026 release (SOURCES.md, caveat 3): the mean weeks from request to plan issued,
            # including and excluding plans where an exception applies.
            Figure("mean_weeks_to_plan_incl", "avg_weeks_issue_plan", optional=True),
            Figure("mean_weeks_to_plan_excl", "avg_weeks_issue_plan_exc", optional=True),
        ),
    ),
    EesFile(
        ("newplans.csv",),
        "calendar",
        headline=HEADLINE_LABELS["newplans"],
        figures=(Figure("new_plans", "new_ehc_plans"),),
    ),
    EesFile(
        ("caseload.csv", "caseload_no_ethnicity.csv"),
        "january",
        headline=HEADLINE_LABELS["caseload"],
        figures=(
            Figure("ehc_plans", "ehcplans"),
            Figure("special_school_pct", "special_total_pc", "special_total", "ehcplans"),
            Figure("mainstream_pct", "mainstream_total_pc", "mainstream_total", "ehcplans"),
            Figure(
                "independent_special_pct",
                "special_independent",
                denominator="ehcplans",
                parts=("special_independent", "special_non_maintained"),
            ),
        ),
    ),
    EesFile(
        ("sen_needs_all_plans.csv",),
        "january",
        headline=HEADLINE_LABELS["caseload"],
        figures=tuple(
            Figure(f"need_{need}_pct", f"{need}_pc", f"number_{need}", "ehc_plans") for need in NEEDS
        ),
    ),
)

SEN2_MI_FILE = EesFile(
    ("sen2_mi_2014_2022.csv", "sen2_mi.csv"),
    "calendar",
    figures=(
        Figure("requests_received", "inreq_ehc"),
        Figure("requests_refused_pct", "ass_refused_ehc_pc", "ass_refused_ehc", "inreq_ehc"),
        Figure("new_plans", "new_all_ehc"),
        Figure("twenty_week_rate_incl", "inc_exc_20week_rate", "inc_exc_20week_ehc", "tot_inc_exc_ehc"),
        Figure("twenty_week_rate_excl", "no_exc_20week_rate", "no_exc_20week_ehc", "tot_no_exc_ehc"),
    ),
)

# The 2022 release's caseload by establishment: 'time_period' 2022 is the January 2022 census.
_TOTAL_ROW = {"establishment_type": ("Total",), "establishment_group": ("Total",)}
_SPECIAL_ROW = {"establishment_type": ("Total",), "establishment_group": ("Special school",)}
ESTAB_CASELOAD_FILE = EesFile(
    ("sen2_estab_caseload_2015_2022_filtered.csv", "sen2_estab_caseload.csv"),
    "january",
    figures=(
        Figure("ehc_plans", "total_all", rows=_TOTAL_ROW),
        Figure("special_school_pct", "total_all_pc", "total_all", rows=_SPECIAL_ROW),
    ),
)

LAIT_MEASURES = {
    "SEN_TotStat": "ehc_plans_pct_pupils",
    "SEN_TotSENSuP": "sen_support_pct_pupils",
    "SENFinance": "sen_weekly_unit_cost",
}
LAIT_COLUMNS = ("short desc", "years", "values", "la number")
DSG_MEASURES = {
    "high_needs_block": "high_needs_block_before_deductions",
    "high_needs_block_after_deductions": "high_needs_block_after_deductions",
}
DSG_COLUMNS = ("financial_year", "geography", "old_la_code", "la_name", "source_file", *DSG_MEASURES.values())
SN_COLUMNS = (
    "sn_model_version",
    "old_la_code",
    "new_la_code",
    "la_name",
    "sn_rank",
    "sn_old_la_code",
    "sn_new_la_code",
    "sn_la_name",
    "sn_closeness",
)
LOOKUP_COLUMNS = (
    "old_la_code",
    "new_la_code",
    "la_name_lait",
    "la_name_ehcp2025",
    "region_name_ehcp2025",
    "la_type_lait",
)

# Where each fixed file sits under data/published/ (EHCP releases are found by folder: ehcp_YYYY/).
LOOKUP_PATH = "reference/la_code_lookup.csv"
NEIGHBOURS_PATH = "reference/statistical_neighbours_dfe_csnt.csv"
LAIT_PATH = "reference/lait_sen_indicators_long.csv"
DSG_PATH = "high_needs/dsg_allocations_2019_20_to_2023_24.csv"
HISTORIC_DIR = "ehcp_historic"
TRIBUNAL_GLOB = "send_tribunal_appeal_rate_*.csv"
_RELEASE_DIR = re.compile(r"^ehcp_(\d{4})$")


@dataclass
class FileLoad:
    """What happened to one published file."""

    path: str
    release: str
    status: Status
    rows: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class PublishedReport:
    """The result of loading data/published/: each file, rows loaded, problems in words, time taken."""

    folder: Path
    files: list[FileLoad] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        """Every refusal, absence and warning, each naming its file."""
        found = [f"{f.path}: {f.message}" for f in self.files if f.status != "loaded"]
        return found + [f"{f.path}: {w}" for f in self.files for w in f.warnings]

    @property
    def ok(self) -> bool:
        return all(f.status == "loaded" for f in self.files)

    def file(self, path: str) -> FileLoad:
        """The entry for a file by its path under the folder (e.g. 'ehcp_2025/requests.csv')."""
        return next(f for f in self.files if f.path == path)

    def raise_for_problems(self) -> None:
        """Raise PublishedDataError listing every file that was refused or missing."""
        refused = [f"{f.path}: {f.message}" for f in self.files if f.status != "loaded"]
        if refused:
            raise PublishedDataError("; ".join(refused))

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "files": [asdict(f) for f in self.files],
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
        }


# --- Column names ------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return name.strip().lower()


def resolve_columns(header: Sequence[str], wanted: Iterable[str], *, file: str) -> dict[str, str]:
    """Map each wanted column to the header's own spelling: case-insensitive, then through ALIASES.

    Raises PublishedDataError naming the file and every column it could not find.
    """
    by_key: dict[str, str] = {}
    for name in header:
        by_key.setdefault(_key(name), name)
    found, missing = {}, []
    for name in dict.fromkeys(wanted):
        spellings = (name, *ALIASES.get(name, ()))
        match = next((by_key[_key(s)] for s in spellings if _key(s) in by_key), None)
        if match is None:
            missing.append(name)
        else:
            found[name] = match
    if missing:
        details = []
        for name in missing:
            text = f"required column {name!r} is missing"
            if ALIASES.get(name):
                text += f" (also looked for {', '.join(ALIASES[name])})"
            near = difflib.get_close_matches(_key(name), list(by_key), n=2, cutoff=0.8)
            if near:
                text += f"; the file has {', '.join(by_key[n] for n in near)}, which is not accepted as the same column"
            details.append(text)
        raise PublishedDataError(f"{file}: " + "; ".join(details))
    return found


def composed(conn: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run SQL composed from published files' column names (quoted by _quote) and our own labels (by
    _literal); every value the files hold is read by DuckDB, never pasted into the SQL."""
    return conn.execute(sql, params) if params else conn.execute(sql)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- SQL helpers ------------------------------------------------------------------------------------

_MACROS = f"""
create or replace temp macro published_text(v) as nullif(trim(replace(v, chr(160), ' ')), '');
create or replace temp macro published_is_symbol(v) as
    lower(published_text(v)) in ({", ".join(_literal(s) for s in NULL_SYMBOLS)});
create or replace temp macro published_clean(v) as replace(replace(published_text(v), ',', ''), '%', '');
create or replace temp macro published_number(v) as
    case when published_text(v) is null or published_is_symbol(v) then null
         else try_cast(published_clean(v) as double) end;
create or replace temp macro published_not_a_number(v) as
    published_text(v) is not null and not published_is_symbol(v) and try_cast(published_clean(v) as double) is null;
"""

_STAGING_DDL = """
create or replace temp table published_staging (
    measure varchar, period varchar, period_order integer, time_period varchar, geographic_level varchar,
    region_code varchar, region_name varchar, new_la_code varchar, old_la_code varchar, la_name varchar,
    value double, numerator double, denominator double, release_id varchar, release_label varchar,
    release_order integer, source_file varchar, source_column varchar, derived boolean)
"""


def _period_sql(kind: Period, column: str) -> tuple[str, str]:
    """SQL for the period label and its sort order from a published time_period column."""
    tp = f"trim({column})"
    if kind == "calendar":
        return tp, f"try_cast({tp} as integer)"
    if kind == "january":
        # '202425' is the January 2025 census; a four-digit year is already the January year.
        year = f"case when length({tp}) = 6 then try_cast(left({tp}, 4) as integer) + 1 else try_cast({tp} as integer) end"
        return f"'January ' || ({year})", year
    start = f"try_cast(left({tp}, 4) as integer)"
    return f"left({tp}, 7)", start


def _read_header(path: Path) -> list[str]:
    """The header row as published (a UTF-8 byte-order mark is dropped), read without parsing the rest."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _csv(path: Path) -> str:
    return (
        f"read_csv({_literal(str(path))}, header = true, all_varchar = true, delim = ',', quote = '\"', "
        "escape = '\"')"
    )


# What each file leaves stored, as text: the table and its text columns (published_staging for the figures).
_STAGED_TEXT = (
    "period",
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "release_label",
    "source_column",
)


def _stored_text(rel: str) -> tuple[str, tuple[str, ...], str]:
    """(table, text columns, condition) holding what `rel` stored."""
    if rel == LOOKUP_PATH:
        return "published_lookup_raw", LOOKUP_COLUMNS, "true"
    if rel == NEIGHBOURS_PATH:
        return (
            "statistical_neighbours",
            (
                "model",
                "old_la_code",
                "new_la_code",
                "la_name",
                "sn_old_la_code",
                "sn_new_la_code",
                "sn_la_name",
            ),
            "true",
        )
    return "published_staging", _STAGED_TEXT, f"source_file = {_literal(rel)}"


def refuse_stored_formulas(conn: duckdb.DuckDBPyConnection, path: Path, rel: str) -> None:
    """Raise PublishedDataError if any text `rel` left stored starts like a spreadsheet formula.

    Authority and region names, periods and column names from these files reach pages, charts, downloads
    and snapshots, so none may start with =, +, -, @, tab or carriage return once trimmed as it is stored
    (numbers and EES symbols such as "-4" and "-" are not formulas). What is stored is checked, in memory;
    only when something is found is the file read again, to name each such cell by line and column.
    """
    table, columns, where = _stored_text(rel)
    text = ", ".join(_quote(c) for c in columns)
    found = composed(
        conn,
        f"""
        select min(c) from (select unnest([{text}]) as c from {table} where {where})
        where regexp_matches(c, '{contract.FORMULA_START_PATTERN}')
          and not regexp_matches(c, '{contract.PLAIN_NUMBER_PATTERN}') and not published_is_symbol(c)
    """,  # noqa: S608
    ).fetchall()[0][0]
    if found is None:
        return
    cells = _formula_cells(path, rel, limit=10)
    where_found = "; ".join(f"line {p.line}, column {p.column}: value {p.value!r}" for p in cells)
    raise PublishedDataError(f"{rel}: {where_found or f'value {clip(found)!r}'}: {contract.FORMULA_RULE}")


def _formula_cells(path: Path, rel: str, limit: int) -> list[Problem]:
    """Every cell of the file (header included) that starts like a spreadsheet formula, by line and column."""
    found: list[Problem] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header: list[str] = []
        previous_end = 0
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            header = header or row
            for index, cell in enumerate(row):
                text = contract.stored_text(cell.replace("\u00a0", " "))
                if text.lower() not in NULL_SYMBOLS and contract.looks_like_formula(text):
                    column = header[index] if start > 1 and index < len(header) else f"column {index + 1}"
                    found.append(Problem(rel, start, column, text, contract.FORMULA_RULE))
                    if len(found) >= limit:
                        return found
    return found


def _not_numbers(conn: duckdb.DuckDBPyConnection, table: str, columns: Iterable[str]) -> list[str]:
    """Warnings for cells that are neither a number nor an EES symbol (they load as blank)."""
    columns = list(dict.fromkeys(columns))
    if not columns:
        return []
    checks = ", ".join(
        f"count(*) filter (where published_not_a_number({_quote(c)})), "
        f"min({_quote(c)}) filter (where published_not_a_number({_quote(c)}))"
        for c in columns
    )
    found = composed(conn, f"select {checks} from {table}").fetchall()[0]  # noqa: S608
    return [
        f"column {column!r} has {found[2 * i]} value(s) that are neither numbers nor EES symbols "
        f"(for example {clip(found[2 * i + 1])!r}); they load as blank"
        for i, column in enumerate(columns)
        if found[2 * i]
    ]


def _labels_in(column: str, accepted: Iterable[str]) -> str:
    return f"lower(trim({column})) in ({', '.join(_literal(v.lower()) for v in accepted)})"


# --- EES files ----------------------------------------------------------------------------------------


def _load_ees(
    conn: duckdb.DuckDBPyConnection, path: Path, rel: str, spec: EesFile, release: Release
) -> FileLoad:
    header = _read_header(path)
    figures = _present_figures(spec, header, rel)
    label_columns = {c for f in figures for c in (f.rows or {})}
    if spec.headline:
        label_columns.add(spec.headline_column)
    parts = [c for f in figures for c in _columns_of(f)]
    columns = resolve_columns(header, [*EES_IDENTIFIERS, *sorted(label_columns), *parts], file=rel)
    headline = _labels_in(spec.headline_column, spec.headline) if spec.headline else "true"
    wheres = [
        headline if f.rows is None else " and ".join(_labels_in(c, v) for c, v in f.rows.items())
        for f in figures
    ]
    select = ", ".join(f"{_quote(actual)} as {_quote(name)}" for name, actual in columns.items())
    level = _quote(columns["geographic_level"])
    composed(
        conn,
        f"""
        create or replace temp table published_raw as
        select * from (select {select} from {_csv(path)} where trim({level}) in ('{NATIONAL}', '{REGIONAL}', '{LOCAL}'))
        where {" or ".join(f"({w})" for w in dict.fromkeys(wheres))}
    """,
    )  # noqa: S608
    if not conn.execute("select count(*) from published_raw").fetchall()[0][0]:
        if spec.headline:
            found = [
                r[0]
                for r in conn.execute(
                    f"select distinct trim({_quote(columns[spec.headline_column])}) from {_csv(path)} order by 1"  # noqa: S608
                ).fetchall()
            ]
            raise PublishedDataError(
                f"{rel}: no headline rows: {spec.headline_column} has none of "
                f"{list(spec.headline)} (found {found})"
            )
        raise PublishedDataError(f"{rel}: no rows for England, a region or a local authority")
    period, order = _period_sql(spec.period, "time_period")
    selects = []
    for figure, where in zip(figures, wheres, strict=True):
        numerator = f"published_number({figure.numerator})" if figure.numerator else "null"
        denominator = (
            f"published_number({figure.denominator})"
            if figure.denominator and figure.rows is None
            else "null"
        )
        value = f"published_number({figure.value})"
        if figure.parts:
            numerator = " + ".join(f"published_number({part})" for part in figure.parts)
            value = f"round(100 * ({numerator}) / nullif({denominator}, 0), 1)"
        selects.append(f"""
            select {_literal(figure.measure)}, {period}, {order}, trim(time_period), trim(geographic_level),
                   published_text(region_code), published_text(region_name), published_text(new_la_code),
                   published_text(old_la_code), published_text(la_name),
                   {value}, {numerator}, {denominator},
                   {_literal(release.id)}, {_literal(release.label)}, {release.order}, {_literal(rel)},
                   {_literal(columns[figure.value])}, false
            from published_raw
            where {where}""")  # noqa: S608
    conn.execute("insert into published_staging " + " union all ".join(selects))
    load = FileLoad(rel, release.label, "loaded")
    load.rows = conn.execute(
        "select count(*) from published_staging where source_file = $f", {"f": rel}
    ).fetchall()[0][0]
    dupes = conn.execute(
        """
        select count(*) from (
            select measure, period, geographic_level, coalesce(old_la_code, region_code, 'national')
            from published_staging where source_file = $f group by all having count(*) > 1)
    """,
        {"f": rel},
    ).fetchall()[0][0]
    if dupes:
        load.warnings.append(
            f"{dupes} measure/period/area combinations appear on more than one headline row; "
            "the first is used"
        )
    load.warnings += _not_numbers(conn, "published_raw", parts)
    return load


# --- The spreadsheet-style tribunal table --------------------------------------------------------------

_FOOTNOTE = re.compile(r"[\d\s,]+$")
TRIBUNAL_PARTS = {
    "appeals registered": "appeals",
    "total appealable decisions": "decisions",
    "send tribunal appeal rate": "rate",
    "in development: total appealable decisions": "new_decisions",
    "in development: send tribunal appeal rate": "new_rate",
}


def _tribunal_number(cell: str) -> float | None:
    text = cell.replace("\u00a0", " ").strip()
    if text == "-":
        # This table writes a zero count as " - " (its rate column shows 0.00% on those rows).
        return 0.0
    if text.lower() in NULL_SYMBOLS or not text:
        return None
    try:
        return float(text.replace(",", "").replace("%", ""))
    except ValueError:
        return None


def read_tribunal_table(path: Path, rel: str) -> tuple[pd.DataFrame, list[str]]:
    """Parse the 'SEND Appeal rate' table: header over two rows, region headings, footnote markers, notes.

    Returns one row per area and year (appeals, decisions, rate and the 'in development' figures) and
    any warnings.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    start = next(
        (
            i
            for i, row in enumerate(rows)
            if len(row) > 1 and _key(row[0]) == "local authority" and _key(row[1]) == "la code"
        ),
        None,
    )
    if start is None or start + 1 >= len(rows):
        raise PublishedDataError(f"{rel}: cannot find the header row starting 'Local Authority, LA code'")
    years, parts = rows[start], rows[start + 1]
    columns: dict[int, tuple[int, str]] = {}
    warnings, year = [], None
    for index in range(2, max(len(years), len(parts))):
        cell = years[index].strip() if index < len(years) else ""
        if re.fullmatch(r"\d{4}", cell):
            year = int(cell)
        label = _FOOTNOTE.sub("", " ".join((parts[index] if index < len(parts) else "").split())).lower()
        if not label:
            continue
        if year is None or label not in TRIBUNAL_PARTS:
            warnings.append(f"column {index + 1} ({label!r}) is not a known part of the table and is ignored")
            continue
        columns[index] = (year, TRIBUNAL_PARTS[label])
    found_years = sorted({y for y, _ in columns.values()})
    for needed_year in found_years:
        for part, key in (
            ("Appeals registered", "appeals"),
            ("Total Appealable Decisions", "decisions"),
            ("SEND Tribunal Appeal Rate", "rate"),
        ):
            if (needed_year, key) not in columns.values():
                raise PublishedDataError(f"{rel}: required column {part!r} for {needed_year} is missing")
    if not found_years:
        raise PublishedDataError(f"{rel}: the header names no years with 'Appeals registered' columns")

    records, region = [], None
    for row in rows[start + 2 :]:
        if not row or not row[0].strip():
            continue
        name, code = row[0].strip(), (row[1].strip() if len(row) > 1 else "")
        lowered = name.lower()
        if lowered.startswith("england total excluding"):
            continue
        if lowered.startswith("england total"):
            level, region_name, la_name = NATIONAL, None, None
        elif not code and name.isupper():
            key = lowered.replace("inner ", "").replace("outer ", "")
            region = REGIONS.get(key, (None, name.title()))[1]
            continue
        elif region is None or lowered.startswith(("sources", "notes")):
            break
        else:
            level, region_name, la_name = LOCAL, region, _FOOTNOTE.sub("", name)
        values: dict[tuple[int, str], float | None] = {}
        for index, key in columns.items():
            values[key] = _tribunal_number(row[index]) if index < len(row) else None
        for y in found_years:
            records.append(
                {
                    "year": y,
                    "geographic_level": level,
                    "region_name": region_name,
                    "la_name": la_name,
                    "old_la_code": code or None,
                    **{k: values.get((y, k)) for k in TRIBUNAL_PARTS.values()},
                }
            )
        if level == NATIONAL:
            break
    table = pd.DataFrame.from_records(records)
    if table.empty or not (table["geographic_level"] == NATIONAL).any():
        raise PublishedDataError(f"{rel}: no 'England Total' row found")
    return table, warnings


def _load_tribunal(conn: duckdb.DuckDBPyConnection, path: Path, rel: str, release: Release) -> FileLoad:
    table, warnings = read_tribunal_table(path, rel)
    conn.register("published_tribunal_frame", table)
    try:
        conn.execute(
            "create or replace temp table published_tribunal as select * from published_tribunal_frame"
        )
    finally:
        conn.unregister("published_tribunal_frame")
    common = f"{_literal(release.id)}, {_literal(release.label)}, {release.order}, {_literal(rel)}"
    for measure, rate, decisions in (
        ("tribunal_appeal_rate", "rate", "decisions"),
        ("tribunal_appeal_rate_in_development", "new_rate", "new_decisions"),
    ):
        composed(
            conn,
            f"""
            insert into published_staging
            with areas as (
                select t.*, coalesce(by_code.old_la_code, by_name.old_la_code, t.old_la_code) as la_code
                from published_tribunal as t
                left join la_lookup as by_code on by_code.old_la_code = t.old_la_code
                left join la_lookup as by_name on t.old_la_code is null and t.geographic_level = '{LOCAL}'
                    and lower(by_name.la_name) = lower(t.la_name)
            ),
            published as (
                select year, geographic_level, region_name, la_code, la_name, {rate} as value,
                       appeals as numerator, {decisions} as denominator,
                       {_literal(f"{rate} (appeals, {decisions})")} as source_column, false as derived
                from areas
                where {rate} is not null or {decisions} is not null
            ),
            regions as (
                -- The table has no regional rows: a region's rate is derived from its authorities' counts.
                select year, '{REGIONAL}', region_name, null, null,
                       round(100 * sum(appeals) / sum({decisions}), 1), sum(appeals), sum({decisions}),
                       'derived: appeals / decisions summed over the region''s authorities', true
                from areas
                where geographic_level = '{LOCAL}' and appeals is not null and {decisions} is not null
                group by year, region_name
                having sum({decisions}) > 0
            ),
            final as (
                select * from published
                union all
                select * from regions
            )
            select {_literal(measure)}, cast(year as varchar), year, cast(year as varchar), geographic_level,
                   null, region_name, null, la_code, la_name, value, numerator, denominator, {common},
                   source_column, derived
            from final
        """,
        )  # noqa: S608
    rows = conn.execute(
        "select count(*) from published_staging where source_file = $f", {"f": rel}
    ).fetchall()[0][0]
    return FileLoad(rel, release.label, "loaded", rows=rows, warnings=warnings)


# --- LAIT and DSG ------------------------------------------------------------------------------------


def _load_lait(conn: duckdb.DuckDBPyConnection, path: Path, rel: str) -> FileLoad:
    header = _read_header(path)
    columns = resolve_columns(header, LAIT_COLUMNS, file=rel)
    short, years, values, number = (_quote(columns[c]) for c in LAIT_COLUMNS)
    cases = " ".join(
        f"when {_literal(code)} then {_literal(measure)}" for code, measure in LAIT_MEASURES.items()
    )
    # LAIT stores binary-float artefacts (4.4000000000000004); its figures are published to 1 dp.
    composed(
        conn,
        f"""
        create or replace temp table published_raw as
        select case trim({short}) {cases} end as measure, trim({years}) as years, {values} as figure,
               trim({number}) as la_number
        from {_csv(path)}
        where trim({short}) in ({", ".join(_literal(c) for c in LAIT_MEASURES)})
    """,
    )  # noqa: S608
    release = LAIT_RELEASE
    composed(
        conn,
        f"""
        insert into published_staging
        with rows as (
            select r.*, regexp_replace(years, '\\s*\\(.*\\)$', '') as period,
                   try_cast(left(years, 4) as integer) as period_order,
                   case when la_number = '970' then '{NATIONAL}'
                        when try_cast(la_number as integer) between 980 and 990 then '{REGIONAL}'
                        else '{LOCAL}' end as geographic_level
            from published_raw as r
        )
        select measure, case when length(period) = 4 then 'January ' || period else period end,
               period_order, years, geographic_level, null,
               case when geographic_level = '{REGIONAL}' then lookup.la_name_lait end, null,
               case when geographic_level = '{LOCAL}' then la_number end,
               case when geographic_level = '{LOCAL}' then coalesce(lookup.la_name_lait, la_number) end,
               round(published_number(figure), 1), null, null,
               {_literal(release.id)}, {_literal(release.label)}, {release.order}, {_literal(rel)},
               {_literal(columns["values"])}, false
        from rows
        left join published_lookup_raw as lookup on lookup.old_la_code = rows.la_number
        where geographic_level <> '{REGIONAL}' or lookup.la_name_lait not like 'London (%'
    """,
    )  # noqa: S608
    load = FileLoad(rel, release.label, "loaded")
    load.rows = conn.execute(
        "select count(*) from published_staging where source_file = $f", {"f": rel}
    ).fetchall()[0][0]
    load.warnings += _not_numbers(conn, "published_raw", ["figure"])
    return load


def _load_dsg(conn: duckdb.DuckDBPyConnection, path: Path, rel: str) -> FileLoad:
    header = _read_header(path)
    columns = resolve_columns(header, DSG_COLUMNS, file=rel)
    select = ", ".join(f"{_quote(actual)} as {_quote(name)}" for name, actual in columns.items())
    composed(conn, f"create or replace temp table published_raw as select {select} from {_csv(path)}")  # noqa: S608
    release = DSG_RELEASE
    regions = ", ".join(_literal(k) for k in REGIONS)
    for measure, column in DSG_MEASURES.items():
        composed(
            conn,
            f"""
            insert into published_staging
            with rows as (
                select *, trim(financial_year) as fy,
                       case when trim(geography) = 'Regional' then '{REGIONAL}'
                            when trim(geography) = 'National' then '{NATIONAL}' else '{LOCAL}' end as level
                from published_raw
                where trim(geography) in ('National', 'Local authority')
                   or (trim(geography) = 'Regional' and lower(trim(la_name)) in ({regions}))
            ),
            -- Some years list a region twice (as 'London' and 'LONDON'): one row per region and year.
            deduplicated as (
                select fy, level, lower(trim(la_name)) as name_key, any_value(trim(la_name)) as la_name,
                       any_value(published_text(old_la_code)) as old_la_code,
                       any_value({column}) as figure, any_value(source_file) as source_file
                from rows group by all
            )
            select {_literal(measure)}, fy, try_cast(left(fy, 4) as integer), fy, level, null,
                   case when level = '{REGIONAL}' then la_name end, null,
                   case when level = '{LOCAL}' then old_la_code end, case when level = '{LOCAL}' then la_name end,
                   published_number(figure), null, null, {_literal(release.id)},
                   {_literal(release.label)} || ' ' || fy || ' (' || source_file || ')', {release.order},
                   {_literal(rel)}, {_literal(columns[column])}, false
            from deduplicated
        """,
        )  # noqa: S608
    load = FileLoad(rel, release.label, "loaded")
    load.rows = conn.execute(
        "select count(*) from published_staging where source_file = $f", {"f": rel}
    ).fetchall()[0][0]
    load.warnings += _not_numbers(conn, "published_raw", DSG_MEASURES.values())
    return load


# --- Reference tables -----------------------------------------------------------------------------------


def _load_lookup_raw(conn: duckdb.DuckDBPyConnection, path: Path, rel: str) -> FileLoad:
    columns = resolve_columns(_read_header(path), LOOKUP_COLUMNS, file=rel)
    select = ", ".join(
        f"published_text({_quote(actual)}) as {_quote(name)}" for name, actual in columns.items()
    )
    composed(conn, f"create or replace temp table published_lookup_raw as select {select} from {_csv(path)}")  # noqa: S608
    rows = conn.execute("select count(*) from published_lookup_raw").fetchall()[0][0]
    return FileLoad(rel, "LAIT LA code list joined to the EHCP 2025 caseload", "loaded", rows=rows)


def _create_lookup(conn: duckdb.DuckDBPyConnection) -> None:
    regions = " ".join(f"when {_literal(k)} then {_literal(code)}" for k, (code, _) in REGIONS.items())
    names = " ".join(f"when {_literal(k)} then {_literal(name)}" for k, (_, name) in REGIONS.items())
    composed(
        conn,
        f"""
        create or replace table la_lookup as
        select old_la_code, new_la_code, coalesce(la_name_ehcp2025, la_name_lait) as la_name, la_name_lait,
               case lower(region_name_ehcp2025) {regions} end as region_code,
               case lower(region_name_ehcp2025) {names} end as region_name,
               la_type_lait as la_type, false as current
        from published_lookup_raw
        where new_la_code is not null
    """,
    )  # noqa: S608


def _load_neighbours(conn: duckdb.DuckDBPyConnection, path: Path, rel: str) -> FileLoad:
    columns = resolve_columns(_read_header(path), SN_COLUMNS, file=rel)
    c = {name: f"published_text(sn.{_quote(actual)})" for name, actual in columns.items()}
    composed(
        conn,
        f"""
        create or replace table statistical_neighbours as
        select {c["sn_model_version"]} as model, {c["old_la_code"]} as old_la_code,
               {c["new_la_code"]} as new_la_code, {c["la_name"]} as la_name,
               cast({c["sn_rank"]} as integer) as sn_rank, {c["sn_old_la_code"]} as sn_old_la_code,
               coalesce(lookup.new_la_code, {c["sn_new_la_code"]}) as sn_new_la_code,
               coalesce(lookup.la_name, {c["sn_la_name"]}) as sn_la_name, {c["sn_closeness"]} as sn_closeness
        from {_csv(path)} as sn
        left join la_lookup as lookup on lookup.old_la_code = {c["sn_old_la_code"]}
        where not published_is_symbol({c["sn_old_la_code"]}) and {c["sn_old_la_code"]} is not null
        order by model, old_la_code, sn_rank
    """,
    )  # noqa: S608
    rows = conn.execute("select count(*) from statistical_neighbours").fetchall()[0][0]
    return FileLoad(
        rel, "DfE children's services statistical neighbour benchmarking tool", "loaded", rows=rows
    )


def _finish(conn: duckdb.DuckDBPyConnection) -> int:
    """Give every figure the area's current codes and region, and flag the preferred release per figure."""
    regions = ", ".join(
        f"({_literal(k)}, {_literal(code)}, {_literal(name)})" for k, (code, name) in REGIONS.items()
    )
    composed(
        conn,
        f"""
        create or replace table published_measures as
        with staged as (
            select s.* exclude (new_la_code, region_code, region_name, la_name),
                   case when s.geographic_level = '{LOCAL}' then coalesce(lookup.new_la_code, s.new_la_code) end
                       as new_la_code,
                   case when s.geographic_level = '{LOCAL}' then coalesce(lookup.la_name, s.la_name) end as la_name,
                   case when s.geographic_level = '{NATIONAL}' then null
                        else coalesce(lookup.region_code, region.code, s.region_code) end as region_code,
                   case when s.geographic_level = '{NATIONAL}' then null
                        else coalesce(lookup.region_name, region.name, s.region_name) end as region_name
            from published_staging as s
            left join la_lookup as lookup
                on s.geographic_level = '{LOCAL}' and lookup.old_la_code = s.old_la_code
            left join (values {regions}) as region(key, code, name)
                on s.geographic_level = '{REGIONAL}' and region.key = lower(s.region_name)
        ),
        keyed as (
            select *, case geographic_level when '{NATIONAL}' then '{ENGLAND_CODE}'
                           when '{REGIONAL}' then region_code
                           else coalesce(new_la_code, 'old:' || old_la_code) end as area_code
            from staged
        ),
        chosen as (
            select *, row_number() over (
                       partition by measure, period, area_code
                       order by value is null, release_order desc, source_file) = 1 as preferred
            from keyed
        )
        select measure, period, period_order, time_period, geographic_level, area_code,
               case geographic_level when '{NATIONAL}' then 'England' when '{REGIONAL}' then region_name
                    else la_name end as area_name,
               region_code, region_name, new_la_code, old_la_code, la_name, value, numerator, denominator,
               release_id, release_label, source_file, source_column, derived, preferred
        from chosen
        where area_code is not null
        order by measure, period_order, geographic_level, area_code, preferred desc
    """,
    )  # noqa: S608
    # A period is complete for a measure when nearly every authority that has ever had a figure for it has
    # one then: a release of some tables or some authorities only must not be ranked among whoever is in it.
    composed(
        conn,
        f"""
        create or replace table published_measures as
        with counts as (
            select measure, period, count(distinct area_code) as authorities
            from published_measures
            where preferred and geographic_level = '{LOCAL}' and value is not null
            group by all
        ),
        expected as (
            select *, max(authorities) over (partition by measure) as authorities_expected from counts
        )
        select m.*, coalesce(e.authorities >= {COMPLETE_SHARE} * e.authorities_expected, false) as period_complete,
               coalesce(e.authorities, 0) as period_authorities, e.authorities_expected
        from published_measures as m
        left join expected as e using (measure, period)
        order by measure, period_order, geographic_level, area_code, preferred desc
    """,
    )  # noqa: S608
    # An authority is 'current' when it has a figure in the latest complete period of a SEN2 measure: a
    # partial release leaves the list (and every link naming an authority) as it was.
    composed(
        conn,
        f"""
        update la_lookup set current = new_la_code in (
            select m.new_la_code from published_measures as m
            join (select measure, max(period_order) as latest from published_measures
                  where measure in ('ehc_plans', 'requests_received') and period_complete group by measure) as l
              on l.measure = m.measure and l.latest = m.period_order
            where m.geographic_level = '{LOCAL}' and m.new_la_code is not null)
    """,
    )  # noqa: S608
    if not conn.execute("select count(*) from la_lookup where current").fetchall()[0][0]:
        conn.execute("update la_lookup set current = true")
    return conn.execute("select count(*) from published_measures").fetchall()[0][0]


# --- The folder -------------------------------------------------------------------------------------


def _release_folders(folder: Path) -> list[tuple[Path, Release]]:
    found = []
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        match = _RELEASE_DIR.match(child.name)
        if child.is_dir() and match:
            found.append((child, ehcp_release(int(match.group(1)))))
    return found


# Files a release carries that the dashboard does not read (so they are not reported as skipped).
UNUSED_RELEASE_FILES = ("assessments.csv", "sen_needs_all_plans.csv", "sen_need_newplans.csv")


def _figure_columns(spec: EesFile) -> list[str]:
    return [c for f in spec.figures if not f.optional for c in (f.value, f.numerator, f.denominator) if c]


def _present_figures(spec: EesFile, header: Sequence[str], rel: str) -> tuple[Figure, ...]:
    """The file's figures: every required one, and each optional one whose columns the file has."""
    present = []
    for figure in spec.figures:
        if figure.optional:
            try:
                resolve_columns(header, _columns_of(figure), file=rel)
            except PublishedDataError:
                continue
        present.append(figure)
    return tuple(present)


def _columns_of(figure: Figure) -> list[str]:
    return [c for c in (figure.value, figure.numerator, figure.denominator, *figure.parts) if c]


def _recognise_by_columns(directory: Path) -> tuple[dict[str, Path], list[tuple[Path, str]]]:
    """A release's CSV files under names of their own (as a download may name them), told apart by their
    columns: {first name of the table they hold: file}, and the files skipped, each with why."""
    known = {n for spec in EHCP_FILES for n in spec.names} | set(UNUSED_RELEASE_FILES)
    named = {spec.names[0] for spec in EHCP_FILES if _first_existing(directory, spec.names)}
    recognised: dict[str, Path] = {}
    skipped: list[tuple[Path, str]] = []
    for path in sorted(directory.glob("*.csv")):
        if path.name in known or path.match(TRIBUNAL_GLOB):
            continue
        try:
            header = _read_header(path)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            skipped.append((path, f"skipped: its header cannot be read ({error.__class__.__name__})"))
            continue
        matches = []
        for spec in EHCP_FILES:
            try:
                resolve_columns(header, [*EES_IDENTIFIERS, *_figure_columns(spec)], file=path.name)
            except PublishedDataError:
                continue
            matches.append(spec.names[0])
        tables = ", ".join(spec.names[0] for spec in EHCP_FILES)
        if len(matches) != 1:
            why = (
                "its columns match none of"
                if not matches
                else f"its columns match more than one of ({', '.join(matches)})"
            )
            skipped.append(
                (path, f"skipped: not recognised, as {why} the release tables the dashboard reads ({tables})")
            )
        elif matches[0] in named or matches[0] in recognised:
            skipped.append((path, f"skipped: it holds the same table as {matches[0]}, which is read instead"))
        else:
            recognised[matches[0]] = path
    return recognised, skipped


def _first_existing(directory: Path, names: Iterable[str]) -> Path | None:
    return next((directory / n for n in names if (directory / n).is_file()), None)


def load_published(conn: duckdb.DuckDBPyConnection, folder: Path, *, strict: bool = False) -> PublishedReport:
    """Load every published file under `folder` into `published_measures`, `statistical_neighbours` and `la_lookup`.

    A file that cannot be used is refused and named in the report (with `strict`, loading stops
    with PublishedDataError instead); the rest still load.
    """
    started = time.perf_counter()
    folder = Path(folder)
    report = PublishedReport(folder=folder)
    conn.execute(_MACROS)
    conn.execute(_STAGING_DDL)

    def attempt(rel: str, release_label: str, action) -> None:
        path = folder / rel
        if not path.is_file():
            log.warning("published file %s not found", path)
            report.files.append(FileLoad(rel, release_label, "missing", message="file not found"))
            if strict:
                raise PublishedDataError(f"{rel}: file not found")
            return
        try:
            load = action(path, rel)
            refuse_stored_formulas(conn, path, rel)
            report.files.append(load)
        except (PublishedDataError, duckdb.Error, OSError, UnicodeDecodeError, csv.Error) as error:
            log.warning("published file %s refused: %s", path, error)
            conn.execute("delete from published_staging where source_file = $f", {"f": rel})
            if rel in (LOOKUP_PATH, NEIGHBOURS_PATH):
                # Nothing from a refused lookup or neighbours file stays: an empty table is made in its place.
                composed(conn, f"drop table if exists {_stored_text(rel)[0]}")
            # Viewers see the file's name under data/published/, never the server's folders.
            message = without_paths(str(error).replace(str(path), rel), folder)
            message = message[len(rel) + 2 :] if message.startswith(f"{rel}: ") else message
            report.files.append(FileLoad(rel, release_label, "refused", message=message))
            if strict:
                raise PublishedDataError(f"{rel}: {message}") from error

    attempt(LOOKUP_PATH, "LA code lookup", lambda p, r: _load_lookup_raw(conn, p, r))
    if not conn.execute(
        "select count(*) from information_schema.tables where table_name = 'published_lookup_raw'"
    ).fetchall()[0][0]:
        conn.execute(
            "create or replace temp table published_lookup_raw as select "
            + ", ".join(f"null::varchar as {c}" for c in LOOKUP_COLUMNS)
            + " where false"
        )
    _create_lookup(conn)

    for directory, release in _release_folders(folder):
        recognised, skipped = _recognise_by_columns(directory)
        for path, why in skipped:
            rel = path.relative_to(folder).as_posix()
            log.warning("published file %s skipped: %s", path, why)
            report.files.append(FileLoad(rel, release.label, "skipped", message=why))
        for spec in EHCP_FILES:
            path = _first_existing(directory, spec.names) or recognised.get(spec.names[0])
            if path is not None:
                rel = path.relative_to(folder).as_posix()
                attempt(rel, release.label, lambda p, r, s=spec, rl=release: _load_ees(conn, p, r, s, rl))
        for path in sorted(directory.glob(TRIBUNAL_GLOB)):
            rel = path.relative_to(folder).as_posix()
            attempt(rel, release.label, lambda p, r, rl=release: _load_tribunal(conn, p, r, rl))

    historic = folder / HISTORIC_DIR
    for spec, release in ((SEN2_MI_FILE, ehcp_release(2023)), (ESTAB_CASELOAD_FILE, ehcp_release(2022))):
        path = _first_existing(historic, spec.names)
        rel = path.relative_to(folder).as_posix() if path else f"{HISTORIC_DIR}/{spec.names[0]}"
        attempt(rel, release.label, lambda p, r, s=spec, rl=release: _load_ees(conn, p, r, s, rl))
    attempt(LAIT_PATH, LAIT_RELEASE.label, lambda p, r: _load_lait(conn, p, r))
    attempt(DSG_PATH, DSG_RELEASE.label, lambda p, r: _load_dsg(conn, p, r))

    report.rows = _finish(conn)
    attempt(NEIGHBOURS_PATH, "statistical neighbours", lambda p, r: _load_neighbours(conn, p, r))
    if not conn.execute(
        "select count(*) from information_schema.tables where table_name = 'statistical_neighbours'"
    ).fetchall()[0][0]:
        conn.execute(
            "create table statistical_neighbours (model varchar, old_la_code varchar, new_la_code varchar, "
            "la_name varchar, sn_rank integer, sn_old_la_code varchar, sn_new_la_code varchar, "
            "sn_la_name varchar, sn_closeness varchar)"
        )

    report.seconds = time.perf_counter() - started
    files = pd.DataFrame(
        [
            {
                "path": f.path,
                "release": f.release,
                "status": f.status,
                "rows": f.rows,
                "message": " ".join(filter(None, [f.message, *f.warnings])),
            }
            for f in report.files
        ]
    )
    conn.register("published_files_frame", files)
    try:
        conn.execute("create or replace table published_files as select * from published_files_frame")
    finally:
        conn.unregister("published_files_frame")
    for table in ("published_staging", "published_raw", "published_tribunal", "published_lookup_raw"):
        composed(conn, f"drop table if exists {table}")
    return report


# --- A release file submitted on its own ---------------------------------------------------------------


def release_folder(year: int) -> str:
    """The folder a release's tables sit in under the releases folder: ehcp_2026."""
    return f"ehcp_{year}"


def recognise_release_file(path: Path, name: str, year: int | None = None) -> tuple[str, int, bool]:
    """Which table of a DfE EHCP release a submitted file holds, told apart by its columns as the loader does
    (the tribunal table by its name and two-row header), and the release's year: `year` when the submitter
    gave it, else worked out from the latest period in the file (a calendar year's figures are published the
    June after it, a January census's in the June of that year). Returns (file name in the release folder,
    year, whether the dashboard reads it: a release table it does not use, such as assessments.csv, is kept
    with its release under its own name); raises PublishedDataError saying plainly why the file is not a
    release table."""
    if Path(name).match(TRIBUNAL_GLOB):
        table, _ = read_tribunal_table(path, name)
        return name, year or int(table["year"].max()) + 1, True
    try:
        header = _read_header(path)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise PublishedDataError(
            f"its header cannot be read as CSV text ({error.__class__.__name__})"
        ) from error
    if name in UNUSED_RELEASE_FILES and name not in {n for spec in EHCP_FILES for n in spec.names}:
        return name, year or _latest_release(path, header, name, None), False
    matches = []
    for spec in EHCP_FILES:
        try:
            resolve_columns(header, [*EES_IDENTIFIERS, *_figure_columns(spec)], file=name)
        except PublishedDataError:
            continue
        matches.append(spec)
    tables = ", ".join(spec.names[0] for spec in EHCP_FILES)
    if len(matches) != 1:
        which = "none" if not matches else "more than one"
        raise PublishedDataError(
            f"its columns match {which} of the DfE release tables the dashboard reads ({tables}), and it is not "
            "named as an extract either"
        )
    spec = matches[0]
    return spec.names[0], year or _latest_release(path, header, name, spec.period), True


def _latest_release(path: Path, header: Sequence[str], name: str, kind: Period | None) -> int:
    """The release an EES file's latest period is published in: a calendar year's the June after it, a
    January census's ('202425' is January 2025) that June. `kind` None: a six-digit period is a January."""
    time_period = resolve_columns(header, ["time_period"], file=name)["time_period"]
    tp = f"trim({_quote(time_period)})"
    if kind is None:
        order = (
            f"case when length({tp}) = 6 then try_cast(left({tp}, 4) as integer) "
            f"else try_cast({tp} as integer) end + 1"
        )
    else:
        order = _period_sql(kind, _quote(time_period))[1] + (" + 1" if kind == "calendar" else "")
    latest = composed(duckdb.connect(), f"select max({order}) from {_csv(path)}").fetchall()[0][0]  # noqa: S608
    if latest is None:
        raise PublishedDataError(f"its {time_period} column holds no year, so its release cannot be told")
    return int(latest)


def same_table_files(directory: Path, kept: str) -> list[Path]:
    """The other files in a release folder holding the table `kept` names (under another of its names, or
    under a name of their own), which a refreshed copy of that table replaces."""
    spec = next((s for s in EHCP_FILES if kept in s.names), None)
    if spec is None:
        return []
    known = {n for s in EHCP_FILES for n in s.names} | set(UNUSED_RELEASE_FILES)
    others = []
    for path in sorted(directory.glob("*.csv")):
        if path.name == kept or path.match(TRIBUNAL_GLOB):
            continue
        if path.name in spec.names or (path.name not in known and _table_of(path) == kept):
            others.append(path)
    return others


def _table_of(path: Path) -> str | None:
    """The release table a file's columns say it holds (the first that matches), or None."""
    try:
        header = _read_header(path)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    for spec in EHCP_FILES:
        try:
            resolve_columns(header, [*EES_IDENTIFIERS, *_figure_columns(spec)], file=path.name)
        except PublishedDataError:
            continue
        return spec.names[0]
    return None
