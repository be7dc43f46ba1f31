"""The outlook model's defaults, worked by hand."""

from __future__ import annotations

import pandas as pd

from dashboard.outlook import model


def history(decisions, ep, plans):
    return pd.DataFrame({"decisions": decisions, "ep_completed": ep, "plans_issued": plans})


def test_recent_capacity_is_the_last_three_months_mean_as_a_float_even_for_a_large_area():
    # A region-sized extract: 20,000, 30,000 and 40,000 decisions a month average 30,000. The page's number
    # inputs take floats only, so an int default (the old cap, returned as it was) stopped the page.
    capacity = model.recent_capacity(
        history([5, 20_000, 30_000, 40_000], [1, 2, 3, 4], [0, 1, 1, 2]), months=3
    )
    assert (capacity.decisions, capacity.ep_advice, capacity.plans) == (30_000.0, 3.0, 1.3)
    assert all(isinstance(v, float) for v in (capacity.decisions, capacity.ep_advice, capacity.plans))


def test_a_default_above_the_controls_ceiling_is_held_to_it_as_a_float():
    over = model.MAX_PER_MONTH * 2
    capacity = model.recent_capacity(history([over] * 3, [0] * 3, [0] * 3), months=3)
    assert capacity.decisions == float(model.MAX_PER_MONTH)
    assert isinstance(capacity.decisions, float)
