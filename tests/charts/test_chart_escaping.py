"""Every chart builder escapes the text it is given for Plotly's label HTML: category names, series names,
hover templates, bar text, customdata, axis titles and annotations (milestones, targets, due dates, shaded
spans, reference lines), so a name from the data is drawn as written and never as a link, formatting or LaTeX."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import escape
from dashboard.charts import bars, lines, money, ranking, template
from dashboard.charts.template import Series
from tests import hostile
from tests.helpers import strings_in

# Payloads Plotly would read (tags, entities, LaTeX): the others are plain text to Plotly.
READ_BY_PLOTLY = [p for p in hostile.PAYLOADS if any(ch in p for ch in "<>&$")]
A, B, C, D = hostile.ANCHOR, hostile.IMAGE, hostile.DISPLAY_MATH, hostile.SCRIPT
NAMES = [A, B, C, D]
MONTHS = pd.DataFrame(
    {"Month": ["2025-01", "2025-02", "2025-03", "2025-04"], A: [1, 2, 3, 4], B: [2, 3, 4, 5]}
)
BY_NAME = pd.DataFrame({"Name": NAMES, "Value": [4.0, -3.0, 2.0, 1.0], "Other": [1.0, 2.0, 3.0, 4.0]})
EVENTS = pd.DataFrame(
    {"date": [date(2025, 2, 1), date(2025, 3, 1)], "label": [hostile.ANCHOR, hostile.SCRIPT]}
)


def strings(figure) -> list[str]:
    """Every string in the figure as plotly.js is sent it."""
    return strings_in(figure.to_plotly_json())


def built() -> dict[str, object]:
    """One figure from each builder, every text in it a payload."""
    return {
        "time_series": lines.time_series(
            MONTHS, "Month", [Series(A), Series(B, label=C)], y_title=D, y2_title=B, events=EVENTS
        ),
        "reference_steps_and_target_path": lines.add_target_path(
            lines.add_reference_steps(
                lines.time_series(MONTHS, "Month", [Series(A)], y_title="n"), MONTHS, x="Month", y=B, label=A
            ),
            MONTHS,
            x="Month",
            y=A,
            label=C,
        ),
        "commitment": lines.commitment(
            MONTHS.assign(Month=pd.to_datetime(MONTHS["Month"])),
            "Month",
            Series(A),
            target=5,
            target_text=B,
            due=date(2025, 4, 1),
            due_text=C,
            required=Series(B, label=D),
            planned=pd.DataFrame({"Month": [pd.Timestamp("2025-03-01")], "planned": [3]}),
            planned_label=A,
            y_title=D,
            marks=[template.shaded_span("2025-03-01", "2025-04-01", A)],
        ),
        "stacked_bars": bars.stacked_bars(
            MONTHS.assign(rate=[10.0, 20.0, 30.0, 40.0]),
            "Month",
            [Series(A), Series(B)],
            y_title=C,
            line=Series("rate", label=D),
            events=EVENTS,
        ),
        "stacked_bars_horizontal": bars.stacked_bars(
            BY_NAME, "Name", [Series("Other", label=A)], y_title=B, horizontal=True
        ),
        "horizontal_bars": bars.horizontal_bars(
            BY_NAME, "Name", [Series("Other", label=C)], x_title=D, text=NAMES
        ),
        "ranked_bars": bars.ranked_bars(BY_NAME, "Name", "Other", x_title=A),
        "diverging_bars": bars.diverging_bars(BY_NAME, "Name", "Value", x_title=B, words=lambda v: A),
        "dated_bars": bars.dated_bars(
            pd.DataFrame(
                {"date": ["2025-09-01", "2025-09-01"], "places": [3, 4], "kind": [1, 2], "name": [A, B]}
            ),
            "date",
            "places",
            group="kind",
            groups=[(1, C), (2, D)],
            label="name",
            y_title=A,
            x_title=B,
            events=EVENTS,
        ),
        "funnel": bars.funnel(BY_NAME.assign(Other=[10, 8, 5, 1]), "Name", "Other"),
        "monthly_budget_and_actual": money.monthly_budget_and_actual(
            MONTHS, "Month", Series(A), Series(B, label=C), open_from="2025-03", open_text=D, events=EVENTS
        ),
        "variance_by_line": money.variance_by_line(BY_NAME, "Name", Series("Value", label=A)),
        "spend_by_year": money.spend_by_year(
            BY_NAME.assign(open=[False, False, False, True], Budget=[5.0, 5, 5, 5]),
            "Name",
            [Series("Other", label=A)],
            Series("Budget", label=B),
            partial="open",
            forecast=Series("Value", label=C),
            reference=Series("Budget", label=D),
        ),
        "unit_cost_by_year": money.unit_cost_by_year(
            BY_NAME.assign(open=[False, False, False, True]),
            "Name",
            Series("Other", label=A),
            partial="open",
            partial_words=B,
        ),
        "against_commitment": money.against_commitment(
            MONTHS, "Month", Series(A), Series(B, label=C), target=9, target_text=D
        ),
        "trend_against_comparators": ranking.trend_against_comparators(
            pd.DataFrame({"period": [A, B, C], "me": [1, 2, 3], "low": [0, 1, 2], "high": [2, 3, 4]}),
            "period",
            [Series("me", label=D)],
            unit="percent",
            y_title=A,
            band=(Series("low", label=B), Series("high", label=C)),
            break_at=B,
            break_text=D,
        ),
        "ranked_with_chosen": ranking.ranked_with_chosen(
            BY_NAME.assign(rank=[1, 2, 3, 4]),
            "Name",
            "Other",
            "rank",
            chosen=A,
            unit="count",
            x_title=B,
            references=[(C, 2.0), (D, 3.0)],
        ),
    }


FIGURES = built()


@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_reaches_plotly_unescaped(name):
    figure = FIGURES[name]
    raw = [(p, s[:120]) for s in strings(figure) for p in READ_BY_PLOTLY if p in s]
    assert not raw, f"{name}: {raw}"
    for screen in (template.for_screen(figure), template.for_screen(figure, height=None)):
        assert not [s for s in strings(screen) for p in READ_BY_PLOTLY if p in s]


@pytest.mark.parametrize("name", list(FIGURES))
def test_the_text_is_drawn_escaped(name):
    drawn = "\n".join(strings(FIGURES[name]))
    assert any(escape.plotly(p) in drawn for p in NAMES), name


def test_the_chosen_bar_is_the_only_markup():
    """The benchmark ranking bolds the chosen authority with Plotly's <b>; the name inside is escaped."""
    figure = FIGURES["ranked_with_chosen"]
    assert list(figure.data[0].y)[0] == f"1. <b>▶ {escape.plotly(A)} (chosen)</b>"
    assert list(figure.data[0].customdata) == [escape.plotly(n) for n in NAMES]


def test_milestones_keep_their_layout_and_read_as_written():
    """A milestone's row above the plot is worked out from its text as written, not its escaped form."""
    figure = FIGURES["time_series"]
    labels = [a.text for a in figure.layout.annotations if a.name == "milestone"]
    assert labels == [f"{escape.plotly(A)} (1 Feb 2025)", f"{escape.plotly(D)} (1 Mar 2025)"]


def test_a_clicked_category_reads_back_as_the_name_it_was_made_from():
    figure = FIGURES["ranked_bars"]
    assert sorted(escape.from_plotly(y) for y in figure.data[0].y) == sorted(NAMES)
