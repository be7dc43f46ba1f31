"""`streamlit` with the wall time of every script run written down, for the browser benchmark.

    SEND_BENCH_RUNS=FILE python benchmarks/timed_streamlit.py run app.py [options]

Appends one line per run (seconds, from the script's start to its end on the server) to FILE. The browser
cannot tell this apart from its own work: it handles each websocket message only when its main thread is free,
so a message's arrival there is late by however long the browser is busy drawing the ones before.
"""

import os
import sys
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

RUNS = os.environ["SEND_BENCH_RUNS"]
_run_script = script_runner.exec_func_with_error_handling


def _timed(func, ctx):
    started = time.perf_counter()
    try:
        return _run_script(func, ctx)
    finally:
        with open(RUNS, "a", encoding="utf-8") as runs:
            runs.write(f"{time.perf_counter() - started:.6f}\n")


script_runner.exec_func_with_error_handling = _timed

if __name__ == "__main__":
    sys.exit(cli.main())
