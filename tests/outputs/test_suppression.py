"""Small-number suppression: primary, secondary, rates and symbols, on tables worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.outputs.suppression import Group, Rate, RowGroup, Spec, hidden_cells, suppress


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
    assert suppress(pd.DataFrame({"v": [np.nan, 1.5]}), Spec(counts=()))["v"].tolist() == ["x", 1.5]


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


def test_a_table_leaves_only_with_its_spec_and_counts_come_from_the_spec_not_the_dtype():
    frame = pd.DataFrame({"month": ["2024-01", "2024-02"], "open": [2.0, 40.0], "share": [50.0, 75.0]})
    with pytest.raises(TypeError):
        suppress(frame)
    with pytest.raises(TypeError, match="export Spec"):
        suppress(frame, None)
    # Floats are counts when the spec says so (the open caseload's were floats and went out unsuppressed).
    published = suppress(frame, Spec(counts=("open",), column_totals=False))
    assert published["open"].tolist() == ["c", 40.0]
    assert published["share"].tolist() == ["c", 75.0]  # undeclared, in a row that hides a count


def test_parts_of_a_total_published_elsewhere_get_a_second_hidden_cell_in_each_row():
    # Requests by source has no total column, but each month's total is in the requests-by-decision table.
    frame = pd.DataFrame({"parent": [3, 10], "school": [8, 2], "health": [12, 9]})
    spec = Spec(counts=("parent", "school", "health"), groups=(Group(("parent", "school", "health")),))
    published = suppress(frame, replace(spec, column_totals=False))
    # Row 1: 3 hidden, then 8 (the smallest other part): 23 - 12 = 11 = 3 + 8 gives neither back.
    # Row 2: 2 hidden, then 9 (the smallest other part; 10 is larger).
    assert published.to_numpy().tolist() == [["c", "c", 12], [10, "c", "c"]]
    # Without the group, 23 - 8 - 12 would give the 3 back.
    assert suppress(frame, Spec(counts=spec.counts, column_totals=False)).iloc[0].tolist() == ["c", 8, 12]


def test_a_monthly_total_of_1_to_4_is_hidden_where_it_is_published_so_it_reveals_nothing():
    frame = pd.DataFrame({"parent": [3, 6], "school": [0, 7]})
    spec = Spec(counts=("parent", "school"), groups=(Group(("parent", "school")),), column_totals=False)
    # Month 1's total is 3 (itself hidden in the table that publishes it), so the 0 beside it can stay.
    assert suppress(frame, spec).to_numpy().tolist() == [["c", 0], [6, 7]]


def test_the_rest_of_a_nested_count_is_protected_too():
    # Plans within 20 weeks are some of the plans issued: 30 - 27 gives 3 plans issued late.
    frame = pd.DataFrame({"plans": [30, 20], "within": [27, 10], "rate": [90.0, 50.0]})
    spec = Spec(counts=("plans", "within"), rates={"rate": Rate("plans", "within")}, column_totals=False)
    published = suppress(frame, spec)
    assert published.to_numpy().tolist() == [[30, "c", "c"], [20, 10, 50.0]]


def test_a_rate_and_its_denominator_give_the_numerator_away_so_a_small_one_is_hidden():
    # 15% of 20 is 3 children; 85% of 20 leaves 3; 50% of 20 is 10 either way.
    frame = pd.DataFrame({"plans": [20, 20, 20], "rate": [15.0, 85.0, 50.0]})
    published = suppress(frame, Spec(counts=("plans",), rates={"rate": Rate("plans")}, column_totals=False))
    assert published["rate"].tolist() == ["c", "c", 50.0]


def test_funnel_stages_that_add_up_cannot_give_back_a_hidden_stage():
    # The case: withdrawn before a decision = 342 - 64 - 275 = 3.
    frame = pd.DataFrame(
        [
            ("Requests received", 342),
            ("Decided", 342),
            ("  Awaiting a decision", 0),
            ("  Not agreed", 64),
            ("  Withdrawn before a decision", 3),
            ("Agreed to assess", 275),
            ("  Plan issued", 200),
            ("  Plan not issued", 10),
            ("  Withdrawn during assessment", 5),
            ("  Assessment ongoing", 60),
        ],
        columns=["Stage", "Requests"],
    )
    spec = Spec(
        counts=("Requests",),
        column_totals=False,
        row_groups=(
            RowGroup("Stage", "Requests received", ("Decided", "Awaiting a decision")),
            RowGroup("Stage", "Decided", ("Not agreed", "Withdrawn before a decision", "Agreed to assess")),
        ),
    )
    published = suppress(frame, spec).set_index("Stage")["Requests"]
    assert published["  Withdrawn before a decision"] == "c"
    assert published["  Not agreed"] == "c"  # the smallest other stage in the same sum
    assert published["Agreed to assess"] == 275 and published["Decided"] == 342


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
        # A single hidden cell only where the column's total is itself 1 to 4 (and hidden where published).
        assert hidden[column].sum() != 1 or 1 <= frame[column].sum() <= 4, column
    for _, row in hidden[["a", "b", "c", "d"]].iterrows():
        assert row.sum() != 1 or hidden.loc[row.name, "total"]
    assert hidden_cells(published) == int(hidden.to_numpy().sum())
