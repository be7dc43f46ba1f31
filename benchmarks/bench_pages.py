"""Time each page under Streamlit's AppTest: the cold first run and warm reruns after a filter change.

    python benchmarks/bench_pages.py [--data DIR] [--repeat N] [--page pages/overview.py]

Cold = a fresh process and state folder (includes validating the extracts). Warm = the same session
rerun after changing the 'To' month, with caches filled for the data version but not for that filter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from stats import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page", action="append", default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure(args.one, args.data, args.repeat)
        return
    pages = args.page or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    print(f"data: {args.data}")
    for page in pages:
        # A fresh process per page, so each cold figure includes validating and building the data version.
        subprocess.run(
            [sys.executable, __file__, "--data", str(args.data), "--repeat", str(args.repeat), "--one", page],
            check=True,
        )


def measure(page: str, data: Path, repeat: int) -> None:
    os.environ["SEND_DATA_DIR"] = str(data.resolve())
    os.environ["SEND_STATE_DIR"] = tempfile.mkdtemp(prefix="send-bench-")
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    at = AppTest.from_file(str(ROOT / page), default_timeout=600).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].message}")
    if not any(box.key == "to" for box in at.selectbox):
        print(f"{page:>28}: cold {cold:.2f} s; no period filter to change (it reads the URL)")
        return
    months = at.selectbox(key="to").options
    warm = []
    for index in range(repeat):
        at.selectbox(key="to").set_value(months[-2 - (index % (len(months) - 1))])
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
        if at.exception:  # a rerun that failed would be timed as a fast one
            raise SystemExit(
                f"{page} to {months[-2 - (index % (len(months) - 1))]}: {at.exception[0].message}"
            )
    print(
        f"{page:>28}: cold {cold:.2f} s; warm rerun after a filter change: median "
        f"{statistics.median(warm) * 1000:.0f} ms, p95 {percentile(warm, 0.95) * 1000:.0f} ms (n={len(warm)})"
    )


if __name__ == "__main__":
    main()
