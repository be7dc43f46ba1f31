"""Load a folder of extracts into DuckDB tables, enforcing the data contract row by row.

Each extract is a CSV file or a Parquet file. DuckDB reads its cells as text (the CSV reader in
parallel, with `store_rejects` for rows it cannot split into cells) and one pass of set-based SQL
types every value and checks every rule of the contract while writing the served table. Each
rejected row is reported with file, line (a Parquet file's row), column, value and rule. A file with more than the allowed share of bad rows is refused whole, and the last good
version of it (if one was ever loaded) is served instead. A missing or refused file leaves an
empty table with the right columns, so the pages that need it can say so and the rest still work.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np

from dashboard import contract
from dashboard.build import csvfile
from dashboard.build.validation import MAX_PROBLEMS_IN_REPORT, FileReport, LoadReport, Problem, without_paths
from dashboard.contract import Column, Extract, ReferenceFile

BUNDLED_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Where folders are named: the server log. Viewers are told file names only (see without_paths).
log = logging.getLogger(__name__)

_FINAL_TYPES = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "bool": "BOOLEAN",
    "number": "DOUBLE",
    "int": "BIGINT",
    "date": "DATE",
}
MAX_PROBLEMS_STORED = 10_000
DEFAULT_MAX_SHRINK = 0.10
# Rows of a file read again, from a copy of its head, to name the rules it breaks when it is refused early.
EARLY_REFUSAL_EXAMPLES = 1000
# Files smaller than this are always read in full (recording a bad row takes DuckDB about 100 bytes of memory
# for each byte of it, so this bounds what a file of junk can take to about 100 MB).
EARLY_REFUSAL_MIN_BYTES = 1 << 20
# When a request stops being open (the one definition; see is_open_at in sql/macros.sql). Outcomes
# plan_not_issued and withdrawn carry no date of their own in the extract, so they close at the decision
# date: exact at the extract's as-of date, a slight undercount of open cases before it.
REQUEST_CLOSED_ON = """case
            when decision in ('not_assess', 'withdrawn') then decision_date
            when outcome = 'plan_issued' then plan_issued_date
            when outcome in ('plan_not_issued', 'withdrawn') then decision_date
        end"""
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_UK = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$")
_UK_PARTS = r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$"
_STRUCTURAL_RULES = {
    "MISSING COLUMNS": "ragged row: fewer cells than the header",
    "TOO MANY COLUMNS": "ragged row: more cells than the header (an unquoted comma?)",
    "UNQUOTED VALUE": "unescaped quote: a cell containing a quote must be wrapped in quotes, with inner quotes doubled",
    "INVALID UNICODE": "text is not valid UTF-8",
    "LINE SIZE OVER MAXIMUM": "line is too long to be a row of this extract",
}


@dataclass(frozen=True)
class LoadOptions:
    """Settings for one load: the date that counts as today, the rejection threshold, where last good copies live."""

    today: date
    reject_threshold: float = contract.DEFAULT_REJECT_THRESHOLD
    last_good_dir: Path | None = None
    # A file with more than this share fewer rows than its last good version, or whose latest date is
    # earlier, is held (the last good version is served) unless accept_shrink confirms it: True for every
    # file, or the names of the files it confirms (ehcp_requests.csv, or its .parquet name).
    max_shrink: float = DEFAULT_MAX_SHRINK
    accept_shrink: bool | frozenset[str] = False
    # Where the load keeps its work files (a folder it creates and removes); None: the system's temporary
    # folder. A build names one beside the database it writes, where its leftover cleanup looks.
    work_dir: Path | None = None


def normalise_header(name: str) -> str:
    """Match header names case-insensitively after trimming, as the contract says."""
    return name.strip().strip("\ufeff").strip().lower()


def header_words(name: str) -> list[str]:
    """A header name as lower-case words, whatever its case, punctuation, spaces or underscores.

    "Child's name" -> child, s, name; "post_code" -> post, code; "D.O.B" -> d, o, b; "FirstName" -> first,
    name; "NHSNumber" -> nhs, number.
    """
    text = name.replace("\ufeff", "")
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def looks_like_identifier(name: str) -> bool:
    """True for a column name that would carry a direct identifier (a person's name, date of birth, UPN,
    ULN, NHS or NI number, postcode, address, email or phone number), however it is spelt.

    The name is split into words (see header_words) and checked as words and run together, so spellings
    people use ("Child's name", "post_code", "D.O.B", "U.P.N.", "Date of Birth", "NHS No") are caught.
    A name column is a person's unless it says whose name it is and that is not a person ("setting_name",
    "School Name", "LA name"); see contract.NON_PERSON_NAMES.
    """
    words = header_words(name)
    squashed = "".join(words)
    if not words:
        return False
    if squashed in contract.IDENTIFIER_SQUASHED or set(words) & contract.IDENTIFIER_WORDS:
        return True
    if any(stem in squashed for stem in contract.IDENTIFIER_STEMS):
        return True
    if words[-2:] == ["ni", "no"] or words[-2:] == ["ni", "number"]:
        return True
    has_name, qualifiers = False, set()
    for word in words:
        if word in ("name", "names"):
            has_name = True
        elif word.endswith("name") and len(word) > len("name"):
            # A squashed "childname" or "settingname": the part before "name" says whose.
            has_name = True
            qualifiers.add(word[: -len("name")])
        else:
            qualifiers.add(word)
    if not has_name:
        return False
    return bool(qualifiers & contract.PERSON_WORDS) or not (qualifiers & contract.NON_PERSON_NAMES)


def file_sha256(path: Path) -> str:
    """Content hash of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Opening the file: CSV or Parquet, encoding, header, delimiter, date format


@dataclass
class _Source:
    """An extract's file, opened for checking: its header, a sample of its rows, and how DuckDB reads it
    (`relation`: SQL giving one VARCHAR column c0, c1, ... per header cell, rows in file order)."""

    path: Path  # what DuckDB reads: the file itself, or its UTF-8 copy when it was Windows-1252
    header: list[str]
    sample_rows: list[list[str]]
    relation: str
    params: dict[str, object]
    facts: csvfile.FileFacts | None = None  # CSV only

    @property
    def is_parquet(self) -> bool:
        return self.facts is None


def _find_file(data_dir: Path, extract: Extract, report: FileReport) -> Path | None:
    """The extract's file, CSV or Parquet; None (with the reason in the report) when there is not exactly one."""
    csv_path, parquet_path = data_dir / extract.filename, data_dir / extract.parquet_filename
    if csv_path.is_file() and parquet_path.is_file():
        report.status = "refused"
        report.errors.append(
            f"both {extract.filename} and {extract.parquet_filename} are in the extracts folder, so it is not "
            "clear which one is current: remove the one that is not"
        )
        return None
    if parquet_path.is_file():
        report.filename = extract.parquet_filename
        return parquet_path
    if csv_path.is_file():
        return csv_path
    report.errors.append(f"{extract.filename} was not found in the extracts folder")
    return None


# Every cell is read as text (nulls spelt as the contract allows), so typing it is one of the checks.
_CSV_RELATION = (
    "read_csv($path, columns = $columns, header = true, delim = ',', quote = '\"', escape = '\"', "
    "strict_mode = true, auto_detect = false, nullstr = $nulls, store_rejects = true, "
    "rejects_table = '_rej', rejects_scan = '_rej_scan', rejects_limit = 0)"
)


# The same cells with unreadable rows skipped and nothing about them kept: counting with it takes little
# memory whatever the file holds (recording rejects takes DuckDB about 100 times the file's size).
_CSV_RELATION_LENIENT = (
    "read_csv($path, columns = $columns, header = true, delim = ',', quote = '\"', escape = '\"', "
    "strict_mode = true, auto_detect = false, nullstr = $nulls, ignore_errors = true)"
)


def _open_csv(path: Path, staging: Path, report: FileReport) -> _Source | None:
    """Check encoding and header; transcode Windows-1252 to UTF-8. Returns None when the file is refused."""
    with path.open("rb") as handle:
        raw_head = handle.read(1 << 20)
    if not raw_head.strip(b"\xef\xbb\xbf \t\r\n"):
        report.errors.append("the file is empty")
        return None
    facts = csvfile.scan(path)
    report.sha256 = facts.sha256
    read_path = path
    if not facts.utf8:
        read_path = staging / f"{path.stem}.utf8.csv"
        position = csvfile.transcode_cp1252(path, read_path)
        if position is not None:
            report.errors.append(
                f"the file is neither UTF-8 nor Windows-1252 text (undecodable byte at position {position}); "
                "export it again as UTF-8 CSV"
            )
            return None
        report.warnings.append(
            "the file is Windows-1252 encoded, not UTF-8; it was transcoded to UTF-8 to load it "
            "(check accented names look right, and export as UTF-8 next time)"
        )
        with read_path.open("rb") as handle:
            raw_head = handle.read(1 << 20)
    head_text = raw_head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first_line = head_text.splitlines()[0] if head_text.splitlines() else ""
    if "," not in first_line:
        for delimiter, label in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if delimiter in first_line:
                # The line itself is not quoted back: without a header it would be a child's row.
                report.errors.append(
                    f"the file is {label}-delimited (line 1 has {first_line.count(delimiter)} {label}s and no "
                    "commas); the contract requires comma-separated values: export it again as "
                    "'CSV (comma delimited)'"
                )
                return None
    if len(raw_head) >= (1 << 20):
        head_text = head_text[: head_text.rfind("\n") + 1]
    rows = list(csv.reader(io.StringIO(head_text)))[:2001]
    header = rows[0] if rows else []
    params = {
        "columns": {f"c{i}": "VARCHAR" for i in range(len(header))},
        "nulls": list(contract.NULL_STRINGS),
    }
    return _Source(read_path, header, [r for r in rows[1:] if r], _CSV_RELATION, params, facts)


def _open_parquet(conn: duckdb.DuckDBPyConnection, path: Path, report: FileReport) -> _Source:
    """Read a Parquet file's column names and a sample of its rows; its cells are read as text, so they go
    through the same checks as a CSV file's. A date or midnight timestamp reads as YYYY-MM-DD."""
    report.sha256 = file_sha256(path)
    described = conn.execute("describe select * from read_parquet($path)", {"path": str(path)}).fetchall()
    header = [str(row[0]) for row in described]
    cells = []
    for index, row in enumerate(described):
        # Columns are named by position (#1, #2, ...): a name from the file never becomes SQL.
        column, kind = f"#{index + 1}", str(row[1])
        if kind == "TIMESTAMP" or kind.startswith("TIMESTAMP_"):
            text = (
                f"case when cast({column} as time) = time '00:00:00' then cast(cast({column} as date) as varchar) "
                f"else cast({column} as varchar) end"
            )
        else:
            text = f"cast({column} as varchar)"
        cells.append(f"{text} as c{index}")
    nulls = ", ".join(
        f"case when list_contains($nulls, c{i}) then null else c{i} end as c{i}" for i in range(len(cells))
    )
    relation = f"(select {nulls} from (select {', '.join(cells)} from read_parquet($path)))"
    params = {"nulls": list(contract.NULL_STRINGS)}
    sample = conn.execute(f"select * from {relation} limit 2000", {"path": str(path), **params}).fetchall()
    rows = [["" if v is None else v for v in row] for row in sample]
    return _Source(path, header, rows, relation, params)


def _check_header(extract: Extract, header: list[str], report: FileReport) -> dict[str, int] | None:
    """Map contract columns to header positions; refuse identifiers, missing or duplicated columns."""
    names = [normalise_header(h) for h in header]
    identifiers = [h for h in header if looks_like_identifier(h)]
    if identifiers:
        report.errors.append(
            "the file carries direct-identifier column(s) "
            + ", ".join(repr(h.strip()) for h in identifiers)
            + ": the dashboard must never hold names, dates of birth, UPNs, NHS numbers or addresses, so the "
            "file is refused whole. Remove those columns from the export."
        )
        return None
    duplicates = sorted({n for n in names if names.count(n) > 1 and n})
    if duplicates:
        report.errors.append("the header repeats column(s) " + ", ".join(duplicates))
        return None
    known = {c.name for c in extract.columns}
    missing = [c for c in extract.required_columns if c not in names]
    if missing:
        # Only the contract's own names are echoed: a file with no header row has a child's row on line 1.
        found = [n for n in names if n in known]
        report.errors.append(
            "required column(s) missing from the header: "
            + ", ".join(missing)
            + f" (line 1 has {len(names)} column(s); of the contract's it has "
            + (", ".join(found) or "none")
            + "; is the header row missing?)"
        )
        return None
    extra = [h.strip() for h, n in zip(header, names, strict=True) if n not in known]
    if extra:
        report.warnings.append("unknown column(s) ignored: " + ", ".join(repr(e) for e in extra))
    return {n: i for i, n in enumerate(names) if n in known}


def _date_format(
    extract: Extract, positions: dict[str, int], sample_rows: list[list[str]], report: FileReport
) -> str:
    """Pick the file's one date format (ISO or UK) from a sample of its date cells."""
    iso = uk = 0
    for column in extract.columns:
        if column.kind != "date" or column.name not in positions:
            continue
        index = positions[column.name]
        for row in sample_rows:
            if index < len(row):
                iso += bool(_ISO.match(row[index]))
                uk += bool(_UK.match(row[index]))
    if iso and uk:
        report.warnings.append(
            "dates mix YYYY-MM-DD and DD/MM/YYYY; the contract allows one format per file, so rows in the "
            f"less common format are rejected (this file is read as {'DD/MM/YYYY' if uk > iso else 'YYYY-MM-DD'})"
        )
    return "%d/%m/%Y" if uk > iso else "%Y-%m-%d"


# ---------------------------------------------------------------------------------------------
# The checks, as SQL over each row's raw cells ("name__raw", text as read) and typed values ("name")


def _sql_list(values: Iterable[str]) -> str:
    """Quote our own contract constants as a SQL list (never user data)."""
    values = list(values)
    for v in values:
        assert re.fullmatch(r"[A-Za-z0-9_ ]+", v), v
    return ", ".join(f"'{v}'" for v in values) if values else "NULL"


def _typed_expr(column: Column, raw: str, date_format: str) -> str:
    """SQL for a column's value as stored, from its raw text; null where the text does not fit the type."""
    if column.kind == "text":
        return f"trim({raw})"
    if column.kind == "enum":
        if column.reference == "districts":
            # $district_keys and $district_names: reference/districts.csv, matched case-insensitively.
            return (
                f"coalesce($district_names[list_position($district_keys, lower(trim({raw})))], "
                f"case when lower(trim({raw})) in ({_sql_list(column.extra_values)}) then lower(trim({raw})) end)"
            )
        if column.reference:
            # $ref_keys_<file> and $ref_codes_<file>: the codes of a reference file, matched case-insensitively.
            ref = column.reference
            return f"$ref_codes_{ref}[list_position($ref_keys_{ref}, lower(trim({raw})))]"
        # Exact spellings are looked up in an ENUM (a hash, not a string compare per code); others are
        # trimmed and put in the codes' case first.
        codes = f"ENUM({_sql_list(column.values)})"
        case = "upper" if all(v.isupper() for v in column.values) else "lower"
        return (
            f"cast(coalesce(try_cast({raw} as {codes}), try_cast({case}(trim({raw})) as {codes})) as varchar)"
        )
    if column.kind == "bool":
        return (
            f"case when {raw} = 'false' then false when {raw} = 'true' then true "
            f"when lower(trim({raw})) in ({_sql_list(contract.TRUE_STRINGS)}) then true "
            f"when lower(trim({raw})) in ({_sql_list(contract.FALSE_STRINGS)}) then false end"
        )
    if column.kind == "number":
        return f"try_cast(replace(replace(trim({raw}), '£', ''), ',', '') as double)"
    if column.kind == "int":
        # Digits alone, or with a fraction of zeros as a spreadsheet exports a whole number (2.0 is 2). DuckDB's
        # own cast would round 2.5 to 3 and read 1e3, 0x10 and 1_000 as numbers: those are not whole numbers.
        return f"case when regexp_full_match(trim({raw}), '{_WHOLE_NUMBER}') then try_cast(trim({raw}) as bigint) end"
    assert date_format in _DATE_FORMATS, date_format
    return f"cast(try_strptime({raw}, '{date_format}') as date)"


_WHOLE_NUMBER = r"[+-]?[0-9]+(\.0*)?"
_DATE_FORMATS = {"%Y-%m-%d": "YYYY-MM-DD", "%d/%m/%Y": "DD/MM/YYYY"}
_MONTH_FIRST = "not a valid date: it looks month-first (MM/DD/YYYY), which is never accepted; use DD/MM/YYYY"
_NOT_A_DAY = "not a real calendar date"


def _unreadable_rule(column: Column, raw: str, date_format: str, params: dict[str, object]) -> str:
    """SQL for the rule a cell breaks when it cannot be read as its column's type; for a date, it says why."""
    if column.kind == "int":
        params["rule_whole_number"] = "must be a whole number"
        return "$rule_whole_number"
    params["rule_month_first"] = _MONTH_FIRST
    params["rule_not_a_day"] = _NOT_A_DAY
    params["rule_date_format"] = (
        f"not a valid date: this file's dates are {_DATE_FORMATS[date_format]} "
        "(one format per file: YYYY-MM-DD or DD/MM/YYYY)"
    )
    if date_format == "%Y-%m-%d":
        return f"case when regexp_matches({raw}, '{_ISO.pattern}') then $rule_not_a_day else $rule_date_format end"
    day, month = (f"try_cast(regexp_extract({raw}, '{_UK_PARTS}', {n}) as int)" for n in (1, 2))
    return (
        f"case when not regexp_matches({raw}, '{_UK.pattern}') then $rule_date_format "
        f"when {month} > 12 and {day} <= 12 then $rule_month_first else $rule_not_a_day end"
    )


@dataclass(frozen=True)
class _Check:
    """One rule: the column it names, SQL true when a row breaks it, and SQL for the rule's words."""

    column: str
    violated: str
    rule: str
    value: str
    unreadable: bool = False  # a cell that does not fit its type; a row with one is checked no further


def _checks(extract: Extract, date_format: str, params: dict[str, object]) -> list[_Check]:
    """Every rule of the extract but the duplicate key, adding each rule's words to `params`."""
    checks: list[_Check] = []

    def add(
        column: str, violated: str, rule: str, value: str | None = None, unreadable: bool = False
    ) -> None:
        name = f"rule_{len(checks)}"
        params[name] = rule
        checks.append(_Check(column, violated, f"${name}", value or f'"{column}__raw"', unreadable))

    for column in extract.columns:
        name, raw = column.name, f'"{column.name}__raw"'
        if column.kind in ("int", "date"):
            rule = _unreadable_rule(column, raw, date_format, params)
            checks.append(_Check(name, f'{raw} is not null and "{name}" is null', rule, raw, unreadable=True))
        if column.required:
            add(name, f"{raw} is null", "required: the cell is empty")
        # Formula-like text, on the value as stored (trimmed), so a leading space cannot hide it; numbers are
        # numbers. A known code never starts like a formula, so codes are tested only when unknown.
        formula = (
            f"regexp_matches(trim({raw}), '{contract.FORMULA_START_PATTERN}') "
            f"and not regexp_matches(trim({raw}), '{contract.PLAIN_NUMBER_PATTERN}')"
        )
        if column.kind == "text":
            add(name, formula.replace(f"trim({raw})", f'"{name}"'), contract.FORMULA_RULE)
        if column.kind == "enum":
            add(name, f'"{name}" is null and {formula}', contract.FORMULA_RULE)
            if column.reference == "districts":
                allowed = "a district in reference/districts.csv" + (
                    f" or {', '.join(column.extra_values)}" if column.extra_values else ""
                )
            elif column.reference:
                allowed = f"a code in reference/{_reference_file(column.reference).filename}"
            else:
                allowed = "one of " + ", ".join(column.values)
            add(name, f'{raw} is not null and "{name}" is null', f"unknown value: must be {allowed}")
        if column.kind == "bool":
            add(name, f'{raw} is not null and "{name}" is null', "must be true/false, 1/0 or Y/N")
        if column.kind == "number":
            add(
                name,
                f'{raw} is not null and "{name}" is null',
                "must be a plain number of pounds (e.g. 1234.56)",
            )
        if column.kind in ("int", "number") and column.minimum is not None:
            rule = "must not be negative" if column.minimum == 0 else f"must be at least {column.minimum:g}"
            add(name, f'"{name}" < {column.minimum}', rule)
        if column.kind in ("int", "number") and column.maximum is not None:
            add(
                name,
                f'"{name}" > {column.maximum}',
                f"must be between {column.minimum:g} and {column.maximum:g}",
            )
        if column.kind == "date" and column.not_after_extract:
            add(name, f'"{name}" > $today', "the date is in the future (after the extract date)")
        if column.kind == "date" and column.not_before:
            add(
                name,
                f"\"{name}\" < DATE '{column.not_before}'",
                f"the date is before {column.not_before}, earlier than the SEN2 era this dashboard covers",
            )
    for rule in extract.row_rules:
        add(rule.column, rule.violated, rule.rule, f'cast("{rule.column}" as varchar)')
    return checks


# ---------------------------------------------------------------------------------------------
# The served tables


# The order each table is stored in, so a date range skips whole row groups.
_STORED_ORDER = {
    "ehcp_requests": ("received_date",),
    "ep_assessments": ("requested_date",),
    "specialist_places": ("snapshot_date", "setting_id"),
    "spending": ("month", "budget_line"),
    "ehcp_plans": ("start_date",),
    "annual_reviews": ("review_meeting_date",),
    "advice_requests": ("requested_date",),
    "neurodevelopmental_waits": ("month", "pathway", "place"),
}


def _final_columns(extract: Extract) -> str:
    """The served table's columns, as SQL over a row of validated values: the contract's columns and the
    derived ones the queries use ($district_names and $localities: reference/districts.csv)."""
    columns = [f'"{c.name}"' for c in extract.columns]
    if any(c.reference == "districts" for c in extract.columns):
        columns.append("$localities[list_position($district_names, district)] as locality")
    if extract.table == "ehcp_requests":
        bands = " ".join(
            f"when age_at_request between {lo} and {hi} then '{label}'"
            for label, lo, hi in contract.AGE_GROUPS
        )
        # Derived once here so every query reads a column instead of recomputing it per row.
        columns += [
            f"case {bands} end as age_group",
            f"{REQUEST_CLOSED_ON} as closed_on",
            "cast(date_trunc('month', received_date) as date) as received_month",
            "cast(date_trunc('month', decision_date) as date) as decision_month",
            "cast(date_trunc('month', plan_issued_date) as date) as issued_month",
            "cast(decision_date - received_date as integer) as days_to_decision",
            "cast(plan_issued_date - received_date as integer) as days_to_plan",
        ]
    elif extract.table == "spending":
        columns += [
            "case when month(month) >= 4 then year(month) else year(month) - 1 end as fy_start_year",
            "printf('%d-%02d', fy_start_year, (fy_start_year + 1) % 100) as financial_year",
        ]
    return ", ".join(columns)


def _district_params(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = conn.execute(
        "select district, locality from districts where district is not null order by district"
    ).fetchall()
    params = {
        "district_keys": [d.lower() for d, _ in rows],
        "district_names": [d for d, _ in rows],
        "localities": [loc for _, loc in rows],
    }
    # The codes of every other reference file an extract's column refers to (health_providers, icb_places).
    for ref in contract.REFERENCE_FILES:
        if ref.code:
            codes = [
                code
                for (code,) in conn.execute(
                    f'select distinct "{ref.code}" from {ref.table} where "{ref.code}" is not null order by 1'
                ).fetchall()
            ]
            params[f"ref_keys_{ref.table}"] = [c.lower() for c in codes]
            params[f"ref_codes_{ref.table}"] = codes
    return params


def _reference_file(table: str) -> ReferenceFile:
    return next(r for r in contract.REFERENCE_FILES if r.table == table)


def _used(params: dict[str, object], sql: str) -> dict[str, object]:
    """The parameters a statement uses (DuckDB refuses any it does not)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _empty_table(conn: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    columns = ", ".join(f'null::{_FINAL_TYPES[c.kind]} as "{c.name}"' for c in extract.columns)
    sql = f"create or replace table {extract.table} as select {_final_columns(extract)} from (select {columns}) where false"
    conn.execute(sql, _used(_district_params(conn), sql))


def _look_down(conn: duckdb.DuckDBPyConnection, extract: Extract) -> tuple[bool, bool]:
    """One look down the table in file order: whether its key only ever rises (so no key can repeat, which
    is how exports usually come) and whether the rows are in their stored order already."""

    def value(columns: tuple[str, ...]) -> str:
        names = ", ".join(f'"{c}"' for c in columns)
        if len(columns) == 1:
            return names
        return f"case when {' and '.join(f'{chr(34)}{c}{chr(34)} is not null' for c in columns)} then row({names}) end"

    key, order = value(extract.key), value(_STORED_ORDER[extract.table])
    falls, unsorted = conn.execute(
        "select count(*) filter (where k <= previous_k), count(*) filter (where o < previous_o) from ("
        f"select {key} as k, lag({key} ignore nulls) over w as previous_k, {order} as o, lag({order}) over w "
        f"as previous_o from {extract.table} window w as (order by rowid))"
    ).fetchone()
    return not falls, not unsorted


def _store_in_order(conn: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    """Sort the table into its stored order."""
    order = ", ".join(f'"{c}"' for c in _STORED_ORDER[extract.table])
    conn.execute(f"create or replace table {extract.table} as select * from {extract.table} order by {order}")


# ---------------------------------------------------------------------------------------------
# Loading one extract


def _load_extract(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    data_dir: Path,
    options: LoadOptions,
    staging: Path,
    problems_sink: list[Problem],
) -> FileReport:
    report = FileReport(
        table=extract.table, filename=extract.filename, status="missing", optional=extract.optional
    )
    path = _find_file(data_dir, extract, report)
    if path is None:
        log.warning("%s: %s", data_dir, " ".join(report.errors))
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    try:
        if path.suffix == ".parquet":
            source = _open_parquet(conn, path, report)
        else:
            source = _open_csv(path, staging, report)
        positions = _check_header(extract, source.header, report) if source else None
        if source is None or positions is None:
            report.status = "refused"
            log.warning("%s refused: %s", path, " ".join(report.errors))
            _serve_last_good_or_empty(conn, extract, options, report)
            return report
        date_format = _date_format(extract, positions, source.sample_rows, report)
        early = _refused_early(
            conn, extract, source, positions, date_format, options, report, problems_sink, staging
        )
        loaded = not early and _read_checked(
            conn, extract, source, positions, date_format, options, report, problems_sink
        )
    except (OSError, duckdb.Error, csv.Error, UnicodeDecodeError) as error:
        log.warning("%s could not be read: %s", path, error)
        report.status = "refused"
        report.errors.append(
            "the file cannot be read: " + without_paths(str(error).splitlines()[0], path, data_dir, staging)
        )
        _drop_work_tables(conn, extract.table)
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    if not loaded:
        report.status = "refused"
        log.warning("%s refused: %s", path, " ".join(report.errors))
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    report.latest_date = _latest_date(conn, extract)
    held = _held_against_last_good(extract, options, report)
    if held:
        report.status = "refused"
        report.held = held
        report.errors.append(held)
        log.warning("%s held: %s", path, held)
        _drop_work_tables(conn, extract.table)
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    report.status = "loaded_with_rejections" if report.rows_rejected else "loaded"
    report.serving = "this_file"
    if options.last_good_dir is not None:
        _save_last_good(conn, extract, options.last_good_dir, report)
    return report


def _latest_date(conn: duckdb.DuckDBPyConnection, extract: Extract) -> str | None:
    """The latest date in the column the extract is ordered by (received, requested, census, month)."""
    column = _STORED_ORDER[extract.table][0]
    latest = conn.execute(f'select max("{column}") from {extract.table}').fetchone()[0]
    return latest.isoformat() if latest else None


def _held_against_last_good(extract: Extract, options: LoadOptions, report: FileReport) -> str | None:
    """Why a file that passed every rule is still held back from replacing its last good version (None when
    it is not): far fewer rows than it had, as a file cut short by a copy still running would, or a latest
    date earlier than it had, as an old export would."""
    if options.last_good_dir is None:
        return None
    _, meta = _last_good_paths(extract, options.last_good_dir)
    try:
        info = json.loads(meta.read_text())
    except (OSError, ValueError):
        return None
    before, now = int(info.get("rows") or 0), report.rows_loaded
    latest_before = info.get("latest_date")
    if before and now < before * (1 - options.max_shrink):
        why = (
            f"it has {now:,} rows where the last good version (loaded {info.get('saved_at', 'earlier')}) had "
            f"{before:,}, {1 - now / before:.0%} fewer, more than the {options.max_shrink:.0%} a refresh may "
            "drop"
        )
        question = "was it cut short while being copied?"
    elif latest_before and report.latest_date and report.latest_date < latest_before:
        why = f"its latest date is {report.latest_date}, earlier than the last good version's {latest_before}"
        question = "is it an older export?"
    else:
        return None
    accepted = options.accept_shrink
    if accepted is True or (accepted and {extract.filename, extract.parquet_filename} & set(accepted)):
        report.accepted_shrink = why
        return None
    return (
        f"a newer {report.filename} is held, not loaded: {why} ({question}). If it is right, confirm it with "
        f"`python -m dashboard.refresh {report.filename} --accept-shrink`; until then the last good version "
        "is served"
    )


def _drop_work_tables(conn: duckdb.DuckDBPyConnection, table: str | None = None) -> None:
    """Drop the tables a load works in (and the served `table`, if named)."""
    for name in ("_rej", "_rej_scan", "_dup_keys", "_dup", "_suspect", "_violations", table):
        if name:
            conn.execute(f"drop table if exists {name}")


def _row_sql(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    source: _Source,
    positions: dict[str, int],
    date_format: str,
    options: LoadOptions,
) -> tuple[dict[str, object], list[_Check], list[str], str]:
    """The parameters, the checks, each row's cells (raw and typed) and SQL true when a row breaks a rule."""
    params: dict[str, object] = {
        "path": str(source.path),
        "today": options.today,
        **source.params,
        **_district_params(conn),
    }
    checks = _checks(extract, date_format, params)
    cells = []
    for column in extract.columns:
        raw = f"c{positions[column.name]}" if column.name in positions else "null::varchar"
        cells.append(f'{raw} as "{column.name}__raw"')
        cells.append(f'{_typed_expr(column, raw, date_format)} as "{column.name}"')
    # A rule whose test is null (a comparison with an empty cell) is not broken, which is how CASE reads it.
    broken = " or ".join(f"({c.violated})" for c in checks)
    return params, checks, cells, broken


def _refused_early(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    source: _Source,
    positions: dict[str, int],
    date_format: str,
    options: LoadOptions,
    report: FileReport,
    problems_sink: list[Problem],
    staging: Path,
) -> bool:
    """Refuse a CSV file without reading all of it when more than the allowed share of its rows is already
    certain to be bad; True (with the report filled in) when it is.

    A file has at most as many records as lines after the header, so once more bad records than the
    threshold's share of those lines are found, no remaining row can save it. Reading every row of a file
    of junk with DuckDB's reject store takes about 100 times the file's size in memory, so a file that looks
    bad is counted first with nothing kept: its unreadable (ragged) records with the csv module, stopping as
    soon as there are too many, and its rule-breaking rows among the first ones. The rules are then named
    from a copy of the file's first rows.
    """
    if source.is_parquet or source.path.stat().st_size < EARLY_REFUSAL_MIN_BYTES:
        return False  # a small file is read in full, so its report counts every bad row
    params, _, cells, broken = _row_sql(conn, extract, source, positions, date_format, options)
    lenient = f"(select {', '.join(cells)} from {_CSV_RELATION_LENIENT})"
    # Counting costs a read of the whole file, so it is done only when the file's first or last rows look
    # bad: a file of junk (under a good header, or after good rows) shows it at one end or the other.
    threshold, width = options.reject_threshold, len(source.header)
    head = source.sample_rows
    sql = f"select count(*), count(*) filter (where {broken}) from (select * from {lenient} limit 2000)"
    first_rows, first_bad = conn.execute(sql, _used(params, sql)).fetchone()
    tail_rows, tail_ragged = csvfile.tail_shape(source.path, width)
    if not (
        sum(len(r) != width for r in head) > threshold * max(len(head), 1)
        or tail_ragged > threshold * max(tail_rows, 1)
        or first_bad > threshold * max(first_rows, 1)
        or (not first_rows and head)
    ):
        return False
    bound = csvfile.count_lines(source.path) - 1
    allowed = options.reject_threshold * bound
    sql = f"select count(*) from {_CSV_RELATION_LENIENT}"
    readable = conn.execute(sql, _used(params, sql)).fetchone()[0]
    found: tuple[int, int] | None = None  # bad rows certain, of rows read
    first_line = None  # the line the first bad row ends on, when known
    if bound - readable > allowed:
        ragged, read, first_line = csvfile.count_ragged(source.path, len(source.header), allowed)
        if ragged > allowed:
            found = (ragged, read)
    if found is None and readable:
        sample = min(readable, 2000)
        sql = f"select count(*) filter (where {broken}) from (select * from {lenient} limit {sample})"
        if conn.execute(sql, _used(params, sql)).fetchone()[0] > options.reject_threshold * sample:
            first = min(readable, int(allowed) + 1)
            sql = f"select count(*) filter (where {broken}) from (select * from {lenient} limit {first})"
            bad = conn.execute(sql, _used(params, sql)).fetchone()[0]
            if bad > allowed:
                found = (bad, first)
    if found is None:
        return False
    bad, read = found
    head = staging / f"{extract.table}.head.csv"
    csvfile.copy_head(source.path, head, EARLY_REFUSAL_EXAMPLES)
    examples = FileReport(table=extract.table, filename=report.filename, status="refused")
    head_source = _Source(
        head, source.header, source.sample_rows, source.relation, source.params, csvfile.scan(head)
    )
    everything = LoadOptions(today=options.today, reject_threshold=1.0)
    _read_checked(conn, extract, head_source, positions, date_format, everything, examples, problems_sink)
    _drop_work_tables(conn, extract.table)
    head.unlink(missing_ok=True)
    report.rows_read, report.rows_rejected = read, bad
    report.problems, report.problems_total = examples.problems, examples.problems_total
    report.rule_counts = examples.rule_counts
    if examples.problems:
        where = f"The rejected rows below are from its first {examples.rows_read:,} rows"
    else:
        where = f"Its first {examples.rows_read:,} rows break no rule: the bad ones come later" + (
            f" (the first ends on line {first_line:,}; a row that cannot be split into cells)"
            if first_line
            else ""
        )
    report.errors.append(
        f"at least {bad:,} of its first {read:,} rows break the contract and the file has at most {bound:,} "
        f"rows, so more than the {options.reject_threshold:.0%} allowed are certain to: the whole file is "
        f"refused without reading the rest. {where}"
    )
    return True


def _read_checked(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    source: _Source,
    positions: dict[str, int],
    date_format: str,
    options: LoadOptions,
    report: FileReport,
    problems_sink: list[Problem],
) -> bool:
    """Read the file into the served table, checking every rule in the same pass; report the rows that
    break one and take them out. False (and no table) when the file is refused.

    One scan of the file works out each row's values and whether it breaks any rule; a row that does keeps
    its raw cells in `_raw`, so telling the rules apart then reads those few rows alone.
    DuckDB reads and writes on every thread and keeps the rows in file order (preserve_insertion_order), so a
    row's number in the table (rowid) is its place among the records kept, which gives its line.
    """
    table = extract.table
    _drop_work_tables(conn, table)
    params, checks, cells, broken = _row_sql(conn, extract, source, positions, date_format, options)
    raw_cells = "[" + ", ".join(f'"{c.name}__raw"' for c in extract.columns) + "]"
    sql = (
        f"create table {table} as select {_final_columns(extract)}, "
        f"case when {broken} then {raw_cells} end as _raw "
        f"from (select {', '.join(cells)} from {source.relation})"
    )
    conn.execute("set preserve_insertion_order = true")  # DuckDB's default, which the lines rely on
    kept = conn.execute(sql, _used(params, sql)).fetchone()[0]

    # Rows DuckDB could not split into cells (ragged rows, stray quotes), by the byte they start at: how
    # many, the first few, and how many for each reason. The rejected line's own text (csv_line) is never
    # read: it can hold a name in any of its cells.
    rejected_offsets, structural, structural_counts = np.array([], dtype=np.int64), [], {}
    if not source.is_parquet:
        found = conn.execute("select distinct line_byte_position from _rej order by 1").fetchall()
        rejected_offsets = np.array([offset for (offset,) in found], dtype=np.int64)
        structural = conn.execute(
            "select line_byte_position, error_type from _rej group by all order by all "
            f"limit {MAX_PROBLEMS_STORED}"
        ).fetchall()
        structural_counts = dict(
            conn.execute(
                "select error_type, count(distinct line_byte_position) from _rej group by 1"
            ).fetchall()
        )
    records = kept + len(rejected_offsets)
    report.rows_read = records
    if records == 0:
        _drop_work_tables(conn, table)
        report.errors.append(
            "the file has no rows" if source.is_parquet else "the file has a header but no data rows"
        )
        return False

    raw_of = {c.name: f"_raw[{n}]" for n, c in enumerate(extract.columns, start=1)}
    unreadable = _unreadable_sql(extract, raw_of)
    keys_rise, in_order = _look_down(conn, extract)
    conn.execute("create temp table _dup (_row bigint, first_row bigint, value varchar)")
    if not keys_rise:
        _find_repeated_keys(conn, extract, f"(_raw is null or not ({unreadable}))")
    # The rows that break a rule, with their raw cells, and every rule each one breaks. A row with a cell
    # that cannot be read is rejected for that alone, as nothing else in it can be checked.
    raws = ", ".join(f'{raw_of[c.name]} as "{c.name}__raw"' for c in extract.columns)
    values = ", ".join(f'"{c.name}"' for c in extract.columns)
    conn.execute(
        f"create temp table _suspect as select rowid as _row, {raws}, {values}, {unreadable} as _unreadable "
        f"from {table} where _raw is not null"
    )
    params["rule_duplicate"] = f"duplicate key ({', '.join(extract.key)})"
    parts = [
        f"select _row, '{c.column}' as column_name, {c.value} as value, {c.rule} as rule, null::bigint as first_row "
        f"from _suspect where {c.violated}" + ("" if c.unreadable else " and not _unreadable")
        for c in checks
    ]
    parts.append(f"select _row, '{extract.key[-1]}', value, $rule_duplicate, first_row from _dup")
    sql = "create temp table _violations as " + " union all ".join(parts)
    conn.execute(sql, _used(params, sql))

    bad_rows = conn.execute("select count(distinct _row) from _violations").fetchone()[0]
    counts = conn.execute("select column_name, rule, count(*) from _violations group by all").fetchall()
    details = conn.execute(
        "select _row, column_name, value, rule, first_row from _violations order by _row, column_name "
        f"limit {MAX_PROBLEMS_STORED}"
    ).fetchall()
    report.rows_rejected = bad_rows + len(rejected_offsets)
    problems = _problems(source, report.filename, kept, details, structural, rejected_offsets)
    report.problems_total = sum(n for _, _, n in counts) + sum(structural_counts.values())
    report.problems = problems[:MAX_PROBLEMS_IN_REPORT]
    problems_sink.extend(problems)
    rule_counts = {f"{column}: {rule}": n for column, rule, n in counts}
    for error_type, n in structural_counts.items():
        label = _structural_rule(error_type)
        rule_counts[label] = rule_counts.get(label, 0) + n
    report.rule_counts = dict(sorted(rule_counts.items(), key=lambda kv: -kv[1]))

    share = report.rows_rejected / records
    if share > options.reject_threshold:
        _drop_work_tables(conn, table)
        report.errors.append(
            f"{report.rows_rejected:,} of {records:,} rows ({share:.1%}) break the contract, more than the "
            f"{options.reject_threshold:.0%} allowed, so the whole file is refused; see the rejected rows below"
        )
        return False
    if bad_rows:
        conn.execute(f"delete from {table} where _raw is not null or rowid in (select _row from _dup)")
    conn.execute(f"alter table {table} drop column _raw")
    _drop_work_tables(conn)
    if not in_order:
        _store_in_order(conn, extract)
    report.rows_loaded = kept - bad_rows
    return True


def _unreadable_sql(extract: Extract, raw_of: dict[str, str]) -> str:
    """SQL true for a row with a date or number cell that cannot be read as one (`raw_of`: each raw cell)."""
    tests = [
        f'({raw_of[c.name]} is not null and "{c.name}" is null)'
        for c in extract.columns
        if c.kind in ("int", "date")
    ]
    return " or ".join(tests) or "false"


def _find_repeated_keys(conn: duckdb.DuckDBPyConnection, extract: Extract, readable: str) -> None:
    """Add to `_dup` each row whose key an earlier row that could be read (every date and number in it)
    has, and the first such row."""
    table, key = extract.table, ", ".join(f'"{k}"' for k in extract.key)
    present = " and ".join(f'"{k}" is not null' for k in extract.key)
    conn.execute(
        f"create temp table _dup_keys as select {key}, min(rowid) as first_row from {table} "
        f"where {present} and {readable} group by {key} having count(*) > 1"
    )
    value = " || ' / ' || ".join(f"coalesce(cast(\"{k}\" as varchar), '')" for k in extract.key)
    conn.execute(
        f"insert into _dup select t.rowid, first_row, {value} from {table} t join _dup_keys using ({key}) "
        f"where t.rowid > first_row and {readable}"
    )


def _structural_rule(error_type: str) -> str:
    return _STRUCTURAL_RULES.get(error_type, f"the row cannot be read ({error_type.lower()})")


def _problems(
    source: _Source,
    filename: str,
    kept: int,
    details: list[tuple],
    structural: list[tuple[int, str]],
    rejected_offsets: np.ndarray,
) -> list[Problem]:
    """The first problems in file order, each named by its line (a Parquet file's row)."""
    if not details and not structural:
        return []
    rows = sorted({r[0] for r in details} | {r[4] for r in details if r[4] is not None})
    problems: list[Problem] = []
    if source.is_parquet:
        line_of = {row: row + 1 for row in rows}
    else:
        lines = csvfile.LineMap(source.path, source.facts, rejected_offsets, kept)
        line_of = dict(zip(rows, lines.kept_lines(rows), strict=True))
        # No value: the row could not be split into cells, so none can be shown on its own.
        problems += [
            Problem(filename, lines.rejected_line(offset), None, None, _structural_rule(error_type))
            for offset, error_type in structural
        ]
    unit = "row" if source.is_parquet else "line"
    problems += [
        Problem(
            filename,
            line_of[row],
            column,
            value,
            rule if first is None else f"{rule}: first seen on {unit} {line_of[first]}",
        )
        for row, column, value, rule, first in details
    ]
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return problems[:MAX_PROBLEMS_STORED]


def _last_good_paths(extract: Extract, last_good_dir: Path) -> tuple[Path, Path]:
    return last_good_dir / f"{extract.table}.parquet", last_good_dir / f"{extract.table}.json"


def _save_last_good(
    conn: duckdb.DuckDBPyConnection, extract: Extract, last_good_dir: Path, report: FileReport
) -> None:
    last_good_dir.mkdir(parents=True, exist_ok=True)
    parquet, meta = _last_good_paths(extract, last_good_dir)
    columns = ", ".join(f'"{c.name}"' for c in extract.columns)
    tmp = parquet.with_suffix(".parquet.tmp")
    sql = f"copy (select {columns} from {extract.table}) to $path (format parquet)"
    conn.execute(sql, {"path": str(tmp)})
    tmp.replace(parquet)
    meta.write_text(
        json.dumps(
            {
                "sha256": report.sha256,
                "rows": report.rows_loaded,
                "latest_date": report.latest_date,
                "saved_at": datetime.now().isoformat(timespec="seconds"),
            }
        )
    )


def _serve_last_good_or_empty(
    conn: duckdb.DuckDBPyConnection, extract: Extract, options: LoadOptions, report: FileReport
) -> None:
    if options.last_good_dir is not None:
        parquet, meta = _last_good_paths(extract, options.last_good_dir)
        if parquet.is_file() and meta.is_file():
            info = json.loads(meta.read_text())
            sql = f"create or replace table {extract.table} as select {_final_columns(extract)} from read_parquet($path)"
            conn.execute(sql, _used({"path": str(parquet), **_district_params(conn)}, sql))
            report.serving = "last_good"
            report.warnings.append(
                f"serving the last good version of {extract.filename} instead ({info['rows']:,} rows, "
                f"loaded {info['saved_at']}); nothing from the refused file is shown"
            )
            return
    report.serving = None
    _empty_table(conn, extract)


# ---------------------------------------------------------------------------------------------
# Reference files


_REFERENCE_TYPES = {
    "target": "DOUBLE",
    "baseline": "DOUBLE",
    "due_date": "DATE",
    "baseline_date": "DATE",
    "date": "DATE",
}
# A reference file's key, matched as the extracts are joined on it (districts case-insensitively).
_REFERENCE_KEYS = {
    "districts": "district",
    "targets": "metric",
    "health_providers": "provider",
    "icb_places": "district",
}
_REFERENCE_TYPE_RULES = {
    "DOUBLE": "must be a plain number (e.g. 1200 or 46.4)",
    "DATE": "must be a date written YYYY-MM-DD",
}


def _reference_path(data_dir: Path, ref: ReferenceFile, report: FileReport) -> Path | None:
    own = data_dir / "reference" / ref.filename
    if own.is_file():
        return own
    bundled = BUNDLED_DATA_DIR / "reference" / ref.filename
    if bundled.is_file():
        log.warning("%s not found; using the bundled copy %s", own, bundled)
        report.warnings.append(
            f"reference/{ref.filename} is not in the extracts folder; using the bundled copy"
        )
        return bundled
    log.warning("%s not found, and there is no bundled copy", own)
    return None


def _read_reference_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows of a reference file, each with the line it starts on."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, [])
            rows, previous_end = [], reader.line_num
            for row in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if any(cell.strip() for cell in row):
                    rows.append((start, row))
        except csv.Error as error:
            raise csv.Error(f"line {reader.line_num}: {error}") from error
    return header, rows


def _load_reference(
    conn: duckdb.DuckDBPyConnection, data_dir: Path, ref: ReferenceFile, problems_sink: list[Problem]
) -> FileReport:
    """Load one reference file with the rules every text file gets (identifier headers refused; formula-like
    cells, unreadable numbers and dates, ragged rows and repeated keys rejected row by row, named by line).

    A rejected row is left out and the rest of the file loads: each row of a reference file stands alone.
    """
    report = FileReport(table=ref.table, filename=f"reference/{ref.filename}", status="missing")
    path = _reference_path(data_dir, ref, report)
    columns = ", ".join(f'"{c}" {_REFERENCE_TYPES.get(c, "VARCHAR")}' for c in ref.columns)
    sql = f"create or replace table {ref.table} ({columns})"
    conn.execute(sql)
    if path is None:
        report.errors.append(f"{report.filename} was not found")
        return report
    report.status = "refused"
    try:
        header, rows = _read_reference_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        log.warning("%s could not be read: %s", path, error)
        report.errors.append(
            "the file cannot be read as UTF-8 CSV: "
            + without_paths(str(error).splitlines()[0], path, data_dir)
        )
        return report
    names = [normalise_header(h) for h in header]
    identifiers = [h for h in header if looks_like_identifier(h)]
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    missing = [c for c in ref.columns if c not in names and c != "source"]
    if identifiers:
        report.errors.append(
            "the file carries direct-identifier column(s) "
            + ", ".join(repr(h.strip()) for h in identifiers)
            + ": the dashboard must never hold them, so the file is refused whole"
        )
    elif duplicates:
        report.errors.append("the header repeats column(s) " + ", ".join(duplicates))
    elif missing:
        found = [n for n in names if n in ref.columns]
        report.errors.append(
            "required column(s) missing from the header: "
            + ", ".join(missing)
            + f" (of the file's columns, it has {', '.join(found) or 'none'})"
        )
    if report.errors:
        log.warning("%s refused: %s", path, " ".join(report.errors))
        return report

    positions = {name: names.index(name) for name in ref.columns if name in names}
    problems: list[Problem] = []
    records: list[dict[str, object]] = []
    for line, row in rows:
        if len(row) != len(header):
            fewer = len(row) < len(header)
            rule = _STRUCTURAL_RULES["MISSING COLUMNS" if fewer else "TOO MANY COLUMNS"]
            problems.append(Problem(report.filename, line, None, None, rule))
            continue
        record: dict[str, object] = {"_line": line}
        for name in ref.columns:
            # Stored as the extracts' text is: trimmed, empty as null; the formula rule reads exactly that.
            value = contract.stored_text(row[positions[name]]) if name in positions else ""
            record[name] = value or None
            if name not in _REFERENCE_TYPES and contract.looks_like_formula(value):
                problems.append(Problem(report.filename, line, name, value, contract.FORMULA_RULE))
        records.append(record)

    import pandas as pd

    frame = pd.DataFrame.from_records(records, columns=["_line", *ref.columns]).astype(
        {"_line": "int64", **{c: "object" for c in ref.columns}}
    )
    conn.register("_reference_rows", frame)
    try:
        for name, kind in _REFERENCE_TYPES.items():
            if name in ref.columns:
                sql = (
                    f'select _line, "{name}" from _reference_rows '
                    f'where "{name}" is not null and try_cast("{name}" as {kind}) is null'
                )
                bad = conn.execute(sql).fetchall()
                problems += [
                    Problem(report.filename, int(ln), name, v, _REFERENCE_TYPE_RULES[kind]) for ln, v in bad
                ]
        key = _REFERENCE_KEYS.get(ref.table)
        if key:
            sql = (
                f'select _line, "{key}", first_line from (select _line, "{key}", min(_line) over '
                f'(partition by lower("{key}")) as first_line from _reference_rows where "{key}" is not null) '
                "where _line > first_line"
            )
            for line, value, first in conn.execute(sql).fetchall():
                rule = f"duplicate key ({key}): first seen on line {first}"
                problems.append(Problem(report.filename, int(line), key, value, rule))
        bad_lines = sorted({p.line for p in problems if p.line is not None})
        select = ", ".join(
            f'try_cast("{c}" as {_REFERENCE_TYPES[c]}) as "{c}"' if c in _REFERENCE_TYPES else f'"{c}"'
            for c in ref.columns
        )
        sql = (
            f"insert into {ref.table} select {select} from _reference_rows "
            "where _line not in (select unnest($bad::bigint[])) order by _line"
        )
        conn.execute(sql, {"bad": bad_lines})
    finally:
        conn.unregister("_reference_rows")
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    report.rows_read = len(rows)
    report.rows_rejected = len({p.line for p in problems})
    report.rows_loaded = conn.table(ref.table).count("*").fetchall()[0][0]
    report.problems_total = len(problems)
    report.problems = problems[:MAX_PROBLEMS_IN_REPORT]
    for p in problems:
        label = f"{p.column}: {p.rule}" if p.column else p.rule
        report.rule_counts[label] = report.rule_counts.get(label, 0) + 1
    problems_sink.extend(problems[:MAX_PROBLEMS_STORED])
    report.status = "loaded_with_rejections" if problems else "loaded"
    report.serving = "this_file"
    return report


# ---------------------------------------------------------------------------------------------
# The whole folder


def load_folder(conn: duckdb.DuckDBPyConnection, data_dir: Path, options: LoadOptions) -> LoadReport:
    """Validate and load every extract and reference file in `data_dir` into `conn`."""
    data_dir = Path(data_dir)
    report = LoadReport(
        data_dir=str(data_dir),
        loaded_at=datetime.now().isoformat(timespec="seconds"),
        today=options.today.isoformat(),
    )
    problems: list[Problem] = []
    for ref in contract.REFERENCE_FILES:
        report.references[ref.table] = _load_reference(conn, data_dir, ref, problems)
    if options.work_dir is not None:
        options.work_dir.mkdir(parents=True)
        staging = options.work_dir
    else:
        staging = Path(tempfile.mkdtemp(prefix="send-load-"))
    try:
        for extract in contract.EXTRACTS:
            report.files[extract.table] = _load_extract(conn, extract, data_dir, options, staging, problems)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _cross_file_checks(conn, report)
    _store_report_tables(conn, report, problems)
    return report


def _cross_file_checks(conn: duckdb.DuckDBPyConnection, report: LoadReport) -> None:
    link = "cannot be linked to an assessment"
    _orphans(conn, report, "ep_assessments", "request_id", "ehcp_requests", "EP advice request(s)", link)
    _plan_links(conn, report)
    _orphans(
        conn,
        report,
        "annual_reviews",
        "plan_id",
        "ehcp_plans",
        "annual review(s)",
        "left out of every review measure",
    )
    _orphans(
        conn,
        report,
        "advice_requests",
        "request_id",
        "ehcp_requests",
        "health and social care advice request(s)",
        link,
    )


def _plan_links(conn: duckdb.DuckDBPyConnection, report: LoadReport) -> None:
    """A plan's request_id, when given, must be a request whose outcome is plan_issued: a data-quality warning
    (the plan loads, as it is still a plan the authority maintains) naming how many break it and one example."""
    plans, requests = report.files["ehcp_plans"], report.files["ehcp_requests"]
    if not (plans.usable and requests.usable):
        return
    unknown, other = conn.execute(
        "select count(*) filter (where r.request_id is null), "
        "count(*) filter (where r.request_id is not null and coalesce(r.outcome, '') <> 'plan_issued') "
        "from ehcp_plans p left join ehcp_requests r on r.request_id = p.request_id where p.request_id is not null"
    ).fetchone()
    if unknown:
        example = conn.execute(
            "select min(p.request_id) from ehcp_plans p anti join ehcp_requests r on r.request_id = p.request_id "
            "where p.request_id is not null"
        ).fetchone()[0]
        plans.warnings.append(
            f"{unknown:,} plan(s) refer to a request_id not in ehcp_requests.csv (for example {example!r}); they "
            "are loaded but cannot be linked to the request they were issued on"
        )
    if other:
        example = conn.execute(
            "select min(p.request_id) from ehcp_plans p join ehcp_requests r on r.request_id = p.request_id "
            "where coalesce(r.outcome, '') <> 'plan_issued'"
        ).fetchone()[0]
        plans.warnings.append(
            f"{other:,} plan(s) refer to a request whose outcome is not plan_issued (for example {example!r}); "
            "they are loaded, but the plan or the request is wrong in one of the two extracts"
        )


def _orphans(
    conn: duckdb.DuckDBPyConnection,
    report: LoadReport,
    table: str,
    key: str,
    parent: str,
    what: str,
    then: str,
) -> None:
    """Rows of `table` whose `key` is not in `parent`: they load, and are counted as a data-quality warning
    naming how many and one example."""
    child, known = report.files[table], report.files[parent]
    if not (child.usable and known.usable):
        return
    count, example = conn.execute(
        f"select count(*), min(c.{key}) from {table} c anti join {parent} p on p.{key} = c.{key}"
    ).fetchone()
    child.orphans = count
    if count:
        child.warnings.append(
            f"{count:,} {what} refer to a {key} not in {parent}.csv (for example {example!r}); they are loaded "
            f"but {then}"
        )


def _store_report_tables(
    conn: duckdb.DuckDBPyConnection, report: LoadReport, problems: list[Problem]
) -> None:
    import pandas as pd

    conn.execute(
        "create or replace table validation_problems (file varchar, line bigint, column_name varchar, "
        "value varchar, rule varchar)"
    )
    if problems:
        frame = pd.DataFrame(
            [(p.file, p.line, p.column, p.value, p.rule) for p in problems],
            columns=["file", "line", "column_name", "value", "rule"],
        )
        conn.register("_problems", frame)
        conn.execute("insert into validation_problems select * from _problems")
        conn.unregister("_problems")
    rows = [
        (
            r.table,
            r.filename,
            r.status,
            r.serving,
            r.rows_read,
            r.rows_loaded,
            r.rows_rejected,
            " ".join(r.errors),
            " ".join(r.warnings),
        )
        for r in [*report.files.values(), *report.references.values()]
    ]
    conn.execute(
        "create or replace table data_sources (table_name varchar, file varchar, status varchar, "
        "serving varchar, rows_read bigint, rows_loaded bigint, rows_rejected bigint, errors varchar, "
        "warnings varchar)"
    )
    conn.executemany("insert into data_sources values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
