"""Time every named query with the parameters the pages really use; print median and p95 per query.

    python benchmarks/bench_queries.py [--data DIR] [--repeat N]

The pages are run once under Streamlit's AppTest (default filters, then a district, a need and the whole
period), each section of a page in turn, and every query call they make is recorded with its parameters.
Each query is then timed warm on the same store, with the slowest of its recorded parameter sets, so no
query is skipped; a query no page runs is listed as such (and makes the script exit 1, since it is either
dead or untested here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from stats import percentile  # noqa: E402

PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if p.stem != "presentation")
# The period preset is named in the address by its words, as the sidebar writes it ("all" is not one, and
# was silently the default period).
QUERIES = ({}, {"district": "Preston"}, {"need": "Autism (ASD)"}, {"period": "All months"})


SECTION = "section"  # dashboard.views.sections.SECTION: the open section's session state key


def _sections(page: str) -> list[str]:
    """The page's sections after the first (which opens by default), if its views are split into sections."""
    try:
        from dashboard.views import sections
    except ImportError:
        return []
    return list(sections.PAGES.get(page, ()))[1:]


def record(data: Path) -> tuple[object, dict[str, list[dict]]]:
    """The store the pages used and, for each query name, the distinct parameter sets they ran it with."""
    os.environ["SEND_DATA_DIR"] = str(data.resolve())
    os.environ["SEND_STATE_DIR"] = tempfile.mkdtemp(prefix="send-bench-")
    from streamlit.testing.v1 import AppTest

    from dashboard.serving.store import DataStore

    calls: dict[str, list[dict]] = {}
    stores: list[DataStore] = []
    original = DataStore.query

    def recording(self, name, params=None):
        stores.append(self)
        seen = calls.setdefault(name, [])
        if (params or {}) not in seen:
            seen.append(dict(params or {}))
        return original(self, name, params)

    DataStore.query = recording
    try:
        for query in QUERIES:
            for page in PAGES:
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
                for key, value in query.items():
                    at.query_params[key] = value
                at.run()
                at.switch_page(page).run()
                for section in _sections(page):  # a page that draws one section at a time: open each
                    at.session_state[SECTION] = section
                    at.run()
                if at.exception:
                    raise SystemExit(f"{page} {query}: {at.exception[0].message}")
    finally:
        DataStore.query = original
    return stores[-1], calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    store, calls = record(args.data)
    from dashboard.serving import queries

    print(
        f"data: {args.data}; {len(PAGES)} pages x {len(QUERIES)} filter sets run in "
        f"{time.perf_counter() - started:.1f} s; requests {store.report.files['ehcp_requests'].rows_loaded:,}"
    )
    print(f"{'median':>10} {'p95':>10} {'rows':>8}  query (parameter sets seen)")
    total, slowest = 0.0, []
    for name in queries.names():
        if name not in calls:
            continue
        worst: list[float] = []
        rows = 0
        for params in calls[name]:
            store.query(name, params)  # warm
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                frame = store.query(name, params)
                times.append(time.perf_counter() - t)
            if not worst or statistics.median(times) > statistics.median(worst):
                worst, rows = times, len(frame)
        median = statistics.median(worst) * 1000
        total += median
        slowest.append((percentile(worst, 0.95) * 1000, name))
        print(
            f"{median:8.1f} ms {percentile(worst, 0.95) * 1000:7.1f} ms {rows:8,}  {name} ({len(calls[name])})"
        )
    unused = [name for name in queries.names() if name not in calls]
    print(f"{len(calls)} of {len(queries.names())} queries timed; sum of medians {total:.0f} ms")
    print("slowest p95: " + ", ".join(f"{name} {ms:.0f} ms" for ms, name in sorted(slowest)[-3:][::-1]))
    over = [name for ms, name in sorted(slowest, reverse=True) if ms >= 100]
    print(f"p95 of 100 ms or more: {', '.join(over) if over else 'none'}")
    if unused:
        print("run by no page: " + ", ".join(unused))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
