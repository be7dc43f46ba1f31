"""The Educational psychology and Specialist places pages together: a missing extract stops each with a
message, the bundled sample's headline figures, and nothing breaks when the filters match nothing."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import CAPACITY_DIR, SAMPLE_DIR, every_section, keyed, page_alone, plain, text, tiles

EP_PAGE, PLACES_PAGE = "pages/educational_psychology.py", "pages/specialist_places.py"
EP_CHARTS, PLACES_CHARTS = 7, 8


def test_pages_stop_with_a_message_when_their_extract_is_missing(app_data, tmp_path):
    folder = tmp_path / "no_places"
    shutil.copytree(CAPACITY_DIR, folder)
    (folder / "specialist_places.csv").unlink()
    (folder / "ep_assessments.csv").unlink()
    app_data(folder)
    for page, filename in ((PLACES_PAGE, "specialist_places.csv"), (EP_PAGE, "ep_assessments.csv")):
        at = page_alone(page)
        assert not at.exception
        assert filename in plain(at.error[0].value)
        assert not at.get("plotly_chart")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (EP_PAGE, {"EP backlog at 31 Oct 2026": "180", "Additional EP assessments (target 1,200)": "1,099"}),
        (PLACES_PAGE, {"Places added (target 200)": "253", "New special school (Sep 2027)": "150 places"}),
    ],
)
def test_pages_on_the_bundled_sample(app_data, page, expected):
    app_data(SAMPLE_DIR)
    every = every_section(page)
    assert not any(at.exception for at in every.values())
    got = tiles(next(iter(every.values())))
    assert {label: got[label] for label in expected} == expected
    # Every chart, over the page's sections.
    drawn = sum(len(keyed(at, "plotly_chart", "_chart")) for at in every.values())
    assert drawn == (EP_CHARTS if page == EP_PAGE else PLACES_CHARTS)


@pytest.mark.parametrize(
    ("page", "query", "words"),
    [
        # no EP advice for this need
        (
            EP_PAGE,
            {"need": "Profound and multiple learning difficulty (PMLD)"},
            "No EP advice requests open at 31 May 2025",
        ),
        # before any EP request
        (EP_PAGE, {"from": "2023-08", "to": "2023-09"}, "No EP advice requests open at 30 Sep 2023"),
        # no such setting, and before the first census
        (
            PLACES_PAGE,
            {"district": "Burnley", "setting_type": "Alternative provision"},
            "no specialist places census",
        ),
        (PLACES_PAGE, {"from": "2023-08", "to": "2023-09"}, "no specialist places census"),
    ],
)
def test_pages_say_so_when_nothing_matches(app_data, page, query, words):
    app_data(CAPACITY_DIR)
    at = page_alone(page, **query)
    assert not at.exception
    assert words in text(at)
