"""The browser benchmark counts a page's elements (bench_browser.SHAPE_JS) as the bare app's query parameters
(shape_query), and the bare app draws what they ask: counted on the bare app itself, a shape comes back as asked,
so the yardstick drawing "the same elements" as a page does."""

import importlib.util
import sys

import pytest

from tests.browser.machinery import new_app_page, wait_until_idle
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_browser", ROOT / "benchmarks" / "bench_browser.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_browser", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bare(bench, tmp_path_factory):
    server = bench.serve(ROOT / "benchmarks" / "bare_app.py", ROOT, tmp_path_factory.mktemp("bare"))
    yield server
    server.stop()


def test_a_shape_counted_on_the_bare_app_is_the_shape_it_was_asked_for(bench, bare, browser_context):
    asked = {
        "charts": 3,
        "headings": 1,
        "texts": 4,
        "metrics": 2,
        "buttons": 2,
        "images": 2,
        "tables": 2,
        "inputs": 1,
        "selects": 1,
        "multis": 2,
    }
    page = new_app_page(browser_context)
    try:
        page.goto(f"{bare.base_url}/?{bench.shape_query(asked)}")
        page.locator(".stPlotlyChart .main-svg").nth(2).wait_for()
        page.locator("[data-testid='stDataFrame']").nth(1).wait_for(state="attached")
        wait_until_idle(page)
        assert page.evaluate(bench.SHAPE_JS) == asked
    finally:
        page.close()


def test_kinds_a_page_has_none_of_are_left_out_of_the_query(bench):
    assert bench.shape_query({"charts": 3, "texts": 0, "multis": 6}) == "charts=3&multis=6"
