"""Small-number suppression for anything shown to external viewers or exported (downloads, snapshots).

The data contract's rule, with the GSS/DfE symbols:
- a count from 1 to 4 is shown as `c` (primary suppression);
- secondary suppression, so a published total cannot reveal a hidden cell: wherever a row or a
  column has exactly one hidden cell and its total is published, the next smallest cell in it is
  hidden too, repeated until nothing can be worked out by subtraction;
- a percentage built on a denominator under 10, or on a hidden count, is shown as `c`;
- a percentage of nothing (a denominator of 0) is `z`, not applicable; one that rounds to zero although
  its numerator is not zero is `low`;
- `x` marks a figure that is not available (missing).

One function, `suppress`, serves the downloads and the snapshots alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE, LOW = "c", "x", "z", "low"
SMALLEST_SHOWN = 5
SMALLEST_DENOMINATOR = 10


@dataclass(frozen=True)
class Rate:
    """A percentage column and the counts it is built from."""

    denominator: str
    numerator: str | None = None


@dataclass(frozen=True)
class Group:
    """Count columns that add up in every row: `parts` sum to `total`.

    `total` is a count column of the same table, or None when the total is published elsewhere in the same
    output (the monthly requests beside requests by source), which is as good as shown. With
    `complete=False` the parts are only some of the total (plans issued within 20 weeks are some of the plans
    issued), so the rest, total less parts, is a count of children too and may not be 1 to 4.
    """

    parts: tuple[str, ...]
    total: str | None = None
    complete: bool = True


@dataclass(frozen=True)
class RowGroup:
    """Rows that add up in every count column: the rows labelled `parts` (in column `label`, compared without
    surrounding spaces) sum to the row labelled `total`, like the stages of a funnel."""

    label: str
    total: str
    parts: tuple[str, ...]
    complete: bool = True


@dataclass(frozen=True)
class Spec:
    """Which columns of a table are counts of children, which are rates, and which figures add up.

    Every table that leaves the app has one: counts are known from the spec, never guessed from a dtype.
    - `row_total` names a count column that is the sum of the other counts in its row (a shorthand for one
      complete `Group`); `groups` and `row_groups` declare any other sums, within a row or across rows.
    - With `column_totals`, every count column's total is taken as published (on a tile, in a total row or
      elsewhere), so a column with a single hidden cell gets a second one.
    - A rate whose numerator and denominator are both counts declares that the numerator is part of the
      denominator, so the difference (plans issued late) is protected too.
    """

    counts: tuple[str, ...]
    rates: dict[str, Rate] = field(default_factory=dict)
    row_total: str | None = None
    column_totals: bool = True
    keep: tuple[str, ...] = ()  # figures that are not about children (money, published rates): never hidden
    groups: tuple[Group, ...] = ()
    row_groups: tuple[RowGroup, ...] = ()

    def all_groups(self) -> list[Group]:
        """Every within-row sum: the row total, the declared groups and the nesting that rates imply."""
        found = list(self.groups)
        if self.row_total is not None:
            found.append(Group(tuple(c for c in self.counts if c != self.row_total), self.row_total))
        for rate in self.rates.values():
            if rate.numerator in self.counts and rate.denominator in self.counts:
                nested = Group((rate.numerator,), rate.denominator, complete=False)
                if nested not in found:
                    found.append(nested)
        return found


def _small(value: float) -> bool:
    return 1 <= value < SMALLEST_SHOWN


@dataclass
class _Sum:
    """One published sum over cells of the table: `members` (the parts, and the total when it is a cell),
    and, for a partial sum, the value of the unpublished rest."""

    members: list[tuple[int, int]]
    total: tuple[int, int] | None
    rest: float | None = None


def _sums(frame: pd.DataFrame, counts: list[str], spec: Spec, values: np.ndarray) -> list[_Sum]:
    index = {c: i for i, c in enumerate(counts)}
    sums: list[_Sum] = []
    for group in spec.all_groups():
        parts = [index[c] for c in group.parts if c in index]
        total = index.get(group.total) if group.total is not None else None
        if not parts or (group.total is not None and total is None):
            continue
        for r in range(values.shape[0]):
            if total is None and _small(values[r, parts].sum()):
                continue  # the total published elsewhere is 1 to 4, so it is hidden there
            cells = [(r, c) for c in parts]
            rest = None
            if not group.complete:
                rest = values[r, total] - values[r, parts].sum()
            sums.append(
                _Sum(
                    cells + ([(r, total)] if total is not None else []),
                    (r, total) if total is not None else None,
                    rest,
                )
            )
    for group in spec.row_groups:
        if group.label not in frame.columns:
            continue
        labels = [str(v).strip() for v in frame[group.label]]
        rows = [labels.index(p) for p in group.parts if p in labels]
        if group.total not in labels or not rows:
            continue
        total_row = labels.index(group.total)
        for c in range(values.shape[1]):
            rest = None if group.complete else values[total_row, c] - values[rows, c].sum()
            sums.append(_Sum([(r, c) for r in rows] + [(total_row, c)], (total_row, c), rest))
    if spec.column_totals:
        for c in range(values.shape[1]):
            if not _small(values[:, c].sum()):  # a total of 1 to 4 is itself hidden wherever it is published
                sums.append(_Sum([(r, c) for r in range(values.shape[0])], None))
    return sums


def _hidden_counts(values: np.ndarray, sums: list[_Sum]) -> np.ndarray:
    """Primary suppression of 1 to 4, then secondary suppression until no hidden cell, and no unpublished
    rest of 1 to 4, is the only unknown in any published sum (the rule DfE and ONS apply to tables with
    margins: every sum that touches a hidden cell has at least two unknowns)."""
    hidden = (values >= 1) & (values < SMALLEST_SHOWN)

    def hide_one_more(total_sum: _Sum) -> bool:
        shown = [p for p in total_sum.members if not hidden[p]]
        if not shown:
            return False
        parts = [p for p in shown if p != total_sum.total]
        # The smallest non-zero part, else the total, else a zero part: the least information lost.
        ranked = sorted((values[p] <= 0, values[p], p) for p in parts)
        choice = ranked[0][2] if ranked and not ranked[0][0] else None
        if choice is None:
            choice = total_sum.total if total_sum.total in shown else ranked[0][2]
        hidden[choice] = True
        return True

    changed = True
    while changed:
        changed = False
        for total_sum in sums:
            unknown = sum(bool(hidden[p]) for p in total_sum.members)
            if total_sum.rest is None:
                needs_cover = unknown == 1  # the hidden cell is the sum less the cells shown
            else:
                needs_cover = unknown == 0 and _small(total_sum.rest)  # the rest is the total less the parts
            if needs_cover:
                changed |= hide_one_more(total_sum)
    return hidden


def suppress(frame: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """A copy of `frame` safe to publish: hidden cells as `c`, missing figures as `x`."""
    if not isinstance(spec, Spec):
        raise TypeError("a table leaves the app only with its export Spec (which columns are counts)")
    out = frame.astype(object).copy()
    counts = [c for c in spec.counts if c in frame.columns]
    hidden = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if counts:
        values = frame[counts].fillna(0).to_numpy(dtype=float)
        hidden[counts] = _hidden_counts(values, _sums(frame, counts, spec, values))
    not_applicable = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    rounds_to_zero = not_applicable.copy()
    for column, rate in spec.rates.items():
        if column not in frame.columns:
            continue
        denominator = pd.to_numeric(frame[rate.denominator], errors="coerce")
        not_applicable[column] = denominator == 0
        small = (denominator.fillna(0) < SMALLEST_DENOMINATOR) & ~not_applicable[column]
        hidden[column] = small | hidden.get(rate.denominator, False)
        if rate.numerator:
            hidden[column] |= hidden[rate.numerator]
            numerator = pd.to_numeric(frame[rate.numerator], errors="coerce").fillna(0)
            rounds_to_zero[column] = (pd.to_numeric(frame[column], errors="coerce") == 0) & (numerator > 0)
        if rate.denominator in counts and rate.numerator not in counts:
            # The rate and its denominator give the numerator, and so the rest: neither may be 1 to 4.
            worked_out = (pd.to_numeric(frame[column], errors="coerce") * denominator / 100).round()
            hidden[column] |= worked_out.map(_small) | (denominator - worked_out).map(_small)
    row_hides_a_count = hidden[counts].any(axis=1) if counts else pd.Series(False, index=frame.index)
    declared = set(counts) | set(spec.rates) | set(spec.keep)
    for column in frame.columns:
        if (
            column not in declared
            and pd.api.types.is_numeric_dtype(frame[column])
            and not pd.api.types.is_bool_dtype(frame[column])
        ):
            # An undeclared figure could be derived from the hidden counts in its row: hide it too.
            hidden[column] = row_hides_a_count
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        )
        if numeric:
            out.loc[frame[column].isna(), column] = NOT_AVAILABLE
        out.loc[rounds_to_zero[column], column] = LOW
        out.loc[not_applicable[column], column] = NOT_APPLICABLE
        if column not in spec.keep:
            out.loc[hidden[column] & ~not_applicable[column], column] = CONFIDENTIAL
    return out


SYMBOLS_NOTE = (
    "Symbols: c confidential (a count from 1 to 4, or a figure that would let one be worked out, or a "
    "percentage of fewer than 10); z not applicable (a percentage of nothing); x not available; low a "
    "percentage that rounds to zero."
)


def hidden_cells(published: pd.DataFrame) -> int:
    """How many cells of a published table are `c`."""
    return int((published.astype(str) == CONFIDENTIAL).to_numpy().sum())


def as_numbers(published: pd.DataFrame, original: pd.DataFrame) -> pd.DataFrame:
    """A published table back in numbers for drawing: the original's numeric columns as floats, with every
    symbol (c, x, z, low) a gap, so a chart drawn from it shows exactly what the table publishes."""
    numbers = published.copy()
    for column in original.columns:
        if pd.api.types.is_numeric_dtype(original[column]) and not pd.api.types.is_bool_dtype(
            original[column]
        ):
            numbers[column] = pd.to_numeric(
                published[column].where(
                    ~published[column].isin([CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE, LOW])
                ),
                errors="coerce",
            )
    return numbers
