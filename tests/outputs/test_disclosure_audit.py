"""The disclosure audit (python -m dashboard.disclosure_audit): it finds what it should on files made by hand,
and finds nothing in any download or snapshot the app makes under narrow filters."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import disclosure_audit, filters
from dashboard.app import page as page_module
from dashboard.outputs import snapshot
from dashboard.outputs.downloads import export_csv, safe_csv_bytes
from dashboard.views import sections
from dashboard.views.base import Context
from tests.helpers import app, open_section, switch_section

# --- The audit on files worked out by hand ---------------------------------------------------------------------


def write_csv(folder: Path, name: str, frame: pd.DataFrame) -> Path:
    path = folder / name
    path.write_bytes(safe_csv_bytes(frame))
    return path


def found(path: Path) -> list[tuple[int, str]]:
    return sorted((f.value, f.how) for f in disclosure_audit.audit(path))


def test_a_small_count_shown_in_a_table_is_found_and_rates_and_money_are_not(tmp_path):
    frame = pd.DataFrame(
        {
            "Month": ["2025-01", "2025-02"],
            "Open cases": [3, 12],
            "% within 20 weeks": [2.0, 50.0],
            "Spend (£)": [4, 100],
            "Mean weeks": [3.0, 21.5],
        }
    )
    assert found(write_csv(tmp_path, "t.csv", frame)) == [(3, "shown in a table")]


def test_a_hidden_part_is_worked_out_from_a_total_column_found_in_the_data(tmp_path):
    # The EP timeliness leak: all providers = in-house + agency + locum, one c per row.
    frame = pd.DataFrame(
        {
            "Month": ["2025-01", "2025-02", "2025-03"],
            "Completed (all providers)": [20, 30, 25],
            "Completed (in-house)": [10, 20, "c"],
            "Completed (agency)": [6, 5, 12],
            "Completed (locum)": [4, 5, 10],
        }
    )
    # Row 1 shows the 4 (a plain leak); row 3 gives 25 - 12 - 10 = 3.
    assert found(write_csv(tmp_path, "t.csv", frame)) == [
        (3, "worked out from 'Completed (all providers)'"),
        (4, "shown in a table"),
    ]


def test_hidden_stages_are_worked_out_from_the_stages_above_them(tmp_path):
    # The funnel leak: withdrawn before a decision = 342 - 64 - 275 = 3.
    frame = pd.DataFrame(
        {
            "Stage": [
                "Requests received",
                "  Awaiting a decision",
                "  Decided",
                "    Not agreed",
                "    Withdrawn",
                "    Agreed to assess",
            ],
            "Requests": [342, 0, 342, 64, "c", 275],
        }
    )
    assert found(write_csv(tmp_path, "t.csv", frame)) == [(3, "worked out from 'Decided'")]
    frame.loc[3, "Requests"] = "c"  # two hidden stages: neither can be worked out
    assert found(write_csv(tmp_path, "t.csv", frame)) == []


def snapshot_like(tables: list[tuple[str, pd.DataFrame]], words: str = "", chart: dict | None = None) -> str:
    body = "".join(
        f"<table><caption>{caption}</caption><thead><tr>"
        + "".join(f"<th>{c}</th>" for c in frame.columns)
        + "</tr></thead><tbody>"
        + "".join(
            "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in frame.astype(str).to_numpy()
        )
        + "</tbody></table>"
        for caption, frame in tables
    )
    script = (
        f"<script>Plotly.newPlot('c', {json.dumps(chart['data'])}, {json.dumps(chart['layout'])})</script>"
        if chart
        else ""
    )
    return f"<html><body><p>{words}</p>{body}{script}</body></html>"


def test_hidden_cells_are_worked_out_from_another_table_in_the_same_file(tmp_path):
    # The requests-by-source leak: no total column, but the monthly totals are in the decisions table.
    sources = pd.DataFrame(
        {
            "Month": ["2025-01", "2025-02", "2025-03"],
            "Parent": [10, "c", 12],
            "School": [8, 9, 7],
            "Health": [5, 6, 6],
        }
    )
    decisions = pd.DataFrame(
        {
            "Month": ["2025-01", "2025-02", "2025-03"],
            "Assessed": [13, 10, 15],
            "Refused": [10, 7, 10],
            "Requests": [23, 17, 25],
        }
    )
    path = tmp_path / "pack.html"
    path.write_text(snapshot_like([("By source", sources), ("By decision", decisions)]))
    assert found(path) == [(2, "worked out from 'Requests' in By decision")]


def test_words_and_charts_stating_small_counts_are_found(tmp_path):
    chart = {
        "data": [
            {"type": "bar", "name": "Open cases", "x": ["A", "B"], "y": [3, 12]},
            {"type": "scatter", "name": "Within 20 weeks", "x": ["A", "B"], "y": [2.0, 45.5], "yaxis": "y2"},
        ],
        "layout": {"yaxis2": {"ticksuffix": "%"}, "annotations": [{"text": "2 cases pass 20 weeks"}]},
    }
    path = tmp_path / "pack.html"
    path.write_text(
        snapshot_like([], "Rossendale 3 / 15; 6-12 weeks: 4; 20 weeks; 31 Oct 2026; 45.5%", chart)
    )
    assert found(path) == [(2, "stated"), (3, "drawn"), (3, "stated"), (4, "stated")]


def test_the_command_exits_1_when_it_finds_something(tmp_path, capsys):
    leaky = write_csv(tmp_path, "leaky.csv", pd.DataFrame({"Area": ["A"], "Open cases": [2]}))
    clean = write_csv(tmp_path, "clean.csv", pd.DataFrame({"Area": ["A"], "Open cases": ["c"]}))
    assert disclosure_audit.main([str(clean)]) == 0
    assert disclosure_audit.main([str(leaky), str(clean)]) == 1
    assert "leaky.csv: 1 small count(s) found or worked out" in capsys.readouterr().out


# --- Every download and snapshot the app makes, under narrow filters --------------------------------------------

# Each filter at least once, combined, with rare needs and ages (the most small counts). Four sets, not ten:
# each takes 10-20 s on two cores, and those dropped (Rossendale; Fylde, under 5; VI; Chorley, 20 to 25; Pendle
# and health service; Wyre and LA special schools) repeated a filter already here.
NARROW = [
    {"district": "Preston", "need": "Autism (ASD)", "age": "5 to 10"},
    {
        "district": "Ribble Valley",
        "need": "Hearing impairment (HI)",
        "age": "16 to 19",
        "source": "Health service",
    },
    {"locality": "North", "need": "Physical disability (PD)", "placement": "Special school (LA maintained)"},
    {"district": "Burnley", "need": "Severe learning difficulty (SLD)", "period": "all"},
]
PAGES = [
    "pages/overview.py",
    "pages/ehcp.py",
    "pages/educational_psychology.py",
    "pages/specialist_places.py",
    "pages/spending.py",
    "pages/benchmarks.py",
]


@pytest.mark.parametrize("query", NARROW, ids=["&".join(f"{k}={v}" for k, v in q.items()) for q in NARROW])
def test_no_download_or_snapshot_reveals_a_small_count(query, sample_store, app_data, monkeypatch, tmp_path):
    from tests.helpers import SAMPLE_DIR

    app_data(SAMPLE_DIR)
    offered = []

    def record(view, *args, **kwargs):
        offered.append(view)

    monkeypatch.setattr(page_module, "_download", record)
    for page in PAGES:
        at = app(page, **query)
        assert not at.exception, page
        # A page drawn in sections offers only the open one's downloads: open each of the others in turn (unless
        # the page stopped before its sections, with nothing to show for these filters).
        for section in sections.of(page)[1:] if page in sections.PAGES and at.tabs else ():
            switch_section(at, section)
            assert not at.exception and open_section(at) == section, (page, section)
    assert len(offered) >= 25
    files = []
    for view in offered:
        path = tmp_path / f"{view.key}.csv"
        path.write_bytes(export_csv(view))
        files.append(path)
    as_of = sample_store.as_of
    offered_filters = filters.options(sample_store.query, as_of)
    chosen = filters.from_params({k: [v] for k, v in query.items()}, offered_filters, as_of)
    document, _ = snapshot.make(
        Context(sample_store.query, chosen, as_of),
        usable=sample_store.usable,
        offered=offered_filters,
        data_version=sample_store.version,
        is_sample=True,
    )
    pack = tmp_path / "snapshot.html"
    pack.write_text(document, encoding="utf-8")
    files.append(pack)
    findings = [str(f) for path in files for f in disclosure_audit.audit(path)]
    assert findings == [], "\n".join(findings)
