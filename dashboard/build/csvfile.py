"""A CSV file's bytes: one pass for its hash, encoding and shape, and the file line each record starts on.

DuckDB parses the file in parallel and numbers the records it keeps in file order (WITH ORDINALITY),
and gives the byte offset of each record it rejects; what it cannot say is the line a kept record starts
on once a cell spans lines or blank lines sit between rows. This module works that out from the bytes,
only when the report names a problem.

Lines count from 1 at the header, as a text editor or spreadsheet shows them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_CHUNK = 1 << 23
_NEWLINE, _RETURN, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class FileFacts:
    """What one read of the file's bytes found."""

    sha256: str
    utf8: bool
    quoted: bool  # a quote character anywhere: a cell may span lines


def scan(path: Path) -> FileFacts:
    """Hash the file, and check it is UTF-8 and whether it quotes any cell, in one read of its bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, quoted = True, False
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            # Pure ASCII is UTF-8 whatever comes next; only the rest needs decoding (and a sequence split
            # across chunks waits in the decoder).
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            quoted = quoted or b'"' in chunk
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return FileFacts(digest.hexdigest(), utf8, quoted)


def transcode_cp1252(source: Path, target: Path) -> int | None:
    """Write a Windows-1252 file as UTF-8, a chunk at a time (one byte is one character, so chunks split
    anywhere). Returns the offset of a byte Windows-1252 does not define, or None when all went well."""
    base = 0
    with source.open("rb") as read, target.open("wb") as write:
        while chunk := read.read(_CHUNK):
            try:
                write.write(chunk.decode("cp1252").encode("utf-8"))
            except UnicodeDecodeError as error:
                return base + error.start
            base += len(chunk)
    return None


def count_lines(path: Path) -> int:
    """The number of lines, a last one with no newline after it included (so records <= lines - 1)."""
    return _lines(path)


def count_ragged(path: Path, columns: int, enough: float) -> tuple[int, int, int | None]:
    """Records after the header whose number of cells is not `columns`, counted until there are more than
    `enough` (then reading stops); how many records were read; and the line the first such record ends on.
    Nothing of a row is kept.

    Stops early, without certainty, at a record the csv module cannot read at all (a cell over its size
    limit): the caller then reads the file in full as usual.
    """
    ragged = read = 0
    first = None
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        try:
            for row in reader:
                if not row:
                    continue
                read += 1
                if len(row) != columns:
                    ragged += 1
                    first = first or reader.line_num
                    if ragged > enough:
                        break
        except csv.Error:
            pass
    return ragged, read, first


def tail_shape(path: Path, columns: int, size: int = 1 << 16) -> tuple[int, int]:
    """How many of the rows in the file's last `size` bytes (from the first whole line) there are, and how
    many of them do not have `columns` cells. Quoted cells spanning lines can make this a rough guide only."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        chunk = handle.read(size)
    start = chunk.find(b"\n") + 1
    rows = [
        r for r in csv.reader(io.StringIO(chunk[start:].decode("utf-8", errors="replace"), newline="")) if r
    ]
    return len(rows), sum(len(r) != columns for r in rows)


def copy_head(source: Path, target: Path, records: int) -> None:
    """Copy the header and the first `records` records of a CSV file, whole lines as they are."""
    with source.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        try:
            for _ in zip(range(records + 1), reader, strict=False):
                pass
        except csv.Error:
            pass
        lines = reader.line_num
    with source.open("rb") as read, target.open("wb") as write:
        for _, line in zip(range(lines), read, strict=False):
            write.write(line)


def _lines(path: Path) -> int:
    """The number of lines, a last one with no newline after it included."""
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def lines_before(path: Path, offsets: np.ndarray) -> np.ndarray:
    """The line each byte offset (in ascending order) is on: 1 + the newlines before it."""
    offsets = np.asarray(offsets, dtype=np.int64)
    lines = np.empty(len(offsets), dtype=np.int64)
    base = newlines = done = 0
    with path.open("rb") as handle:
        while done < len(offsets) and (chunk := handle.read(_CHUNK)):
            end = base + len(chunk)
            upto = int(np.searchsorted(offsets, end))
            if upto > done:
                positions = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == _NEWLINE) + base
                lines[done:upto] = newlines + 1 + np.searchsorted(positions, offsets[done:upto])
                done = upto
            newlines += chunk.count(b"\n")
            base = end
    lines[done:] = newlines + 1
    return lines


def record_start_lines(path: Path) -> np.ndarray:
    """The line each record after the header starts on, skipping blank lines, in file order.

    A newline ends a record unless it is inside a quoted cell, which is when an odd number of quotes
    precedes it (a doubled quote inside a cell counts twice, so it changes nothing). Read in chunks
    with numpy, so a large file takes a second or two.
    """
    starts: list[np.ndarray] = []
    base = newlines_before = quotes_before = 0
    last_end, last_line = -1, 0  # the newline that ended the last line outside quotes, and that line
    previous_byte = 0  # the last byte of the previous chunk
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            data = np.frombuffer(chunk, dtype=np.uint8)
            newlines = np.flatnonzero(data == _NEWLINE)
            quotes = np.flatnonzero(data == _QUOTE)
            outside = ((quotes_before + np.searchsorted(quotes, newlines)) & 1) == 0
            ends = newlines[outside]
            end_lines = newlines_before + 1 + np.flatnonzero(outside)
            if len(ends):
                bytes_before = np.where(ends > 0, data[np.maximum(ends - 1, 0)], previous_byte)
                previous_end = np.concatenate(([last_end], ends[:-1] + base))
                length = ends + base - previous_end - 1
                # A blank line holds nothing, or only the carriage return of a CRLF file.
                blank = (length == 0) | ((length == 1) & (bytes_before == _RETURN))
                first_lines = np.concatenate(([last_line], end_lines[:-1])) + 1
                keep = ~blank
                if last_end < 0:
                    keep[0] = False  # the header
                starts.append(first_lines[keep])
                last_end, last_line = int(ends[-1]) + base, int(end_lines[-1])
            newlines_before += len(newlines)
            quotes_before += len(quotes)
            base += len(chunk)
            previous_byte = int(data[-1])
    trailing = base - last_end - 1
    if trailing > 0 and not (trailing == 1 and previous_byte == _RETURN) and last_end >= 0:
        starts.append(np.array([last_line + 1]))  # a last record with no newline after it
    return np.concatenate(starts) if starts else np.array([], dtype=np.int64)


def record_start_lines_by_csv(path: Path) -> np.ndarray:
    """The same as record_start_lines, walking the file with the csv module: slower, but it reads a
    quote inside an unquoted cell as a character, as DuckDB does, where counting quotes cannot."""
    starts: list[int] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=False)
        next(reader, None)
        previous_end = reader.line_num
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if row:
                starts.append(start)
    return np.asarray(starts, dtype=np.int64)


class LineMap:
    """File lines for the records DuckDB kept (by their number among those kept, in file order) and for
    those it rejected (by the byte offset it gives for each, ascending and distinct)."""

    def __init__(self, path: Path, facts: FileFacts, rejected_offsets: np.ndarray, kept: int) -> None:
        self._offsets = np.asarray(rejected_offsets, dtype=np.int64)
        records = kept + len(self._offsets)
        self._starts: np.ndarray | None = None
        # With no quotes and as many lines as records (so no blank ones), record k starts on line k + 2.
        if facts.quoted or _lines(path) != records + 1:
            starts = record_start_lines(path)
            if len(starts) != records:
                starts = record_start_lines_by_csv(path)
            # If the two parsers still disagree on the records, record numbers are the best left.
            self._starts = starts if len(starts) == records else None
        # DuckDB's offset for a rejected record is where the record before it ended, so the record is the
        # first to start on or after that line (any blank lines between are skipped).
        lines = lines_before(path, self._offsets)
        if self._starts is None:
            rejected, self._rejected_lines = lines - 2, lines
        else:
            rejected = np.minimum(np.searchsorted(self._starts, lines), max(len(self._starts) - 1, 0))
            self._rejected_lines = self._starts[rejected] if len(self._starts) else lines
        # Kept row r is record r + (number of rejected records before it): shift by each rejected one.
        self._shift_at = rejected - np.arange(len(rejected))

    def rejected_line(self, offset: int) -> int:
        """The line a rejected record starts on."""
        return int(self._rejected_lines[np.searchsorted(self._offsets, offset)])

    def kept_lines(self, rows: list[int]) -> list[int]:
        """The line each kept record (0-based, in file order among those kept) starts on."""
        if not rows:
            return []
        kept = np.asarray(rows, dtype=np.int64)
        records = kept + np.searchsorted(self._shift_at, kept, side="right")
        if self._starts is None:
            return (records + 2).tolist()
        return self._starts[np.minimum(records, len(self._starts) - 1)].tolist()
