"""The Benchmarks views: titles, summaries, tiles, tables and charts, on a small comparison worked by hand
and on the real published DfE figures for Lancashire.

The hand-made comparison (frames as the benchmark_* queries return them):

    2024 20-week rate (excl. exceptions), higher is better
    Farfield 80.0, Eastham 60.0 (neighbour 1), Northshire 40.0 (chosen, 40 of 100), Midtown 40.0,
    Westby 20.0 (neighbour 2); Southton (neighbour 3) has no figure.
    Every authority: Farfield 1st, Eastham 2nd, Northshire and Midtown share 3rd, Westby 5th: 3rd of 5,
    quartile ceil(4 x 3 / 5) = 3, band C.
    Neighbours: Eastham 1st, Northshire 2nd, Westby 3rd: 2nd of 3; average (60 + 20) / 2 = 40.0, range 20.0 to 60.0.
    Trend: Northshire 50.0 (2022), 55.0 (2023), 40.0 (2024); England 45.0, 48.0, 46.4; North West 2024 50.5.
    2024 against England: 40.0 - 46.4 = -6.4 points, worse. The SEN2 break falls between 2022 and 2023.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import labels
from dashboard.build.published import load_published
from dashboard.charts import ranking
from dashboard.filters import Filters
from dashboard.measures import benchmarks as measures
from dashboard.measures.benchmarks import MEASURES, SN_MODELS, Comparison
from dashboard.outputs.downloads import export_csv
from dashboard.outputs.suppression import suppress
from dashboard.serving import queries
from dashboard.views import benchmarks
from dashboard.views.base import View

ROOT = Path(__file__).resolve().parents[2]
RELEASE, FILE = (
    "Education, health and care plans 2025 (DfE, 26 June 2025)",
    "ehcp_2025/timeliness_20_week.csv",
)
LANCASHIRE = "E10000017"

# name, code, value, numerator, denominator, neighbour rank
AUTHORITIES = [
    ("Eastham", "E2", 60.0, 60, 100, 1),
    ("Farfield", "E5", 80.0, 80, 100, None),
    ("Midtown", "E6", 40.0, 40, 100, None),
    ("Northshire", "E1", 40.0, 40, 100, None),
    ("Westby", "E3", 20.0, 20, 100, 2),
]
NEIGHBOURS = [("E2", "Eastham", 1), ("E3", "Westby", 2), ("E4", "Southton", 3)]
# period, role, name, value
TREND = [
    ("2022", "authority", "Northshire", 50.0),
    ("2022", "england", "England", 45.0),
    ("2022", "neighbour", "Eastham", 70.0),
    ("2022", "neighbour", "Westby", 30.0),
    ("2023", "authority", "Northshire", 55.0),
    ("2023", "england", "England", 48.0),
    ("2023", "neighbour", "Eastham", 65.0),
    ("2023", "neighbour", "Westby", 25.0),
    ("2024", "authority", "Northshire", 40.0),
    ("2024", "england", "England", 46.4),
    ("2024", "region", "North West", 50.5),
    ("2024", "neighbour", "Eastham", 60.0),
    ("2024", "neighbour", "Westby", 20.0),
]


def hand_made(
    measure_key: str = "twenty_week_rate_excl", trend: list | None = None, la_code: str = "E1"
) -> Comparison:
    """The comparison above, as benchmarks.compare would read it from the queries."""
    values = pd.DataFrame(
        {
            "new_la_code": [a[1] for a in AUTHORITIES],
            "old_la_code": ["1"] * 5,
            "la_name": [a[0] for a in AUTHORITIES],
            "region_name": ["North West"] * 5,
            "value": [a[2] for a in AUTHORITIES],
            "numerator": [float(a[3]) for a in AUTHORITIES],
            "denominator": [float(a[4]) for a in AUTHORITIES],
            "release_label": [RELEASE] * 5,
            "source_file": [FILE] * 5,
            "is_selected": [a[1] == la_code for a in AUTHORITIES],
            "sn_rank": pd.array([a[5] for a in AUTHORITIES], dtype="Int32"),
            "sn_closeness": [None] * 5,
        }
    )
    areas = pd.DataFrame(
        [
            {
                "role": role,
                "sn_rank": None,
                "period": period,
                "period_order": int(period),
                "area_code": name,
                "area_name": name,
                "value": value,
                "numerator": 40.0 if role == "authority" and period == "2024" else np.nan,
                "denominator": 100.0 if role == "authority" and period == "2024" else np.nan,
                "release_label": RELEASE,
                "source_file": FILE,
                "derived": False,
            }
            for period, role, name, value in (TREND if trend is None else trend)
        ]
    )
    neighbours = pd.DataFrame(
        {
            "sn_rank": [n[2] for n in NEIGHBOURS],
            "sn_new_la_code": [n[0] for n in NEIGHBOURS],
            "sn_la_name": [n[1] for n in NEIGHBOURS],
        }
    )
    name = dict((a[1], a[0]) for a in AUTHORITIES)[la_code]
    return Comparison(
        MEASURES[measure_key], "2024", "2025-05", la_code, name, "North West", values, areas, neighbours
    )


def every_view(chosen: Comparison) -> list[View]:
    return [benchmarks.trend(chosen), benchmarks.neighbours(chosen), benchmarks.every_authority(chosen)]


# --- Titles and summaries, worked by hand ----------------------------------------------------------------


def test_trend_title_states_the_latest_figure_its_change_and_england_from_the_charted_columns():
    view = benchmarks.trend(hand_made())
    assert view.title == "Northshire: 40.0% in 2024, down from 55.0% in 2023; England 46.4%"
    assert view.table["Period"].tolist() == ["2022", "2023", "2024"]
    assert view.table["Northshire"].tolist() == [50.0, 55.0, 40.0]
    assert view.table["Neighbours' average"].tolist() == [50.0, 45.0, 40.0]
    assert view.table["Neighbours' lowest"].tolist() == [30.0, 25.0, 20.0]
    assert view.summary == (
        "Plans issued within 20 weeks, excluding exceptions (%) for Northshire, England, North West and the "
        "average of its statistical neighbours (May 2025 model), 2022 to 2024. The shaded band is the "
        "neighbours' range."
    )
    assert view.notes[0].startswith(
        "Dashed line: break in the series. From 2023 the SEN2 return is collected"
    )


def test_a_trend_whose_latest_period_has_no_figure_for_the_authority_says_so_in_its_title():
    no_2024 = [row for row in TREND if not (row[0] == "2024" and row[1] == "authority")]
    view = benchmarks.trend(hand_made(trend=no_2024))
    assert view.table["Period"].iloc[-1] == "2024"
    assert view.title == "Northshire: no figure for 2024; 55.0% in 2023, up from 50.0% in 2022"


def test_the_title_is_computed_from_the_table_the_chart_draws():
    view = benchmarks.trend(hand_made())
    changed = view.table.assign(Northshire=[50.0, 55.0, 61.0])
    # The same title function over a changed column gives a changed title: nothing is carried from elsewhere.
    assert benchmarks._trend_title(changed, "Northshire", MEASURES["twenty_week_rate_excl"]).startswith(
        "Northshire: 61.0% in 2024, up from 55.0% in 2023"
    )


def test_neighbours_title_summary_and_table():
    view = benchmarks.neighbours(hand_made())
    assert view.title == "Northshire ranks 2nd of 3 against its statistical neighbours in 2024 (1 = best)"
    assert view.table["Local authority"].tolist() == ["Eastham", "Northshire", "Westby"]
    assert view.table["Rank in group"].tolist() == [1, 2, 3]
    assert view.table["Chosen authority"].tolist() == ["", "yes", ""]
    assert view.summary == (
        "Plans issued within 20 weeks, excluding exceptions (%) in 2024 for Northshire (hatched, outlined and "
        "marked 'chosen') and its statistical neighbours (May 2025 model), best first. Lines mark England (46.4%) "
        "and the neighbours' average (40.0%). No figure for: Southton."
    )


def test_every_authority_is_a_table_only_view_with_the_rank_in_its_title():
    view = benchmarks.every_authority(hand_made())
    assert view.draw is None and view.figure is None
    assert view.title == "Northshire ranks 3rd of 5 local authorities in 2024 (1 = best)"
    assert view.table["Local authority"].tolist() == [
        "Farfield",
        "Eastham",
        "Midtown",
        "Northshire",
        "Westby",
    ]
    assert view.table["Rank"].tolist() == [1, 2, 3, 3, 5]  # ties share the better rank
    northshire = view.table.set_index("Local authority").loc["Northshire"]
    assert (northshire["Quartile"], northshire["Numerator"], northshire["Denominator"]) == ("C", 40, 100)
    assert view.summary.startswith("5 authorities with a figure. Rank 1 is the highest value, which is best")


def test_a_neutral_measure_ranks_highest_first_and_leaves_england_off_for_totals():
    chosen = hand_made("requests_received")
    assert benchmarks.neighbours(chosen).title == (
        "Northshire has the 2nd highest figure of 3 among itself and its statistical neighbours in 2024"
    )
    assert benchmarks.every_authority(chosen).title == (
        "Northshire has the 3rd highest figure of 5 local authorities in 2024"
    )
    trend = benchmarks.trend(chosen)
    assert trend.title == "Northshire: 40 in 2024, down from 55 in 2023"  # no England: it is not on the chart
    assert "England and North West are totals many times any authority's size" in trend.summary
    assert [t.name for t in trend.figure.data if t.showlegend is not False] == [
        "Neighbours' range (lowest to highest)",
        "Northshire",
        "Statistical neighbours' average",
    ]
    assert "Lines mark" not in benchmarks.neighbours(chosen).summary


def test_an_authority_with_no_figure_is_named_in_every_title():
    values_without = hand_made()
    values_without.values.loc[values_without.values["la_name"] == "Northshire", "value"] = np.nan
    chosen = Comparison(
        values_without.measure,
        "2024",
        "2025-05",
        "E1",
        "Northshire",
        "North West",
        values_without.values,
        values_without.areas,
        values_without.neighbours,
    )
    assert benchmarks.neighbours(chosen).title == (
        "Northshire has no figure for 2024; its statistical neighbours are shown"
    )
    assert (
        benchmarks.every_authority(chosen).title
        == "Northshire has no figure for 2024; 4 local authorities ranked"
    )
    assert benchmarks.headlines(chosen)[-1].value == "–"


# --- Headline tiles --------------------------------------------------------------------------------------


def test_headlines_give_each_figure_and_link_to_the_view_that_charts_it():
    tiles = benchmarks.headlines(hand_made())
    assert [(t.label, t.value, t.view) for t in tiles] == [
        ("Northshire, 2024", "40.0%", "benchmark_trend"),
        ("England, 2024", "46.4%", "benchmark_trend"),
        ("North West, 2024", "50.5%", "benchmark_trend"),
        ("Neighbours' average, 2024", "40.0%", "benchmark_neighbours"),
        ("Rank among LAs, 2024", "3rd of 5", "benchmark_all"),
    ]
    assert [t.delta for t in tiles] == [
        "-6.4 points, worse",
        None,
        "Northshire's region",
        "range 20.0% to 60.0%",
        "Quartile C",
    ]
    assert tiles[0].delta_colour == "normal"  # higher is better: a fall shows red
    assert tiles[0].help.startswith(f"Source: {RELEASE}, file {FILE}. 40 of 100.")
    views = {v.key for v in every_view(hand_made())}
    assert {t.view for t in tiles} <= views


def test_gaps_are_written_by_the_shared_formatters():
    unit_cost = MEASURES["sen_weekly_unit_cost"]
    assert measures.gap(100, 110, unit_cost) == -10
    assert benchmarks._gap_words(measures.gap(100, 110, unit_cost), unit_cost) == "-£10"
    assert benchmarks._gap_words(measures.gap(1250, 1200, unit_cost), unit_cost) == "+£50"
    assert (
        benchmarks._gap_words(
            measures.gap(2.5, 3.2, MEASURES["tribunal_appeal_rate"]), MEASURES["tribunal_appeal_rate"]
        )
        == "-0.7 points"
    )
    assert measures.gap(3658, 154489, MEASURES["requests_received"]) is None


# --- Filters, specs, words -------------------------------------------------------------------------------


def test_every_view_says_in_words_that_the_sidebar_filters_do_not_apply():
    preston = Filters(
        pd.Timestamp("2024-01-01").date(),
        pd.Timestamp("2024-12-31").date(),
        districts=("Preston",),
        needs=("ASD",),
    )
    for view in [*every_view(hand_made()), benchmarks.sources(published_files())]:
        assert view.honours.words(preston) == (
            "Not filtered by area and primary need: these are DfE's and ESFA's published figures for whole local "
            "authorities, chosen with the controls on this page, so the sidebar filters do not apply."
        ), view.key


def test_published_figures_are_kept_in_downloads_but_a_small_published_count_is_not():
    chosen = hand_made()
    chosen.values.loc[chosen.values["la_name"] == "Westby", ["numerator", "value"]] = [3.0, 3.0]
    view = benchmarks.every_authority(chosen)
    assert view.spec.counts == ("Numerator", "Denominator")
    published = suppress(view.table, view.spec).set_index("Local authority")
    # Every export follows one rule, even for DfE's own figures: a count of 1 to 4 is c, and so is the rate
    # that would give it back; the authority's other published figures stay.
    westby = published.loc["Westby"]
    assert westby["Numerator"] == "c"
    assert (
        westby[view.spec.keep[0]] == view.table.set_index("Local authority").loc["Westby", view.spec.keep[0]]
    )
    assert all(published.drop(index="Westby")["Numerator"] != "c")
    assert b"Westby" in export_csv(view)


def published_files() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "path": ["ehcp_2025/requests.csv", "reference/la_code_lookup.csv"],
            "release": [RELEASE, "LAIT LA code list"],
            "status": ["loaded", "refused"],
            "rows": [2916, 0],
            "message": ["", "column 'la_name' is missing"],
        }
    )


def test_the_sources_view_and_warning_name_files_that_could_not_be_used():
    view = benchmarks.sources(published_files())
    assert (
        view.title
        == "1 of 2 published files loaded; 1 could not be used, so the figures they hold are missing"
    )
    assert view.table["Status"].tolist() == ["Loaded", "Refused"]
    warning = benchmarks.unusable_files(published_files())
    assert warning.startswith("**Some published files could not be used**")
    assert r"reference\/la\_code\_lookup\.csv \(column \'la\_name\' is missing\)" in warning
    assert benchmarks.unusable_files(published_files().assign(status="loaded")) is None


CODES = (
    {
        code
        for kind in labels.LABELS.values()
        for code in kind
        if "_" in code or code.isupper() or any(ch.isdigit() for ch in code)
    }
    | set(MEASURES)
    | set(SN_MODELS)
    | {"higher_is_better", "lower_is_better", "gbp", "gbp_per_week"}
)
# Codes that are also English words: a user must not see them as a whole cell or value.
WORD_CODES = {"neutral", "loaded", "refused", "missing", "percent", "count"}
CODE_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, sorted(CODES, key=len, reverse=True))) + r")(?![\w-])"
)


def words_shown(view: View) -> list[str]:
    """Every word a user sees from a view: title, summary, notes, column names, text cells, legend and axes."""
    shown = [view.title, view.summary, *view.notes, *map(str, view.table.columns)]
    for column in view.table.columns:
        if view.table[column].dtype == object or pd.api.types.is_string_dtype(view.table[column]):
            shown += [str(v) for v in view.table[column].dropna()]
    if view.figure is not None:
        layout = view.figure.layout
        shown += [str(t.name) for t in view.figure.data] + [str(a.text) for a in layout.annotations]
        shown += [str(layout.xaxis.title.text), str(layout.yaxis.title.text)]
        shown += [str(y) for t in view.figure.data for y in (t.y if t.type == "bar" else [])]
    return shown


@pytest.mark.parametrize(
    "measure_key", ["twenty_week_rate_excl", "requests_received", "sen_weekly_unit_cost"]
)
def test_no_code_reaches_a_user(measure_key):
    chosen = hand_made(measure_key)
    shown = [w for view in every_view(chosen) for w in words_shown(view)]
    shown += words_shown(benchmarks.sources(published_files()))
    shown += [w for t in benchmarks.headlines(chosen) for w in (t.label, t.value, t.delta or "", t.help)]
    shown += [
        benchmarks.heading(chosen),
        benchmarks.sources_words(chosen),
        benchmarks.about(chosen.measure),
        benchmarks.period_help(chosen.measure),
    ]
    found = sorted({m.group(0) for w in shown for m in CODE_PATTERN.finditer(w)} | (WORD_CODES & set(shown)))
    assert found == []
    assert "neutral" not in benchmarks.sources_words(hand_made("requests_received"))


# --- Charts drawn from the table twin --------------------------------------------------------------------


def test_the_trend_chart_is_drawn_from_its_table_and_marks_the_series_break():
    view = benchmarks.trend(hand_made())
    figure = view.figure
    assert [t.name for t in figure.data] == [
        "Neighbours' lowest",
        "Neighbours' range (lowest to highest)",
        "Northshire",
        "England",
        "North West",
        "Statistical neighbours' average",
    ]
    northshire = figure.data[2]
    assert list(northshire.x) == ["2022", "2023", "2024"] and list(northshire.y) == [50.0, 55.0, 40.0]
    assert [s.x0 for s in figure.layout.shapes] == [0.5]  # between 2022 and 2023
    assert figure.layout.annotations[0].text == "Series break: person-level SEN2 from 2023"
    assert figure.layout.xaxis.type == "category"


def test_the_neighbour_chart_is_drawn_from_its_table_and_marks_the_chosen_authority():
    bars = benchmarks.neighbours(hand_made()).figure.data[0]
    assert list(bars.y) == ["1. Eastham", "2. <b>▶ Northshire (chosen)</b>", "3. Westby"]
    assert list(bars.x) == [60.0, 40.0, 20.0]
    assert list(bars.marker.pattern.shape) == ["", "/", ""]
    assert list(bars.marker.line.width) == [1, 3, 1]
    figure = benchmarks.neighbours(hand_made()).figure
    assert [a.text for a in figure.layout.annotations] == ["England 46.4%", "Neighbours' average 40.0%"]


@pytest.mark.parametrize("measure_key", ["twenty_week_rate_excl", "requests_received"])
def test_draw_works_on_the_table_with_numbers_missing(measure_key):
    for view in every_view(hand_made(measure_key))[:2]:
        table = view.table.copy()
        number = next(
            c
            for c in table.columns
            if c not in ("Period", "Rank in group") and pd.api.types.is_float_dtype(table[c])
        )
        table.loc[table.index[1], number] = np.nan
        figure = view.draw(table)
        assert figure.data, view.key
        every_missing = view.table.copy()
        every_missing[number] = np.nan
        assert view.draw(every_missing).data is not None


def test_chart_builders_do_not_read_the_measures():
    source = (ROOT / "dashboard" / "charts" / "ranking.py").read_text()
    assert "dashboard.measures" not in source
    assert "go.Figure(" not in source and "go.Scatter(" not in source and "go.Bar(" not in source
    assert ranking.series_break(["2022", "2023"], "2019", "break") is None


# --- On the real published figures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def run():
    conn = duckdb.connect()
    load_published(conn, ROOT / "data" / "published")
    yield lambda name, params: queries.run(conn, name, params)
    conn.close()


def test_lancashires_twenty_week_rate_in_2024(run):
    chosen = measures.compare(run, LANCASHIRE, "twenty_week_rate_excl", "2024", "2025-05")
    assert (
        benchmarks.trend(chosen).title == "Lancashire: 17.3% in 2024, down from 80.2% in 2023; England 46.4%"
    )
    assert benchmarks.neighbours(chosen).title == (
        "Lancashire ranks 11th of 11 against its statistical neighbours in 2024 (1 = best)"
    )
    assert benchmarks.every_authority(chosen).title == (
        "Lancashire ranks 130th of 151 local authorities in 2024 (1 = best)"
    )
    assert [t.value for t in benchmarks.headlines(chosen)] == [
        "17.3%",
        "46.4%",
        "50.5%",
        "67.7%",
        "130th of 151",
    ]
    assert benchmarks.headlines(chosen)[0].delta == "-29.1 points, worse"
    assert "The figure under Lancashire's is its difference from England in percentage points." in (
        benchmarks.sources_words(chosen)
    )
    assert benchmarks.every_authority(chosen).filename == (
        "benchmark_all_authorities_within-20-weeks-excl-exceptions_2024.csv"
    )


def test_the_caseload_measures_are_ranked_like_the_others(run):
    # Active plans, and the shares in mainstream, special and independent or non-maintained special schools
    # (January 2025, DfE caseload: Lancashire 12,317 plans; 4,991 mainstream; 4,653 special; 725 + 24).
    assert {"ehc_plans", "mainstream_pct", "special_school_pct", "independent_special_pct"} <= set(
        measures.measures_with_figures(run)
    )
    chosen = measures.compare(run, LANCASHIRE, "independent_special_pct", "January 2025", "2025-05")
    assert chosen.value("authority") == 6.1 and chosen.value("england") == 5.3
    ranked = chosen.ranked
    assert ranked["rank"].notna().sum() > 140  # every authority with both counts published
    # A share with no direction of good is ranked highest first, and said so.
    assert benchmarks.every_authority(chosen).title == (
        "Lancashire has the 49th highest figure of 151 local authorities in January 2025"
    )
    assert benchmarks.neighbours(chosen).title.startswith("Lancashire has the ")
