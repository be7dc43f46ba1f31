"""Every page and every Board slide under AppTest on hostile data (tests/hostile.py): text from the data reaches
Streamlit's markdown and Plotly's labels only escaped, and is shown as written.

A payload found unescaped in a markdown body would be read as markup; one found unescaped in a chart's label
would be read as Plotly's label HTML. The browser tests (tests/browser/test_browser_hostile.py) check what a
reader then sees.
"""

from __future__ import annotations

import re

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from dashboard import escape
from dashboard.app import navigation
from dashboard.outputs.slides import SLIDES
from dashboard.views import sections
from tests import hostile
from tests.helpers import app, charts, plain, strings_in

PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Payloads a district, locality, setting or milestone puts into a chart (the rest land in words only).
IN_CHARTS = tuple(
    p
    for p in {*hostile.DISTRICTS.values(), *hostile.LOCALITIES.values(), hostile.ANCHOR, hostile.SCRIPT}
    if p != hostile.FORMULA
)


def unescaped_at(body: str, payload: str) -> list[int]:
    """Where `payload` stands in markdown `body` with a character Markdown reads not escaped by a backslash."""
    found = []
    for match in re.finditer(re.escape(payload), body):
        start = match.start()
        backslashes = len(body[:start]) - len(body[:start].rstrip("\\"))
        inner = any(ch in PUNCTUATION and payload[i - 1] != "\\" for i, ch in enumerate(payload) if i)
        first = payload[0] in PUNCTUATION and backslashes % 2 == 0
        if inner or first:
            found.append(start)
    return found


def markdown_bodies(at: AppTest) -> list[tuple[str, str]]:
    """Every piece of text on the page that Streamlit renders as markdown, with what holds it."""
    bodies = [("markdown", m.value) for m in at.markdown]
    for kind in ("caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        bodies += [(kind, e.value) for e in getattr(at, kind)]
    for m in at.metric:
        bodies += [("metric label", m.label), ("metric value", m.value), ("metric help", m.proto.help)]
        bodies += [("metric delta", m.delta)] if m.delta else []
    bodies += [("expander label", e.label) for e in at.expander]
    bodies += [("tab label", t.label) for t in at.tabs]
    for kind in ("selectbox", "multiselect", "radio", "button", "checkbox", "text_input", "toggle"):
        for widget in getattr(at, kind):
            bodies += [(f"{kind} label", widget.label)]
            bodies += [(f"{kind} help", widget.help)] if getattr(widget, "help", None) else []
    for radio in at.radio:  # a radio's options are markdown too
        bodies += [("radio option", str(option)) for option in radio.options]
    return bodies


def chart_strings(at: AppTest) -> list[str]:
    """Every string in every Plotly figure on the page (names, categories, hover templates, annotations...)."""
    return strings_in(charts(at))


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """The app's environment pointed at the hostile data (built once for the module)."""
    folder = tmp_path_factory.mktemp("hostile")
    data = hostile.make(folder / "data", folder / "state")
    patch = pytest.MonkeyPatch()
    patch.setenv("SEND_DATA_DIR", str(data))
    patch.setenv("SEND_STATE_DIR", str(folder / "state"))
    yield data
    patch.undo()


# (id, page, address parameters): every page, every section of a page drawn in sections (a section not open is
# not drawn), every slide, a page with areas chosen (its header line names them, its views' notes say they cover
# them) and a breakdown by locality.
SCREENS = [
    (page.url_path, None if page is navigation.OVERVIEW else page.file, {})
    for page in navigation.PAGES
    if page is not navigation.PRESENTATION and page.file not in sections.PAGES
]
SCREENS += [
    (f"{page.url_path}-{label}", page.file, {sections.SECTION: label})
    for page in navigation.PAGES
    if page.file in sections.PAGES
    for label in sections.of(page.file)
]
SCREENS += [(f"slide-{s.number}", None, {"present": "1", "slide": str(s.number)}) for s in SLIDES]
SCREENS += [
    (
        "ehcp-filtered",
        navigation.EHCP.file,
        {"district": [hostile.BOLD, hostile.ANCHOR, hostile.BARE_URL], "locality": [hostile.HEADING]},
    ),
    (
        "ehcp-by-locality",
        navigation.EHCP.file,
        {"breakdown": "Locality", sections.SECTION: "Where it is worst"},
    ),
]
SCREEN_IDS = [screen[0] for screen in SCREENS]


@pytest.fixture(scope="module")
def seen(hostile_app) -> dict[str, tuple[list[tuple[str, str]], list[str], list[tuple[str, int]]]]:
    """Every screen's markdown, chart text and tiles' deltas with their arrows, run once for the module."""
    shown = {}
    for name, page, query in SCREENS:
        at = app(page, **query)
        assert not at.exception, f"{name}: {[e.value for e in at.exception]}"
        deltas = [(plain(m.delta), m.proto.direction) for m in at.metric if m.delta]
        shown[name] = (markdown_bodies(at), chart_strings(at), deltas)
    return shown


@pytest.mark.parametrize("screen", SCREEN_IDS)
def test_no_text_from_the_data_reaches_markdown_unescaped(seen, screen):
    bodies = seen[screen][0]
    raw = [
        (kind, payload, body[:200])
        for kind, body in bodies
        for payload in hostile.PAYLOADS
        if unescaped_at(body, payload)
    ]
    assert not raw, f"{screen}: text from the data would be read as markdown: {raw}"


@pytest.mark.parametrize("screen", SCREEN_IDS)
def test_no_text_from_the_data_reaches_a_chart_unescaped(seen, screen):
    strings = seen[screen][1]
    # What Plotly reads as markup (tags, entities, LaTeX): the app's own labels use only <extra>, <br> and <b>.
    raw = [
        (payload, text[:200])
        for text in strings
        for payload in hostile.PAYLOADS
        if payload in text and any(ch in payload for ch in "<>&$")
    ]
    assert not raw, f"{screen}: text from the data would be read as Plotly's label HTML: {raw}"


def test_an_escaped_delta_still_points_its_arrow_by_its_sign(seen):
    """Streamlit points a tile's arrow down when its delta starts with a minus sign, so escaping keeps that sign."""
    down, up = Metric.MetricDirection.DOWN, Metric.MetricDirection.UP
    deltas = [delta for _, _, shown in seen.values() for delta in shown]
    wrong = [
        (d, a) for d, a in deltas if (d.startswith("-") and a == up) or (d.startswith("+") and a == down)
    ]
    assert not wrong
    assert any(d.startswith("-") and a == down for d, a in deltas)
    assert any(d.startswith("+") and a == up for d, a in deltas)


def test_every_payload_is_shown_as_written(seen):
    """Escaped, every payload still reads exactly as the data has it, somewhere in the app."""
    words = "\n".join(plain(body) for bodies, *_ in seen.values() for _, body in bodies)
    missing = [p for p in hostile.PAYLOADS if p not in words]
    assert not missing, f"not shown anywhere as written: {missing}"


def test_the_charts_draw_the_names_and_milestones_escaped(seen):
    drawn = "\n".join(text for _, strings, _ in seen.values() for text in strings)
    missing = [p for p in IN_CHARTS if escape.plotly(p) not in drawn]
    assert not missing, f"not in any chart: {missing}"


def test_the_header_names_the_chosen_areas_as_written(seen):
    bodies = seen["ehcp-filtered"][0]
    header = plain(next(body for kind, body in bodies if kind == "markdown" and "Data as of" in body))
    for payload in (hostile.BOLD, hostile.ANCHOR, hostile.BARE_URL, hostile.HEADING):
        assert payload in header


def test_a_refused_file_is_named_with_its_header_as_written(seen):
    """spending.csv repeats the column '[x](https://example.org)': the banner names it, and it is no link."""
    bodies = seen["overview"][0]
    banners = [body for kind, body in bodies if kind == "warning" and "spending.csv" in plain(body)]
    assert banners and hostile.HEADER in plain(banners[0])
    assert not unescaped_at(banners[0], hostile.HEADER)


def test_a_formula_is_refused_or_shown_as_written(hostile_app, seen):
    """=HYPERLINK(...) at the start of a cell is refused by the loader's formula check where a file is checked; a
    milestone so named is drawn as written if its file is not; inside a cell (a target's label) it is kept, and
    shown exactly as written."""
    from datetime import date

    from dashboard.serving.store import open_store

    store = open_store(hostile_app)
    try:
        rejected = store.report.files["specialist_places"].rows_rejected
        milestones = store.query("events", {"period_start": date(2000, 1, 1), "period_end": date(2100, 1, 1)})
    finally:
        store.close()
    assert rejected >= 1, "the setting named like a formula was accepted"
    words = "\n".join(plain(body) for bodies, *_ in seen.values() for _, body in bodies)
    assert f"then {hostile.FORMULA}" in words
    if hostile.FORMULA in set(milestones["label"]):
        drawn = "\n".join(text for _, strings, _ in seen.values() for text in strings)
        assert escape.plotly(hostile.FORMULA) in drawn
