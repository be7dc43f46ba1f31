"""Adviser snapshots: a self-contained HTML file frozen at a data date, safe to share outside the partnership.

A snapshot is an external form of the same views the app shows, so every number in it goes through
dashboard.outputs.suppression (the same function as the downloads): tables are published suppressed,
and each chart is drawn by the view's own draw function from that published table (the same series as
in the app, with hidden cells left out, so no hidden count can hide in chart data); tile counts from
1 to 4 show as `c`. It embeds plotly.js, opens offline in any browser, prints cleanly, and carries a
content hash.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from dashboard import definitions, fmt
from dashboard.measures.kpis import Kpi
from dashboard.outputs import suppression
from dashboard.views import ehcp, ep, places, spending
from dashboard.views.base import Context, View

HASH_PLACEHOLDER = "@@CONTENT_HASH@@"
# The views a snapshot holds after the tiles, each with the extract it needs: the same views the pages show.
VIEWS: tuple[tuple[str, Callable[[Context], View | None]], ...] = (
    ("ehcp_requests", ehcp.twenty_weeks),
    ("ehcp_requests", ehcp.open_by_wait),
    ("ehcp_requests", ehcp.about_to_breach),
    ("ep_assessments", ep.commitment),
    ("specialist_places", places.commitment),
    ("spending", spending.lines),
)


def views_for(ctx: Context, usable: Callable[[str], bool]) -> list[View]:
    """The snapshot's views for these filters, leaving out those whose extract is unavailable or that have nothing
    to show yet."""
    return [view for table, build in VIEWS if usable(table) and (view := build(ctx)) is not None]


_PRINT_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0B0C0C;margin:2rem;max-width:1400px;font-size:16px;line-height:1.45}
h1{font-size:2rem;margin-bottom:.25rem} h2{font-size:1.5rem;margin-top:2rem;border-top:2px solid #12436D;padding-top:.75rem}
.meta{background:#F3F2F1;padding:.75rem 1rem;border-left:6px solid #12436D}
.banner{background:#FFF4E5;border-left:6px solid #B45309;padding:.75rem 1rem;font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.75rem}
.tile{border:1px solid #B1B4B6;padding:.75rem} .tile .value{font-size:2rem;font-weight:700}
.status{font-weight:700} table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:14px}
th,td{border:1px solid #B1B4B6;padding:.25rem .5rem;text-align:right} th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:700;padding:.25rem 0} .summary{max-width:70em}
@media print{body{margin:0;font-size:11pt} .chart{break-inside:avoid} section{break-before:page}
 .js-plotly-plot .modebar{display:none}}
"""


@dataclass(frozen=True)
class SnapshotInfo:
    """What a snapshot froze, as the index lists it."""

    file: str
    made_at: str
    made_by: str
    view: str
    filters: str
    as_of: str
    data_version: str
    content_hash: str


def _published_tile_value(kpi: Kpi) -> str:
    """A tile's figure as published: counts of 1 to 4, and rates on fewer than 10, become c."""
    if kpi.value is None:
        return suppression.NOT_AVAILABLE
    if kpi.unit == "count" and 1 <= abs(kpi.value) < suppression.SMALLEST_SHOWN:
        return suppression.CONFIDENTIAL
    if (
        kpi.unit == "percent"
        and kpi.denominator is not None
        and kpi.denominator < suppression.SMALLEST_DENOMINATOR
    ):
        return suppression.CONFIDENTIAL
    return kpi.shown()


def _tile_html(kpi: Kpi) -> str:
    status = kpi.status_words
    return (
        f"<div class='tile'><div>{html.escape(kpi.label)}</div>"
        f"<div class='value'>{html.escape(_published_tile_value(kpi))}</div>"
        f"<div class='status'>{html.escape(status)}</div>"
        + (f"<div>{html.escape(kpi.target)}</div>" if kpi.target else "")
        + f"<div><small>{html.escape(kpi.rule)}</small></div></div>"
    )


def published_table(view: View) -> pd.DataFrame:
    """The view's table as a snapshot publishes it: suppressed by the view's own export spec."""
    return suppression.suppress(view.table, view.spec)


def published_figure(view: View, table: pd.DataFrame) -> go.Figure | None:
    """The view's own chart drawn from its published table: hidden and unavailable cells are gaps."""
    if view.draw is None:
        return None
    return view.draw(suppression.as_numbers(table, view.table))


def _table_html(table: pd.DataFrame, caption: str) -> str:
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    return f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def build(
    *,
    title: str,
    kpis: list[Kpi],
    views: list[View],
    filters_words: str,
    as_of: date | None,
    data_version: str,
    made_by: str,
    view_name: str,
    is_sample: bool,
    made_at: datetime | None = None,
) -> tuple[str, SnapshotInfo]:
    """The snapshot's HTML and what it froze; the HTML carries the hash of its own content."""
    made_at = made_at or datetime.now()
    sections = []
    for view in views:
        table = published_table(view)
        figure = published_figure(view, table)
        chart = (
            ""
            if figure is None
            else (
                f"<div class='chart' role='img' aria-label='{html.escape(view.summary, quote=True)}'>"
                + figure.to_html(
                    full_html=False,
                    include_plotlyjs=False,
                    config={"displaylogo": False},
                    div_id=f"chart-{view.key}",
                )
                + "</div>"
            )
        )
        sections.append(
            f"<section><h2>{html.escape(view.title)}</h2>{chart}"
            f"<p class='summary'>{html.escape(view.summary)}</p>{_table_html(table, view.title)}</section>"
        )
    definitions_html = "".join(
        f"<dt><strong>{html.escape(n)}</strong></dt><dd>{html.escape(t)}</dd>"
        for n, t in definitions.MEASURES
    )
    sample = (
        "<p class='banner'>Synthetic sample data: these figures are made up to look like the real pattern."
        "</p>"
        if is_sample
        else ""
    )
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} ({fmt.day(as_of)})</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="send-dashboard-data-version" content="{html.escape(data_version)}">
<style>{_PRINT_CSS}</style><script>{get_plotlyjs()}</script></head>
<body><main><h1>{html.escape(title)}</h1>{sample}
<div class="meta"><p><strong>Data as of {fmt.day(as_of)}.</strong> {html.escape(filters_words)}.</p>
<p>Snapshot of the {html.escape(view_name)} view, made {made_at:%d %b %Y %H:%M} by {html.escape(made_by)} from data
version {html.escape(data_version)}. Content hash (SHA-256): <code>{HASH_PLACEHOLDER}</code>.</p>
<p>Small numbers are suppressed: counts from 1 to 4 show as c, with further cells hidden where a total would
reveal them; percentages on fewer than 10 show as c; x means not available.</p></div>
<h2>Key figures</h2><div class="tiles">{"".join(_tile_html(k) for k in kpis)}</div>
{"".join(sections)}
<section><h2>Definitions</h2><dl>{definitions_html}</dl>
<h2>Sources</h2><p>Local case-management and finance extracts (EHC needs assessment requests, educational
psychology advice, specialist places, high-needs spending) as of {fmt.day(as_of)}; England figures from DfE
"Education, health and care plans" (Open Government Licence v3.0). Targets: the partnership's reference/targets.csv
(Improvement Notice, 5 June 2025).</p></section></main></body></html>"""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    info = SnapshotInfo(
        file="",
        made_at=made_at.isoformat(timespec="seconds"),
        made_by=made_by,
        view=view_name,
        filters=filters_words,
        as_of=as_of.isoformat() if as_of else "",
        data_version=data_version,
        content_hash=digest,
    )
    return body.replace(HASH_PLACEHOLDER, digest), info


def verify(document: str) -> bool:
    """True when a snapshot's content matches the hash written in it."""
    found = re.search(r"Content hash \(SHA-256\): <code>([0-9a-f]{64})</code>", document)
    if not found:
        return False
    return hashlib.sha256(
        document.replace(found.group(1), HASH_PLACEHOLDER).encode("utf-8")
    ).hexdigest() == found.group(1)


def save(folder: Path, document: str, info: SnapshotInfo) -> SnapshotInfo:
    """Keep a snapshot in the snapshots folder with its index entry; nothing is ever overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"snapshot_{info.made_at.replace(':', '').replace('-', '')}_{info.content_hash[:10]}.html"
    (folder / name).write_text(document, encoding="utf-8")
    info = SnapshotInfo(**{**asdict(info), "file": name})
    (folder / (name + ".json")).write_text(json.dumps(asdict(info)), encoding="utf-8")
    return info


def index(folder: Path) -> list[SnapshotInfo]:
    """Every kept snapshot, newest first."""
    if not folder.is_dir():
        return []
    found = [SnapshotInfo(**json.loads(p.read_text(encoding="utf-8"))) for p in folder.glob("*.html.json")]
    return sorted(found, key=lambda s: s.made_at, reverse=True)


def as_of_words(info: SnapshotInfo) -> str:
    """The data date a kept snapshot froze, in words."""
    return fmt.day(date.fromisoformat(info.as_of)) if info.as_of else "unknown"


def index_row(info: SnapshotInfo, current_version: str) -> dict[str, str]:
    """A kept snapshot as the index lists it, saying when newer data exists."""
    return {
        "Made": info.made_at.replace("T", " "),
        "By": info.made_by,
        "What": info.view,
        "Filters": info.filters,
        "Data as of": as_of_words(info),
        "Data": "Current" if info.data_version == current_version else "⚠ Newer data exists",
        "Content hash": info.content_hash[:16] + "…",
        "File": info.file,
    }
