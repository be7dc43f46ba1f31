"""Adviser snapshots: suppressed everywhere (tiles, tables and the chart data inside the HTML), hashed, kept."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from dashboard.measures import kpis
from dashboard.outputs import snapshot, suppression
from dashboard.views import ehcp
from dashboard.views.base import Context
from tests.helpers import everything, plotly_values

AS_OF = date(2025, 3, 25)
SMALL = {1, 2, 3, 4}


@pytest.fixture(scope="module")
def made(area_store):
    run, filters = area_store.query, everything(date(2023, 8, 1), date(2025, 3, 31))
    ctx = Context(run, filters, AS_OF)
    shown = [ehcp.twenty_weeks(ctx), ehcp.open_by_wait(ctx), ehcp.about_to_breach(ctx)]
    tiles = kpis.board_kpis(run, filters, AS_OF, area_store.usable)
    document, info = snapshot.build(
        title="Test snapshot",
        kpis=tiles,
        views=shown,
        filters_words=filters.describe(),
        as_of=AS_OF,
        data_version=area_store.version,
        made_by="Analyst <script>",
        view_name="Overview",
        is_sample=False,
        made_at=datetime(2026, 11, 23, 9, 30),
    )
    return document, info, shown, tiles


def chart_data(document: str) -> list[list[dict]]:
    """The trace data of every chart embedded in the snapshot, read back out of the HTML, values decoded."""
    decoder, found = json.JSONDecoder(), []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"chart-[^"]+",\s*', document):
        data, _ = decoder.raw_decode(document, match.end())
        found.append(
            [
                {**trace, "x": plotly_values(trace.get("x")), "y": plotly_values(trace.get("y"))}
                for trace in data
            ]
        )
    return found


def test_the_fixture_has_small_cells_to_suppress(made):
    _, _, shown, _ = made
    raw = [v for view in shown for c in view.spec.counts if c in view.table for v in view.table[c].tolist()]
    assert SMALL & set(raw), "the fixture must have counts from 1 to 4 for this test to mean anything"


def test_no_count_from_1_to_4_survives_in_tiles_tables_or_chart_data(made):
    document, _, shown, tiles = made
    for tile in tiles:
        if tile.unit == "count":
            assert snapshot._published_tile_value(tile) not in {"1", "2", "3", "4"}, tile.label
    tile_values = re.findall(r"<div class='value'>([^<]*)</div>", document)
    assert "c" in tile_values
    for view in shown:
        table = snapshot.published_table(view)
        for column in view.spec.counts:
            if column in table:
                assert not SMALL & {v for v in table[column] if isinstance(v, int)}, (view.key, column)
    charts = chart_data(document)
    assert len(charts) == len(shown)
    counted = 0
    for view, traces in zip(shown, charts, strict=True):
        for trace in traces:
            if trace["name"] in view.spec.counts:
                counted += 1
                values = trace["y"] if trace.get("orientation") != "h" else trace["x"]
                assert not SMALL & {v for v in values if v is not None}, (view.key, trace["name"])
    assert counted, "no count series were drawn"


def test_each_chart_shows_the_same_series_as_the_app(made):
    document, _, shown, _ = made
    for view, traces in zip(shown, chart_data(document), strict=True):
        assert [t["name"] for t in traces] == [t.name for t in view.figure.data], view.key


def test_rates_on_small_denominators_are_hidden_in_the_chart_data(made):
    document, _, shown, _ = made
    timeliness = snapshot.published_table(shown[0])
    plans = timeliness["Plans issued"]
    rates = timeliness["% within 20 weeks (incl. exceptions)"]
    for rate, plans_issued in zip(rates, plans, strict=True):
        if plans_issued == 0:
            assert rate == suppression.NOT_APPLICABLE  # a rate of nothing: z, as GSS writes it
        elif plans_issued == suppression.CONFIDENTIAL or plans_issued < 10:
            assert rate == suppression.CONFIDENTIAL
    drawn = next(t for t in chart_data(document)[0] if t["name"] == "Including exceptions")
    assert all(v is None for v in drawn["y"])  # every month of the fixture has fewer than 10 plans


def test_the_snapshot_states_its_date_filters_definitions_and_hash(made):
    document, info, _, _ = made
    assert "Data as of 25 Mar 2025." in document
    assert "Period: Aug 2023 to Mar 2025" in document
    assert "20-week timeliness" in document and "Small-number suppression" in document
    assert "Analyst &lt;script&gt;" in document and "Analyst <script>" not in document
    assert snapshot.verify(document)
    assert info.content_hash in document
    assert not snapshot.verify(document.replace("25 Mar 2025", "26 Mar 2025", 1))


def test_snapshot_opens_offline_because_plotly_is_embedded(made):
    document, _, _, _ = made
    assert not re.search(r"<script[^>]*\bsrc=|<link[^>]*\bhref=", document)  # nothing loaded from elsewhere
    assert "Plotly.newPlot" in document and len(document) > 1_000_000


def test_saved_snapshots_are_indexed_newest_first_and_never_overwritten(made, tmp_path):
    document, info, _, _ = made
    first = snapshot.save(tmp_path, document, info)
    later = snapshot.save(
        tmp_path,
        document.replace("Test snapshot", "Later"),
        snapshot.SnapshotInfo(
            **{**info.__dict__, "made_at": "2026-11-24T10:00:00", "content_hash": "f" * 64}
        ),
    )
    assert [s.file for s in snapshot.index(tmp_path)] == [later.file, first.file]
    assert (tmp_path / first.file).read_text() == document
