"""The Benchmarks page under Streamlit's AppTest, on the real published data and the hand-made local fixture.

The local extracts (tests/fixtures/area) only feed the shared sidebar; every figure on this page is
published, so the expected values are DfE's (see tests/build/test_published.py for where each comes from).
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.measures.benchmarks import MEASURES
from tests.build.test_published import make_release_2026
from tests.helpers import ROOT, app, built_now, captions, deltas, subheaders, text, tiles

PAGE = "pages/benchmarks.py"
PUBLISHED = ROOT / "data" / "published"


@pytest.fixture()
def app_env(app_data):
    app_data()


def open_page(**query) -> AppTest:
    at = app(PAGE, **query)
    assert not at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return subheaders(at)


TABLE_COLUMNS = {"all": "Quartile", "neighbours": "Rank in group", "trend": "Neighbours with a figure"}


def table(at: AppTest, which: str) -> pd.DataFrame:
    """A table on the page, found by a column only it has (AppTest does not expose dataframe keys)."""
    return next(d.value for d in at.dataframe if TABLE_COLUMNS[which] in d.value.columns)


def test_default_view_is_lancashire_twenty_week_rate_in_the_latest_year(app_env):
    at = open_page()
    assert at.title[0].value == "Benchmarks"
    assert tiles(at) == {
        "Lancashire, 2024": "17.3%",  # 297 of 1,718
        "England, 2024": "46.4%",  # 39,407 of 84,866
        "North West, 2024": "50.5%",
        "Neighbours' average, 2024": "67.7%",  # 676.9 / 10, worked by hand
        "Rank among LAs, 2024": "130th of 151",  # 129 authorities did better
    }
    # fmt.points writes a gap in a rate ('points', not 'pts'). A Headline has no delta description, so the
    # words under the tiles say the gap is to England.
    assert deltas(at)["Lancashire, 2024"] == "-29.1 points, worse"
    assert deltas(at)["Neighbours' average, 2024"] == "range 37.5% to 99.0%"
    assert deltas(at)["Rank among LAs, 2024"] == "Quartile D (worst 25%)"
    assert titles(at)[:2] == [
        "Lancashire: 17.3% in 2024, down from 80.2% in 2023; England 46.4%",
        "Lancashire ranks 11th of 11 against its statistical neighbours in 2024 (1 = best)",
    ]
    assert any("do not apply on this page" in info.value for info in at.info)
    said = " ".join(captions(at))
    assert "Education, health and care plans 2025 (DfE, 26 June 2025)" in said
    assert "The figure under Lancashire's is its difference from England in percentage points." in said
    assert "break in the series" in said and "person-level" in said
    # The bundled releases do not publish the mean weeks to issue a plan: one sentence, no empty chart.
    assert (
        "Mean weeks to issue a plan is first published in Education, health and care plans 2026 (DfE): the "
        "releases loaded here do not include it yet."
    ) in said
    assert not any(t.startswith("Mean weeks") for t in titles(at))


def test_a_release_with_the_mean_weeks_to_issue_a_plan_shows_it_under_the_20_week_share(
    app_env, tmp_path, monkeypatch
):
    """With the 2026-shaped release of tests/build/test_published.py (mean weeks made up by hand there)."""
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(make_release_2026(tmp_path)))
    built_now()
    at = open_page(year="2024")
    shown = titles(at)
    assert shown[:2] == [
        "Lancashire: 17.4% in 2024, down from 80.2% in 2023; England 46.4%",
        "Mean weeks to issue a plan: Lancashire: 29.0 weeks in 2024; England 24.1 weeks",
    ]
    assert "benchmark_mean_weeks_download" in {d.key for d in at.get("download_button")}
    assert not any("is first published in" in c for c in captions(at))
    assert "Education, health and care plans 2026 (DfE)" in " ".join(captions(at))


def test_switching_the_authority_to_wigan_updates_every_authority_figure(app_env):
    at = open_page()
    lancashire_tiles, lancashire_titles = tiles(at), titles(at)
    lancashire_table = table(at, "all")
    at.selectbox(key="la").set_value("E08000010").run()
    assert not at.exception
    # Wigan's published figure: 257 of 603 plans within 20 weeks excluding exceptions in 2024.
    assert tiles(at) == {
        "Wigan, 2024": "42.6%",
        "England, 2024": "46.4%",
        "North West, 2024": "50.5%",
        "Neighbours' average, 2024": "54.2%",
        "Rank among LAs, 2024": "89th of 151",
    }
    # The authority's own value, its neighbours' average and its rank all change; England and the
    # North West (Wigan's region too) do not.
    now, before = list(tiles(at).values()), list(lancashire_tiles.values())
    assert [now[i] != before[i] for i in range(5)] == [True, False, False, True, True]
    assert all(new != old for new, old in zip(titles(at)[:2], lancashire_titles[:2], strict=True))
    assert titles(at)[0].startswith("Wigan: 42.6% in 2024")
    chosen = table(at, "all")
    assert chosen.loc[chosen["Chosen authority"] == "yes", "Local authority"].tolist() == ["Wigan"]
    assert not chosen["Statistical neighbour (rank)"].equals(lancashire_table["Statistical neighbour (rank)"])
    bars = table(at, "neighbours")
    assert "Lancashire" in set(bars["Local authority"])  # Lancashire is one of Wigan's neighbours


def test_an_authority_outside_the_north_west_gets_its_own_region(app_env):
    at = open_page()
    at.selectbox(key="la").set_value("E10000016").run()  # Kent
    assert not at.exception
    assert set(tiles(at)) == {
        "Kent, 2024",
        "England, 2024",
        "South East, 2024",
        "Neighbours' average, 2024",
        "Rank among LAs, 2024",
    }


def test_measure_and_year_controls_change_the_figures(app_env):
    at = open_page()
    at.selectbox(key="measure").set_value("ehc_plans").run()
    year = at.selectbox(key="year")
    assert year.options[0] == "January 2025" and year.options[-1] == "January 2015"
    assert tiles(at)["Lancashire, Jan 2025"] == "12,317"
    assert tiles(at)["England, Jan 2025"] == "638,745"
    at.selectbox(key="year").set_value("January 2019").run()
    assert tiles(at)["Lancashire, Jan 2019"] == "7,042"
    assert tiles(at)["England, Jan 2019"] == "353,995"
    assert "rank 1 is simply the highest value" in " ".join(captions(at))

    at.selectbox(key="measure").set_value("tribunal_appeal_rate").run()
    assert at.selectbox(key="year").value == "2024"  # January 2019 is not a period of this measure
    assert tiles(at)["Lancashire, 2024"] == "2.5%"
    assert tiles(at)["England, 2024"] == "3.2%"
    assert tiles(at)["Rank among LAs, 2024"] == "71st of 153"
    assert deltas(at)["Lancashire, 2024"] == "-0.7 points, better"  # lower is better


def test_the_neighbour_model_control_switches_to_the_april_2021_neighbours(app_env):
    at = open_page()
    at.selectbox(key="neighbours").set_value("2021-04").run()
    raw = pd.read_csv(
        PUBLISHED / "ehcp_2025" / "timeliness_20_week.csv",
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    raw = raw[(raw["time_period"] == "2024") & (raw["breakdown_topic"] == "All EHC plans issued")]
    april_2021 = [
        "Nottinghamshire",
        "Calderdale",
        "Derbyshire",
        "Sefton",
        "Bury",
        "Stockton-on-Tees",
        "Kent",
        "Staffordshire",
        "Wigan",
        "Cheshire West and Chester",
    ]
    rates = pd.to_numeric(raw.loc[raw["la_name"].isin(april_2021), "PC_plans_issued_20_weeks_ex"])
    assert len(rates) == 10
    assert tiles(at)["Neighbours' average, 2024"] == f"{rates.mean():.1f}%"
    bars = table(at, "neighbours")
    assert set(bars["Local authority"]) == {*april_2021, "Lancashire"}


def test_a_link_reproduces_the_view(app_env):
    at = open_page(
        la="Wigan", measure=MEASURES["need_asd_pct"].label, year="January 2025", neighbours="April 2021 model"
    )
    assert at.selectbox(key="la").value == "E08000010"
    assert at.selectbox(key="measure").value == "need_asd_pct"
    assert at.selectbox(key="neighbours").value == "2021-04"
    assert tiles(at)["Wigan, Jan 2025"] == "29.4%"  # 1,054 of 3,579 plans
    assert tiles(at)["England, Jan 2025"] == "31.5%"


def test_every_table_has_a_download_and_the_all_authorities_table_is_complete(app_env):
    at = open_page()
    keys = {d.key for d in at.get("download_button")}
    assert {"benchmark_trend_download", "benchmark_neighbours_download", "benchmark_all_download"} <= keys
    everyone = table(at, "all")
    assert len(everyone) == 151
    assert everyone["Rank"].is_monotonic_increasing
    lancashire = everyone[everyone["Local authority"] == "Lancashire"].iloc[0]
    assert (
        lancashire["Rank"],
        lancashire["Quartile"],
        lancashire["Numerator"],
        lancashire["Denominator"],
    ) == (130, "D (worst 25%)", 297, 1718)
    trend = table(at, "trend")
    assert trend["Period"].tolist() == [str(y) for y in range(2014, 2025)]
    assert trend.set_index("Period").loc["2018", "Release (Lancashire)"] == (
        "Education, health and care plans 2023 (DfE, June 2023)"
    )


@pytest.mark.parametrize("measure", [k for k, m in MEASURES.items() if not m.added_in])
def test_every_measure_draws_without_error(app_env, measure):
    at = open_page(measure=MEASURES[measure].label)
    assert at.selectbox(key="measure").value == measure
    assert len(at.metric) == 5
    assert at.metric[0].value != "–", f"Lancashire has no figure for {measure} in the latest year"


def test_headline_tiles_link_to_the_chart_or_table_that_shows_each_figure(app_env):
    at = open_page()
    links = [m.value for m in at.markdown if m.value.startswith("[See the chart]")]
    assert links == ["[See the chart](#benchmark-trend)"] * 3 + [
        "[See the chart](#benchmark-neighbours)",
        "[See the chart](#benchmark-all)",
    ]
    anchors = [s.proto.anchor for s in at.subheader]
    assert {"benchmark-trend", "benchmark-neighbours", "benchmark-all"} <= set(anchors)
    assert titles(at)[2] == "Lancashire ranks 130th of 151 local authorities in 2024 (1 = best)"


def test_sidebar_filters_leave_the_published_figures_alone_and_each_chart_says_so(app_env):
    default = open_page()
    filtered = open_page(district="Preston", need="Autism (ASD)", period="All months")
    assert tiles(filtered) == tiles(default)
    assert titles(filtered) == titles(default)
    said = captions(filtered)
    note = (
        "Not filtered by area and primary need: these are DfE's and ESFA's published figures for whole local "
        "authorities, chosen with the controls on this page, so the sidebar filters do not apply."
    )
    assert said.count(note) == 2  # under each chart
    assert note not in captions(default)  # nothing to say when no filter is set
    assert any("do not apply on this page" in info.value for info in filtered.info)  # and once at the top


def test_the_page_shows_words_not_codes(app_env):
    at = open_page(measure=MEASURES["sen_weekly_unit_cost"].label)
    words = (
        text(at) + " ".join(titles(at)) + " ".join(" ".join(map(str, d.value.columns)) for d in at.dataframe)
    )
    assert "Direction of good: none (a higher value is neither better nor worse)." in words
    for code in ("sen_weekly_unit_cost", "gbp_per_week", "neutral", "2025-05", "higher_is_better"):
        assert code not in words, code
    sources = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert set(sources["Status"]) == {"Loaded"}
    assert "12 of 12 published files loaded" in titles(at)
