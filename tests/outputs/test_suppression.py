"""Small-number suppression: primary, secondary, rates and symbols, on tables worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.outputs.suppression import Rate, Spec, hidden_cells, suppress


def test_primary_and_column_secondary_suppression():
    frame = pd.DataFrame({"area": ["A", "B", "C", "D"], "cases": [0, 3, 7, 12]})
    # 3 is hidden; the column total (22) would give it away, so the next smallest non-zero (7) goes too.
    assert suppress(frame, Spec(counts=("cases",)))["cases"].tolist() == [0, "c", "c", 12]


def test_row_total_secondary_suppression():
    frame = pd.DataFrame({"a": [2, 9], "b": [10, 6], "c": [20, 7], "total": [32, 22]})
    published = suppress(frame, Spec(counts=("a", "b", "c", "total"), row_total="total", column_totals=False))
    # Row 1: a=2 hidden, then b=10 (the next smallest) so 32 - 20 cannot give a back.
    assert published.iloc[0].tolist() == ["c", "c", 20, 32]
    assert published.iloc[1].tolist() == [9, 6, 7, 22]


def test_secondary_suppression_repeats_until_nothing_can_be_worked_out():
    frame = pd.DataFrame({"x": [1, 5, 9], "y": [6, 8, 2]})
    published = suppress(frame, Spec(counts=("x", "y")))
    # x: 1 hidden -> 5 hidden. y: 2 hidden -> 6 hidden. Each column now has two hidden cells.
    assert published["x"].tolist() == ["c", "c", 9]
    assert published["y"].tolist() == ["c", 8, "c"]


def test_rates_on_small_denominators_or_hidden_counts_are_hidden():
    frame = pd.DataFrame(
        {"plans": [8, 40, 30, 50], "on_time": [6, 3, 20, 25], "rate": [75.0, 7.5, 66.7, 50.0]}
    )
    spec = Spec(counts=("plans", "on_time"), rates={"rate": Rate("plans", "on_time")})
    published = suppress(frame, spec)
    # on_time: 3 hidden, then 6 (the next smallest) so the column total cannot give 3 back.
    # Rates: row 0 on a denominator of 8 (and a hidden numerator), row 1 on a hidden numerator.
    assert published["on_time"].tolist() == ["c", "c", 20, 25]
    assert published["rate"].tolist() == ["c", "c", 66.7, 50.0]


def test_undeclared_figures_in_a_row_with_a_hidden_count_are_hidden_but_kept_columns_are_not():
    frame = pd.DataFrame(
        {"plans": [3, 20, 30], "mean_weeks": [25.0, 30.0, 31.0], "england": [46.4, 46.4, 46.4]}
    )
    published = suppress(frame, Spec(counts=("plans",), keep=("england",)))
    assert published["mean_weeks"].tolist() == ["c", "c", 31.0]
    assert published["england"].tolist() == [46.4, 46.4, 46.4]


def test_a_percentage_of_nothing_is_z_and_a_missing_figure_x():
    frame = pd.DataFrame({"plans": [0, 12, 6], "rate": [np.nan, 50.0, 50.0]})
    published = suppress(frame, Spec(counts=("plans",), rates={"rate": Rate("plans")}))
    # GSS symbols: z for a rate on a denominator of 0 (not applicable), c for one on fewer than 10.
    assert published["rate"].tolist() == ["z", 50.0, "c"]
    assert suppress(pd.DataFrame({"v": [np.nan, 1.5]}))["v"].tolist() == ["x", 1.5]


def test_a_percentage_that_rounds_to_zero_is_low():
    frame = pd.DataFrame({"done": [1, 0, 20], "asked": [2500, 2500, 40], "rate": [0.0, 0.0, 50.0]})
    published = suppress(
        frame, Spec(counts=("done", "asked"), rates={"rate": Rate("asked", "done")}, column_totals=False)
    )
    # 1 of 2,500 is 0.04%, shown as 0.0 to one place: 'low', not a misleading zero (the count itself is c).
    assert published["rate"].tolist() == ["c", 0.0, 50.0]
    frame.loc[0, "done"] = 5
    published = suppress(
        frame, Spec(counts=("done", "asked"), rates={"rate": Rate("asked", "done")}, column_totals=False)
    )
    assert published["rate"].tolist() == ["low", 0.0, 50.0]


def test_inferred_spec_treats_whole_numbers_as_counts():
    frame = pd.DataFrame({"month": ["2024-01", "2024-02"], "requests": [2, 40], "share": [50.0, 75.0]})
    published = suppress(frame)
    assert published["requests"].tolist() == ["c", "c"]  # 2 hidden; the column total would reveal it
    assert published["share"].tolist() == ["c", "c"]


@pytest.mark.parametrize("seed", range(30))
def test_no_count_from_1_to_4_survives_and_no_hidden_cell_stands_alone(seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.integers(0, 15, size=(6, 4)), columns=["a", "b", "c", "d"])
    frame["total"] = frame[["a", "b", "c", "d"]].sum(axis=1)
    published = suppress(frame, Spec(counts=("a", "b", "c", "d", "total"), row_total="total"))
    shown = published.to_numpy()
    assert not any(isinstance(v, (int, np.integer)) and 1 <= v <= 4 for v in shown.ravel())
    hidden = published.astype(str) == "c"
    for column in published.columns:
        assert hidden[column].sum() != 1, column
    for _, row in hidden[["a", "b", "c", "d"]].iterrows():
        assert row.sum() != 1 or hidden.loc[row.name, "total"]
    assert hidden_cells(published) == int(hidden.to_numpy().sum())
