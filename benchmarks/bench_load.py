"""Time validating and loading a folder of extracts, and its peak memory; print medians and p95.

    python benchmarks/bench_load.py [--data DIR] [--repeat N] [--profile]

Each repetition runs in a fresh process with an empty state folder, so it measures a cold build
(validate every file and write the DuckDB file) and the CPU time it took on all threads (steadier than
wall time on a machine others are using), then a warm open of the version already built.
`--floor` also times DuckDB's own read of the same extract files into a new on-disk database, with the types
it detects and no checks, derived columns or aggregates: the least any build of them can take here.
`--profile` also prints where the first cold build spent its time: each step of the loader (wall and
CPU seconds, CPU above wall meaning DuckDB ran it on several threads, and the peak memory so far) and
each SQL statement that took more than 50 ms. CPU seconds are the steadier measure on a machine others
are using.
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
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
import duckdb
from dashboard.build import loader
from dashboard.serving import store
try:
    from dashboard.build import csvfile
except ImportError:  # an older checkout
    csvfile = None
from dashboard.serving.store import open_store

steps, statements, depth = [], [], [0]

def timed(module, name):
    inner = getattr(module, name, None)
    if inner is None:
        return  # a step this version of the code does not have
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        index = len(steps)
        steps.append(None)
        depth[0] += 1
        try:
            return inner(*args, **kwargs)
        finally:
            depth[0] -= 1
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            steps[index] = (depth[0], name, time.perf_counter() - wall, time.process_time() - cpu, peak)
    setattr(module, name, wrapper)

class TimedConnection:
    def __init__(self, connection):
        self._connection = connection
    def execute(self, sql, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = self._connection.execute(sql, *args, **kwargs)
        statements.append((time.perf_counter() - wall, time.process_time() - cpu, " ".join(sql.split())))
        return result
    def __getattr__(self, name):
        return getattr(self._connection, name)

if {profile!r}:
    connect = duckdb.connect
    duckdb.connect = lambda *args, **kwargs: TimedConnection(connect(*args, **kwargs))
    for module, names in (
        (store, ["load_folder", "load_published", "_compute_as_of"]),
        (loader, ["_load_reference", "_load_extract", "_open_csv", "_open_parquet", "_read_checked",
                  "_find_repeated_keys", "_problems", "_save_last_good", "_serve_last_good_or_empty",
                  "_cross_file_checks", "_store_report_tables"]),
        (csvfile, ["scan", "record_start_lines", "record_start_lines_by_csv", "lines_at", "_lines"]),
    ):
        if module is None:
            continue
        for name in names:
            timed(module, name)
    if hasattr(store, "aggregates"):
        timed(store.aggregates, "build")

data, state = Path(sys.argv[1]), Path(sys.argv[2])
t0, c0 = time.perf_counter(), time.process_time()
store_ = open_store(data, state)
cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
rows = {{t: r.rows_loaded for t, r in store_.report.files.items()}}
store_.close()
t0 = time.perf_counter(); store_ = open_store(data, state); warm = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"cold": cold, "cold_cpu": cold_cpu, "warm": warm, "peak_mb": peak_mb, "rows": rows, "steps": steps,
                  "statements": statements}}))
"""

from stats import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print each step's wall and CPU time")
    parser.add_argument(
        "--floor", action="store_true", help="also time DuckDB's own typed read of the files, with no checks"
    )
    args = parser.parse_args()
    results = []
    for n in range(args.repeat):
        with tempfile.TemporaryDirectory() as state:
            child = CHILD.format(root=str(ROOT), profile=args.profile and n == 0)
            out = subprocess.run(
                [sys.executable, "-c", child, str(args.data), state],
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
        ("cold_cpu", "build CPU, all threads (s)"),
        ("warm", "open built version (s)"),
        ("peak_mb", "peak memory (MB)"),
    ):
        values = [r[key] for r in results]
        print(
            f"{label:>27}: median {statistics.median(values):.2f}  p95 {percentile(values, 0.95):.2f}  "
            f"(n={len(values)})"
        )
    if args.floor:
        print_floor(args.data, args.repeat)
    if args.profile:
        print_profile(results[0])


FLOOR = """
import duckdb, json, sys, time
from pathlib import Path
data, db = Path(sys.argv[1]), sys.argv[2]
names = json.loads(sys.argv[3])
conn = duckdb.connect(db)
t0, c0 = time.perf_counter(), time.process_time()
for name in names:
    conn.execute(f"create table {{name}} as select * from read_csv($path)", {{"path": str(data / f"{{name}}.csv")}})
conn.execute("checkpoint")
print(json.dumps({{"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}}))
"""


def print_floor(data: Path, repeat: int) -> None:
    """DuckDB's own typed read of every extract file in `data` into a new database, in a fresh process each time."""
    from dashboard.contract import EXTRACTS

    names = [e.table for e in EXTRACTS if (data / e.filename).is_file() and e.filename == f"{e.table}.csv"]
    walls, cpus = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    FLOOR.format(),
                    str(data),
                    f"{folder}/floor.duckdb",
                    json.dumps(names),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            walls.append(result["wall"])
            cpus.append(result["cpu"])
    print(
        f"{'floor: DuckDB read only (s)':>27}: median {statistics.median(walls):.2f}  p95 {percentile(walls, 0.95):.2f}  "
        f"(CPU median {statistics.median(cpus):.2f}; {', '.join(names)}; typed by DuckDB, no checks or aggregates)"
    )


def print_profile(result: dict) -> None:
    """Each timed step of the first cold build, in the order each started, indented by nesting."""
    print("\nsteps of the first cold build (wall s, CPU s, peak memory so far MB):")
    for depth, name, wall, cpu, peak in result["steps"]:
        print(f"  {wall:7.2f} {cpu:7.2f} {peak:6.0f}  {'  ' * depth}{name}")
    print("\nSQL statements over 50 ms (wall s, CPU s):")
    for wall, cpu, sql in result["statements"]:
        if wall > 0.05:
            print(f"  {wall:7.2f} {cpu:7.2f}  {sql[:110]}")


if __name__ == "__main__":
    main()
