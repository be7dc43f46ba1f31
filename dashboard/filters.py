"""The filters every page shares: period (a preset or chosen months), area, primary need, age group, and the
request source and placement a drill-down can set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import contract, fmt, labels
from dashboard.dates import FinancialYear, add_months, month_key

# URL query-parameter names (the widgets' keys), so a copied link reproduces the view.
PERIOD, PERIOD_FROM, PERIOD_TO = "period", "from", "to"
LOCALITY, DISTRICT, NEED, AGE, SOURCE, PLACEMENT = (
    "locality",
    "district",
    "need",
    "age",
    "source",
    "placement",
)
FILTER_KEYS = (PERIOD, PERIOD_FROM, PERIOD_TO, LOCALITY, DISTRICT, NEED, AGE, SOURCE, PLACEMENT)
SCOPE_KEYS = (LOCALITY, DISTRICT, NEED, AGE, SOURCE, PLACEMENT)

# Period presets, in the order they are offered; "custom" is whatever months are picked by hand.
PRESETS = {
    "12m": "Last 12 months",
    "fy": "This financial year",
    "inspection": "Since the inspection",
    "all": "All months",
    "custom": "Chosen months",
}
DEFAULT_PRESET = "12m"
INSPECTION_WORD = "inspection"  # the events.csv milestone "Since the inspection" starts from


def preset_months(
    preset: str, first: date, last: date, inspection: date | None = None
) -> tuple[str, str] | None:
    """The first and last month keys a preset covers, within the data's months `first` to `last`.

    None for "custom" (the months are chosen by hand) or a preset the data cannot give (no inspection date).
    """
    start = {
        "12m": add_months(last, -11),
        "fy": FinancialYear.containing(last).start,
        "all": first,
        "inspection": inspection,
    }.get(preset)
    if start is None:
        return None
    return month_key(max(start, first)), month_key(last)


def inspection_date(events: pd.DataFrame) -> date | None:
    """The date of the inspection milestone in events.csv (the first whose label names an inspection)."""
    named = events[events["label"].str.lower().str.contains(INSPECTION_WORD, regex=False)]
    return None if named.empty else pd.to_datetime(named["date"]).min().date()


@dataclass(frozen=True)
class Filters:
    """The shared filter selection. Empty tuples mean 'all'."""

    period_start: date
    period_end: date
    localities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    age_groups: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    placements: tuple[str, ...] = ()
    # The data's as-of date. When set, monthly figures are read from one query over all history to
    # this date and cut to the period, so changing the period reuses a cached result.
    through: date | None = None
    preset: str = "custom"

    @property
    def scoped(self) -> bool:
        """Whether any who-or-where filter narrows the figures (so they are not for the whole area)."""
        return bool(
            self.localities
            or self.districts
            or self.needs
            or self.age_groups
            or self.sources
            or self.placements
        )

    def scope_params(self) -> dict[str, list[str]]:
        """The who-and-where parameters every filtered query takes (lists bound to SQL)."""
        return {
            "localities": list(self.localities),
            "districts": list(self.districts),
            "needs": list(self.needs),
            "age_groups": list(self.age_groups),
            "sources": list(self.sources),
            "placements": list(self.placements),
        }

    def params(self) -> dict[str, object]:
        """Scope parameters plus the selected period."""
        return {**self.scope_params(), "period_start": self.period_start, "period_end": self.period_end}

    def period_words(self) -> str:
        """'Last 12 months (Nov 2025 to Oct 2026)', or the months alone when chosen by hand."""
        months = fmt.months(self.period_start, self.period_end)
        return months if self.preset == "custom" else f"{PRESETS[self.preset]} ({months})"

    def area_words(self) -> str:
        """Who and where the figures cover, in words: 'Preston; Autism (ASD)' or 'all of Lancashire'."""
        parts = [fmt.words(self.localities + self.districts)] if self.localities or self.districts else []
        parts += [fmt.words(labels.labels("primary_need", self.needs))] if self.needs else []
        parts += [f"aged {fmt.words(self.age_groups)}"] if self.age_groups else []
        parts += (
            [f"requests from {fmt.words(labels.labels('request_source', self.sources))}"]
            if self.sources
            else []
        )
        parts += (
            [f"plans naming {fmt.words(labels.labels('placement_type', self.placements))}"]
            if self.placements
            else []
        )
        return "; ".join(parts) or "all of Lancashire"

    def describe(self) -> str:
        """The filters in words, for page headers, snapshots and exports."""
        return "; ".join(
            [
                f"Period: {self.period_words()}",
                "Area: " + fmt.words(self.localities + self.districts, "all of Lancashire"),
                "Primary need: " + fmt.words(labels.labels("primary_need", self.needs), "all needs"),
                "Age: " + fmt.words(self.age_groups, "all ages"),
                *(
                    [f"Request source: {fmt.words(labels.labels('request_source', self.sources))}"]
                    if self.sources
                    else []
                ),
                *(
                    [f"Placement named: {fmt.words(labels.labels('placement_type', self.placements))}"]
                    if self.placements
                    else []
                ),
            ]
        )


AGE_GROUP_NAMES = tuple(group[0] for group in contract.AGE_GROUPS)


def whole_area() -> dict[str, list[str]]:
    """The scope parameters of no filter at all: every area, need, age, source and placement."""
    return Filters(date.min, date.min).scope_params()
