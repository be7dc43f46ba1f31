"""The filters every page shares: period (a preset or chosen months), area, primary need, age group, and the
request source and placement a drill-down can set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs

import pandas as pd

from dashboard import contract, fmt, labels
from dashboard.dates import FinancialYear, add_months, month_end, month_key, month_start, months_between

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


NEED_WORDS = {labels.label("primary_need", code): code for code in contract.NEED_CODES}
SOURCE_WORDS = {labels.label("request_source", code): code for code in contract.REQUEST_SOURCES}
PLACEMENT_WORDS = {labels.label("placement_type", code): code for code in contract.PLACEMENT_TYPES}
PRESET_BY_WORDS = {words: key for key, words in PRESETS.items()}


@dataclass(frozen=True)
class Options:
    """What the filters offer for a data version: months, areas, and the months each preset covers."""

    months: list[str]
    localities: list[str]
    districts_by_locality: dict[str, list[str]]
    presets: dict[str, tuple[str, str] | None]

    @property
    def districts(self) -> list[str]:
        return [d for ds in self.districts_by_locality.values() for d in ds]

    def preset_of(self, preset: str, start_key: str, end_key: str) -> str:
        """The preset the chosen months match (a preset whose months were then changed by hand is custom)."""
        return preset if self.presets.get(preset) == (start_key, end_key) else "custom"


def options(run, as_of: date) -> Options:
    """The filter options for a data version: months from the first request to the data's date, the districts
    by locality, and the months of each period preset (`run` runs a named query)."""
    first = run("data_period", {}).iloc[0]["first_received"]
    first = as_of if pd.isna(first) else pd.Timestamp(first).date()
    months = months_between(min(first, as_of), as_of)
    start, end = month_start(months[0]), month_end(months[-1])
    events = run("events", {"period_start": start, "period_end": end})
    presets = {key: preset_months(key, start, min(end, as_of), inspection_date(events)) for key in PRESETS}
    by_locality: dict[str, list[str]] = {}
    for row in run("filter_options", {}).itertuples():
        by_locality.setdefault(row.locality, []).append(row.district)
    return Options(months, sorted(by_locality), by_locality, presets)


def codes(chosen: Sequence[str], by_words: Mapping[str, str]) -> tuple[str, ...]:
    """The codes for the words a filter holds (words it does not know are ignored)."""
    return tuple(by_words[w] for w in chosen if w in by_words)


def parse_query(query: str) -> dict[str, list[str]]:
    """An address's query string ('district=Preston&need=Autism+(ASD)') as each key's values."""
    return parse_qs(query.lstrip("?"), keep_blank_values=False)


def from_params(params: Mapping[str, Sequence[str]], offered: Options, as_of: date | None) -> Filters:
    """The shared filters a page address gives (each key to its values), as the widgets would read them.

    Each value is checked against what the widgets offer; anything else is ignored. Months with no preset
    are chosen months; no months and no preset is the default preset.
    """

    def chosen(key: str, allowed: Sequence[str]) -> list[str]:
        return [v for v in params.get(key, ()) if v in set(allowed)]

    def one(key: str) -> str | None:
        values = params.get(key, ())
        return values[-1] if values else None

    preset = PRESET_BY_WORDS.get(one(PERIOD) or "", DEFAULT_PRESET)
    if one(PERIOD) is None and (one(PERIOD_FROM) or one(PERIOD_TO)):
        preset = "custom"
    start, end = offered.presets.get(preset) or (offered.months[0], offered.months[-1])
    start = one(PERIOD_FROM) if one(PERIOD_FROM) in offered.months else start
    end = one(PERIOD_TO) if one(PERIOD_TO) in offered.months else end
    start, end = min(start, end), max(start, end)
    return Filters(
        month_start(start),
        month_end(end),
        tuple(chosen(LOCALITY, offered.localities)),
        tuple(chosen(DISTRICT, offered.districts)),
        codes(chosen(NEED, list(NEED_WORDS)), NEED_WORDS),
        tuple(chosen(AGE, AGE_GROUP_NAMES)),
        codes(chosen(SOURCE, list(SOURCE_WORDS)), SOURCE_WORDS),
        codes(chosen(PLACEMENT, list(PLACEMENT_WORDS)), PLACEMENT_WORDS),
        through=as_of,
        preset=offered.preset_of(preset, start, end),
    )


def period_params(start_key: str, end_key: str, offered: Options) -> dict[str, str]:
    """URL parameters that open a page on these months, leaving out any the page fills in by default.

    A parameter equal to its widget's default is taken out of the address when the page loads, and
    Streamlit drops the address's #section as it does so: links must not carry one.
    """
    for key, months in offered.presets.items():
        if key != "custom" and months == (start_key, end_key):
            return {} if key == DEFAULT_PRESET else {PERIOD: PRESETS[key]}
    params = {PERIOD_FROM: start_key} if start_key != offered.months[0] else {}
    return params | ({PERIOD_TO: end_key} if end_key != offered.months[-1] else {})


def to_params(filters: Filters, offered: Options) -> dict[str, list[str]]:
    """The address parameters that give these filters (the inverse of from_params), for links back to a view."""
    params: dict[str, list[str]] = {
        key: [value]
        for key, value in period_params(
            month_key(filters.period_start), month_key(filters.period_end), offered
        ).items()
    }
    for key, values in (
        (LOCALITY, filters.localities),
        (DISTRICT, filters.districts),
        (NEED, labels.labels("primary_need", filters.needs)),
        (AGE, filters.age_groups),
        (SOURCE, labels.labels("request_source", filters.sources)),
        (PLACEMENT, labels.labels("placement_type", filters.placements)),
    ):
        if values:
            params[key] = list(values)
    return params


def whole_area() -> dict[str, list[str]]:
    """The scope parameters of no filter at all: every area, need, age, source and placement."""
    return Filters(date.min, date.min).scope_params()
