"""Where a page's rerun spends its time in Python: cProfile over AppTest reruns that change the 'To' month.

    python benchmarks/profile_rerun.py [--data DIR] [--page pages/ehcp.py] [--section LABEL] [--reruns N]
                                       [--sort cumulative|tottime] [--top N]

Runs the page once and eight reruns unprofiled (caches filled for the months used), then profiles `--reruns`
more, cycling through the last six months as a person flicking between them would, and prints the script
time per rerun and the top functions. cProfile roughly doubles the time: compare runs with each other, and
measure what a user feels with bench_browser.py.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--page", default="pages/ehcp.py")
    parser.add_argument("--section", default=None)
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    os.environ["SEND_DATA_DIR"] = str(args.data.resolve())
    os.environ.setdefault("SEND_STATE_DIR", tempfile.mkdtemp(prefix="send-profile-"))

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    profile, profiling = cProfile.Profile(), [False]
    run_script = script_runner.exec_func_with_error_handling

    def profiled(func, ctx):
        if not profiling[0]:
            return run_script(func, ctx)
        profile.enable()
        try:
            return run_script(func, ctx)
        finally:
            profile.disable()

    script_runner.exec_func_with_error_handling = profiled
    app = AppTest.from_file(str(ROOT / args.page), default_timeout=600)
    if args.section:
        app.query_params["section"] = args.section
    app.run()
    if app.exception:
        sys.exit(f"{args.page} failed: {[e.value for e in app.exception]}")
    months = app.selectbox(key="to").options

    def rerun(index: int) -> None:
        app.selectbox(key="to").set_value(months[-1 - (index % 6)])
        app.run()
        if app.exception:
            sys.exit(f"{args.page} failed: {[e.value for e in app.exception]}")

    for index in range(8):
        rerun(index)
    profiling[0] = True
    for index in range(args.reruns):
        rerun(index)
    stats = pstats.Stats(profile)
    print(f"{args.page} on {args.data}: script time per rerun {1000 * stats.total_tt / args.reruns:.1f} ms")
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
