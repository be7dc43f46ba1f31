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
class Spec:
    """Which columns of a table are counts of children, which are rates, and which totals are published.

    `row_total` names a count column that is the sum of the other counts in its row. With
    `column_totals`, every count column's total is taken as published (on a tile, in a total row or
    elsewhere), so a column with a single hidden cell gets a second one.
    """

    counts: tuple[str, ...]
    rates: dict[str, Rate] = field(default_factory=dict)
    row_total: str | None = None
    column_totals: bool = True
    keep: tuple[str, ...] = ()  # figures that are not about children (money, published rates): never hidden

    @classmethod
    def infer(cls, frame: pd.DataFrame) -> Spec:
        """Whole-number columns are counts; anything else is left alone unless its row hides a count.

        Used where a table has no spec of its own: conservative, because `suppress` also hides every
        non-count number in a row where a count is hidden.
        """
        counts = tuple(
            c
            for c in frame.columns
            if pd.api.types.is_integer_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        )
        return cls(counts=counts)


def _hidden_counts(values: np.ndarray, row_total_index: int | None, column_totals: bool) -> np.ndarray:
    hidden = (values >= 1) & (values < SMALLEST_SHOWN)
    parts = [i for i in range(values.shape[1]) if i != row_total_index]

    def hide_next(cells: np.ndarray, positions: list[tuple[int, int]]) -> bool:
        candidates = [(values[r, c], r, c) for r, c in positions if not cells[r, c] and values[r, c] > 0]
        if not candidates:
            return False
        _, r, c = min(candidates)
        cells[r, c] = True
        return True

    changed = True
    while changed:
        changed = False
        if row_total_index is not None:
            for r in range(values.shape[0]):
                in_row = [(r, c) for c in parts]
                if sum(hidden[p] for p in in_row) == 1:
                    # The total would give the hidden part away: hide another part (or the total itself).
                    changed |= hide_next(hidden, in_row) or hide_next(hidden, [(r, row_total_index)])
        if column_totals:
            for c in range(values.shape[1]):
                in_column = [(r, c) for r in range(values.shape[0])]
                if sum(hidden[p] for p in in_column) == 1:
                    changed |= hide_next(hidden, in_column)
    return hidden


def suppress(frame: pd.DataFrame, spec: Spec | None = None) -> pd.DataFrame:
    """A copy of `frame` safe to publish: hidden cells as `c`, missing figures as `x`."""
    spec = spec or Spec.infer(frame)
    out = frame.astype(object).copy()
    counts = [c for c in spec.counts if c in frame.columns]
    hidden = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if counts:
        values = frame[counts].fillna(0).to_numpy(dtype=float)
        total_index = counts.index(spec.row_total) if spec.row_total in counts else None
        hidden[counts] = _hidden_counts(values, total_index, spec.column_totals)
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
