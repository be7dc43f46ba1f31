"""`python -m dashboard.disclosure_audit FILE...`: every count from 1 to 4 a reader could find or work out in a
download (CSV), a snapshot (HTML) or a board pack (PDF).

It reads the file as an outsider would, knowing nothing of the app's export specs, and reports:
- a count from 1 to 4 shown in a table, in the words (headings, captions, summaries, accessible names) or in
  a chart's data;
- a count from 1 to 4 that can be worked out from the figures shown: from a column that is the sum of other
  columns (found by checking the rows where every figure is shown), from a row that is the sum of the rows
  indented beneath it (a funnel's stages), from a column of another table in the same file that holds the
  sums of this table's rows (the monthly totals beside requests by source), or from the same figure shown
  in another table. Worked-out figures are used to work out more, until nothing new comes.

A column is taken as counts of children when every figure in it is a whole number and its heading does not
say it is a percentage, money, a mean or median, a target or a benchmark. It exits 1 when it finds
anything, so a scheduled job can refuse to send the file.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import itertools
import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from dashboard.outputs.disclosure import counts_in

SMALL = range(1, 5)
# Headings of columns that are not counts of children.
_NOT_COUNTS = re.compile(
    r"%|£|\brate\b|\bshare\b|\bmean\b|\bmedian\b|\baverage\b|\bratio\b|\bindex\b|\btarget\b|\bengland\b|"
    r"\bpath\b|\brequired\b|\bbaseline\b|\byear\b|\bcost\b|\bspend|\bbudget\b|\bcommissioned\b|\bplanned\b|"
    r"\bforecast\b|\brank\b|\bquartile\b|\bper\b|\bweeks? to\b|\bdays\b|\bmonths\b|\bneighbours\b|"
    r"\bauthorities\b|\bsettings\b|\bschools\b|\bspare\b",
    re.IGNORECASE,
)
# Phrases in a snapshot's own furniture that hold small numbers that are not counts of children.
_FURNITURE = (
    re.compile(r"\b1 to 4\b"),  # the rule itself, as the snapshot and its definitions state it
    re.compile(r"Page \d+ of \d+"),
    re.compile(r"\b\d{1,2}:\d{2}\b"),  # a time of day (made 05 Dec 2026 20:04)
    re.compile(r"Slide \d+ of \d+"),
    re.compile(r"fewer than \d+", re.IGNORECASE),
    re.compile(r"\bTop \d+\b|\b\d+ largest\b|\b\d+ sections?\b", re.IGNORECASE),
)
_SYMBOLS = {"c", "x", "z", "low", ""}


@dataclass
class Finding:
    file: str
    where: str
    value: int
    how: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.value} ({self.how})"


@dataclass
class Table:
    """One table as a reader sees it: headings, row labels (the first column) and cells as text."""

    name: str
    headings: list[str]
    rows: list[list[str]]
    numbers: np.ndarray = field(init=False)  # NaN where a cell is hidden or not a number
    counts: list[int] = field(init=False)  # the columns holding counts of children

    def __post_init__(self) -> None:
        width = len(self.headings)
        self.rows = [(row + [""] * width)[:width] for row in self.rows]
        self.numbers = np.array([[_number(cell) for cell in row] for row in self.rows], dtype=float).reshape(
            len(self.rows), width
        )
        self.counts = []
        for c in range(1, width):
            cells = [row[c].strip() for row in self.rows]
            shown = self.numbers[:, c][~np.isnan(self.numbers[:, c])]
            if _NOT_COUNTS.search(self.headings[c]) or not len(shown):
                continue
            if all(cell in _SYMBOLS or not np.isnan(_number(cell)) for cell in cells) and np.all(
                shown == np.round(shown)
            ):
                self.counts.append(c)

    def label(self, r: int) -> str:
        return self.rows[r][0].strip()

    def hidden(self, r: int, c: int) -> bool:
        return self.rows[r][c].strip() == "c"


def _number(cell: str) -> float:
    text = cell.strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return float("nan")


# --- Reading files -----------------------------------------------------------------------------------------


class _SnapshotReader(HTMLParser):
    """Tables, words and chart scripts of an HTML file, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.words: list[str] = []
        self.scripts: list[str] = []
        self._stack: list[str] = []
        self._table: list[list[str]] | None = None
        self._caption: list[str] = []
        self._cell: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        for name, value in attrs:
            if name in ("aria-label", "title", "alt") and value:
                self.words.append(value)
        if tag == "table":
            self._table, self._caption = [], []
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "dd", "dt", "caption", "br"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table" and self._table is not None:
            rows = [row for row in self._table if row]
            if rows:
                name = " ".join("".join(self._caption).split()) or f"table {len(self.tables) + 1}"
                self.tables.append(Table(name, rows[0], rows[1:]))
            self._table = None
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "dd", "dt", "caption"):
            self._flush()

    def handle_data(self, data: str) -> None:
        inside = self._stack[-1] if self._stack else ""
        if inside == "script":
            self.scripts.append(data)
        elif inside == "style":
            return
        elif self._cell is not None:
            self._cell.append(data)
        elif self._table is not None and "caption" in self._stack:
            self._caption.append(data)
        else:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.words.append(text)
        self._text = []

    def close(self) -> None:
        super().close()
        self._flush()


def _decode(array: object) -> list[float]:
    """A Plotly data array: a list, or the {dtype, bdata} base64 form plotly.py writes for numpy arrays."""
    if isinstance(array, dict) and "bdata" in array:
        values = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return [float(v) for v in values.ravel()]
    if isinstance(array, list):
        out = []
        for v in array:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(float(v))
        return out
    return []


def _charts(scripts: list[str]) -> list[tuple[list[dict], dict]]:
    """The (data, layout) of every Plotly.newPlot call in the scripts."""
    found = []
    decoder = json.JSONDecoder()
    for script in scripts:
        for match in re.finditer(r"Plotly\.newPlot\(\s*[^,]+,\s*", script):
            try:
                data, end = decoder.raw_decode(script, match.end())
                rest = script[end:].lstrip()[1:].lstrip()
                layout, _ = decoder.raw_decode(rest)
            except (json.JSONDecodeError, IndexError):
                continue
            if isinstance(data, list) and isinstance(layout, dict):
                found.append((data, layout))
    return found


def _progression(values: list[float]) -> bool:
    steps = {round(b - a, 6) for a, b in itertools.pairwise(values)}
    return len(values) >= 3 and len(steps) == 1 and steps != {0}


def _without_axis_ticks(lines: list[str]) -> list[str]:
    """A PDF's text less its charts' axis labels (0, 2, 4, 6 ...): numbers alone, evenly spaced, on one line
    or on lines that follow each other. A table's row keeps its label, so it is never taken for an axis."""
    numbers = [
        [_number(token.replace("−", "-").rstrip("%")) for token in line.split()]
        if line.split()
        else [float("nan")]
        for line in lines
    ]
    alone = [not any(np.isnan(v) for v in row) for row in numbers]
    drop = [alone[i] and _progression(numbers[i]) for i in range(len(lines))]
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and alone[end] and len(numbers[end]) == 1:
            end += 1
        if end - start >= 3 and _progression([numbers[i][0] for i in range(start, end)]):
            drop[start:end] = [True] * (end - start)
        start = max(end, start + 1)
    return [line for line, gone in zip(lines, drop, strict=True) if not gone]


def read(path: Path) -> tuple[list[Table], list[str], list[tuple[list[dict], dict]]]:
    """The tables, words and charts in a CSV, HTML or PDF file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        rows = [[cell.removeprefix("'") for cell in row] for row in rows if row]
        return ([Table(path.name, rows[0], rows[1:])] if rows else []), [], []
    if suffix in (".html", ".htm"):
        reader = _SnapshotReader()
        reader.feed(path.read_text(encoding="utf-8"))
        reader.close()
        return reader.tables, reader.words, _charts(reader.scripts)
    if suffix == ".pdf":
        from pypdf import PdfReader

        pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
        return [], _without_axis_ticks([line for page in pages for line in page.splitlines()]), []
    raise ValueError(f"{path.name}: can only audit .csv, .html or .pdf files")


# --- What can be worked out -----------------------------------------------------------------------------------


@dataclass
class _Sum:
    """Cells (table index, row, column) that add up to `total` (a cell), or to a figure given as `known`."""

    parts: list[tuple[int, int, int]]
    total: tuple[int, int, int] | None = None
    known: float | None = None
    how: str = ""


def _holds(values: list[np.ndarray], total: np.ndarray) -> bool:
    """Whether `total` is the sum of `values` in every row where all are shown, seen in at least two rows that
    are not all zero (so a coincidence does not count)."""
    stacked = np.vstack([*values, total])
    shown = ~np.isnan(stacked).any(axis=0)
    if shown.sum() < 2 or not np.any(stacked[:, shown]):
        return False
    return bool(np.allclose(np.sum(stacked[:-1, shown], axis=0), stacked[-1, shown]))


def _sums(tables: list[Table]) -> list[_Sum]:
    sums: list[_Sum] = []
    for t, table in enumerate(tables):
        counts = table.counts
        # A column that is the sum of two or more of the others.
        for total in counts:
            others = [c for c in counts if c != total]
            for size in range(len(others), 1, -1):
                matched = [
                    parts
                    for parts in itertools.combinations(others, size)
                    if _holds([table.numbers[:, c] for c in parts], table.numbers[:, total])
                ]
                for parts in matched[:1]:
                    for r in range(len(table.rows)):
                        sums.append(
                            _Sum([(t, r, c) for c in parts], (t, r, total), how=f"'{table.headings[total]}'")
                        )
                if matched:
                    break
        # A row that is the sum of the rows indented beneath it.
        depth = [len(row[0]) - len(row[0].lstrip()) for row in table.rows]
        for r, level in enumerate(depth):
            children = []
            for below in range(r + 1, len(table.rows)):
                if depth[below] <= level:
                    break
                if depth[below] == min(d for d in depth[r + 1 : below + 1]):
                    children.append(below)
            if children:
                for c in counts:
                    sums.append(_Sum([(t, k, c) for k in children], (t, r, c), how=f"'{table.label(r)}'"))
        # A row labelled as a total.
        for r in range(len(table.rows)):
            if re.fullmatch(r"(?i)(grand )?total|all", table.label(r)):
                rest = [k for k in range(len(table.rows)) if k != r]
                for c in counts:
                    sums.append(_Sum([(t, k, c) for k in rest], (t, r, c), how="the total row"))
    # Another table's column holding this table's row sums, matched on the row labels.
    for (a, first), (b, second) in itertools.permutations(enumerate(tables), 2):
        shared = [label for label in (first.label(r) for r in range(len(first.rows))) if label]
        rows_b = {second.label(r): r for r in range(len(second.rows))}
        if len(shared) < 2 or not all(label in rows_b for label in shared):
            continue
        order = [rows_b[label] for label in shared]
        for column in second.counts:
            totals = second.numbers[order, column]
            for size in range(len(first.counts), 1, -1):
                matched = [
                    parts
                    for parts in itertools.combinations(first.counts, size)
                    if _holds([first.numbers[:, c] for c in parts], totals)
                ]
                for parts in matched[:1]:
                    for r, rb in enumerate(order):
                        how = f"'{second.headings[column]}' in {second.name}"
                        sums.append(_Sum([(a, r, c) for c in parts], (b, rb, column), how=how))
                if matched:
                    break
    return sums


def _same_figures(tables: list[Table]) -> dict[tuple[int, int, int], list[tuple[int, int, int]]]:
    """Cells that are the same figure in two tables: the same row label under the same heading."""
    where: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for t, table in enumerate(tables):
        for r in range(len(table.rows)):
            for c in table.counts:
                if table.label(r):
                    where.setdefault((table.label(r), table.headings[c].strip()), []).append((t, r, c))
    return {cell: cells for cells in where.values() if len(cells) > 1 for cell in cells}


def _worked_out(tables: list[Table], file: str) -> list[Finding]:
    known: dict[tuple[int, int, int], float] = {}
    for t, table in enumerate(tables):
        for r in range(len(table.rows)):
            for c in table.counts:
                if not np.isnan(table.numbers[r, c]):
                    known[(t, r, c)] = table.numbers[r, c]
    hidden = {
        (t, r, c)
        for t, table in enumerate(tables)
        for r in range(len(table.rows))
        for c in table.counts
        if table.hidden(r, c)
    }
    sums, same = _sums(tables), _same_figures(tables)
    findings: list[Finding] = []

    def learn(cell: tuple[int, int, int], value: float, how: str) -> bool:
        if cell in known:
            return False
        known[cell] = value
        if cell in hidden and round(value) in SMALL:
            t, r, c = cell
            table = tables[t]
            findings.append(
                Finding(
                    file, f"{table.name}, row '{table.label(r)}', '{table.headings[c]}'", round(value), how
                )
            )
        return True

    changed = True
    while changed:
        changed = False
        for cell, copies in same.items():
            if cell not in known:
                for other in copies:
                    if other in known:
                        changed |= learn(cell, known[other], "the same figure is shown in another table")
                        break
        for total_sum in sums:
            cells = total_sum.parts + ([total_sum.total] if total_sum.total else [])
            unknown = [cell for cell in cells if cell not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            parts_known = sum(known.get(p, 0.0) for p in total_sum.parts if p != cell)
            if cell == total_sum.total:
                value = parts_known
            else:
                value = known[total_sum.total] - parts_known
            if value >= 0:
                changed |= learn(cell, value, f"worked out from {total_sum.how}")
    return findings


# --- What is shown ----------------------------------------------------------------------------------------


def _shown_in_tables(tables: list[Table], file: str) -> list[Finding]:
    findings = []
    for table in tables:
        for r in range(len(table.rows)):
            for c in table.counts:
                value = table.numbers[r, c]
                if not np.isnan(value) and round(value) in SMALL:
                    where = f"{table.name}, row '{table.label(r)}', '{table.headings[c]}'"
                    findings.append(Finding(file, where, round(value), "shown in a table"))
    return findings


def _shown_in_words(words: list[str], file: str) -> list[Finding]:
    findings = []
    for text in words:
        for pattern in _FURNITURE:
            text = pattern.sub(" ", text)
        for value, match in counts_in(text):
            if value in SMALL:
                start = max(match.start() - 40, 0)
                findings.append(Finding(file, f"words: …{text[start : match.end() + 30]}…", value, "stated"))
    return findings


def _shown_in_charts(charts: list[tuple[list[dict], dict]], file: str) -> list[Finding]:
    findings = []
    for n, (data, layout) in enumerate(charts, start=1):
        for trace in data:
            axis = layout.get("yaxis" + str(trace.get("yaxis", "y"))[1:], {}) if trace.get("yaxis") else {}
            axis = axis or layout.get("yaxis", {})
            if trace.get("orientation") == "h":
                axis = layout.get("xaxis", {})
            if axis.get("ticksuffix") == "%" or trace.get("type") in ("pie",):
                continue
            values = [
                v for v in _decode(trace.get("x" if trace.get("orientation") == "h" else "y")) if v == v
            ]
            name = str(trace.get("name") or "")
            if _NOT_COUNTS.search(name) or not values or any(v != round(v) for v in values):
                continue
            for value in values:
                if round(value) in SMALL:
                    findings.append(Finding(file, f"chart {n}, series '{name}'", round(value), "drawn"))
        texts = [str(a.get("text", "")) for a in layout.get("annotations", [])]
        texts += [str(trace.get("name") or "") for trace in data]
        findings += _shown_in_words([re.sub(r"<[^>]+>", " ", t) for t in texts], file)
    return findings


def audit(path: Path) -> list[Finding]:
    """Every count from 1 to 4 shown in, or worked out from, the file."""
    tables, words, charts = read(path)
    return (
        _shown_in_tables(tables, path.name)
        + _worked_out(tables, path.name)
        + _shown_in_words(words, path.name)
        + _shown_in_charts(charts, path.name)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.disclosure_audit", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "files", nargs="+", type=Path, help="downloads (.csv), snapshots (.html), packs (.pdf)"
    )
    args = parser.parse_args(argv)
    found = 0
    for path in args.files:
        findings = audit(path)
        found += len(findings)
        for finding in findings:
            print(finding)
        print(f"{path.name}: {len(findings)} small count(s) found or worked out")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
