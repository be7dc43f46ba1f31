"""The faults of issue 15, tried as a careless user or a failing disk would: a live file cut short or rolled
back, a build killed midway, a read-only or full state folder, and a large file of junk."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from dashboard.build.loader import LoadOptions, load_folder
from dashboard.serving import store
from tests.build.test_loader import REQUESTS_HEADER, TODAY, make_folder
from tests.helpers import AREA_DIR, AREA_TODAY, ROOT, page_alone


@pytest.fixture(autouse=True)
def no_published_releases(tmp_path, monkeypatch):
    """These tests are about the extracts: DfE's releases (2 s of every build) are left out."""
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(tmp_path / "no_releases"))


def requests_file(rows: int, shift_days: int = 0) -> str:
    """`rows` good requests, received a day apart from 2 Jan 2024 (moved by `shift_days`)."""
    start = date(2024, 1, 2) + timedelta(days=shift_days)
    lines = [
        f"G{n},C{n},{start + timedelta(days=n)},parent,7,Burnley,ASD,pending,,,,false,,false"
        for n in range(rows)
    ]
    return "\n".join([REQUESTS_HEADER, *lines]) + "\n"


def load(folder: Path, last_good: Path, **options):
    connection = duckdb.connect()
    report = load_folder(connection, folder, LoadOptions(today=TODAY, last_good_dir=last_good, **options))
    served = connection.execute("select count(*), max(received_date) from ehcp_requests").fetchone()
    return report.files["ehcp_requests"], served


class HeldBuilds:
    """Builds that wait for the test to let them go: each signals `started` and blocks on `release`."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.calls: list[threading.Thread] = []

    def finished(self) -> int:
        """Let the builds go, wait for those started to finish, and say how many there were."""
        self.release.set()
        for job in list(store._builds.values()):
            assert job.done.wait(120), "a background build never finished"
        return len(self.calls)


@contextmanager
def held_builds(monkeypatch):
    """Hold every build until the block ends (a blocking event, not a sleep), then let them finish."""
    builds, real_build = HeldBuilds(), store.build

    def held(*args, **kwargs):
        builds.calls.append(threading.current_thread())
        builds.started.set()
        assert builds.release.wait(120), "the test never let the build go"
        return real_build(*args, **kwargs)

    monkeypatch.setattr(store, "build", held)
    try:
        yield builds
    finally:
        builds.finished()


def test_a_live_file_cut_short_is_held_and_the_last_good_copy_kept_through_a_truncation_to_nothing(tmp_path):
    last_good = tmp_path / "last_good"
    folder = make_folder(tmp_path, ehcp_requests=requests_file(100))
    live = folder / "ehcp_requests.csv"
    assert load(folder, last_good)[1] == (100, date(2024, 4, 10))

    # truncate -s to half while the app runs: cut mid-row, so the last row is ragged and rejected (1 of 49).
    os.truncate(live, live.stat().st_size // 2)
    report, served = load(folder, last_good)
    assert report.rows_read == 49 and report.rows_rejected == 1
    assert report.held and report.status == "refused" and report.serving == "last_good"
    assert "has 48 rows where the last good version" in report.held and "had 100, 52% fewer" in report.held
    assert "--accept-shrink" in report.held and "HELD" in report.summary()
    assert served == (100, date(2024, 4, 10))  # the page still shows every request

    # then to nothing: the last good copy is still the full file, not the half one.
    os.truncate(live, 0)
    report, served = load(folder, last_good)
    assert report.status == "refused" and "the file is empty" in report.errors[0]
    assert served == (100, date(2024, 4, 10))

    # a fall of 10% at most is not held (nor a later latest date).
    live.write_text(requests_file(90, shift_days=10))
    report, served = load(folder, last_good)
    assert report.status == "loaded" and not report.held and served == (90, date(2024, 4, 10))


def test_a_file_whose_latest_date_goes_backwards_is_held_until_accepted(tmp_path):
    last_good = tmp_path / "last_good"
    folder = make_folder(tmp_path, ehcp_requests=requests_file(100))
    load(folder, last_good)
    (folder / "ehcp_requests.csv").write_text(requests_file(100, shift_days=-30))  # an older export, say
    report, served = load(folder, last_good)
    assert "its latest date is 2024-03-11, earlier than the last good version's 2024-04-10" in report.held
    assert served == (100, date(2024, 4, 10))
    report, served = load(folder, last_good, accept_shrink=True)
    assert report.status == "loaded" and served == (100, date(2024, 3, 11))
    report, served = load(folder, last_good)  # accepted: it is now the last good version
    assert report.status == "loaded" and not report.held


def test_a_held_file_is_named_on_the_page_that_needs_it(app_data, tmp_path, monkeypatch):
    folder = tmp_path / "area"
    shutil.copytree(AREA_DIR, folder)
    app_data(folder)
    state = Path(os.environ["SEND_STATE_DIR"])
    store.open_store(folder, state, today=AREA_TODAY).close()
    live = folder / "ehcp_requests.csv"
    lines = live.read_text().splitlines(keepends=True)
    live.write_text("".join(lines[: len(lines) // 3]))
    # The first viewer after the copy is served the last store built at once, told newer data is coming,
    # while the new files are built in the background (held there until the page has drawn).
    with held_builds(monkeypatch) as builds:
        at = page_alone("pages/ehcp.py")
        assert not at.warning and "Newer extracts are being checked" in " ".join(c.value for c in at.caption)
    assert builds.finished() == 1
    at.run()  # the next rerun serves the new build: the held file's last good copy, and says so
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "This page shows the last good version of ehcp_requests.csv" in warnings
    assert "A newer ehcp_requests.csv is held, not loaded" in warnings and "fewer" in warnings
    assert not at.exception


KILLED_BUILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from dashboard.serving import store
    store.open_store(Path(sys.argv[1]), Path(sys.argv[2]))
    """
)


def test_a_build_killed_midway_leaves_partial_files_that_the_next_build_removes(tmp_path):
    folder, state, system_tmp = tmp_path / "data", tmp_path / "state", tmp_path / "tmp"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("published"))
    system_tmp.mkdir()
    db_dir = state / store._folder_key(folder) / "db"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD.format(root=str(ROOT)), str(folder), str(state)],
        env={**os.environ, "TMPDIR": str(system_tmp)},
    )
    # Killed while loading the extracts: the database being built and the load's work folder both exist.
    deadline = time.monotonic() + 60
    while not list(db_dir.glob("*.building.load")) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert list(db_dir.glob("*.building")), "the build was not caught midway"
    assert [p for p in db_dir.glob("*.building.load") if p.is_dir()], "the load was not caught midway"
    assert not list(
        system_tmp.iterdir()
    )  # nothing of the load in the system's temporary folder (send-load-*)
    current = store.open_store(folder, state)
    try:
        assert current.report.files["ehcp_requests"].rows_loaded == 18_454
        assert not [p.name for p in db_dir.iterdir() if ".building" in p.name]
    finally:
        current.close()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (duckdb.IOException("IO Error: No space left on device"), "full (no space left on the disk)"),
    ],
)
def test_a_state_folder_that_cannot_be_written_serves_the_last_store_built(
    tmp_path, monkeypatch, error, words
):
    folder, state = tmp_path / "area", tmp_path / "state"
    shutil.copytree(AREA_DIR, folder)
    store.open_store(folder, state, today=AREA_TODAY).close()
    with (folder / "ehcp_requests.csv").open("a") as handle:
        handle.write("")  # a new version: same bytes, new modification time
    os.utime(folder / "ehcp_requests.csv", ns=(1, 1))

    def fails(*args, **kwargs):
        raise error

    monkeypatch.setattr(store, "build", fails)
    served = store.open_store(folder, state, today=AREA_TODAY)
    try:
        assert served.problem and words in served.problem
        assert served.version != store.data_version(folder)
        assert served.query("source_row_counts").size
    finally:
        served.close()
    shutil.rmtree(state)  # and with nothing built at all there is nothing to serve: the page says so
    with pytest.raises(type(error)):
        store.open_store(folder, state, today=AREA_TODAY)


def test_making_a_snapshot_on_a_read_only_state_folder_says_so(app_data, monkeypatch):
    app_data()
    from dashboard.outputs import snapshot

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(snapshot, "save", read_only)
    at = page_alone("pages/snapshots.py")
    at.button(key="snapshot_create").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "The snapshot could not be saved: the server's state folder is read-only" in errors
    assert not at.exception and not at.success


JUNK_LOAD = textwrap.dedent(
    """
    import resource, sys
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import duckdb
    from dashboard.build.loader import LoadOptions, load_folder
    report = load_folder(duckdb.connect(), Path(sys.argv[1]), LoadOptions(today=date(2025, 3, 31)))
    requests = report.files["ehcp_requests"]
    print(requests.status, requests.rows_read, len(requests.problems), " ".join(requests.errors))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """
)


GOOD_ROWS = "".join(
    f"G{n},C{n},{date(2024, 1, 2) + timedelta(days=n % 400)},parent,7,Burnley,ASD,pending,,,,false,,false\n"
    for n in range(3000)
)


@pytest.mark.parametrize(
    ("commas", "after_good_rows", "examples"),
    [(0, False, " 200 "), (13, False, " 200 "), (0, True, " 0 ")],
    ids=["ragged lines", "lines of 14 junk cells", "ragged lines after 3,000 good rows"],
)
def test_a_large_file_of_junk_under_a_valid_header_is_refused_in_bounded_memory(
    tmp_path, commas, after_good_rows, examples
):
    """Read in full, 12 MB of junk took DuckDB about 1.4 GB (ragged lines) or 0.3 GB (junk cells)."""
    block = "".join(
        ",".join(f"{n:08x}junk{k}" for k in range(commas + 1)) + "\n"
        if commas
        else f"{n:08x} junk text " * 6 + "\n"
        for n in range(5000)
    )
    good = GOOD_ROWS if after_good_rows else ""
    folder = make_folder(
        tmp_path, ehcp_requests=REQUESTS_HEADER + "\n" + good + block * (12_000_000 // len(block))
    )
    output = subprocess.run(
        [sys.executable, "-c", JUNK_LOAD.format(root=str(ROOT)), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert output[0].startswith("refused")
    assert "refused without reading the rest" in output[0] and examples in output[0]
    if after_good_rows:  # the header, then 3,000 good rows: the first bad one is line 3,002
        assert "Its first 1,000 rows break no rule" in output[0] and "ends on line 3,002" in output[0]
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    # The bound leaves room for a busy machine (557 MB was seen with the full suite running beside it, 280 MB
    # alone), well under what reading the ragged lines in full took.
    assert int(output[1]) < 800, f"peak memory {output[1]} MB (this test process: {baseline} MB)"
