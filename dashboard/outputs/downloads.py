"""Downloads: CSV that is safe to open in a spreadsheet, with exactly what a chart or table shows."""

from __future__ import annotations

import pandas as pd

from dashboard.outputs.disclosure import publish
from dashboard.views.base import View

# A cell starting with one of these can be read as a formula by Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that could run as a spreadsheet formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (with BOM, so Excel reads it right) with formula-like text cells neutralised."""
    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    return safe.to_csv(index=False).encode("utf-8-sig")


def export_csv(view: View) -> bytes:
    """What a view's download holds: its published table (the one disclosure step), as formula-safe CSV."""
    return safe_csv_bytes(publish(view).table)
