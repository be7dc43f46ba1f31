"""The cached data store and query runner for the Streamlit app: one store per data version, results
cached on query name, parameters and data version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.measures import QueryRunner
from dashboard.serving.store import DataStore, data_dir_from_env, data_version, open_store, state_dir_from_env


@st.cache_resource(show_spinner="Loading and checking the data extracts…", max_entries=4)
def _store_for(data_dir: str, state_dir: str, version: str) -> DataStore:
    return open_store(data_dir=Path(data_dir), state_dir=Path(state_dir))


def store() -> DataStore:
    """The data store for the current data version (validated and built once per version)."""
    data_dir = data_dir_from_env()
    return _store_for(str(data_dir), str(state_dir_from_env()), data_version(data_dir))


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached_query(name: str, params: dict, version: str, data_dir: str, state_dir: str) -> pd.DataFrame:
    return _store_for(data_dir, state_dir, version).query(name, params)


def runner(current: DataStore) -> QueryRunner:
    """A query runner whose results are cached on query name, parameters and data version."""
    data_dir, state_dir = str(current.data_dir), str(state_dir_from_env())

    def run(name: str, params: dict) -> pd.DataFrame:
        return _cached_query(name, params, current.version, data_dir, state_dir)

    return run


def as_of(current: DataStore) -> date:
    """The data's date (the latest activity in the extracts), or today when there is none."""
    return current.as_of or date.today()
