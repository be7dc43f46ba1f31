"""The one disclosure step for anything that leaves the app: a view's published form, all of it at once.

A view goes out (a download, a snapshot, a board pack) only through `publish`: its table is suppressed by
its own export spec (dashboard.outputs.suppression), its chart is drawn by its own draw function from that
suppressed table, and its words (title, summary, notes, and so the chart's accessible name) state no count
that the table hides and no count from 1 to 4. A view cannot be published without an export spec: the
View type requires one.

Words are checked number by number. Percentages, money, decimals, years, days of the month and figures of
weeks, months, days or points are not counts of children and are left as written; any other whole number
is a count, and becomes `c` (as in the table) when it is from 1 to 4 or equals a count the table hides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.outputs import suppression
from dashboard.views.base import View

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_UNIT = r"(?:weeks?|months?|days?|years?|points?|pts|quarters?)\b"
# A whole number not inside a longer token (not after a letter, digit, point, comma, pound sign or hyphen).
_NUMBER = re.compile(r"(?<![\w.,£-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w,])(\.\d+)?")
_NOT_A_COUNT_AFTER = (
    re.compile(r"\s*%"),  # a percentage
    re.compile(rf"[\s-]*{_UNIT}"),  # 20 weeks, 20-week, 12 months
    re.compile(rf"\s*(?:-|–|/|to|and)\s*\d+[\s-]*{_UNIT}"),  # 16-20 weeks, 6 to 12 months, 4 / 8 weeks
    re.compile(rf"\s+{_MONTH}\b"),  # 31 Oct 2026
)


def _is_count(text: str, match: re.Match) -> bool:
    if match.group(2):  # a decimal: a rate or a mean
        return False
    digits = match.group(1)
    if len(digits) == 4 and 1900 <= int(digits) <= 2100:  # a year (counts of 1,000 or more have a comma)
        return False
    after = text[match.end() :]
    return not any(pattern.match(after) for pattern in _NOT_A_COUNT_AFTER)


def counts_in(text: str) -> list[tuple[int, re.Match]]:
    """Each count of children the words state, with its value: the one reading of numbers in words that the
    disclosure step and the audit share."""
    return [
        (int(match.group(1).replace(",", "")), match)
        for match in _NUMBER.finditer(text)
        if _is_count(text, match)
    ]


def scrub(text: str, hidden: set[int], allowed: set[int] | None = None) -> str:
    """Words with every count from 1 to 4, and every count equal to one the table hides, written as `c`.

    With `allowed` (the figures a reader can already see or is meant to: the table's shown counts and its
    published totals), any other count goes too: it could be a sum that takes in a hidden cell, such as the
    cases waiting over 20 weeks when one band of them is hidden."""

    pieces, end = [], 0
    for value, match in counts_in(text):
        leaks = 1 <= value < suppression.SMALLEST_SHOWN or value in hidden
        unexplained = allowed is not None and value != 0 and value not in allowed
        if leaks or unexplained:
            pieces += [text[end : match.start()], suppression.CONFIDENTIAL]
            end = match.end()
    return "".join([*pieces, text[end:]])


@dataclass(frozen=True)
class Published:
    """A view as it may leave the app."""

    key: str
    title: str
    summary: str
    notes: tuple[str, ...]
    table: pd.DataFrame
    figure: go.Figure | None
    filename: str


def hidden_counts(view: View, published: pd.DataFrame) -> set[int]:
    """The values of the count cells the published table hides."""
    counts = [c for c in view.spec.counts if c in view.table.columns]
    hidden = set()
    for column in counts:
        mask = published[column].astype(str) == suppression.CONFIDENTIAL
        hidden |= {int(v) for v in pd.to_numeric(view.table.loc[mask, column], errors="coerce").dropna()}
    return hidden


def shown_counts(view: View, published: pd.DataFrame) -> set[int]:
    """The counts a reader of the published table sees or is meant to: its shown count cells, and the totals
    the spec says are published (each count column's, each group's)."""
    counts = [c for c in view.spec.counts if c in view.table.columns]
    values = view.table[counts].apply(pd.to_numeric, errors="coerce").fillna(0)
    shown = published[counts].astype(str) != suppression.CONFIDENTIAL
    seen = {int(v) for c in counts for v in values.loc[shown[c], c]}
    if view.spec.column_totals:
        seen |= {int(v) for v in values.sum()}
    for group in view.spec.all_groups():
        parts = [c for c in group.parts if c in counts]
        if group.total is None and group.complete and parts:
            seen |= {int(v) for v in values[parts].sum(axis=1)}
    return seen


def publish(view: View) -> Published:
    """The view's published form: suppressed table, chart drawn from it, and words that reveal no hidden count.

    When the table hides nothing, its words can say nothing the table does not give away already (but 1 to 4
    still goes). When it hides a cell, a count in the words must be one the table shows or publishes as a
    total; any other could be a sum that takes the hidden cell in."""
    table = suppression.suppress(view.table, view.spec)  # refuses a view with no export Spec
    figure = None if view.draw is None else view.draw(suppression.as_numbers(table, view.table))
    hidden = hidden_counts(view, table)
    allowed = shown_counts(view, table) if hidden else None
    return Published(
        key=view.key,
        title=scrub(view.title, hidden, allowed),
        summary=scrub(view.summary, hidden, allowed),
        notes=tuple(scrub(note, hidden, allowed) for note in view.notes),
        table=table,
        figure=figure,
        filename=view.filename,
    )
