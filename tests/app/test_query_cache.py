"""The app's query cache: one run per query, parameters and data version; least recently used dropped first;
what a caller does to its frame never reaches the kept one."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.app import state


class Store:
    """A stand-in store that counts the queries it runs."""

    def __init__(self, version: str) -> None:
        self.version, self.data_dir, self.runs = version, "/data", []

    def query(self, name: str, params: dict) -> pd.DataFrame:
        self.runs.append((name, params))
        return pd.DataFrame({"month": [date(2025, 1, 1)], "requests": [7]})


def test_a_query_runs_once_per_parameters_and_version(monkeypatch):
    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=8))
    first, second = Store("v1"), Store("v2")
    run = state.runner(first)
    run("q", {"districts": ["Preston"], "at": date(2025, 1, 31)})
    run("q", {"at": date(2025, 1, 31), "districts": ["Preston"]})  # the same parameters in another order
    assert len(first.runs) == 1
    run("q", {"districts": ["Preston", "Wyre"], "at": date(2025, 1, 31)})
    assert len(first.runs) == 2
    state.runner(second)("q", {"districts": ["Preston"], "at": date(2025, 1, 31)})  # a new data version
    assert len(second.runs) == 1


def test_a_callers_change_to_its_frame_does_not_reach_the_cache(monkeypatch):
    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=8))
    run = state.runner(Store("v1"))
    frame = run("q", {})
    frame["requests"] = frame["requests"] * 100
    frame.loc[0, "month"] = date(1999, 1, 1)
    frame["extra"] = 1
    again = run("q", {})
    assert again["requests"].tolist() == [7]
    assert list(again.columns) == ["month", "requests"]
    assert str(again.loc[0, "month"]) == "2025-01-01"


def test_the_least_recently_used_go_first():
    cache = state.QueryCache(max_entries=2)
    made = []

    def make(n):
        return lambda: made.append(n) or pd.DataFrame({"n": [n]})

    cache.get(("a",), make(1))
    cache.get(("b",), make(2))
    cache.get(("a",), make(1))  # a is now the most recently used
    cache.get(("c",), make(3))  # so b goes
    assert len(cache) == 2
    cache.get(("a",), make(1))
    cache.get(("b",), make(2))
    assert made == [1, 2, 3, 2]


def test_a_shared_measure_is_worked_out_once_per_version_and_arguments(monkeypatch):
    from dashboard import measures

    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=8))
    worked = []

    @measures.shared
    def doubled(run, filters, extra=None):
        worked.append(filters)
        frame = run("q", {})
        return frame.assign(requests=frame["requests"] * 2)

    store = Store("v1")
    run = state.runner(store)
    first = doubled(run, ("Preston",), extra={"a": [1]})
    first["requests"] = 0  # a caller's change stays with its copy
    assert doubled(run, ("Preston",), extra={"a": [1]})["requests"].tolist() == [14]
    assert worked == [("Preston",)] and len(store.runs) == 1
    doubled(run, ("Wyre",))
    doubled(
        state.runner(Store("v2")), ("Preston",), extra={"a": [1]}
    )  # a new data version works it out again
    assert worked == [("Preston",), ("Wyre",), ("Preston",)]
    # Any other runner (tests, benchmarks, the snapshot command) runs the measure every time.
    plain = Store("v1")
    doubled(plain.query, ("Preston",))
    doubled(plain.query, ("Preston",))
    assert len(plain.runs) == 2


def test_a_measure_with_no_answer_is_not_worked_out_again(monkeypatch):
    """A shared measure may answer None (no commitment in the targets file, say): that is kept too."""
    from dashboard import measures

    monkeypatch.setattr(state, "_QUERIES", state.QueryCache(max_entries=8))
    worked = []

    @measures.shared
    def nothing(run, at):
        worked.append(at)
        return None

    run = state.runner(Store("v1"))
    assert nothing(run, date(2025, 1, 31)) is None and nothing(run, date(2025, 1, 31)) is None
    assert worked == [date(2025, 1, 31)]
