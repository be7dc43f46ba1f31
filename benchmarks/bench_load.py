"""Time validating and loading a folder of extracts, and its peak memory; print medians and p95.

    python benchmarks/bench_load.py [--data DIR] [--repeat N]

Each repetition runs in a fresh process with an empty state folder, so it measures a cold build
(validate every file and write the DuckDB file), then a warm open of the version already built.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from dashboard.serving.store import open_store
data, state = Path(sys.argv[1]), Path(sys.argv[2])
t0 = time.perf_counter(); store = open_store(data, state); cold = time.perf_counter() - t0
rows = {{t: r.rows_loaded for t, r in store.report.files.items()}}
store.close()
t0 = time.perf_counter(); store = open_store(data, state); warm = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"cold": cold, "warm": warm, "peak_mb": peak_mb, "rows": rows}}))
"""

from stats import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as state:
            out = subprocess.run(
                [sys.executable, "-c", CHILD.format(root=str(ROOT)), str(args.data), state],
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = results[0]["rows"]
    print(f"data: {args.data}")
    print(
        "rows loaded: "
        + ", ".join(f"{t} {n:,}" for t, n in rows.items())
        + f" (total {sum(rows.values()):,})"
    )
    for key, label in (
        ("cold", "validate + build (s)"),
        ("warm", "open built version (s)"),
        ("peak_mb", "peak memory (MB)"),
    ):
        values = [r[key] for r in results]
        print(
            f"{label:>24}: median {statistics.median(values):.2f}  p95 {percentile(values, 0.95):.2f}  "
            f"(n={len(values)})"
        )


if __name__ == "__main__":
    main()
