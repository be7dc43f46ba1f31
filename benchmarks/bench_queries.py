"""Time every named query on a data folder with the whole period selected; print median and p95 per query.

    python benchmarks/bench_queries.py [--data DIR] [--repeat N] [--state DIR]

Queries whose parameters have no default here (e.g. the published-data benchmarks) are listed as skipped.
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

from dashboard.filters import Filters  # noqa: E402
from dashboard.serving import queries  # noqa: E402
from dashboard.serving.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--state", type=Path, default=None, help="reuse a state folder (skips rebuilding)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    store = open_store(args.data, args.state or Path(tempfile.mkdtemp(prefix="send-bench-")))
    print(
        f"data: {args.data}; opened in {time.perf_counter() - started:.1f} s; "
        f"requests {store.report.files['ehcp_requests'].rows_loaded:,}"
    )
    as_of = store.as_of
    filters = Filters(as_of.replace(year=as_of.year - 8, month=1, day=1), as_of)
    defaults = {
        **filters.params(),
        "start": filters.period_start,
        "end": filters.period_end,
        "at": as_of,
        "dimension": "district",
    }
    total = 0.0
    for name in queries.names():
        needed = queries.parameters(name)
        if not needed <= set(defaults):
            print(f"{'skipped':>10}  {name} (needs {sorted(needed - set(defaults))})")
            continue
        params = {k: defaults[k] for k in needed}
        store.query(name, params)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            store.query(name, params)
            times.append(time.perf_counter() - t)
        times.sort()
        median = statistics.median(times) * 1000
        total += median
        print(f"{median:8.1f} ms median  {times[int(0.95 * (len(times) - 1))] * 1000:8.1f} ms p95  {name}")
    print(f"sum of medians: {total:.0f} ms")


if __name__ == "__main__":
    main()
