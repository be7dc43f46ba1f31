"""How long the Outlook page takes to redraw after a capacity control changes, in headless Chromium on the
bundled sample: the time from pressing Enter in 'Plans issued a month' until the tiles, every chart of the
simulator's section and the run are done. The forecast is fitted once, on the first load (cached per data
version), so a control change reruns only the simulator.

    python benchmarks/bench_outlook.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_browser import WATCH_JS  # noqa: E402

from tests.browser.machinery import CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT, start_app, wait_until_idle  # noqa: E402

DRAWN_JS = """value => new URL(location.href).searchParams.get('ol_plans') !== null
    && Number(new URL(location.href).searchParams.get('ol_plans')) === value
    && [...document.querySelectorAll('.stPlotlyChart')].length === 3
    && [...document.querySelectorAll('.stPlotlyChart')].every(c => c.querySelector('.main-svg'))
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && !document.querySelector('[data-stale="true"]')"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state, sync_playwright() as playwright:
        server = start_app(Path(state), data_dir=ROOT / "data")
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server.url("/"))
            page.locator("h1").first.wait_for()
            wait_until_idle(page, 120_000)
            started = time.perf_counter()
            page.goto(server.url("/outlook?section=Backlog+simulator"))
            page.wait_for_function(
                DRAWN_JS.replace(
                    "!== null\n    && Number(new URL(location.href).searchParams.get('ol_plans')) === value",
                    "=== null",
                ),
                arg=0,
                timeout=120_000,
            )
            first = time.perf_counter() - started
            box = (
                page.locator('[data-testid="stNumberInput"]')
                .filter(has_text="Plans issued a month")
                .locator("input")
            )
            times = []
            for index in range(args.repeat):
                value = 300 + 10 * (index % 5) + index
                box.fill(str(value))
                # Watch for the rerun itself (the running icon, a stale element, or the first chart's data
                # changing): the address holds the new value as soon as the widget sends it.
                page.evaluate(WATCH_JS)
                started = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(
                    f"value => window.__seen() && ({DRAWN_JS})(value)", arg=value, timeout=120_000
                )
                times.append(time.perf_counter() - started)
        finally:
            browser.close()
            server.stop()
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"first load of the simulator section (forecast fitted): {first:.2f} s")
    print(
        f"redraw after a control change, {len(times)} changes: median {statistics.median(times):.2f} s, "
        f"p95 {p95:.2f} s, max {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
