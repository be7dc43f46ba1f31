"""Snapshots of the bundled sample: every chart drawn with the app's series, nothing small or hidden in any table,
sentence or chart under narrow filters, the command line making the page's file, and the PDF board pack."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import datetime

import pytest

from dashboard import filters
from dashboard.outputs import browser, snapshot
from dashboard.outputs.disclosure import counts_in, publish
from dashboard.views.base import Context
from tests.helpers import SAMPLE_DIR, SAMPLE_TODAY, plotly_values

MADE_AT = datetime(2026, 11, 30, 9, 0)
NARROW = "district=Preston&need=Autism+(ASD)&age=5+to+10"


def charts(document: str) -> dict[str, list[dict]]:
    """Each chart in the file by its section key, its traces' values decoded."""
    decoder, found = json.JSONDecoder(), {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"chart-([^"]+)",\s*', document):
        data, _ = decoder.raw_decode(document, match.end())
        found[match.group(1)] = [
            {**t, "x": plotly_values(t.get("x")), "y": plotly_values(t.get("y"))} for t in data
        ]
    return found


def words(document: str, keys: list[str]) -> str:
    """What the views' sections say in words (titles, summaries, notes, table captions) and their charts'
    accessible names, tags removed. (The definitions and the suppression note say "counts from 1 to 4".)"""
    sections = [
        re.search(rf"<section id='{key}'>(.*?)</section>", document, flags=re.S).group(1) for key in keys
    ]
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", " ".join(sections), flags=re.S)
    labels = " ".join(html.unescape(a) for a in re.findall(r"aria-label='([^']*)'", text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text)) + " " + labels


def small_counts_in(text: str) -> list[str]:
    """The counts from 1 to 4 a sentence states, as the disclosure step reads counts in words."""
    return [match.group(0) for value, match in counts_in(text) if 1 <= value <= 4]


@pytest.fixture(scope="module")
def sample(sample_store):
    as_of = sample_store.as_of
    return sample_store, filters.options(sample_store.query, as_of), as_of


def make(sample, query: str = "") -> tuple[str, Context]:
    store, offered, as_of = sample
    chosen = filters.from_params(filters.parse_query(query), offered, as_of)
    ctx = Context(store.query, chosen, as_of)
    document, _ = snapshot.make(
        ctx, usable=store.usable, offered=offered, data_version=store.version, is_sample=True, made_at=MADE_AT
    )
    return document, ctx


def test_every_chart_is_drawn_with_the_series_the_app_shows(sample):
    document, ctx = make(sample)
    drawn = charts(document)
    shown = snapshot.views_for(ctx, sample[0].usable)
    assert [view.key for view in shown] == list(drawn)
    assert len(drawn) == len(snapshot.SECTIONS)
    for view in shown:
        traces = drawn[view.key]
        assert [t["name"] for t in traces] == [t.name for t in view.figure.data], view.key
        assert any(v is not None for t in traces for v in t["x"] + t["y"] if isinstance(v, int | float)), (
            view.key
        )


def test_a_narrow_snapshot_shows_no_count_from_1_to_4_anywhere(sample):
    document, ctx = make(sample, NARROW)
    assert "Area: Preston; Primary need: Autism (ASD); Age: 5 to 10" in document
    shown = {view.key: view for view in snapshot.views_for(ctx, sample[0].usable)}
    small = {1, 2, 3, 4}
    hidden_any = False
    for key, view in shown.items():
        published = publish(view)
        for column in view.spec.counts:
            if column in published.table:
                cells = published.table[column].tolist()
                hidden_any |= "c" in cells
                assert not small & {v for v in cells if isinstance(v, int | float)}, (key, column)
        for trace in charts(document)[key]:
            if trace["name"] in view.spec.counts:
                assert not small & {v for v in trace["x"] + trace["y"] if isinstance(v, float)}, (
                    key,
                    trace["name"],
                )
    assert hidden_any, "the narrow filters must leave small counts to hide, or this test proves nothing"
    said = words(document, list(shown))
    assert "Preston" in said or "c" in said
    assert small_counts_in(said) == []


def test_the_snapshot_says_when_and_from_what_and_links_back_to_the_live_view(sample):
    store = sample[0]
    document, _ = make(sample, NARROW)
    assert "Data as of 31 Oct 2026." in document and f"data\nversion {store.version}" in document
    link = re.search(r"<a id='live-view' href='([^']+)'", document).group(1)
    assert link.startswith("http://localhost:8501/?")
    params = filters.parse_query(html.unescape(link).split("?", 1)[1])
    assert (
        params["district"] == ["Preston"]
        and params["need"] == ["Autism (ASD)"]
        and params["age"] == ["5 to 10"]
    )
    assert params[snapshot.SNAPSHOT_VERSION] == [store.version]
    assert params[snapshot.SNAPSHOT_AS_OF] == [SAMPLE_TODAY.isoformat()]
    assert "c confidential" in document and "z not applicable" in document and "low a percentage" in document


def test_the_command_line_makes_the_same_file_as_the_page(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "pack.html"
    snapshot.main(
        ["--query", NARROW, "--out", str(out), "--made-at", MADE_AT.isoformat(), "--data", str(SAMPLE_DIR)]
    )
    made, _ = make(sample, NARROW)
    assert out.read_text(encoding="utf-8") == made
    assert snapshot.verify(made)


def test_a_scheduled_job_runs_the_command_by_its_short_name(sample, tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "pack.html"
    env = {**os.environ, "SEND_STATE_DIR": str(tmp_path / "state")}
    command = [sys.executable, "-m", "dashboard.snapshot", "--query", NARROW, "--out", str(out)]
    command += ["--made-at", MADE_AT.isoformat(), "--data", str(SAMPLE_DIR)]
    finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr
    assert out.read_text(encoding="utf-8") == make(sample, NARROW)[0]


@pytest.mark.skipif(not browser.available(), reason="the board pack is printed by /usr/bin/chromium")
def test_the_board_pack_pdf_has_every_section_with_the_date_on_every_page(sample):
    from pypdf import PdfReader

    document, ctx = make(sample)
    reader = PdfReader(io.BytesIO(snapshot.pdf(document, "31 Oct 2026")))
    pages = [page.extract_text() for page in reader.pages]
    first = reader.pages[0].mediabox
    assert float(first.width) > float(first.height)  # landscape
    assert len(pages) >= len(snapshot.SECTIONS) + 2  # key figures, every section, definitions
    assert all("Data as of 31 Oct 2026" in text and "counts from 1 to 4 show as c" in text for text in pages)
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    whole = " ".join(" ".join(text.split()) for text in pages)
    for view in snapshot.views_for(ctx, sample[0].usable):
        assert " ".join(publish(view).title.split())[:40] in whole, view.key


def test_the_printer_runs_on_a_thread_with_no_event_loop_even_when_called_from_one():
    # Playwright's sync API refuses a thread whose event loop runs (a notebook, or this test session once the
    # browser tests have started Playwright): CI failed that way, so the printer gets a thread of its own.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def from_inside_a_loop():
        assert asyncio.get_running_loop()
        return browser.in_own_thread(asyncio.get_running_loop)

    # asyncio.run on a thread of its own: this thread may already run Playwright's loop.
    with (
        ThreadPoolExecutor(max_workers=1) as pool,
        pytest.raises(RuntimeError, match="no running event loop"),
    ):
        pool.submit(asyncio.run, from_inside_a_loop()).result()


@pytest.mark.skipif(not browser.available(), reason="the board pack is printed by /usr/bin/chromium")
def test_the_audit_reads_a_board_pack_pdf_finds_a_small_count_in_one_and_none_in_a_narrow_pack(
    sample, tmp_path
):
    from dashboard import disclosure_audit

    leaky = tmp_path / "leaky.pdf"
    leaky.write_bytes(
        snapshot.pdf(
            "<html><body><script>function sendFitCharts(){}</script><table><tr><th>District</th>"
            "<th>Open cases</th></tr><tr><td>Rossendale</td><td>3</td></tr></table>"
            "<p>2 cases pass 20 weeks within 4 weeks</p></body></html>",
            "31 Oct 2026",
        )
    )
    assert sorted(f.value for f in disclosure_audit.audit(leaky)) == [2, 3]
    document, _ = make(sample, NARROW)
    pack = tmp_path / "narrow.pdf"
    pack.write_bytes(snapshot.pdf(document, "31 Oct 2026"))
    assert [str(f) for f in disclosure_audit.audit(pack)] == []
