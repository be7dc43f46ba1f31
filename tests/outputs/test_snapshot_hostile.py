"""A snapshot of hostile data (tests/hostile.py), parsed as a browser parses it: every payload from the data is
text (no link but the live view's, no image, no script but plotly.js, the print helper and one per chart, no
formatting), it reads as written, and the charts' JSON carries it escaped for Plotly's labels."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from dashboard import escape, filters
from dashboard.outputs import snapshot
from dashboard.serving.store import open_store
from dashboard.views.base import Context
from tests import hostile

MADE_AT = datetime(2026, 11, 30, 9, 0)
APP_URL = "https://send.example.test"
# Tags a payload would make if it were read as HTML.
FROM_PAYLOADS = {
    "a",
    "b",
    "img",
    "i",
    "em",
    "strong",
    "svg",
    "iframe",
    "object",
    "embed",
    "base",
    "link",
    "form",
}


class Document(HTMLParser):
    """The snapshot as a browser's parser reads it: tags with attributes, text, and each script's body."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        (self._script if self._script is not None else self.text).append(data)


def chart_specs(document: Document) -> list[tuple[list, dict]]:
    """Each chart's data and layout, read from its script as plotly.js is given them."""
    decoder, found = json.JSONDecoder(), []
    for body in document.scripts:
        match = re.match(r'if \(document\.getElementById\(("[^"]+")\)\) \{ Plotly\.newPlot\(\1, ', body)
        if match:
            data, end = decoder.raw_decode(body, match.end())
            layout, _ = decoder.raw_decode(body, body.index("{", end))
            found.append((data, layout))
    return found


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_snapshot")
    data = hostile.make(folder / "data", folder / "state")
    store = open_store(data, folder / "state")
    yield store
    store.close()


def made(store, query: str = "") -> str:
    as_of = store.as_of
    offered = filters.options(store.query, as_of)
    ctx = Context(store.query, filters.from_params(filters.parse_query(query), offered, as_of), as_of)
    document, _ = snapshot.make(
        ctx,
        usable=store.usable,
        offered=offered,
        data_version=store.version,
        is_sample=False,
        made_by=hostile.ANCHOR,
        made_at=MADE_AT,
        app_url=APP_URL,
    )
    return document


@pytest.fixture(scope="module")
def documents(hostile_store) -> dict[str, str]:
    """All months for the whole area, and for areas named like payloads (so the filters in words hold them too)."""
    every_month = [("period", "All months")]  # so every milestone is on the charts
    chosen = [("district", d) for d in (hostile.BOLD, hostile.ANCHOR, hostile.SCRIPT)]
    return {
        "all": made(hostile_store, urlencode(every_month)),
        "chosen": made(hostile_store, urlencode(every_month + chosen)),
    }


@pytest.mark.parametrize("which", ["all", "chosen"])
def test_nothing_from_the_data_becomes_a_tag(documents, which):
    document = Document(documents[which])
    links = [attrs for tag, attrs in document.tags if tag == "a"]
    assert len(links) == 1 and links[0].get("id") == "live-view"
    assert links[0]["href"].startswith(APP_URL + "/?")
    made_from_payloads = [
        (tag, attrs) for tag, attrs in document.tags if tag in FROM_PAYLOADS - {"a", "strong"}
    ]
    assert not made_from_payloads
    # The app's own <strong>: the data's date and each definition's name; none holds a payload.
    strong = [tag for tag, _ in document.tags if tag == "strong"]
    assert len(strong) == 1 + len(snapshot.definitions.MEASURES)
    charts = chart_specs(document)
    # plotly.js, the print helper and one script per chart: nothing else runs.
    assert len(document.scripts) == 2 + len(charts) and len(charts) >= 5
    assert not any(attrs for tag, attrs in document.tags if tag == "script")


@pytest.mark.parametrize("which", ["all", "chosen"])
def test_every_payload_reads_as_written(documents, which):
    text = "".join(Document(documents[which]).text)
    assert hostile.ANCHOR in text  # who made it
    areas = [hostile.BOLD, hostile.ANCHOR, hostile.SCRIPT] if which == "chosen" else []
    for payload in areas:
        assert payload in text.split("Snapshot of the")[0], payload  # the filters in words
    if which == "all":
        # The cases about to pass 20 weeks, by district; the twenty-week target's source in its notes.
        assert sum(p in text for p in hostile.DISTRICTS.values()) >= 6
        assert hostile.TARGET_SOURCES["twenty_week_rate_ex"] in text


@pytest.mark.parametrize("which", ["all", "chosen"])
def test_the_charts_carry_the_text_escaped_for_plotly(documents, which):
    charts = chart_specs(Document(documents[which]))
    drawn = [s for data, layout in charts for s in strings(data) + strings(layout)]
    read_by_plotly = [p for p in hostile.PAYLOADS if any(ch in p for ch in "<>&$")]
    assert not [(p, s[:120]) for s in drawn for p in read_by_plotly if p in s]
    milestones = [
        a["text"]
        for _, layout in charts
        for a in layout.get("annotations", [])
        if a.get("name") == "milestone"
    ]
    for label in (hostile.ANCHOR, hostile.SCRIPT, f"{hostile.BOLD} {hostile.DISPLAY_MATH}"):
        assert any(text.startswith(escape.plotly(label)) for text in milestones), label


def test_a_script_in_a_label_cannot_end_the_charts_script(documents):
    """'</script>' in a milestone or district is escaped twice over: for Plotly (&lt;) and for the <script> element
    (\\u003c), so the raw document holds it only as text."""
    raw = documents["all"]
    assert hostile.SCRIPT not in raw
    assert raw.count("</script>") == raw.count("<script") == len(Document(raw).scripts)


def test_a_chart_s_script_holds_whatever_its_figure_says():
    """Even text no builder escaped (a figure made by hand) cannot end the chart's <script>: its JSON is escaped for
    the element, and reads back the same."""
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=[hostile.SCRIPT], y=[1], name=hostile.SCRIPT), layout={"height": 300})
    document = Document(f"<main>{snapshot._chart_html(figure, 'chart-x')}</main><p>after</p>")
    assert [tag for tag, _ in document.tags] == ["main", "div", "div", "script", "p"]
    (data, layout), *_ = chart_specs(document)
    assert data[0]["name"] == hostile.SCRIPT and data[0]["x"] == [hostile.SCRIPT] and layout["height"] == 300
