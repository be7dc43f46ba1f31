"""Adviser snapshots and the Board pack: one self-contained HTML file frozen at a data date, and its PDF.

A snapshot is the published form of the same views the app shows (dashboard.outputs.disclosure: each
view's table suppressed by its spec, its chart drawn from that table, its words stating no hidden or small
count). It says when it was made, on what data version and with which filters, and links back to the live
view, where a banner says when the data has changed since. It embeds plotly.js, so it opens offline in any
browser; it prints on A4 landscape, one section a page; and it carries a hash of its own content.

The Snapshots page and the command line make the same file from the same filters:

    python -m dashboard.snapshot --query "district=Preston&need=Autism (ASD)" --out pack.html \
        [--pdf pack.pdf] [--sections timeliness,waiting] [--made-by "Head of SEND performance"] [--data DIR]

The PDF is Chromium's own print of the snapshot, through Playwright and Debian's chromium: the same engine
that draws the charts in the app and in the browser tests, so the board pack is the snapshot, page for page,
with no second renderer to keep in step.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs

from dashboard import definitions, escape, fmt
from dashboard import filters as shared_filters
from dashboard.filters import Filters
from dashboard.measures.kpis import Kpi
from dashboard.outputs import suppression
from dashboard.outputs.disclosure import Published, publish
from dashboard.views import ehcp, ep, health, overview, places, spending
from dashboard.views.base import Context, View

HASH_PLACEHOLDER = "@@CONTENT_HASH@@"
TITLE = "SEND demand and capacity: Improvement Board snapshot"
SNAPSHOT_VERSION, SNAPSHOT_AS_OF = "snapshot", "snapshot_as_of"  # address parameters of a link back from one
APP_URL = "SEND_APP_URL"  # where the live dashboard is served, for links back (default http://localhost:8501)


@dataclass(frozen=True)
class Section:
    """One part of a snapshot a maker can choose: the view it shows and the extract that view needs."""

    key: str
    label: str
    table: str
    build: Callable[[Context], View | None]


SECTIONS: tuple[Section, ...] = (
    Section("trend", "Requests and plans each month", "ehcp_requests", overview.trend),
    Section("timeliness", "Plans issued within 20 weeks", "ehcp_requests", ehcp.twenty_weeks),
    Section("waiting", "Open cases by weeks waited", "ehcp_requests", ehcp.open_by_wait),
    Section("caseload", "Open and overdue cases over time", "ehcp_requests", ehcp.caseload),
    Section("breach", "Cases about to pass 20 weeks", "ehcp_requests", ehcp.about_to_breach),
    Section(
        "ep_backlog", "EP advice and the backlog", "ep_assessments", lambda ctx: ep.flow(ctx, ep.monthly(ctx))
    ),
    Section("ep_commitment", "The additional EP assessments", "ep_assessments", ep.commitment),
    Section("places_commitment", "The additional specialist places", "specialist_places", places.commitment),
    Section("spending_lines", "High-needs spending by budget line", "spending", spending.lines),
    Section("health_advice", "Health advice within six weeks", "advice_requests", health.timeliness),
    Section("health_bottleneck", "Which advice held up late plans", "advice_requests", health.bottleneck),
    Section(
        "nd_waits",
        "Neurodevelopmental assessment waits",
        "neurodevelopmental_waits",
        lambda ctx: health.waits(ctx, health.waits_frame(ctx)),
    ),
)
BY_KEY = {section.key: section for section in SECTIONS}


def views_for(
    ctx: Context, usable: Callable[[str], bool], sections: Sequence[str] = tuple(BY_KEY)
) -> list[View]:
    """The chosen sections' views for these filters, leaving out those whose extract is unavailable or that have
    nothing to show yet."""
    return [
        view for key in sections if usable(BY_KEY[key].table) and (view := BY_KEY[key].build(ctx)) is not None
    ]


_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0B0C0C;margin:2rem auto;max-width:1400px;padding:0 1rem;
  font-size:16px;line-height:1.45}
h1{font-size:2rem;margin-bottom:.25rem} h2{font-size:1.5rem;margin-top:2rem;border-top:2px solid #12436D;padding-top:.75rem}
a{color:#1D70B8} a:focus{outline:3px solid #0B0C0C;background:#FFDD00}
.meta{background:#F3F2F1;padding:.75rem 1rem;border-left:6px solid #12436D}
.banner{background:#FFF4E5;border-left:6px solid #B45309;padding:.75rem 1rem;font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.75rem}
.tile{border:1px solid #B1B4B6;padding:.75rem} .tile .value{font-size:2rem;font-weight:700}
.status{font-weight:700} table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:14px}
th,td{border:1px solid #B1B4B6;padding:.25rem .5rem;text-align:right} th:first-child,td:first-child{text-align:left}
caption{text-align:left;font-weight:700;padding:.25rem 0} .summary,.note{max-width:70em} .note{color:#505A5F}
.chart{width:100%}
@page{size:A4 landscape;margin:16mm 12mm 14mm}
@media print{
  body{margin:0;max-width:none;padding:0;font-size:10pt} h1{font-size:18pt} h2{font-size:14pt;margin-top:0}
  section{break-before:page} .chart{break-inside:avoid} table{font-size:8pt;break-inside:auto}
  tr{break-inside:avoid} .tiles{grid-template-columns:repeat(5,1fr)} .tile .value{font-size:16pt}
}
"""
_CHART_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}
# Charts follow the width of the page they are printed on: Plotly is told to redraw at the print width.
_PRINT_SCRIPT = """
function sendFitCharts(){document.querySelectorAll('.js-plotly-plot').forEach(function(gd){Plotly.Plots.resize(gd);});}
window.addEventListener('beforeprint', sendFitCharts);
if (window.matchMedia) { window.matchMedia('print').addEventListener('change', sendFitCharts); }
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
    lines = [kpi.status_words, kpi.scope_words, kpi.target]
    return (
        f"<div class='tile'><div>{escape.html(kpi.label)}</div>"
        f"<div class='value'>{escape.html(_published_tile_value(kpi))}</div>"
        f"<div class='status'>{escape.html(lines[0])}</div>"
        + "".join(f"<div>{escape.html(line)}</div>" for line in lines[1:] if line)
        + f"<div><small>{escape.html(kpi.rule)}</small></div></div>"
    )


def published_table(view: View) -> pd.DataFrame:
    """The view's table as a snapshot publishes it (the disclosure step's table)."""
    return publish(view).table


def _table_html(table: pd.DataFrame, caption: str) -> str:
    head = "".join(f"<th scope='col'>{escape.html(str(c))}</th>" for c in table.columns)
    money = [str(c).endswith("(£)") for c in table.columns]
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape.html(_cell(v, m))}</td>" for v, m in zip(row, money, strict=True))
        + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    return f"<table><caption>{escape.html(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cell(value: object, money: bool = False) -> str:
    """A published cell as the table prints it: money to the pound, counts with commas, rates to one place."""
    if isinstance(value, int | float) and not isinstance(value, bool) and money:
        return fmt.money(value, exact=True)
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _chart_html(figure: go.Figure, div_id: str) -> str:
    """A chart drawn by the embedded plotly.js, as plotly's own to_html lays it out. The chart builders escape
    every label for Plotly; here the figure's JSON is escaped for the <script> element it sits in, so no text in
    it (a milestone named '</script><script>…', say) can end that element or start another."""
    spec = figure.to_plotly_json()
    height = f"{figure.layout.height}px" if figure.layout.height else "100%"
    target = escape.script(json.dumps(div_id))
    data, layout = escape.script(to_json_plotly(spec["data"])), escape.script(to_json_plotly(spec["layout"]))
    return (
        f'<div style="height:{height}; width:100%;"><div id="{escape.html(div_id)}" class="plotly-graph-div" '
        f'style="height:100%; width:100%;"></div><script>if (document.getElementById({target})) {{ '
        f"Plotly.newPlot({target}, {data}, {layout}, {escape.script(json.dumps(_CHART_CONFIG))}); }}</script></div>"
    )


def _section_html(published: Published) -> str:
    chart = ""
    if published.figure is not None:
        chart = (
            f"<div class='chart' role='img' aria-label='{escape.html(published.summary)}'>"
            + _chart_html(published.figure, f"chart-{published.key}")
            + "</div>"
        )
    notes = "".join(f"<p class='note'>{escape.html(note)}</p>" for note in published.notes)
    return (
        f"<section id='{escape.html(published.key)}'><h2>{escape.html(published.title)}</h2>{chart}"
        f"<p class='summary'>{escape.html(published.summary)}</p>{notes}"
        f"{_table_html(published.table, published.title)}</section>"
    )


def live_link(
    app_url: str, filters: Filters, offered: shared_filters.Options, data_version: str, as_of: date | None
) -> str:
    """The live dashboard's address for the same filters, marked as coming from this snapshot's data, so the
    app can say when its data has changed since."""
    params = [
        (key, value) for key, values in shared_filters.to_params(filters, offered).items() for value in values
    ]
    params += [(SNAPSHOT_VERSION, data_version)] + ([(SNAPSHOT_AS_OF, as_of.isoformat())] if as_of else [])
    return f"{app_url.rstrip('/')}/?{urlencode(params)}"


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
    link: str | None = None,
) -> tuple[str, SnapshotInfo]:
    """The snapshot's HTML and what it froze; the HTML carries the hash of its own content."""
    made_at = made_at or datetime.now()
    sections = [_section_html(publish(view)) for view in views]
    definitions_html = "".join(
        f"<dt><strong>{escape.html(n)}</strong></dt><dd>{escape.html(t)}</dd>"
        for n, t in definitions.MEASURES
    )
    sample = (
        "<p class='banner'>Synthetic sample data: these figures are made up to look like the real pattern.</p>"
        if is_sample
        else ""
    )
    live = (
        f"<p>The live view with the same filters: <a id='live-view' href='{escape.html(link)}'>{escape.html(link)}</a>. "
        "It says when its data is newer than this snapshot's.</p>"
        if link
        else ""
    )
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape.html(title)} ({fmt.day(as_of)})</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="send-dashboard-data-version" content="{escape.html(data_version)}">
<meta name="send-dashboard-data-as-of" content="{as_of.isoformat() if as_of else ""}">
<style>{_CSS}</style><script>{get_plotlyjs()}</script><script>{_PRINT_SCRIPT}</script></head>
<body><main><h1>{escape.html(title)}</h1>{sample}
<div class="meta"><p><strong>Data as of {fmt.day(as_of)}.</strong> {escape.html(filters_words)}.</p>
<p>Snapshot of the {escape.html(view_name)}, made {made_at:%d %b %Y %H:%M} by {escape.html(made_by)} from data
version {escape.html(data_version)}. Content hash (SHA-256): <code>{HASH_PLACEHOLDER}</code>.</p>{live}
<p>Small numbers are suppressed in every table, chart and sentence: counts from 1 to 4 show as c, with further
cells hidden where a total would reveal them; percentages on fewer than 10 show as c. {suppression.SYMBOLS_NOTE}</p></div>
<section id="key-figures"><h2>Key figures</h2><div class="tiles">{"".join(_tile_html(k) for k in kpis)}</div></section>
{"".join(sections)}
<section id="definitions"><h2>Definitions</h2><dl>{definitions_html}</dl>
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


def make(
    ctx: Context,
    *,
    usable: Callable[[str], bool],
    offered: shared_filters.Options,
    data_version: str,
    is_sample: bool,
    sections: Sequence[str] = tuple(BY_KEY),
    made_by: str = "not given",
    made_at: datetime | None = None,
    app_url: str | None = None,
) -> tuple[str, SnapshotInfo]:
    """A snapshot of the Overview's tiles and the chosen sections for these filters: what the Snapshots page and
    the command line both make."""
    chosen = [BY_KEY[key].label for key in sections]
    return build(
        title=TITLE,
        kpis=overview.tiles(ctx, usable),
        views=views_for(ctx, usable, sections),
        filters_words=ctx.filters.describe(),
        as_of=ctx.as_of,
        data_version=data_version,
        made_by=made_by,
        view_name=f"Overview's key figures and {len(chosen)} sections ({fmt.words(chosen)})",
        is_sample=is_sample,
        made_at=made_at,
        link=live_link(
            app_url or os.environ.get(APP_URL, "http://localhost:8501"),
            ctx.filters,
            offered,
            data_version,
            ctx.as_of,
        ),
    )


def pdf(document: str, data_date: str) -> bytes:
    """The snapshot printed to an A4 landscape PDF by Chromium: each section on its own page, the data date and
    the suppression note at the top of every page, page numbers at the foot, charts redrawn to the page width."""
    from dashboard.outputs import browser

    header = (
        "<div style='font-size:8px;width:100%;padding:0 12mm;color:#505A5F;font-family:Arial'>"
        f"SEND demand and capacity · Data as of {escape.html(data_date)} · Small numbers suppressed: counts from 1 "
        "to 4 show as c</div>"
    )
    footer = (
        "<div style='font-size:8px;width:100%;padding:0 12mm;text-align:right;color:#505A5F;font-family:Arial'>"
        "Page <span class='pageNumber'></span> of <span class='totalPages'></span></div>"
    )
    # Playwright's sync API refuses to start inside a running event loop (a notebook, a test session that
    # already drives a browser), so the printing runs on a thread of its own.
    return browser.in_own_thread(_print, document, header, footer)


def _print(document: str, header: str, footer: str) -> bytes:
    import tempfile

    from playwright.sync_api import sync_playwright

    from dashboard.outputs import browser

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "snapshot.html"
        path.write_text(document, encoding="utf-8")
        chromium = playwright.chromium.launch(
            executable_path=browser.CHROMIUM_PATH, args=list(browser.CHROMIUM_ARGS)
        )
        try:
            # A4 landscape less the margins, at 96 pixels an inch: the width the charts are drawn to.
            page = chromium.new_page(viewport={"width": 1030, "height": 700})
            page.goto(path.as_uri())
            page.emulate_media(media="print")
            page.evaluate("() => sendFitCharts()")
            return page.pdf(
                format="A4",
                landscape=True,
                print_background=True,
                display_header_footer=True,
                header_template=header,
                footer_template=footer,
                margin={"top": "16mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            chromium.close()


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


def main(argv: Sequence[str] | None = None) -> None:
    """Make a snapshot (and its PDF) from the command line, for the same query string as the app's address."""
    from dashboard.serving.store import data_dir_from_env, open_store, state_dir_from_env

    parser = argparse.ArgumentParser(prog="python -m dashboard.snapshot", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--query", default="", help='the filters as in the app\'s address, e.g. "district=Preston"'
    )
    parser.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    parser.add_argument("--pdf", type=Path, help="also write the A4 landscape board pack to this PDF")
    parser.add_argument(
        "--sections", default=",".join(BY_KEY), help=f"comma-separated, from: {', '.join(BY_KEY)}"
    )
    parser.add_argument("--made-by", default="not given", help="who made it (shown in the snapshot)")
    parser.add_argument("--made-at", help="when it was made (YYYY-MM-DDTHH:MM), for a reproducible file")
    parser.add_argument(
        "--data", type=Path, default=None, help="the extracts folder (default: SEND_DATA_DIR)"
    )
    args = parser.parse_args(argv)
    sections = [key.strip() for key in args.sections.split(",") if key.strip()]
    unknown = [key for key in sections if key not in BY_KEY]
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {', '.join(BY_KEY)}")
    store = open_store(data_dir=(args.data or data_dir_from_env()).resolve(), state_dir=state_dir_from_env())
    try:
        as_of = store.as_of or date.today()
        offered = shared_filters.options(store.query, as_of)
        filters = shared_filters.from_params(
            parse_qs(args.query, keep_blank_values=False), offered, store.as_of
        )
        document, info = make(
            Context(store.query, filters, as_of),
            usable=store.usable,
            offered=offered,
            data_version=store.version,
            is_sample=store.is_sample,
            sections=sections,
            made_by=args.made_by,
            made_at=datetime.fromisoformat(args.made_at) if args.made_at else None,
        )
    finally:
        store.close()
    args.out.write_text(document, encoding="utf-8")
    print(f"{args.out}: snapshot of {filters.describe()}; content hash {info.content_hash}")
    if args.pdf:
        args.pdf.write_bytes(pdf(document, fmt.day(as_of)))
        print(f"{args.pdf}: the board pack as an A4 landscape PDF")


if __name__ == "__main__":
    main(sys.argv[1:])
