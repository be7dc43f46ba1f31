"""End to end in headless Chromium on hostile data (tests/hostile.py): on every page, every Board slide and the
snapshot, text from the data is shown exactly as written and nothing in it becomes markup.

One server on the hostile data, one browser page, every screen in turn. On each: no link to example.org or x
(written, bare or in a chart), no bold, emphasis, code, heading, quote, table, image, LaTeX (KaTeX), coloured
text or icon made from a payload, in markdown or in a chart's SVG. Across them all, every payload is visible
as written.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from dashboard import filters
from dashboard.app.navigation import BY_FILE
from dashboard.escape import JOINER
from dashboard.outputs import snapshot
from dashboard.outputs.slides import SLIDES
from dashboard.serving.store import open_store
from dashboard.views import sections
from dashboard.views.base import Context
from tests import hostile
from tests.browser.machinery import (
    assert_no_errors,
    href,
    new_app_page,
    open_section,
    start_app,
    wait_for_section,
)
from tests.browser.test_accessibility import open_rendered

pytestmark = pytest.mark.browser

CHOSEN = [("district", d) for d in (hostile.BOLD, hostile.ANCHOR, hostile.BARE_URL)] + [
    ("locality", hostile.HEADING)
]
# Every section of a page drawn in sections: a section not open is not drawn.
SECTIONED = {
    BY_FILE[file].url_path + (f"-{number}" if number else ""): f"/{BY_FILE[file].url_path}?"
    + urlencode({sections.SECTION: label})
    for file in sections.PAGES
    for number, label in enumerate(sections.of(file))
}
SCREENS = {
    "overview": "/",
    **SECTIONED,
    "ehcp-by-locality": "/ehcp?"
    + urlencode({"breakdown": "Locality", sections.SECTION: "Where it is worst"}),
    "ehcp-areas-chosen": "/ehcp?" + urlencode(CHOSEN),
    "benchmarks": "/benchmarks",
    "snapshots": "/snapshots",
    "methodology": "/methodology",
    **{f"slide-{s.number}": f"/?present=1&slide={s.number}" for s in SLIDES},
}

# The words inside each payload that markup made from it would hold: an element that is markup and holds
# only one of them was made from the data.
MADE_FROM_PAYLOAD = ["bold", "em", "b", "x", "code", "heading", "quote", "a", "red", "home", "y"]
# Everything on the page that markup from a payload would make, as [what, detail] pairs.
MARKUP_FROM_DATA_JS = """([words, markdown]) => {
    const found = [];
    const only = el => words.includes(el.textContent.replace(/\\u2060/g, '').trim());
    for (const a of document.querySelectorAll('a')) {
        const href = a.getAttribute('href') || a.getAttribute('xlink:href') || '';
        if (/example\\.org|^https?:\\/\\/x|^x$|^mailto:/i.test(href) || a.closest('svg')) found.push(['link', href]);
    }
    for (const box of document.querySelectorAll(markdown)) {
        for (const el of box.querySelectorAll('strong, b, em, i, code, del, h1, h2, h3, h4, h5, h6')) {
            if (only(el)) found.push(['markup', el.tagName + ': ' + el.textContent]);
        }
        for (const el of box.querySelectorAll('blockquote, table, img')) {
            found.push(['block', el.tagName + ': ' + el.textContent.slice(0, 60)]);
        }
        for (const el of box.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground, span[role="img"]')) {
            found.push(['directive', el.className + ' ' + (el.getAttribute('aria-label') || el.textContent)]);
        }
    }
    for (const el of document.querySelectorAll('.katex, math')) found.push(['latex', el.textContent]);
    for (const el of document.querySelectorAll('img')) {
        if (!/^(data:|blob:|https?:\\/\\/127\\.0\\.0\\.1|\\/|\\.)/.test(el.getAttribute('src') || '')
            || el.getAttribute('src') === 'x') found.push(['image', el.getAttribute('src')]);
    }
    for (const el of document.querySelectorAll('svg tspan, svg text')) {
        const style = (el.getAttribute('style') || '') + ' ' + (el.getAttribute('font-weight') || '');
        if (/bold|italic/.test(style) && only(el)) found.push(['chart markup', el.textContent]);
    }
    return found;
}"""
# Where Streamlit renders markdown (every container of it on the page).
MARKDOWN = (
    '[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stHeading"], '
    '[data-testid="stAlert"], [data-testid="stMetric"], [data-testid="stExpander"] summary'
)
# The words a reader sees: the page's text and the text drawn in its charts (word joiners are invisible).
TEXT_JS = """() => (document.body.innerText + '\\n'
    + [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')).replace(/\\u2060/g, '')"""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_browser")
    return hostile.make(folder / "data", folder / "state"), folder / "state"


@pytest.fixture(scope="module")
def hostile_server(hostile_data):
    data, state = hostile_data
    server = start_app(state, data_dir=data)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hostile_page(browser_context, hostile_server):
    page = new_app_page(browser_context)
    try:
        yield page
    finally:
        page.close()
        hostile_server.check_alive()


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    """What each screen showed, in words, as the tests visit them."""
    return {}


def visit(page, server, name: str, seen: dict[str, str]) -> list:
    """Open a screen, wait until it is drawn, and return the markup made from the data on it."""
    address = urlsplit(SCREENS[name])
    asked = parse_qs(address.query)
    section = asked.pop(sections.SECTION, [None])[0]
    here = urlsplit(href(page))
    shown = parse_qs(here.query)
    shown.pop(sections.SECTION, None)
    if (
        section
        and here.path == address.path
        and shown == asked
        and page.get_by_role("tab", name=section).count()
    ):
        open_section(page, section)  # another section of the page open: its tab, as a person would
    else:
        open_rendered(page, server.url(SCREENS[name]))
        if section:
            wait_for_section(page, section)  # the section named is the one open
    assert_no_errors(page, server)
    seen[name] = page.evaluate(TEXT_JS)
    return page.evaluate(MARKUP_FROM_DATA_JS, [MADE_FROM_PAYLOAD, MARKDOWN])


@pytest.mark.parametrize("name", list(SCREENS))
def test_no_markup_from_the_data(hostile_page, hostile_server, seen, name):
    found = visit(hostile_page, hostile_server, name, seen)
    assert not found, f"{name}: the data became markup: {found}"


def test_every_payload_is_visible_as_written(hostile_page, hostile_server, seen):
    for name in SCREENS:
        if name not in seen:
            visit(hostile_page, hostile_server, name, seen)
    shown = "\n".join(seen.values())
    assert not [p for p in hostile.PAYLOADS if p not in shown]
    # The refused spending.csv is named with its header as written, on every page that needs it.
    for name in ("overview", "spending"):
        assert f"the header repeats column(s) {hostile.HEADER}" in seen[name], name
    # The chosen areas are named as written in the line under the title.
    line = next(line for line in seen["ehcp-areas-chosen"].splitlines() if line.startswith("Data as of"))
    assert all(p in line for _, p in CHOSEN), line


def test_the_filter_options_are_plain_text(hostile_page, hostile_server):
    """A multiselect's options are text, never markdown: the localities read as written in the open list."""
    page = hostile_page
    open_rendered(page, hostile_server.url("/"))
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Locality")
    box.get_by_role("combobox").click()
    options = page.get_by_role("listbox").get_by_role("option")
    shown = [o.replace(JOINER, "") for o in options.all_inner_texts() if o != "Select all"]
    assert sorted(shown) == sorted(hostile.LOCALITIES.values())
    assert page.get_by_role("listbox").locator("strong, em, code, h1, blockquote, table, a").count() == 0
    page.keyboard.press("Escape")


def test_the_snapshot_in_a_browser(hostile_page, hostile_data, tmp_path):
    """The snapshot drawn by Chromium: no link but the live view's, no markup from the data, and the payloads
    (in its tables, sentences and chart labels) read as written."""
    data, state = hostile_data
    store = open_store(data, state)
    try:
        offered = filters.options(store.query, store.as_of)
        chosen = filters.from_params(
            {"period": ["All months"], "district": [hostile.BOLD]}, offered, store.as_of
        )
        document, _ = snapshot.make(
            Context(store.query, chosen, store.as_of),
            usable=store.usable,
            offered=offered,
            data_version=store.version,
            is_sample=False,
            made_by=hostile.IMAGE,
        )
    finally:
        store.close()
    path = tmp_path / "snapshot.html"
    path.write_text(document, encoding="utf-8")
    page = hostile_page
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-graph-div')].every(c => c.querySelector('.main-svg'))"
    )
    # Every element that holds words in the snapshot is checked as the markdown containers are in the app.
    boxes = "main p, main h1, main h2, main caption, main th, main td, main dt, main dd, main .tile"
    assert not page.evaluate(MARKUP_FROM_DATA_JS, [MADE_FROM_PAYLOAD, boxes])
    assert page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.id)") == ["live-view"]
    shown = page.evaluate(TEXT_JS)
    for payload in (hostile.BOLD, hostile.IMAGE, hostile.ANCHOR, hostile.SCRIPT):
        assert payload in shown, payload
    assert not page.errors


def test_clicking_a_bar_named_by_the_data_filters_by_that_name(hostile_page, hostile_server):
    """The breakdown's bars are named escaped for Plotly; a click reads the name back as the data has it, so the
    filter (the address, the header line) holds the district as written, and it is still no link."""
    from tests.browser.test_browser_ehcp import click_bar, wait_for_filter

    page = hostile_page
    open_rendered(
        page,
        hostile_server.url(
            "/ehcp?breakdown=District&breakdown_measure=Requests+received&section=Where+it+is+worst"
        ),
    )
    chart = page.locator(".st-key-ehcp_breakdown_chart .js-plotly-plot")
    # The bar beside the tick label that reads as the anchor payload (its escaped form differs from it).
    tick = chart.locator(".ytick text").filter(has_text=hostile.ANCHOR)
    middle = tick.bounding_box()["y"] + tick.bounding_box()["height"] / 2
    bar = min(
        chart.locator(".bars .point path").all(),
        key=lambda b: abs(b.bounding_box()["y"] + b.bounding_box()["height"] / 2 - middle),
    )
    click_bar(page, bar)
    assert wait_for_filter(page, "district") == [hostile.ANCHOR]
    line = page.locator('[data-testid="stMarkdownContainer"] p', has_text="Data as of").first
    assert f"Area: {hostile.ANCHOR};" in line.inner_text().replace(JOINER, "")
    assert not page.evaluate(MARKUP_FROM_DATA_JS, [MADE_FROM_PAYLOAD, MARKDOWN])
