"""What a user feels: the time from changing a filter until every chart is redrawn, in headless Chromium, for
each page beside a bare Streamlit app (one selectbox, one chart) measured in the same run, alternating.

    python benchmarks/bench_browser.py [--data DIR] [--repeat N] [--page /ehcp ...] [--project DIR]

Each round changes three filters in turn on every page, as a person would in the sidebar: the 'To' month
(typed and chosen), a district (added, then removed next round) and a primary need (the same); after each,
the bare app's month is changed too, and so is the month of the bare app drawing the same elements as the page
(as many charts, headings, paragraphs, metrics, buttons, images, tables and controls, counted on the page:
Streamlit's own cost of drawing what the page draws, see bare_app.py).

Prints, for each page, the first load (median of three fresh sessions), the redraw median and p95 over all
changes (and the median per filter), the ratio of the page's median and p95 to the bare app's, the same-elements
app's redraw p95 and first load and the page's ratios to it, the server's own script time per redraw (median, and
its share of the redraw: the rest is the browser drawing), the largest websocket message and the points in the
largest chart; and writes the same, with the machine's cores and memory and the commit, to
benchmarks/results/browser-<time>.csv.
Machines here are shared and noisy: compare ratios within a run.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stats import percentile  # noqa: E402

from tests.browser.machinery import (  # noqa: E402
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    AppServer,
    free_port,
)

PAGES = [
    "/",
    "/ehcp",
    "/educational-psychology",
    "/specialist-places",
    "/spending",
    "/plans-and-reviews",
    "/health",
]
TIMEOUT_MS = 120_000
# What the page draws as charts: Plotly charts, and the Overview's tile sparklines (SVG images).
CHARTS = ".stPlotlyChart, [data-testid='stImage'] img"
# Every chart on the page drawn (a page may show fewer charts after a change: a tile's trend of one point,
# say), and no run in progress.
# The script state is checked too: Streamlit shows its running icon only after a delay, so on a first load (which
# has no stale elements) "no icon" alone could be read in the middle of the run.
CHARTS_DRAWN_JS = """n => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && [...document.querySelectorAll('.stPlotlyChart')].every(c => c.querySelector('.main-svg'))
    && [...document.querySelectorAll("[data-testid='stImage'] img")].every(i => i.complete)
    && document.querySelectorAll(".stPlotlyChart, [data-testid='stImage'] img").length > 0
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-stale="true"]')"""


def serve(
    script: Path,
    cwd: Path,
    state: Path,
    data: Path | None = None,
    log_name: str | None = None,
    runs: Path | None = None,
) -> AppServer:
    """`streamlit run script` from `cwd` on a free port (on `data` when given), once it is healthy; its output
    goes to `state`/<log_name, else the script's name>.log. With `runs`, the wall time of every script run is
    appended to that file (timed_streamlit.py)."""
    port, env = free_port(), dict(os.environ)
    if data is not None:
        env.update(SEND_DATA_DIR=str(data), SEND_STATE_DIR=str(state))
    state.mkdir(parents=True, exist_ok=True)
    log = open(state / f"{log_name or script.stem}.log", "w")  # noqa: SIM115 (closed by AppServer.stop)
    launcher = ["-m", "streamlit"]
    if runs is not None:
        env["SEND_BENCH_RUNS"] = str(runs)
        launcher = [str(Path(__file__).resolve().parent / "timed_streamlit.py")]
    command = [sys.executable, *launcher, "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    server = AppServer(port=port, process=process, log_dir=state, _logs=[log])
    server.wait_healthy()
    return server


# Every change to the document, timed from the page's navigation: a first load is over at the last change before
# the page has been still for QUIET_MS with every chart drawn. The load waits for a still page, not only for the
# script state: the state read "not running" with one chart of twelve drawn on about one Overview load in three.
LAST_CHANGE_JS = """window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});"""
QUIET_MS = 750
LOADS = 3  # first loads timed per page, and as many of the bare app's


def open_page(page, url: str) -> tuple[float, int]:
    """Load a page until its charts are drawn and it is still: the seconds from navigation to its last change,
    and how many charts it has."""
    page.bring_to_front()
    page.add_init_script(LAST_CHANGE_JS)
    page.goto(url)
    page.locator(".stPlotlyChart .js-plotly-plot .main-svg, [data-testid='stImage'] img").first.wait_for(
        timeout=TIMEOUT_MS
    )
    page.wait_for_function(
        f"() => performance.now() - window.__lastChange > {QUIET_MS} && ({CHARTS_DRAWN_JS})(0)",
        timeout=TIMEOUT_MS,
        polling=100,
    )
    return page.evaluate("window.__lastChange") / 1000, page.locator(CHARTS).count()


# Watches for the rerun a choice starts: an element marked stale, the running icon, or the first chart's data
# changing (a fast rerun can finish before the first two are ever shown).
WATCH_JS = """() => {
    const first = () => { const gd = document.querySelector('.stPlotlyChart .js-plotly-plot');
                          if (!gd) { const img = document.querySelector("[data-testid='stImage'] img");
                                     return img ? img.src : ''; }
                          return gd._fullData ? JSON.stringify(gd._fullData.map(t => [t.x, t.y])) : ''; };
    window.__before = first(); window.__ran = false;
    window.__seen = () => window.__ran || first() !== window.__before;
    new MutationObserver(() => {
        if (document.querySelector('[data-stale="true"], [data-testid="stStatusWidgetRunningIcon"]')) window.__ran = true;
    }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-stale']});
}"""


def _redrawn(page, charts: int, started: float) -> tuple[float, float]:
    """Wait until the rerun a change started is over and every chart is drawn: (when it started, when done)."""
    page.wait_for_function(f"n => window.__seen() && ({CHARTS_DRAWN_JS})(n)", arg=charts, timeout=TIMEOUT_MS)
    return started, time.perf_counter()


def change_month(page, charts: int, option: str) -> tuple[float, float]:
    """Choose a 'To' month in the sidebar and wait until the rerun is over and every chart is drawn again."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="To (month)")
    page.bring_to_front()  # a page behind another is not painted
    # Typed, as a keyboard user would: the long month list scrolls under a pointer and is never still.
    box.get_by_role("combobox").click()
    page.keyboard.type(option)
    page.get_by_role("listbox").get_by_role("option", name=option, exact=True).wait_for()
    page.evaluate(WATCH_JS)
    started = time.perf_counter()
    page.keyboard.press("Enter")
    return _redrawn(page, charts, started)


def open_list(box) -> None:
    """Open a selectbox's or multiselect's list: a click focuses it, and the arrow key opens it if the click
    only focused it (it does, for a multiselect just after another one closed)."""
    box.page.bring_to_front()  # a page behind another is not painted, so its list would never show
    box.get_by_role("combobox").click()
    box.get_by_role("combobox").press("ArrowDown")


def toggle_choice(page, charts: int, label: str, option: str) -> tuple[float, float]:
    """Add `option` to a sidebar multiselect (District, Primary need), or remove it when it is already chosen,
    and wait until the rerun is over and every chart is drawn again."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)
    remove = box.get_by_role("button", name=f"Remove {option}", exact=True)
    if remove.count():
        page.bring_to_front()
        page.evaluate(WATCH_JS)
        started = time.perf_counter()
        remove.click()
        return _redrawn(page, charts, started)
    open_list(box)
    choice = page.get_by_role("listbox").get_by_role("option", name=option, exact=True)
    choice.wait_for()
    page.evaluate(WATCH_JS)
    started = time.perf_counter()
    choice.click()
    page.keyboard.press("Escape")  # a multiselect stays open after a choice
    page.get_by_role("listbox").wait_for(state="detached")
    return _redrawn(page, charts, started)


def options_offered(page, label: str, testid: str = "stSelectbox") -> list[str]:
    """The options a sidebar selectbox or multiselect offers, as shown (not a multiselect's "Select all")."""
    box = page.locator(f'[data-testid="stSidebar"] [data-testid="{testid}"]').filter(has_text=label)
    open_list(box)
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")
    options.first.wait_for()
    names = options.all_inner_texts()
    page.keyboard.press("Escape")
    listbox.wait_for(state="detached")
    return [n.strip() for n in names if n.strip() != "Select all"]


# Points drawn in the page's largest chart (a trace's x or y values, whichever it has).
POINTS_JS = """() => Math.max(0, ...[...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')].map(
    gd => (gd._fullData || []).reduce((n, t) => n + ((t.x && t.x.length) || (t.y && t.y.length) || 0), 0)))"""
RESULTS = ROOT / "benchmarks" / "results"


def machine(project: Path = ROOT) -> dict[str, object]:
    """The cores, memory and the served checkout's commit a run was on, for its results file."""
    memory = next(
        (
            int(line.split()[1]) / 1024**2
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        float("nan"),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {"cores": os.cpu_count(), "memory_gb": round(memory, 1), "commit": commit}


def watch_messages(page) -> dict:
    """The size in bytes of the largest websocket message the page receives."""
    seen = {"bytes": 0}

    def on_frame(payload) -> None:
        seen.update(bytes=max(seen["bytes"], len(payload)))

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return seen


# What a page draws, counted as bare_app.py's query parameters: the bare app drawing the same is Streamlit's
# (and Plotly's) own cost of the page's elements. Headings beyond the title and one per chart; controls in the
# page (not the sidebar) as radio groups; the sidebar's selectboxes beyond the month's, and its multiselects.
SHAPE_JS = """() => {
    const main = s => document.querySelectorAll(`[data-testid="stMain"] ${s}`).length;
    const side = s => document.querySelectorAll(`[data-testid="stSidebar"] ${s}`).length;
    const charts = main('.stPlotlyChart');
    return {charts, headings: Math.max(0, main('[data-testid="stHeading"]') - 1 - charts),
            texts: main('[data-testid="stMarkdown"]'), metrics: main('[data-testid="stMetric"]'),
            buttons: main('[data-testid="stButton"]'), images: main('[data-testid="stImage"]'),
            tables: main('[data-testid="stDataFrame"]'),
            inputs: main(':is([data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stRadio"], '
                         + '[data-testid="stButtonGroup"], [data-testid="stCheckbox"], [data-testid="stDateInput"], '
                         + '[data-testid="stNumberInput"], [data-testid="stTextInput"], [data-testid="stSlider"])'),
            selects: Math.max(0, side('[data-testid="stSelectbox"]') - 1),
            multis: side('[data-testid="stMultiSelect"]')};
}"""


def shape_query(counts: dict[str, int]) -> str:
    """The bare app's query string for elements counted by SHAPE_JS (kinds the page has none of left out)."""
    return "&".join(f"{name}={count}" for name, count in counts.items() if count)


def script_runs(runs: Path, since: int) -> tuple[list[float], int]:
    """The script runs written to `runs` after byte `since` (seconds each), and the file's size now."""
    if not runs.exists():
        return [], since
    data = runs.read_bytes()
    return [float(line) for line in data[since:].split()], len(data)


FILTERS = ("period", "district", "need")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=4, help="rounds of the three filter changes per page")
    parser.add_argument("--page", action="append", default=None)
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="the checkout whose app.py to serve (another commit's, say, to compare)",
    )
    args = parser.parse_args()
    state = Path(tempfile.mkdtemp(prefix="send-browser-bench-"))
    runs = state / "script-runs.txt"
    app = serve(
        args.project.resolve() / "app.py",
        args.project.resolve(),
        state / "app",
        args.data.resolve(),
        runs=runs,
    )
    bare = serve(ROOT / "benchmarks" / "bare_app.py", state, state / "bare")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            context.set_default_timeout(TIMEOUT_MS)
            print(
                f"data: {args.data}; {args.repeat} rounds of {', '.join(FILTERS)} changes per page, each followed "
                "by a change on the bare app and on the bare app drawing the same elements"
            )
            # The first session builds (or opens) the data version's store; first loads are timed after it.
            warm = context.new_page()
            open_page(warm, app.base_url)
            warm.close()
            rows = []
            for path in args.page or PAGES:
                # First loads: the median of LOADS fresh sessions each, page and bare apps in turn (the first is
                # the page's first since the server started, its queries not yet cached). The page's first load
                # says what the same-elements app draws.
                loads, bare_loads, same_loads, shape = [], [], [], ""
                for _ in range(LOADS - 1):
                    page = context.new_page()
                    loads.append(open_page(page, f"{app.base_url}{path}")[0])
                    shape = shape or shape_query(page.evaluate(SHAPE_JS))
                    page.close()
                    for url, into in ((bare.base_url, bare_loads), (f"{bare.base_url}?{shape}", same_loads)):
                        yardstick = context.new_page()
                        into.append(open_page(yardstick, url)[0])
                        yardstick.close()
                page, yardstick, same = context.new_page(), context.new_page(), context.new_page()
                message = watch_messages(page)
                loads.append(open_page(page, f"{app.base_url}{path}")[0])
                charts = page.locator(CHARTS).count()
                bare_loads.append(open_page(yardstick, bare.base_url)[0])
                bare_charts = yardstick.locator(CHARTS).count()
                same_loads.append(open_page(same, f"{bare.base_url}?{shape}")[0])
                same_charts = same.locator(CHARTS).count()
                load, bare_load, same_load = (statistics.median(x) for x in (loads, bare_loads, same_loads))
                months, bare_months = (
                    options_offered(page, "To (month)"),
                    options_offered(yardstick, "To (month)"),
                )
                district = options_offered(page, "District", "stMultiSelect")[0]
                need = options_offered(page, "Primary need", "stMultiSelect")[0]
                by_filter: dict[str, list[float]] = {name: [] for name in FILTERS}
                scripts, bare_redraw, same_redraw = [], [], []
                _, since = script_runs(runs, 0)
                for index in range(args.repeat):
                    for name in FILTERS:
                        if name == "period":
                            started, done = change_month(page, charts, months[-2 - index % 6])
                        elif name == "district":
                            started, done = toggle_choice(page, charts, "District", district)
                        else:
                            started, done = toggle_choice(page, charts, "Primary need", need)
                        by_filter[name].append(done - started)
                        ran, since = script_runs(runs, since)
                        scripts.append(sum(ran))  # every run the change started (a callback's rerun too)
                        started, done = change_month(
                            yardstick, bare_charts, bare_months[-2 - len(bare_redraw) % 6]
                        )
                        bare_redraw.append(done - started)
                        started, done = change_month(
                            same, same_charts, bare_months[-2 - len(same_redraw) % 6]
                        )
                        same_redraw.append(done - started)
                redraw = [seconds for name in FILTERS for seconds in by_filter[name]]
                p95, bare_p95, same_p95 = (percentile(x, 0.95) for x in (redraw, bare_redraw, same_redraw))
                ratio = statistics.median(redraw) / statistics.median(bare_redraw)
                script = statistics.median(scripts) if scripts else float("nan")
                points = page.evaluate(POINTS_JS)
                print(
                    f"{path:>24}: {charts:2d} charts; first load {load:.2f} s (bare {bare_load:.2f} s, "
                    f"ratio {load / bare_load:.2f}); redraw median {statistics.median(redraw):.2f} s, p95 {p95:.2f} s "
                    f"(median by filter: "
                    + ", ".join(f"{name} {statistics.median(by_filter[name]):.2f} s" for name in FILTERS)
                    + f"); bare median {statistics.median(bare_redraw):.2f} s, p95 {bare_p95:.2f} s; ratio "
                    f"{ratio:.1f} (p95 {p95 / bare_p95:.1f})\n{'':>26}bare app drawing the same elements ({shape}): "
                    f"p95 {same_p95:.2f} s ({same_p95 / bare_p95:.1f}x the bare app's), first load {same_load:.2f} s; "
                    f"the page's ratio to it p95 {p95 / same_p95:.1f}, first load {load / same_load:.2f}\n{'':>26}"
                    f"server script {script * 1000:.0f} ms a redraw (median, {script / statistics.median(redraw):.0%}"
                    f" of it); largest message {message['bytes'] / 1024:,.0f} KB; largest chart {points:,} points"
                )
                rows.append(
                    {
                        "page": path,
                        "charts": charts,
                        "changes": len(redraw),
                        "first_load_s": round(load, 3),
                        "bare_first_load_s": round(bare_load, 3),
                        "redraw_p50_s": round(statistics.median(redraw), 3),
                        "redraw_p95_s": round(p95, 3),
                        **{f"{name}_p50_s": round(statistics.median(by_filter[name]), 3) for name in FILTERS},
                        "bare_redraw_p50_s": round(statistics.median(bare_redraw), 3),
                        "bare_redraw_p95_s": round(bare_p95, 3),
                        "ratio_p50": round(ratio, 2),
                        "ratio_p95": round(p95 / bare_p95, 2),
                        "first_load_ratio": round(load / bare_load, 2),
                        "same_elements": shape,
                        "same_elements_redraw_p95_s": round(same_p95, 3),
                        "same_elements_first_load_s": round(same_load, 3),
                        "same_elements_ratio_p95_to_bare": round(same_p95 / bare_p95, 2),
                        "ratio_p95_same_elements": round(p95 / same_p95, 2),
                        "first_load_ratio_same_elements": round(load / same_load, 2),
                        "script_p50_s": round(script, 3),
                        "script_share_p50": round(script / statistics.median(redraw), 2),
                        "largest_message_bytes": message["bytes"],
                        "largest_chart_points": points,
                    }
                )
                page.close()
                yardstick.close()
                same.close()
            browser.close()
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"browser-{datetime.datetime.now():%Y%m%d-%H%M%S}.csv"
        extra = {"data": str(args.data), "repeat": args.repeat, **machine(args.project.resolve())}
        with out.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*rows[0], *extra])
            writer.writeheader()
            writer.writerows({**row, **extra} for row in rows)
        print(f"results: {out.relative_to(ROOT)}")
    finally:
        app.stop()
        bare.stop()


if __name__ == "__main__":
    main()
