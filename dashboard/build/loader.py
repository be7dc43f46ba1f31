"""Load a folder of extracts into DuckDB tables, enforcing the data contract row by row.

DuckDB's CSV reader does the parsing with explicit types and `store_rejects`; SQL checks then
apply every rule of the contract. Each rejected row is reported with file, line, column, value
and rule. A file with more than the allowed share of bad rows is refused whole, and the last good
version of it (if one was ever loaded) is served instead. A missing or refused file leaves an
empty table with the right columns, so the pages that need it can say so and the rest still work.
"""

from __future__ import annotations

import codecs
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
from dashboard.build.validation import MAX_PROBLEMS_IN_REPORT, FileReport, LoadReport, Problem, without_paths
from dashboard.contract import Column, Extract, ReferenceFile

BUNDLED_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Where folders are named: the server log. Viewers are told file names only (see without_paths).
log = logging.getLogger(__name__)

_DUCKDB_TYPES = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "bool": "VARCHAR",
    "number": "VARCHAR",
    "int": "BIGINT",
    "date": "DATE",
}
_FINAL_TYPES = {
    "text": "VARCHAR",
    "enum": "VARCHAR",
    "bool": "BOOLEAN",
    "number": "DOUBLE",
    "int": "INTEGER",
    "date": "DATE",
}
MAX_PROBLEMS_STORED = 10_000
# When a request stops being open (the one definition; see is_open_at in sql/macros.sql). Outcomes
# plan_not_issued and withdrawn carry no date of their own in the extract, so they close at the decision
# date: exact at the extract's as-of date, a slight undercount of open cases before it.
REQUEST_CLOSED_ON = """case
            when s.decision in ('not_assess', 'withdrawn') then s.decision_date
            when s.outcome = 'plan_issued' then s.plan_issued_date
            when s.outcome in ('plan_not_issued', 'withdrawn') then s.decision_date
        end"""
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_UK = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$")
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
# Reading the file's bytes: encoding, header, delimiter, date format


@dataclass
class _Prepared:
    path: Path
    header: list[str]
    sample_rows: list[list[str]]
    encoding_warning: str | None


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 22), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _prepare(path: Path, staging: Path, report: FileReport) -> _Prepared | None:
    """Check encoding and header; transcode Windows-1252 to UTF-8. Returns None when the file is refused."""
    raw_head = path.open("rb").read(1 << 20)
    if not raw_head.strip(b"\xef\xbb\xbf \t\r\n"):
        report.errors.append("the file is empty")
        return None
    read_path, encoding_warning = path, None
    if not _is_utf8(path):
        try:
            text = path.read_bytes().decode("cp1252")
        except UnicodeDecodeError as err:
            report.errors.append(
                f"the file is neither UTF-8 nor Windows-1252 text (undecodable byte at position {err.start}); "
                "export it again as UTF-8 CSV"
            )
            return None
        read_path = staging / f"{path.stem}.utf8.csv"
        read_path.write_text(text, encoding="utf-8")
        encoding_warning = (
            "the file is Windows-1252 encoded, not UTF-8; it was transcoded to UTF-8 to load it "
            "(check accented names look right, and export as UTF-8 next time)"
        )
        raw_head = read_path.open("rb").read(1 << 20)
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
    data_rows = [r for r in rows[1:] if r]
    return _Prepared(read_path, header, data_rows, encoding_warning)


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
# Line numbers: DuckDB reports them for rejected rows; we work them out for the rows it kept


def _record_lines(path: Path, records: int, duck_lines: list[int]) -> tuple[np.ndarray, dict[int, int]]:
    """Return the file line of each record (in order) and a map from DuckDB's line to the file line.

    Lines count from 1 at the header, as a text editor or spreadsheet shows them. When no cell spans
    lines and there are no blank lines, record k (0-based) is on line k + 2; otherwise the file is
    walked once with the csv module to find where each record starts.
    """
    with path.open("rb") as handle:
        newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 22), b""))
        handle.seek(-1, 2)
        ends_with_newline = handle.read(1) == b"\n"
    physical = newlines + (0 if ends_with_newline else 1)
    if physical == records + 1 and not _has_blank_lines(path):
        lines = np.arange(2, records + 2, dtype=np.int64)
        return lines, {n: n for n in duck_lines}
    starts: list[int] = []
    duck_to_file: dict[int, int] = {}
    blanks = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=False)
        next(reader, None)
        previous_end = 1
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not row:
                blanks += 1
                continue
            duck_to_file[len(starts) + blanks + 2] = start
            starts.append(start)
    return np.asarray(
        starts[:records] if len(starts) >= records else starts + [0] * (records - len(starts)), dtype=np.int64
    ), duck_to_file


def _has_blank_lines(path: Path) -> bool:
    with path.open("rb") as handle:
        tail = b""
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            block = tail + chunk
            if b"\n\n" in block or b"\n\r\n" in block:
                return True
            tail = block[-2:]
    return False


# ---------------------------------------------------------------------------------------------
# The checks, as SQL over the typed rows


def _canonical_expr(column: Column, raw: str) -> str:
    if column.kind == "text":
        return f"trim({raw})"
    if column.kind == "enum":
        if column.reference == "districts":
            # dm._district comes from the join to reference/districts.csv made in _read_typed.
            return (
                f"coalesce(dm._district, "
                f"case when lower(trim({raw})) in ({_sql_list(column.extra_values)}) then lower(trim({raw})) end)"
            )
        upper = all(v.isupper() for v in column.values)
        case = "upper" if upper else "lower"
        return f"case when {case}(trim({raw})) in ({_sql_list(column.values)}) then {case}(trim({raw})) end"
    if column.kind == "bool":
        return (
            f"case when lower(trim({raw})) in ({_sql_list(contract.TRUE_STRINGS)}) then true "
            f"when lower(trim({raw})) in ({_sql_list(contract.FALSE_STRINGS)}) then false end"
        )
    if column.kind == "number":
        return f"try_cast(replace(replace(trim({raw}), '£', ''), ',', '') as double)"
    return raw


def _sql_list(values: Iterable[str]) -> str:
    """Quote our own contract constants as a SQL list (never user data)."""
    values = list(values)
    for v in values:
        assert re.fullmatch(r"[A-Za-z0-9_ ]+", v), v
    return ", ".join(f"'{v}'" for v in values) if values else "NULL"


def _checks(extract: Extract) -> list[tuple[str, str, str, str]]:
    """(column, value SQL, violated-when SQL, rule) for every rule of the extract."""
    checks: list[tuple[str, str, str, str]] = []
    for column in extract.columns:
        name, raw = column.name, f'"{column.name}__raw"'
        value = f"cast({raw} as varchar)"
        if column.required:
            checks.append((name, value, f"{raw} is null", "required: the cell is empty"))
        if column.kind in ("text", "enum"):
            # On the value as stored (trimmed), so a leading space cannot hide a formula; numbers are numbers.
            stored = f"trim({raw})"
            checks.append(
                (
                    name,
                    value,
                    f"regexp_matches({stored}, '{contract.FORMULA_START_PATTERN}') "
                    f"and not regexp_matches({stored}, '{contract.PLAIN_NUMBER_PATTERN}')",
                    contract.FORMULA_RULE,
                )
            )
        if column.kind == "enum":
            if column.reference == "districts":
                allowed = "a district in reference/districts.csv" + (
                    f" or {', '.join(column.extra_values)}" if column.extra_values else ""
                )
            else:
                allowed = "one of " + ", ".join(column.values)
            checks.append(
                (name, value, f'{raw} is not null and "{name}" is null', f"unknown value: must be {allowed}")
            )
        if column.kind == "bool":
            checks.append(
                (name, value, f'{raw} is not null and "{name}" is null', "must be true/false, 1/0 or Y/N")
            )
        if column.kind == "number":
            checks.append(
                (
                    name,
                    value,
                    f'{raw} is not null and "{name}" is null',
                    "must be a plain number of pounds (e.g. 1234.56)",
                )
            )
        if column.kind in ("int", "number") and column.minimum is not None:
            rule = "must not be negative" if column.minimum == 0 else f"must be at least {column.minimum:g}"
            checks.append((name, value, f'"{name}" < {column.minimum}', rule))
        if column.kind in ("int", "number") and column.maximum is not None:
            checks.append(
                (
                    name,
                    value,
                    f'"{name}" > {column.maximum}',
                    f"must be between {column.minimum:g} and {column.maximum:g}",
                )
            )
        if column.kind == "date" and column.not_after_extract:
            checks.append(
                (name, value, f'"{name}" > $today', "the date is in the future (after the extract date)")
            )
        if column.kind == "date" and column.not_before:
            checks.append(
                (
                    name,
                    value,
                    f"\"{name}\" < DATE '{column.not_before}'",
                    f"the date is before {column.not_before}, earlier than the SEN2 era this dashboard covers",
                )
            )
    for rule in extract.row_rules:
        checks.append((rule.column, f'cast("{rule.column}" as varchar)', rule.violated, rule.rule))
    return checks


def _cast_rule(column: Column | None, value: str, date_format: str) -> str:
    if column is None:
        return "the value cannot be read"
    if column.kind == "int":
        return "must be a whole number"
    if column.kind == "date":
        fmt = "DD/MM/YYYY" if date_format.startswith("%d") else "YYYY-MM-DD"
        match = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", value)
        if match and fmt == "DD/MM/YYYY" and int(match.group(2)) > 12 >= int(match.group(1)):
            return (
                "not a valid date: it looks month-first (MM/DD/YYYY), which is never accepted; use DD/MM/YYYY"
            )
        if (match and fmt == "DD/MM/YYYY") or (_ISO.match(value) and fmt == "YYYY-MM-DD"):
            return "not a real calendar date"
        return (
            f"not a valid date: this file's dates are {fmt} (one format per file: YYYY-MM-DD or DD/MM/YYYY)"
        )
    return "the value cannot be read"


# ---------------------------------------------------------------------------------------------
# Loading one extract


def _empty_table(conn: duckdb.DuckDBPyConnection, extract: Extract) -> None:
    columns = ", ".join(f'"{c.name}" {_FINAL_TYPES[c.kind]}' for c in extract.columns)
    sql = f"create or replace table _empty_src ({columns})"
    conn.execute(sql)
    _create_final(conn, extract, "_empty_src")
    conn.execute("drop table _empty_src")


def _create_final(conn: duckdb.DuckDBPyConnection, extract: Extract, source: str) -> None:
    """Create the served table from validated rows, adding the derived columns the queries use."""
    columns = ", ".join(f's."{c.name}"' for c in extract.columns)
    derived, join, order = "", "", ""
    if extract.table in ("ehcp_requests", "ep_assessments", "specialist_places"):
        derived = ", d.locality"
        join = " left join districts d on d.district = s.district"
    if extract.table == "ehcp_requests":
        bands = " ".join(
            f"when s.age_at_request between {lo} and {hi} then '{label}'"
            for label, lo, hi in contract.AGE_GROUPS
        )
        # Derived once here so every query reads a column instead of recomputing it per row.
        derived += (
            f", case {bands} end as age_group, {REQUEST_CLOSED_ON} as closed_on"
            ", cast(date_trunc('month', s.received_date) as date) as received_month"
            ", cast(date_trunc('month', s.decision_date) as date) as decision_month"
            ", cast(date_trunc('month', s.plan_issued_date) as date) as issued_month"
            ", cast(s.decision_date - s.received_date as integer) as days_to_decision"
            ", cast(s.plan_issued_date - s.received_date as integer) as days_to_plan"
        )
        order = " order by s.received_date"
    elif extract.table == "ep_assessments":
        order = " order by s.requested_date"
    elif extract.table == "specialist_places":
        order = " order by s.snapshot_date, s.setting_id"
    elif extract.table == "spending":
        derived = (
            ", case when month(s.month) >= 4 then year(s.month) else year(s.month) - 1 end as fy_start_year"
            ", printf('%d-%02d', fy_start_year, (fy_start_year + 1) % 100) as financial_year"
        )
        order = " order by s.month, s.budget_line"
    sql = f"create or replace table {extract.table} as select {columns}{derived} from {source} s{join}{order}"
    conn.execute(sql)


def _load_extract(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    data_dir: Path,
    options: LoadOptions,
    staging: Path,
    problems_sink: list[Problem],
) -> FileReport:
    path = data_dir / extract.filename
    report = FileReport(table=extract.table, filename=extract.filename, status="missing")
    if not path.is_file():
        log.warning("%s was not found in %s", extract.filename, data_dir)
        report.errors.append(f"{extract.filename} was not found in the extracts folder")
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    try:
        report.sha256 = file_sha256(path)
        prepared = _prepare(path, staging, report)
        positions = _check_header(extract, prepared.header, report) if prepared else None
        if prepared is None or positions is None:
            report.status = "refused"
            log.warning("%s refused: %s", path, " ".join(report.errors))
            _serve_last_good_or_empty(conn, extract, options, report)
            return report
        if prepared.encoding_warning:
            report.warnings.append(prepared.encoding_warning)
        date_format = _date_format(extract, positions, prepared.sample_rows, report)
        rows = _read_typed(conn, extract, prepared, positions, date_format, options, report, problems_sink)
    except (OSError, duckdb.Error, csv.Error, UnicodeDecodeError) as error:
        log.warning("%s could not be read: %s", path, error)
        report.status = "refused"
        report.errors.append(
            "the file cannot be read: " + without_paths(str(error).splitlines()[0], path, data_dir, staging)
        )
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    if rows is None:
        log.warning("%s refused: %s", path, " ".join(report.errors))
        _serve_last_good_or_empty(conn, extract, options, report)
        return report
    _create_final(conn, extract, "_accepted")
    conn.execute("drop table if exists _accepted")
    report.status = "loaded_with_rejections" if report.rows_rejected else "loaded"
    report.serving = "this_file"
    if options.last_good_dir is not None:
        _save_last_good(conn, extract, options.last_good_dir, report)
    return report


def _read_typed(
    conn: duckdb.DuckDBPyConnection,
    extract: Extract,
    prepared: _Prepared,
    positions: dict[str, int],
    date_format: str,
    options: LoadOptions,
    report: FileReport,
    problems_sink: list[Problem],
) -> int | None:
    """Read with DuckDB, apply the checks and leave the accepted rows in `_accepted`; None when refused."""
    by_position = {i: n for n, i in positions.items()}
    types = {}
    for index in range(len(prepared.header)):
        name = by_position.get(index)
        types[f"c{index}"] = _DUCKDB_TYPES[extract.column(name).kind] if name else "VARCHAR"
    for table in ("_stg", "_rej", "_rej_scan"):
        conn.execute("drop table if exists " + table)
    conn.execute(
        "create table _stg as select * from read_csv($path, columns = $columns, header = true, delim = ',', "
        "quote = '\"', escape = '\"', strict_mode = true, parallel = false, auto_detect = false, "
        "nullstr = $nulls, dateformat = $date_format, store_rejects = true, rejects_table = '_rej', "
        "rejects_scan = '_rej_scan', rejects_limit = 0)",
        {
            "path": str(prepared.path),
            "columns": types,
            "nulls": list(contract.NULL_STRINGS),
            "date_format": date_format,
        },
    )
    kept = conn.execute("select count(*) from _stg").fetchone()[0]
    # The rejected line's own text (csv_line) is never read: it can hold a name in any of its cells.
    rejects = conn.execute(
        "select line, column_name, error_type, error_message from _rej order by line"
    ).fetchall()
    conn.execute("drop table if exists _rej; drop table if exists _rej_scan")
    duck_lines = sorted({r[0] for r in rejects})
    records = kept + len(duck_lines)
    report.rows_read = records
    if records == 0:
        report.status = "refused"
        report.errors.append("the file has a header but no data rows")
        return None
    lines, duck_to_file = _record_lines(prepared.path, records, duck_lines)
    rejected_file_lines = {duck_to_file.get(n, n) for n in duck_lines}
    keep_mask = np.ones(records, dtype=bool)
    keep_mask[np.isin(lines, np.fromiter(rejected_file_lines, dtype=np.int64))] = False
    kept_lines = lines[keep_mask]
    if len(kept_lines) != kept:
        # The two parsers disagreed on the record count; fall back to record numbers so nothing is lost.
        kept_lines = np.arange(2, kept + 2, dtype=np.int64)
    problems: list[Problem] = []
    structural_seen: set[tuple[int, str]] = set()
    for line, column_name, error_type, message in rejects:
        column = (
            extract.column(by_position[int(column_name[1:])])
            if (column_name and column_name.startswith("c") and int(column_name[1:]) in by_position)
            else None
        )
        file_line = duck_to_file.get(line, line)
        if error_type == "CAST":
            found = re.search(r'Could not convert string "(.*)" to', message or "")
            value = found.group(1) if found else None
            problems.append(
                Problem(
                    extract.filename,
                    file_line,
                    column.name if column else column_name,
                    value,
                    _cast_rule(column, value or "", date_format),
                )
            )
        elif (line, error_type) not in structural_seen:
            structural_seen.add((line, error_type))
            rule = _STRUCTURAL_RULES.get(error_type, f"the row cannot be read ({error_type.lower()})")
            # No value: the row could not be split into cells, so none can be shown on its own.
            problems.append(Problem(extract.filename, file_line, None, None, rule))

    select = [f'c{i} as "{by_position[i]}__raw"' for i in sorted(by_position)]
    canon = [
        f'{_canonical_expr(extract.column(by_position[i]), f"c{i}")} as "{by_position[i]}"'
        for i in sorted(by_position)
    ]
    absent = [
        f'null as "{c.name}__raw", null::{_FINAL_TYPES[c.kind]} as "{c.name}"'
        for c in extract.columns
        if c.name not in positions
    ]
    columns = ", ".join(select + canon + absent)
    district_map = (
        "left join (select lower(district) as _key, district as _district from districts) dm "
        "on dm._key = lower(trim(s.{raw}))"
    )
    district_join = "".join(
        " " + district_map.format(raw=f"c{i}")
        for i in sorted(by_position)
        if extract.column(by_position[i]).reference == "districts"
    )
    if np.array_equal(kept_lines, np.arange(2, kept + 2, dtype=np.int64)):
        # The usual case: no rejected rows and no cell spanning lines, so row k is on line k + 2.
        sql = (
            f"create or replace table _typed as select s._rid + 2 as _line, {columns} "
            f"from (select *, rowid as _rid from _stg) s{district_join}"
        )
        conn.execute(sql)
    else:
        conn.register("_line_numbers", _line_frame(kept_lines))
        sql = (
            f"create or replace table _typed as select l.line as _line, {columns} "
            f"from (select *, rowid as _rid from _stg) s join _line_numbers l on l.rid = s._rid{district_join}"
        )
        conn.execute(sql)
        conn.unregister("_line_numbers")
    conn.execute("drop table _stg")

    checks = _checks(extract)
    parts = [
        f"select _line, '{col}' as column_name, {value} as value, $rule_{n} as rule from _typed where {cond}"
        for n, (col, value, cond, _) in enumerate(checks)
    ]
    params: dict[str, object] = {f"rule_{n}": rule for n, (_, _, _, rule) in enumerate(checks)}
    if any("$today" in c for _, _, c, _ in checks):
        params["today"] = options.today
    key_list = ", ".join(f'"{k}"' for k in extract.key)
    key_value = " || ' / ' || ".join(f"coalesce(cast(\"{k}\" as varchar), '')" for k in extract.key)
    parts.append(
        f"select _line, '{extract.key[-1]}' as column_name, {key_value} as value, "
        f"'duplicate key (' || '{', '.join(extract.key)}' || '): first seen on line ' || first_line as rule "
        f"from (select *, min(_line) over (partition by {key_list}) as first_line from _typed "
        f"where {' and '.join(f'{chr(34)}{k}{chr(34)} is not null' for k in extract.key)}) where _line > first_line"
    )
    # One scan of the whole file finds the rows with any problem; the per-rule union then runs on those alone.
    any_problem = " or ".join(f"coalesce({cond}, false)" for _, _, cond, _ in checks)
    sql = (
        f"create or replace temp table _suspect as select * from _typed where {any_problem} "
        f"or _line in (select _line from (select _line, count(*) over (partition by {key_list}) as n "
        "from _typed) where n > 1)"
    )
    conn.execute(sql, {"today": options.today} if "today" in params else {})
    conn.execute(
        "create or replace table _violations as "
        + " union all ".join(parts)
        .replace(" from _typed where ", " from _suspect where ")
        .replace("as first_line from _typed", "as first_line from _suspect"),
        params,
    )
    conn.execute("drop table _suspect")
    violations = conn.execute(
        "select _line, column_name, value, rule from _violations order by _line"
    ).fetchall()
    problems += [
        Problem(extract.filename, int(line), col, value, rule) for line, col, value, rule in violations
    ]

    bad_lines = rejected_file_lines | {int(v[0]) for v in violations}
    report.rows_rejected = len(bad_lines)
    report.problems_total = len(problems)
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    report.problems = problems[:MAX_PROBLEMS_IN_REPORT]
    counts: dict[str, int] = {}
    for p in problems:
        label = f"{p.column}: {p.rule}" if p.column else p.rule
        counts[label] = counts.get(label, 0) + 1
    report.rule_counts = counts
    problems_sink.extend(problems[:MAX_PROBLEMS_STORED])
    share = report.rows_rejected / records
    if share > options.reject_threshold:
        report.status = "refused"
        report.errors.append(
            f"{report.rows_rejected:,} of {records:,} rows ({share:.1%}) break the contract, more than the "
            f"{options.reject_threshold:.0%} allowed, so the whole file is refused; see the rejected rows below"
        )
        conn.execute("drop table if exists _typed; drop table if exists _violations")
        return None
    columns = ", ".join(f'"{c.name}"' for c in extract.columns)
    sql = f"create or replace table _accepted as select {columns} from _typed where _line not in (select unnest($bad))"
    conn.execute(sql, {"bad": sorted(bad_lines)})
    report.rows_loaded = conn.execute("select count(*) from _accepted").fetchone()[0]
    conn.execute("drop table if exists _typed; drop table if exists _violations")
    return report.rows_loaded


def _line_frame(lines: np.ndarray):
    import pandas as pd

    return pd.DataFrame({"rid": np.arange(len(lines), dtype=np.int64), "line": lines})


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
            conn.execute(
                "create or replace table _accepted as select * from read_parquet($path)",
                {"path": str(parquet)},
            )
            _create_final(conn, extract, "_accepted")
            conn.execute("drop table _accepted")
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
_REFERENCE_KEYS = {"districts": "district", "targets": "metric"}
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
    ep, requests = report.files["ep_assessments"], report.files["ehcp_requests"]
    if not (ep.usable and requests.usable):
        return
    orphans = conn.execute(
        "select count(*), min(e.request_id) from ep_assessments e "
        "anti join ehcp_requests r on r.request_id = e.request_id"
    ).fetchone()
    if orphans[0]:
        ep.warnings.append(
            f"{orphans[0]:,} EP advice request(s) refer to a request_id not in ehcp_requests.csv "
            f"(for example {orphans[1]!r}); they are loaded but cannot be linked to an assessment"
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
