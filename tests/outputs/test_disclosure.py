"""The one disclosure step: a view's published form hides small and hidden counts in its words as in its table."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.filters import Filters
from dashboard.outputs.disclosure import publish, scrub
from dashboard.views import ehcp
from dashboard.views.base import Context

AS_OF = date(2025, 3, 25)


@pytest.mark.parametrize(
    ("words", "hidden", "published"),
    [
        # Counts of 1 to 4 always go; so does any count the table hides (here 7, hidden to protect a total).
        ("16-20 weeks: 7; 30-52 weeks: 10", {7}, "16-20 weeks: c; 30-52 weeks: 10"),
        ("6-12 weeks: 4; 12-16 weeks: 1", set(), "6-12 weeks: c; 12-16 weeks: c"),
        ("2 cases pass 20 weeks within 4 weeks", set(), "c cases pass 20 weeks within 4 weeks"),
        ("Rossendale 3 / 15", {15}, "Rossendale c / c"),
        ("By district (4 / 8 weeks): Preston 1 / 1.", set(), "By district (4 / 8 weeks): Preston c / c."),
        # Not counts of children: percentages, money, decimals, years, dates, weeks and months, ranks.
        (
            "20-week rate fell from 18% in 2024 to 10% in 2025",
            set(),
            "20-week rate fell from 18% in 2024 to 10% in 2025",
        ),
        ("£8m over budget after 3 months of 2026-27", set(), "£8m over budget after 3 months of 2026-27"),
        ("Median 2.5 weeks; data as of 1 Oct 2026", set(), "Median 2.5 weeks; data as of 1 Oct 2026"),
        ("Lancashire ranks 3rd of 151", set(), "Lancashire ranks 3rd of 151"),
        ("1,099 additional against 1,200", set(), "1,099 additional against 1,200"),
    ],
)
def test_words_lose_every_small_or_hidden_count(words, hidden, published):
    assert scrub(words, hidden) == published


@pytest.fixture()
def context(run):
    return Context(run, Filters(date(2024, 4, 1), date(2025, 3, 31), through=AS_OF, preset="12m"), AS_OF)


def test_a_published_view_hides_in_its_words_what_its_table_hides(context):
    # Open at 25 Mar 2025: R11, R12 (0-6 weeks, awaiting a decision), R10 (16-20), R09 (20-30), R08 (30-52).
    view = ehcp.open_by_wait(context)
    assert view.title == "2 of 5 cases open at 25 Mar 2025 had waited more than 20 weeks"
    published = publish(view)
    assert published.title == "c of 5 cases open at 25 Mar 2025 had waited more than 20 weeks"
    assert (
        "0-6 weeks c; 6-12 weeks 0; 12-16 weeks 0; 16-20 weeks c; 20-30 weeks c; 30-52 weeks c"
        in published.summary
    )
    assert published.table["Open cases"].tolist() == ["c", 0, 0, "c", "c", "c", 0]
    # The chart is drawn from the published table: the hidden bars are gaps, not the counts.
    bars = {trace.name: list(trace.y) for trace in published.figure.data}
    assert all(value != value or value == 0 for value in bars["Being assessed"])  # NaN or 0


def test_the_about_to_breach_view_says_no_small_count(context):
    # R10 (Preston, received 20 Nov 2024) passes 20 weeks on 9 Apr 2025, within 4 weeks; R09 already has.
    published = publish(ehcp.about_to_breach(context))
    assert published.title == "c case will pass 20 weeks within 4 weeks of 25 Mar 2025; most in Preston (c)"
    assert "Preston c / c" in published.summary


def test_the_sums_the_specs_declare_are_true_so_the_protection_rests_on_fact(context):
    # Requests by source: each month's sources add up to the month's requests in the decisions table.
    sources, decisions = ehcp.sources(context), ehcp.decisions(context)
    group = sources.spec.groups[0]
    assert sources.table[list(group.parts)].sum(axis=1).tolist() == decisions.table[ehcp.REQUESTS].tolist()
    # The funnel: each stage is the sum of the stages indented under it.
    funnel = ehcp.funnel(context)
    stages = {
        label.strip(): n for label, n in zip(funnel.table["Stage"], funnel.table["Requests"], strict=True)
    }
    for row_group in funnel.spec.row_groups:
        assert stages[row_group.total] == sum(stages[part] for part in row_group.parts), row_group.total


def test_no_view_can_leave_the_app_without_an_export_spec(context):
    from dataclasses import replace

    from dashboard.outputs.downloads import export_csv

    view = ehcp.funnel(context)
    with pytest.raises(TypeError, match="export Spec"):
        publish(replace(view, spec=None))
    with pytest.raises(TypeError, match="export Spec"):
        export_csv(replace(view, spec=None))


def test_words_may_not_state_a_sum_that_takes_in_a_hidden_cell():
    import pandas as pd

    from dashboard.outputs.suppression import Spec
    from dashboard.views.base import View

    # Waits over 20 weeks: 20-30 weeks is 2 (hidden), 30-52 weeks 5 (shown), over 52 weeks 0. A summary saying
    # "7 waited over 20 weeks" would give the 2 back as 7 - 5; 19, the column's total, is published anyway.
    table = pd.DataFrame(
        {"Waited": ["0-20 weeks", "20-30 weeks", "30-52 weeks", "Over 52 weeks"], "Open cases": [12, 2, 5, 0]}
    )
    view = View(
        key="waits",
        title="7 of 19 open cases had waited over 20 weeks",
        summary="12 within 20 weeks; 5 for 30-52 weeks; 0 over 52 weeks.",
        table=table,
        spec=Spec(counts=("Open cases",)),
        draw=None,
        filename="waits.csv",
    )
    published = publish(view)
    # 2 hidden, then 5 (the smallest other) so the column's total cannot give it back.
    assert published.table["Open cases"].tolist() == [12, "c", "c", 0]
    assert published.title == "c of 19 open cases had waited over 20 weeks"
    assert published.summary == "12 within 20 weeks; c for 30-52 weeks; 0 over 52 weeks."
    # A table that hides nothing lets its words through (bar 1 to 4).
    shown = publish(
        View(
            "all", "7 of 19", "", table.assign(**{"Open cases": [12, 6, 1 + 4, 0]}), view.spec, None, "a.csv"
        )
    )
    assert shown.title == "7 of 19"
