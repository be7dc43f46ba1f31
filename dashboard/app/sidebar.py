"""The shared filters: drawn once in the sidebar by app.py, bound to the URL, read by every page.

Each widget's options are what the URL holds (Streamlit writes the option as shown), so a copied link
reproduces the view and a link written by hand works too. Codes never reach the user: the need, source
and placement options are their labels, turned back into codes here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard import contract, labels
from dashboard.app import state
from dashboard.dates import month_end, month_start
from dashboard.filters import (
    AGE,
    AGE_GROUP_NAMES,
    DEFAULT_PRESET,
    DISTRICT,
    LOCALITY,
    NEED,
    PERIOD,
    PERIOD_FROM,
    PERIOD_TO,
    PLACEMENT,
    PRESETS,
    SOURCE,
    Filters,
    inspection_date,
    preset_months,
)
from dashboard.serving.store import DataStore

_SELECTION = "_send_filters"
_OPTIONS_KEY = "_send_filter_options"
_NEEDS = {labels.label("primary_need", code): code for code in contract.NEED_CODES}
_SOURCES = {labels.label("request_source", code): code for code in contract.REQUEST_SOURCES}
_PLACEMENTS = {labels.label("placement_type", code): code for code in contract.PLACEMENT_TYPES}
_PRESET_BY_WORDS = {words: key for key, words in PRESETS.items()}


@dataclass(frozen=True)
class Options:
    """What the filters offer for the current data: months, areas, and the months each preset covers."""

    months: list[str]
    localities: list[str]
    districts_by_locality: dict[str, list[str]]
    presets: dict[str, tuple[str, str] | None]

    @property
    def districts(self) -> list[str]:
        return [d for ds in self.districts_by_locality.values() for d in ds]


def options(current: DataStore) -> Options:
    """The filter options for a data version (months from the first request to the data's date)."""
    months = state.months(current)
    areas = state.areas(current)
    events = state.runner(current)(
        "events", {"period_start": month_start(months[0]), "period_end": month_end(months[-1])}
    )
    first, last = month_start(months[0]), month_end(months[-1])
    presets = {
        key: preset_months(key, first, min(last, state.as_of(current)), inspection_date(events))
        for key in PRESETS
    }
    by_locality: dict[str, list[str]] = {}
    for row in areas.itertuples():
        by_locality.setdefault(row.locality, []).append(row.district)
    return Options(months, sorted(by_locality), by_locality, presets)


def _codes(chosen: Sequence[str], by_words: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(by_words[w] for w in chosen if w in by_words)


def _apply_preset() -> None:
    chosen = st.session_state[_OPTIONS_KEY].presets.get(_PRESET_BY_WORDS.get(st.session_state[PERIOD]))
    if chosen:
        st.session_state[PERIOD_FROM], st.session_state[PERIOD_TO] = chosen


def _months_chosen() -> None:
    st.session_state[PERIOD] = PRESETS["custom"]


def draw(current: DataStore) -> Filters:
    """Draw the shared filters in the sidebar, bound to the URL, and return the selection."""
    offered = options(current)
    st.session_state[_OPTIONS_KEY] = offered
    presets = [PRESETS[key] for key, months in offered.presets.items() if months or key == "custom"]
    # A link that names months but no preset is a custom period (old links, and links made by hand).
    if (
        PERIOD not in st.session_state
        and PERIOD not in st.query_params
        and (PERIOD_FROM in st.query_params or PERIOD_TO in st.query_params)
    ):
        st.session_state[PERIOD] = PRESETS["custom"]
    with st.sidebar:
        if current.is_sample:
            st.warning(
                "**Synthetic sample data.** These figures are made up to look like the real pattern; "
                "they are not real children's data.",
                icon="⚠️",
            )
        st.markdown("### Filters")
        period_words = st.selectbox(
            "Period",
            presets,
            index=presets.index(PRESETS[DEFAULT_PRESET]),
            key=PERIOD,
            bind="query-params",
            on_change=_apply_preset,
            help="A preset, or pick the first and last months below. The preset's months are shown below it.",
        )
        preset = _PRESET_BY_WORDS.get(period_words, DEFAULT_PRESET)
        start, end = offered.presets.get(preset) or (offered.months[0], offered.months[-1])
        months = offered.months
        columns = st.columns(2)
        # The preset gives the months' first values; after that they live in the session and the URL.
        start_key = columns[0].selectbox(
            "From (month)",
            months,
            key=PERIOD_FROM,
            bind="query-params",
            on_change=_months_chosen,
            **({} if PERIOD_FROM in st.session_state else {"index": months.index(start)}),
        )
        end_key = columns[1].selectbox(
            "To (month)",
            months,
            key=PERIOD_TO,
            bind="query-params",
            on_change=_months_chosen,
            **({} if PERIOD_TO in st.session_state else {"index": months.index(end)}),
        )
        if start_key > end_key:
            st.info("'From' was after 'To', so the two are swapped.")
            start_key, end_key = end_key, start_key
        localities = st.multiselect(
            "Locality", offered.localities, key=LOCALITY, bind="query-params", placeholder="All localities"
        )
        district_options = (
            offered.districts
            if not localities
            else [d for loc in localities for d in offered.districts_by_locality.get(loc, [])]
        )
        districts = st.multiselect(
            "District", district_options, key=DISTRICT, bind="query-params", placeholder="All districts"
        )
        needs = st.multiselect(
            "Primary need",
            list(_NEEDS),
            key=NEED,
            bind="query-params",
            placeholder="All needs",
            help="The child's primary type of need, as recorded on the request (SEN2 codes).",
        )
        ages = st.multiselect(
            "Age group (at request)",
            list(AGE_GROUP_NAMES),
            key=AGE,
            bind="query-params",
            placeholder="All ages",
        )
        with st.expander(
            "Request source and placement",
            expanded=bool(st.session_state.get(SOURCE) or st.session_state.get(PLACEMENT)),
        ):
            sources = st.multiselect(
                "Request source",
                list(_SOURCES),
                key=SOURCE,
                bind="query-params",
                placeholder="All sources",
                help="Who asked for the EHC needs assessment.",
            )
            placements = st.multiselect(
                "Placement named in the plan",
                list(_PLACEMENTS),
                key=PLACEMENT,
                bind="query-params",
                placeholder="All placements",
                help="Only requests that led to a plan naming this placement.",
            )
    return Filters(
        month_start(start_key),
        month_end(end_key),
        tuple(localities),
        tuple(districts),
        _codes(needs, _NEEDS),
        tuple(ages),
        _codes(sources, _SOURCES),
        _codes(placements, _PLACEMENTS),
        through=current.as_of,
        preset=_preset_of(preset, start_key, end_key, offered),
    )


def period_params(start_key: str, end_key: str) -> dict[str, str]:
    """URL parameters that open a page on these months, leaving out any the page fills in by default.

    A parameter equal to its widget's default is taken out of the address when the page loads, and
    Streamlit drops the address's #section as it does so: links must not carry one.
    """
    offered = st.session_state.get(_OPTIONS_KEY) or options(state.store())
    for key, months in offered.presets.items():
        if key != "custom" and months == (start_key, end_key):
            return {} if key == DEFAULT_PRESET else {PERIOD: PRESETS[key]}
    params = {PERIOD_FROM: start_key} if start_key != offered.months[0] else {}
    return params | ({PERIOD_TO: end_key} if end_key != offered.months[-1] else {})


def _preset_of(preset: str, start_key: str, end_key: str, offered: Options) -> str:
    """The preset the chosen months match (a preset whose months were then changed by hand is custom)."""
    return preset if offered.presets.get(preset) == (start_key, end_key) else "custom"


def from_url(current: DataStore) -> Filters:
    """The shared filters as the URL gives them, for screens that draw no filter widgets (the presentation).

    Each value is checked against what the widgets would offer; anything else is ignored.
    """
    offered = options(current)
    params = st.query_params

    def chosen(key: str, allowed: Sequence[str]) -> list[str]:
        return [v for v in params.get_all(key) if v in set(allowed)]

    preset = _PRESET_BY_WORDS.get(params.get(PERIOD) or "", DEFAULT_PRESET)
    if PERIOD not in params and (PERIOD_FROM in params or PERIOD_TO in params):
        preset = "custom"
    start, end = offered.presets.get(preset) or (offered.months[0], offered.months[-1])
    start = params.get(PERIOD_FROM) if params.get(PERIOD_FROM) in offered.months else start
    end = params.get(PERIOD_TO) if params.get(PERIOD_TO) in offered.months else end
    start, end = min(start, end), max(start, end)
    return Filters(
        month_start(start),
        month_end(end),
        tuple(chosen(LOCALITY, offered.localities)),
        tuple(chosen(DISTRICT, offered.districts)),
        _codes(chosen(NEED, list(_NEEDS)), _NEEDS),
        tuple(chosen(AGE, AGE_GROUP_NAMES)),
        _codes(chosen(SOURCE, list(_SOURCES)), _SOURCES),
        _codes(chosen(PLACEMENT, list(_PLACEMENTS)), _PLACEMENTS),
        through=current.as_of,
        preset=_preset_of(preset, start, end, offered),
    )


def remember(selection: Filters) -> None:
    """Hand the selection app.py drew to the page that runs next."""
    st.session_state[_SELECTION] = selection


def recall() -> Filters | None:
    """The selection app.py drew for this run, if it drew one."""
    return st.session_state.pop(_SELECTION, None)
