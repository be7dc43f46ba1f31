"""The validation report: what the loader found in each file, in words an analyst can act on."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["loaded", "loaded_with_rejections", "refused", "missing"]

# Detailed problems kept per file in the report; all of them go to the validation_problems table.
MAX_PROBLEMS_IN_REPORT = 200
# The most of a rejected cell's value the report keeps: enough to find it, no more (a cell may hold anything).
MAX_VALUE_CHARS = 60


def clip(value: str | None, limit: int = MAX_VALUE_CHARS) -> str | None:
    """A cell's value cut to `limit` characters, with an ellipsis where it was cut."""
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


def without_paths(message: str, *known: Path | str) -> str:
    """A message fit for viewers: every folder named in it removed, leaving the file's name.

    `known` paths are replaced wherever they appear; any other absolute path (from a library's error) is
    cut to its last part. Folders stay in the server log, never on a page.
    """
    for path in sorted({str(p) for p in known if str(p)}, key=len, reverse=True):
        message = message.replace(path, Path(path).name)
    # A quoted absolute path may hold spaces; an unquoted one ends at the first.
    message = re.sub(
        r"([\"'])(?:[A-Za-z]:)?[\\/][^\"']*?([^\"'\\/]*)\1",
        lambda m: m.group(1) + m.group(2) + m.group(1),
        message,
    )
    return re.sub(r"(?<![\w.:/\\])(?:[A-Za-z]:)?[\\/](?:[^\s'\"\\/]+[\\/])+([^\s'\"\\/]*)", r"\1", message)


@dataclass(frozen=True)
class Problem:
    """One rejected row (or cell) of an extract: where it is (the file's line; a Parquet file's row), which
    rule it breaks and the offending cell's value alone, cut to MAX_VALUE_CHARS. Never the rest of the row:
    another cell of it can hold a name."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", clip(None if self.value is None else str(self.value)))

    def describe(self) -> str:
        # A Parquet file has no lines: its problems are named by row, counting from 1 at the first row.
        unit = "row" if self.file.endswith(".parquet") else "line"
        where = f"{self.file}, {unit} {self.line}" if self.line else self.file
        if self.column:
            where += f", column {self.column}"
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{value}: {self.rule}"


@dataclass
class FileReport:
    """What happened to one file: its status, counts, file-level messages and rejected rows."""

    table: str
    filename: str
    status: Status
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problems_total: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    serving: str | None = None
    sha256: str | None = None
    optional: bool = False  # an optional extract (contract.Extract.optional): its absence is no failure
    held: str | None = None  # why a file that passed every rule is held back from replacing the last good one
    accepted_shrink: str | None = None  # why it would have been held, when --accept-shrink confirmed it
    latest_date: str | None = None  # the latest date in the column the extract is ordered by
    orphans: int | None = None  # rows whose link to another extract (a request, a plan) finds nothing

    @property
    def failed(self) -> bool:
        """True when the file was refused, or is missing and the contract requires it."""
        return self.status == "refused" or (self.status == "missing" and not self.optional)

    @property
    def usable(self) -> bool:
        """True when the app has rows for this extract (this file's, or the last good version's)."""
        return self.status in ("loaded", "loaded_with_rejections") or self.serving == "last_good"

    def summary(self) -> str:
        if self.status == "missing":
            head = f"{self.filename}: missing" + (" (optional extract)" if self.optional else "")
        elif self.held:
            head = f"{self.filename}: HELD (a newer file that has not replaced the last good version)"
        elif self.status == "refused":
            head = f"{self.filename}: REFUSED"
        else:
            head = f"{self.filename}: loaded {self.rows_loaded:,} of {self.rows_read:,} rows"
            if self.rows_rejected:
                head += f" ({self.rows_rejected:,} rejected)"
        return head

    def lines(self) -> list[str]:
        """The report for this file as printable lines."""
        out = [self.summary()]
        out += [f"  error: {m}" for m in self.errors]
        out += [f"  warning: {m}" for m in self.warnings]
        if self.accepted_shrink:
            out.append(f"  accepted with --accept-shrink, although {self.accepted_shrink}")
        if self.serving == "last_good":
            out.append(
                "  serving: the last good version of this file (see above for why the new one was refused)"
            )
        if self.rule_counts:
            out.append("  rejected rows by rule:")
            out += [
                f"    {n:>7,}  {rule}" for rule, n in sorted(self.rule_counts.items(), key=lambda kv: -kv[1])
            ]
        for p in self.problems:
            out.append(f"  - {p.describe()}")
        if self.problems_total > len(self.problems):
            out.append(f"  ... and {self.problems_total - len(self.problems):,} more rejected cells")
        return out


@dataclass
class LoadReport:
    """The validation report for a whole folder of extracts."""

    data_dir: str
    loaded_at: str
    today: str
    files: dict[str, FileReport] = field(default_factory=dict)
    references: dict[str, FileReport] = field(default_factory=dict)

    @property
    def any_refused(self) -> bool:
        return any(f.failed for f in [*self.files.values(), *self.references.values()])

    def text(self) -> str:
        """The whole report as text, as `python -m dashboard.build.check` prints it."""
        out = [
            f"Validation report for {self.data_dir} (checked {self.loaded_at}; dates after {self.today} are future)"
        ]
        for report in [*self.files.values(), *self.references.values()]:
            out.append("")
            out += report.lines()
        return "\n".join(out)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> LoadReport:
        def file_report(d: dict) -> FileReport:
            d = dict(d)
            d["problems"] = [Problem(**p) for p in d.get("problems", [])]
            return FileReport(**d)

        return cls(
            data_dir=raw["data_dir"],
            loaded_at=raw["loaded_at"],
            today=raw["today"],
            files={k: file_report(v) for k, v in raw["files"].items()},
            references={k: file_report(v) for k, v in raw["references"].items()},
        )
