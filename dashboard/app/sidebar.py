"""The shared filters: drawn once in the sidebar by app.py, bound to the URL, read by every page.

Each widget's options are what the URL holds (Streamlit writes the option as shown), so a copied link
reproduces the view and a link written by hand works too. Codes never reach the user: the need, source
and placement options are their labels, turned back into codes here.
"""

from __future__ import annotations

import streamlit as st

from dashboard import filters
from dashboard.app import state
from dashboard.dates import month_end, month_start
from dashboard.filters import (
    AGE,
    AGE_GROUP_NAMES,
    DEFAULT_PRESET,
    DISTRICT,
    LOCALITY,
    NEED,
    NEED_WORDS,
    PERIOD,
    PERIOD_FROM,
    PERIOD_TO,
    PLACEMENT,
    PLACEMENT_WORDS,
    PRESET_BY_WORDS,
    PRESETS,
    SOURCE,
    SOURCE_WORDS,
    Filters,
    Options,
)
from dashboard.serving.store import DataStore

_SELECTION = "_send_filters"
_OPTIONS_KEY = "_send_filter_options"


def options(current: DataStore) -> Options:
    """The filter options for the current data version."""
    return _options_for(current.version, current)


@st.cache_resource(show_spinner=False, max_entries=4)
def _options_for(version: str, _current: DataStore) -> Options:
    # Worked out once per data version and shared by every session (nothing changes an Options): building
    # them from the cached queries took about a tenth of each rerun's script time (py-spy).
    return filters.options(state.runner(_current), state.as_of(_current))


def _apply_preset() -> None:
    chosen = st.session_state[_OPTIONS_KEY].presets.get(PRESET_BY_WORDS.get(st.session_state[PERIOD]))
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
        preset = PRESET_BY_WORDS.get(period_words, DEFAULT_PRESET)
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
            list(NEED_WORDS),
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
                list(SOURCE_WORDS),
                key=SOURCE,
                bind="query-params",
                placeholder="All sources",
                help="Who asked for the EHC needs assessment.",
            )
            placements = st.multiselect(
                "Placement named in the plan",
                list(PLACEMENT_WORDS),
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
        filters.codes(needs, NEED_WORDS),
        tuple(ages),
        filters.codes(sources, SOURCE_WORDS),
        filters.codes(placements, PLACEMENT_WORDS),
        through=current.as_of,
        preset=offered.preset_of(preset, start_key, end_key),
    )


def period_params(start_key: str, end_key: str) -> dict[str, str]:
    """URL parameters that open a page on these months (see filters.period_params)."""
    return filters.period_params(
        start_key, end_key, st.session_state.get(_OPTIONS_KEY) or options(state.store())
    )


def from_url(current: DataStore) -> Filters:
    """The shared filters as the URL gives them, for screens that draw no filter widgets (the presentation)."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    return filters.from_params(params, options(current), current.as_of)


def remember(selection: Filters) -> None:
    """Hand the selection app.py drew to the page that runs next."""
    st.session_state[_SELECTION] = selection


def recall() -> Filters | None:
    """The selection app.py drew for this run, if it drew one."""
    return st.session_state.pop(_SELECTION, None)
