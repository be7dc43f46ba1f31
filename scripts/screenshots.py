"""Screenshots of each page's first screen on the bundled sample, for the README and for reviewers.

    python scripts/screenshots.py [--data DIR] [--out docs/screenshots]

Serves the dashboard on `--data` in headless Chromium (Debian's /usr/bin/chromium) at 1920x1080, waits until
each page's charts are drawn, and writes one JPEG per page. The pictures show synthetic sample data only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_browser import open_page, serve  # noqa: E402

from tests.browser.machinery import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

PAGES = {
    "overview": "/",
    "ehcp": "/ehcp",
    "educational-psychology": "/educational-psychology",
    "specialist-places": "/specialist-places",
    "spending": "/spending",
    "plans-and-reviews": "/plans-and-reviews",
    "health": "/health",
    "benchmarks": "/benchmarks",
    "outlook": "/outlook",
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="send-screenshots-"))
    app = serve(ROOT / "serve.py", ROOT, state, args.data.resolve())
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.set_default_timeout(120_000)
            for name, path in PAGES.items():
                open_page(page, app.base_url + path)
                page.screenshot(path=str(args.out / f"{name}.jpg"), type="jpeg", quality=70)
                print(args.out / f"{name}.jpg")
            browser.close()
    finally:
        app.stop()


if __name__ == "__main__":
    main()
