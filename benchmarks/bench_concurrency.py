"""Many people at once: N browser sessions on one page all changing the 'To' month together, beside N sessions
on the bare Streamlit app in the same run; errors, redraw p50/p95, the server's CPU per rerun and its memory
per session; and N sessions on the bare app drawing the same elements as the page (bench_browser.SHAPE_JS),
Streamlit's own cost of what the page draws, with as many browsers drawing it on the same cores.

    python benchmarks/bench_concurrency.py [--data DIR] [--sessions 10 20] [--changes 3] [--page /ehcp]
                                          [--instances N]

For each number of sessions, every session opens the page (in a browser context of its own, as separate
people would), then all of them change the month `--changes` times as fast as the page lets them; the same
is done on the bare app. The browsers share the machine's cores with the servers, so compare the page with
the bare app within a run only. The server's CPU seconds per rerun and resident memory come from /proc for
the server process; memory per session is the growth from one session to N, divided by N - 1. Writes the
figures to benchmarks/results/concurrency-<time>.csv.
`--instances N` serves the dashboard from N Streamlit processes over the one built store, as behind a load
balancer with sticky sessions: session k goes to process k mod N, and CPU and memory are added up over them
(the bare app stays one process, the same yardstick).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_browser import (  # noqa: E402
    CHARTS_DRAWN_JS,
    RESULTS,
    SHAPE_JS,
    TIMEOUT_MS,
    WATCH_JS,
    machine,
    serve,
    shape_query,
)
from stats import percentile  # noqa: E402

from tests.browser.machinery import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

ERRORS_JS = '() => document.querySelectorAll(\'[data-testid="stException"], [data-testid="stAlertContentError"]\').length'


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    """The process's resident memory in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


async def open_session(browser, url: str):
    context = await browser.new_context(viewport={"width": 1600, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(url)
    await page.locator(".stPlotlyChart .js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_function(f"n => ({CHARTS_DRAWN_JS})(n)", arg=0, timeout=TIMEOUT_MS)
    return context, page


async def months_of(page) -> list[str]:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="To (month)")
    await box.get_by_role("combobox").click()
    # A click may only focus it (as in bench_browser.open_list): the arrow key opens it then.
    if not await page.get_by_role("listbox").count():
        await box.get_by_role("combobox").press("ArrowDown")
    options = page.get_by_role("listbox").get_by_role("option")
    await options.first.wait_for()
    names = [n.strip() for n in await options.all_inner_texts()]
    await page.keyboard.press("Escape")
    await page.get_by_role("listbox").wait_for(state="detached")
    return names


async def change_month(page, option: str) -> float:
    """Type a 'To' month, choose it, and wait until the rerun is over and every chart is drawn again."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="To (month)")
    await box.get_by_role("combobox").click()
    await page.keyboard.type(option)
    await page.get_by_role("listbox").get_by_role("option", name=option, exact=True).wait_for()
    await page.evaluate(WATCH_JS)
    started = time.perf_counter()
    await page.keyboard.press("Enter")
    await page.wait_for_function(f"n => window.__seen() && ({CHARTS_DRAWN_JS})(n)", arg=0, timeout=TIMEOUT_MS)
    return time.perf_counter() - started


async def crowd(browser, urls: list[str], pids: list[int], sessions: int, changes: int) -> dict:
    """N sessions open the page (session k on server k mod the number of servers), then all change the month
    `changes` times at once; what they and the servers saw."""
    first = await open_session(browser, urls[0])
    months = await months_of(first[1])
    one_session_mb = sum(resident_mb(pid) for pid in pids)
    opened = [
        first,
        *await asyncio.gather(*(open_session(browser, urls[k % len(urls)]) for k in range(1, sessions))),
    ]
    all_sessions_mb = sum(resident_mb(pid) for pid in pids)
    failures = 0

    async def person(index: int, page) -> list[float]:
        nonlocal failures
        times = []
        for step in range(changes):
            try:
                times.append(await change_month(page, months[-2 - (index + step) % 6]))
            except Exception:  # noqa: BLE001 (a timeout or a lost session is counted, not fatal)
                failures += 1
        return times

    cpu_before, started = sum(cpu_seconds(pid) for pid in pids), time.perf_counter()
    results = await asyncio.gather(*(person(i, page) for i, (_, page) in enumerate(opened)))
    wall, cpu = time.perf_counter() - started, sum(cpu_seconds(pid) for pid in pids) - cpu_before
    errors = sum([await page.evaluate(ERRORS_JS) for _, page in opened])
    for context, _ in opened:
        await context.close()
    times = [t for person_times in results for t in person_times]
    reruns = len(times) or 1
    return {
        "p50_s": statistics.median(times) if times else float("nan"),
        "p95_s": percentile(times, 0.95) if times else float("nan"),
        "changes": len(times),
        "failures": failures,
        "errors_shown": errors,
        "wall_s": wall,
        "server_cpu_per_rerun_s": cpu / reruns,
        "server_mb_one_session": one_session_mb,
        "server_mb_per_session": (all_sessions_mb - one_session_mb) / max(sessions - 1, 1),
    }


async def run(args) -> None:
    from playwright.async_api import async_playwright

    state = Path(tempfile.mkdtemp(prefix="send-concurrency-bench-"))
    # The first process builds the data version's store; the others then open it read-only, as the README says
    # to start them.
    apps = [serve(ROOT / "app.py", ROOT, state / "app", args.data.resolve())]
    bare = serve(ROOT / "benchmarks" / "bare_app.py", state, state / "bare")
    rows = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            context, page = await open_session(browser, f"{apps[0].base_url}{args.page}")
            shape = shape_query(await page.evaluate(SHAPE_JS))
            same = f"{bare.base_url}?{shape}"
            await context.close()
            apps += [
                serve(ROOT / "app.py", ROOT, state / "app", args.data.resolve(), log_name=f"app-{n}")
                for n in range(2, args.instances + 1)
            ]
            # Warm every server (each opens the store on its first session).
            for url in [f"{app.base_url}{args.page}" for app in apps[1:]] + [bare.base_url]:
                context, _ = await open_session(browser, url)
                await context.close()
            print(
                f"data: {args.data}; page {args.page} on {len(apps)} server process(es); {args.changes} month "
                "changes per session, all at once"
            )
            urls, pids = [f"{app.base_url}{args.page}" for app in apps], [app.process.pid for app in apps]
            for sessions in args.sessions:
                page_figures = await crowd(browser, urls, pids, sessions, args.changes)
                bare_figures = await crowd(
                    browser, [bare.base_url], [bare.process.pid], sessions, args.changes
                )
                same_figures = await crowd(browser, [same], [bare.process.pid], sessions, args.changes)
                ratio = page_figures["p95_s"] / bare_figures["p95_s"]
                same_ratio = page_figures["p95_s"] / same_figures["p95_s"]
                print(
                    f"{sessions:3d} sessions: page p50 {page_figures['p50_s']:.2f} s, p95 {page_figures['p95_s']:.2f} s;"
                    f" bare p50 {bare_figures['p50_s']:.2f} s, p95 {bare_figures['p95_s']:.2f} s; ratio p95 "
                    f"{ratio:.1f}; failures {page_figures['failures']} (bare {bare_figures['failures']}), errors "
                    f"shown {page_figures['errors_shown']}; server CPU per rerun "
                    f"{page_figures['server_cpu_per_rerun_s'] * 1000:.0f} ms (bare "
                    f"{bare_figures['server_cpu_per_rerun_s'] * 1000:.0f} ms); server memory "
                    f"{page_figures['server_mb_one_session']:.0f} MB with one session, "
                    f"+{page_figures['server_mb_per_session']:.1f} MB per session (bare "
                    f"+{bare_figures['server_mb_per_session']:.1f} MB)\n{'':15}bare app drawing the same elements "
                    f"({shape}): p50 {same_figures['p50_s']:.2f} s, p95 {same_figures['p95_s']:.2f} s "
                    f"({same_figures['p95_s'] / bare_figures['p95_s']:.1f}x the bare app's); the page's ratio p95 to it "
                    f"{same_ratio:.1f}; its server CPU per rerun {same_figures['server_cpu_per_rerun_s'] * 1000:.0f} ms"
                )
                rows.append(
                    {
                        "page": args.page,
                        "instances": len(apps),
                        "sessions": sessions,
                        **{f"page_{k}": round(v, 3) for k, v in page_figures.items()},
                        **{f"bare_{k}": round(v, 3) for k, v in bare_figures.items()},
                        "ratio_p95": round(ratio, 2),
                        "same_elements": shape,
                        **{f"same_elements_{k}": round(v, 3) for k, v in same_figures.items()},
                        "ratio_p95_same_elements": round(same_ratio, 2),
                    }
                )
            await browser.close()
    finally:
        for app in apps:
            app.stop()
        bare.stop()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"concurrency-{datetime.datetime.now():%Y%m%d-%H%M%S}.csv"
    extra = {"data": str(args.data), "changes": args.changes, **machine()}
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], *extra])
        writer.writeheader()
        writer.writerows({**row, **extra} for row in rows)
    print(f"results: {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20])
    parser.add_argument("--changes", type=int, default=3)
    parser.add_argument("--page", default="/ehcp")
    parser.add_argument("--instances", type=int, default=1, help="Streamlit processes serving the dashboard")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
