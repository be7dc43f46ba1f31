"""The cached data store and query runner for the Streamlit app: one store per data version, results
cached on query name, parameters and data version.

No viewer waits for a build while a version is built: extracts copied into the folder are built in the
background and the last store built is served until the new one is ready (dashboard.serving.store.live_version).

Folders are named in the server log, never to viewers: a store that cannot be opened is reported on the
page in words, and its paths and the error go to the log.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.measures import QueryRunner, frozen
from dashboard.serving import store as serving
from dashboard.serving.store import DataStore, data_dir_from_env, state_dir_from_env


@st.cache_resource(show_spinner=False, max_entries=4)
def _store_for(data_dir: str, state_dir: str, version: str) -> DataStore:
    """The built database of data version `version`, opened read-only (once per version)."""
    return serving.open_built(
        Path(data_dir), serving.db_dir(Path(data_dir), Path(state_dir)) / f"{version}.duckdb"
    )


log = logging.getLogger(__name__)


def store() -> DataStore:
    """The data store to serve now: the current data version's, or while newer extracts are built in the
    background, the last one built (`preparing`, or `problem` when the build failed).

    When it cannot be opened (an unreadable extracts folder, a state folder the server cannot write), the
    page says so without naming any folder, the server log says which and why, and the page stops.
    """
    data_dir, state_dir = data_dir_from_env(), state_dir_from_env()
    try:
        live = serving.live_version(data_dir, state_dir)
        if live.db_path is None:  # nothing built yet for this folder: there is nothing else to show
            with st.spinner("Loading and checking the data extracts…"):
                live = serving.wait_for(live, data_dir, state_dir)
        current = _store_for(str(data_dir), str(state_dir), live.db_path.stem)
    except (OSError, duckdb.Error) as error:
        log.exception("cannot open the data store for %s (state folder %s): %s", data_dir, state_dir, error)
        st.error(
            "**The dashboard cannot open its data just now.** The server's log says why; the team that "
            "runs the dashboard can fix it. No figures are shown until then.",
            icon="🚫",
        )
        st.stop()
    if live.problem or live.preparing:
        current = dataclasses.replace(current, problem=live.problem, preparing=live.preparing)
    return current


_MISSING = object()


class QueryCache:
    """Query results kept in this process and shared by every session, keyed on query name, parameters and data
    version; the least recently used go first past `max_entries`.

    It replaces st.cache_data, which hashed every argument with Streamlit's hasher and unpickled a fresh copy of
    the frame on every hit: about 2 ms a query, a dozen queries a rerun. A hit here is a dictionary lookup and a
    shallow copy (pandas' copy-on-write keeps the kept frame unchanged whatever the caller does to its copy).
    """

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], object]) -> object:
        with self._lock:
            kept = self._entries.get(key, _MISSING)
            if kept is not _MISSING:
                self._entries.move_to_end(key)
        if kept is _MISSING:  # a measure's None (no commitment in the targets, say) is kept like any answer
            kept = make()  # outside the lock: sessions asking for other queries do not wait on this one
            with self._lock:
                self._entries[key] = kept
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        # A frame is copied (shallow: copy-on-write keeps the kept one as it is); anything else a measure keeps is
        # immutable (numbers, frozen dataclasses).
        return kept.copy(deep=False) if isinstance(kept, pd.DataFrame) else kept

    def __len__(self) -> int:
        return len(self._entries)


_QUERIES = QueryCache(max_entries=2048)


def runner(current: DataStore) -> QueryRunner:
    """A query runner whose results are cached on query name, parameters and data version."""

    version = (str(current.data_dir), current.version)

    def run(name: str, params: dict) -> pd.DataFrame:
        return _QUERIES.get((*version, name, frozen(params)), lambda: current.query(name, params))

    # Measures marked shared (dashboard.measures.shared) keep what they work out here too, for every session.
    run.keep = lambda key, make: _QUERIES.get((*version, *key), make)
    return run


def as_of(current: DataStore) -> date:
    """The data's date (the latest activity in the extracts), or today when there is none."""
    return current.as_of or date.today()


@st.cache_data(show_spinner="Fitting the demand forecast…", max_entries=4)
def _cached_outlook(version: str, data_dir: str, state_dir: str, at: date):
    from dashboard.outlook import model

    return model.prepare(_store_for(data_dir, state_dir, version).query, at)


def outlook(current: DataStore):
    """The Outlook's forecasts, backtests and simulator inputs, worked out once per data version (a change of
    control reruns only the simulator, never the statsmodels fits)."""
    return _cached_outlook(current.version, str(current.data_dir), str(state_dir_from_env()), as_of(current))
