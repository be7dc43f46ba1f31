"""The chart builders: pure frame-in, figure-out, one template, series told apart by more than colour."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.charts import bars, lines, template
from dashboard.charts.template import Series

MONTHS = pd.DataFrame(
    {
        "Month": ["2025-01", "2025-02", "2025-03"],
        "Requested": [5, 7, 9],
        "Completed": [4, 6, np.nan],
        "Backlog": [10, 11, 12],
        "% on time": [50.0, 60.0, np.nan],
    }
)
EVENTS = pd.DataFrame(
    {
        "date": [date(2025, 2, 14), date(2025, 2, 14), date(2025, 3, 1)],
        "label": ["Report published", "Board met", "Portal launched"],
    }
)


def test_the_nth_series_looks_the_same_in_every_chart():
    figure_a = bars.stacked_bars(MONTHS, "Month", [Series("Requested"), Series("Completed")], y_title="n")
    figure_b = bars.horizontal_bars(MONTHS, "Month", [Series("Requested"), Series("Completed")], x_title="n")
    for figure in (figure_a, figure_b):
        assert [t.marker.color for t in figure.data] == list(template.PALETTE[:2])
        assert [t.marker.pattern.shape for t in figure.data] == list(template.PATTERNS[:2])
        # Hatching drawn over the bar's colour: the default ("replace") leaves white-on-white, invisible bars.
        assert {t.marker.pattern.fillmode for t in figure.data} == {"overlay"}
    line_chart = lines.time_series(MONTHS, "Month", [Series("Requested"), Series("Completed")], y_title="n")
    assert [(t.line.color, t.line.dash, t.marker.symbol) for t in line_chart.data] == [
        (template.PALETTE[i], template.DASHES[i], template.SYMBOLS[i]) for i in range(2)
    ]


def test_a_series_is_named_by_its_column_unless_given_a_label():
    assert Series("Requested").name == "Requested"
    assert Series("completed", "Advice completed").name == "Advice completed"


def test_milestones_are_labelled_with_their_dates_and_share_a_label_on_one_day():
    figure = lines.time_series(MONTHS, "Month", [Series("Requested")], y_title="n", events=EVENTS)
    assert [a.text for a in figure.layout.annotations] == [
        "Report published; Board met (14 Feb 2025)",
        "Portal launched (1 Mar 2025)",
    ]
    assert [s.line.dash for s in figure.layout.shapes] == ["dot", "dot"]


def test_a_missing_value_leaves_a_gap_not_a_zero():
    figure = lines.time_series(MONTHS, "Month", [Series("Completed")], y_title="n")
    assert np.isnan(figure.data[0].y[2])


def test_percent_axes_run_from_0_to_100_with_a_percent_sign():
    figure = lines.time_series(
        MONTHS,
        "Month",
        [Series("Requested"), Series("% on time", axis="y2")],
        y_title="n",
        y2_title="On time",
        percent_axis="y2",
    )
    assert list(figure.layout.yaxis2.range) == [0, 100] and figure.layout.yaxis2.ticksuffix == "%"
    assert figure.data[1].hovertemplate.startswith("% on time: %{y:.1f}%")


def test_stacked_bars_with_a_rate_line_on_the_right():
    figure = bars.stacked_bars(MONTHS, "Month", [Series("Requested")], y_title="n", line=Series("% on time"))
    assert figure.layout.barmode == "stack" and figure.data[1].yaxis == "y2"


def test_horizontal_stacked_bars_list_the_first_category_at_the_top():
    figure = bars.stacked_bars(MONTHS, "Month", [Series("Requested")], y_title="n", horizontal=True)
    assert figure.layout.yaxis.autorange == "reversed" and figure.data[0].orientation == "h"


def test_ranked_bars_put_the_largest_first_and_label_every_bar():
    frame = pd.DataFrame({"District": ["A", "B", "C"], "Open": [3, 9, np.nan]})
    figure = bars.ranked_bars(frame, "District", "Open", x_title="Open")
    assert list(figure.data[0].y) == ["B", "A", "C"] and list(figure.data[0].text) == ["9", "3", ""]


def test_diverging_bars_hatch_and_word_the_bars_below_zero():
    frame = pd.DataFrame({"Designation": ["Autism (ASD)", "Mixed needs"], "Spare": [-6, 5]})
    figure = bars.diverging_bars(
        frame,
        "Designation",
        "Spare",
        x_title="Spare places",
        words=lambda v: f"over by {-v:,.0f}" if v < 0 else f"{v:,.0f} spare",
    )
    assert list(figure.data[0].text) == ["over by 6", "5 spare"]
    assert list(figure.data[0].marker.pattern.shape) == ["x", ""]


def test_the_funnel_labels_each_stage_with_its_count_and_share():
    frame = pd.DataFrame({"Stage": ["Requests", "Decided", "Plan issued"], "Requests": [10, 8, 3]})
    figure = bars.funnel(frame, "Stage", "Requests")
    assert figure.data[0].textinfo == "value+percent initial" and list(figure.data[0].x) == [10, 8, 3]


def test_progress_to_a_target_draws_the_required_path_the_target_and_the_due_date():
    frame = pd.DataFrame(
        {"Month end": ["2025-06-30", "2025-07-31"], "Additional": [10, 30], "Required": [12, 24]}
    )
    figure = lines.commitment(
        frame,
        "Month end",
        Series("Additional"),
        required=Series("Required"),
        target=120,
        target_text="Target: 120",
        due=date(2025, 12, 31),
        due_text="Due 31 Dec 2025",
        y_title="Additional",
    )
    assert [t.name for t in figure.data] == ["Additional", "Required"]
    assert [a.text for a in figure.layout.annotations] == ["Target: 120", "Due 31 Dec 2025"]


def test_an_incomplete_month_is_shaded_and_labelled():
    figure = lines.time_series(
        MONTHS,
        "Month",
        [Series("Requested")],
        y_title="n",
        marks=[template.month_span("2025-03", "To 25 Mar 2025")],
    )
    shape = figure.layout.shapes[0]
    assert shape.type == "rect" and figure.layout.annotations[0].text == "To 25 Mar 2025"
    assert pd.Timestamp(shape.x0) < pd.Timestamp("2025-03-01") < pd.Timestamp(shape.x1)


@pytest.mark.parametrize(
    "builder",
    [
        lambda f: lines.time_series(f, "Month", [Series("Requested")], y_title="n"),
        lambda f: bars.stacked_bars(f, "Month", [Series("Requested")], y_title="n"),
    ],
)
def test_the_board_screen_restyle_enlarges_text_and_keeps_the_data(builder):
    figure = builder(MONTHS)
    shown = template.for_screen(figure)
    assert shown.layout.font.size == template.SCREEN_FONT_SIZE > template.BASE_FONT_SIZE
    assert list(shown.data[0].y) == list(figure.data[0].y)
    assert figure.layout.font.size in (None, template.BASE_FONT_SIZE)  # the original is untouched


def test_a_long_axis_title_breaks_onto_two_lines_on_the_board_screen():
    assert (
        template.wrap_title("Places added since the baseline census")
        == "Places added since<br>the baseline census"
    )
    assert template.wrap_title("% within 20 weeks") == "% within 20 weeks"
    figure = lines.time_series(
        MONTHS, "Month", [Series("Requested")], y_title="Open cases about to pass 20 weeks"
    )
    shown = template.for_screen(figure)
    assert shown.layout.yaxis.title.text == "Open cases about<br>to pass 20 weeks"
    assert figure.layout.yaxis.title.text == "Open cases about to pass 20 weeks"


def test_milestone_labels_sit_above_the_plot_in_rows_that_do_not_overlap():
    close = pd.DataFrame(
        {
            "date": [
                date(2025, 6, 5),
                date(2025, 6, 20),
                date(2025, 9, 1),
                date(2025, 9, 1),
                date(2026, 9, 1),
            ],
            "label": [
                "Improvement Notice issued",
                "Board first met",
                "New EHCP portal launched",
                "200+ new specialist places open",
                "New special school",
            ],
        }
    )
    months = pd.DataFrame(
        {
            "Month": [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 13)],
            "Requested": range(24),
        }
    )
    figure = lines.time_series(months, "Month", [Series("Requested")], y_title="n", events=close)
    labels = [a for a in figure.layout.annotations if a.name == "milestone"]
    assert [a.text for a in labels] == [
        "Improvement Notice issued (5 Jun 2025)",
        "Board first met (20 Jun 2025)",
        "New EHCP portal launched; 200+ new specialist places open (1 Sep 2025)",
        "New special school (1 Sep 2026)",
    ]
    # Above the plot area, never over the data; the legend moves below the plot to leave them room.
    assert all(a.y == 1 and a.yanchor == "bottom" for a in labels)
    assert figure.layout.legend.yref == "container" and figure.layout.legend.yanchor == "bottom"
    assert figure.layout.margin.b >= template.LEGEND_BELOW_PX
    rows = [a.yshift // template.EVENT_ROW_PX for a in labels]
    assert rows[0] != rows[1]  # a fortnight apart: the second label cannot share the first one's row
    assert rows[3] == 0  # a year later the first row is free again
    assert figure.layout.margin.t >= 24 + (max(rows) + 1) * template.EVENT_ROW_PX


def test_a_sparkline_places_points_by_time_scales_to_the_range_and_breaks_at_a_gap():
    # width 106 and height 26 less 3 px each side: x over 100 px, y over 20 px (the highest value at the top).
    days = pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-21", "2024-02-10"])
    svg = lines.sparkline(pd.DataFrame({"x": days[:3], "y": [0, 10, 5]}), width=106, height=26)
    assert '<polyline points="3.0,23.0 53.0,3.0 103.0,13.0"' in svg
    assert 'width="106" height="26" viewBox="0 0 106 26"' in svg
    # 0, (gap), 5, 10 over 40 days: 1 January alone is a dot; 21 January and 10 February are a line.
    svg = lines.sparkline(
        pd.DataFrame({"x": days[[0, 1, 2, 3]], "y": [0, None, 5, 10]}), width=106, height=26
    )
    assert '<circle cx="3.0" cy="23.0" r="2"' in svg
    assert '<polyline points="53.0,13.0 103.0,3.0"' in svg and svg.count("<polyline") == 1
    # A flat trend is drawn across the middle, not divided by zero.
    assert '<polyline points="3.0,13.0 103.0,13.0"' in lines.sparkline(
        pd.DataFrame({"x": days[:2], "y": [4, 4]}), width=106, height=26
    )
    # Only numbers reach the markup: no text from the data.
    assert not re.search(r">[^<]", svg), "the markup holds no text"
