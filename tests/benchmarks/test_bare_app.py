"""The browser benchmark's yardsticks: the bare app draws one selectbox and one chart, or the elements a page was
counted to draw (bench_browser.SHAPE_JS), each of them showing the chosen month."""

from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, TIMEOUT_S

BARE = str(ROOT / "benchmarks" / "bare_app.py")


def bare(**shape: str) -> AppTest:
    at = AppTest.from_file(BARE, default_timeout=TIMEOUT_S)
    for name, count in shape.items():
        at.query_params[name] = count
    return at.run()


def test_with_no_parameters_it_is_one_month_selectbox_and_one_chart():
    at = bare()
    assert not at.exception
    assert [box.label for box in at.selectbox] == ["To (month)"]
    assert len(at.get("plotly_chart")) == 1
    assert not at.subheader and not at.markdown and not at.metric and not at.expander and not at.multiselect


def test_it_draws_the_elements_a_page_was_counted_to_draw():
    at = bare(
        charts="3",
        headings="2",
        texts="8",
        metrics="6",
        buttons="5",
        images="4",
        tables="3",
        inputs="1",
        selects="2",
        multis="6",
    )
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3
    assert len(at.subheader) == 3 + 2  # one above each chart, and the headings asked for
    assert len(at.markdown) == 8
    assert len(at.metric) == 6
    assert len(at.button) == 5
    assert len(at.get("image")) == 4
    assert len(at.expander) == 3 and len(at.dataframe) == 3
    assert len(at.get("download_button")) == 3
    assert len(at.radio) == 1
    assert len(at.selectbox) == 1 + 2 and len(at.multiselect) == 6


def test_a_change_of_month_reaches_every_element():
    at = bare(charts="2", texts="1", metrics="1", tables="1")
    at.selectbox(key="to").set_value("2025-06").run()
    assert all("2025-06" in heading.value for heading in at.subheader)
    assert "2025-06" in at.markdown[0].value
    assert at.metric[0].value == "60"  # six months to June 2025, times ten
    assert len(at.dataframe[0].value) == 6


def test_counts_are_bounded_and_nonsense_is_ignored():
    at = bare(charts="500", texts="lots")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 20
    assert not at.markdown
