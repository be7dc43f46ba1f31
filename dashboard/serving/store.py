"""The data store: one validated DuckDB database per data version, served read-only and locked down.

A data version is a fingerprint of the extract files (name, size, modification time) and of the
loader's own code. The first process to see a version validates the folder and writes a DuckDB
file for it; every later run (and every other process) opens that file read-only, so extracts
are never parsed at request time. The serving connection cannot read other files, load
extensions or change its own settings.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import json
import logging
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import contract
from dashboard.build import aggregates
from dashboard.build.loader import BUNDLED_DATA_DIR, LoadOptions, load_folder
from dashboard.build.published import load_published
from dashboard.build.validation import LoadReport
from dashboard.serving import queries

PROJECT_DIR = BUNDLED_DATA_DIR.parent
PUBLISHED_DIR = PROJECT_DIR / "data" / "published"
SAMPLE_MARKER = "SAMPLE"
_CODE_FILES = (
    "contract.py",
    "build/loader.py",
    "serving/store.py",
    "build/validation.py",
    "build/published.py",
    "build/sql/macros.sql",
    "build/aggregates.py",
    "build/plan_aggregates.py",
    "build/health_aggregates.py",
    "dates.py",  # census_day: the days build/plan_aggregates.py counts the caseload on
)
_VERSIONS_KEPT = 3
# The memory DuckDB may use while building a version; past it, joins, sorts and aggregates spill to a
# folder beside the file being built. At --scale 300 (9.7M rows) this holds the build's peak to 1.2 GB
# (1.9 GB unbounded) for the same CPU time (benchmarks/bench_load.py). SEND_BUILD_MEMORY overrides it.
BUILD_MEMORY = os.environ.get("SEND_BUILD_MEMORY", "1GB")
log = logging.getLogger(__name__)
MACROS_SQL = Path(__file__).resolve().parents[1] / "build" / "sql" / "macros.sql"

SERVING_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


def data_dir_from_env() -> Path:
    """The extracts folder: SEND_DATA_DIR if set, else the bundled sample in data/."""
    return Path(os.environ.get("SEND_DATA_DIR") or BUNDLED_DATA_DIR).resolve()


def published_dir_for(data_dir: Path) -> Path:
    """Where DfE's published releases are read from: SEND_PUBLISHED_DIR if set, else the extracts folder's
    published/ when it has one (so a new release is dropped beside the extracts, not into the code), else
    the copy bundled with the code."""
    configured = os.environ.get("SEND_PUBLISHED_DIR")
    if configured:
        return Path(configured).resolve()
    own = data_dir / "published"
    return own.resolve() if own.is_dir() else PUBLISHED_DIR


def state_dir_from_env() -> Path:
    """Where built databases and last good copies live: SEND_STATE_DIR, else .state/ in the project."""
    return Path(os.environ.get("SEND_STATE_DIR") or PROJECT_DIR / ".state").resolve()


def _watched_files(data_dir: Path) -> list[Path]:
    files = [data_dir / e.filename for e in contract.EXTRACTS]
    files += [data_dir / e.parquet_filename for e in contract.EXTRACTS]  # an extract may come as Parquet
    files += [data_dir / "reference" / r.filename for r in contract.REFERENCE_FILES]
    return [*files, data_dir / SAMPLE_MARKER]


def data_version(
    data_dir: Path, files_dir: Path | None = None, published: tuple[Path, Path] | None = None
) -> str:
    """Fingerprint of the extracts in `data_dir` and of the loader code: changes when either does.

    `files_dir`: read the files from there instead (a refresh's staged copy of the folder, whose files keep
    their size and modification time when they are moved into `data_dir`), fingerprinting them as `data_dir`'s.
    `published`: (the releases folder as it will be, the staged copy to read its files from), for a refresh
    of a DfE release; by default the folder published_dir_for names.
    """
    digest = hashlib.sha256(str(data_dir.resolve()).encode())
    published_as, published_files = published or (published_dir_for(data_dir),) * 2
    digest.update(str(published_as).encode())
    for path in [*_watched_files(files_dir or data_dir), *sorted(published_files.rglob("*.csv"))]:
        try:
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        except FileNotFoundError:
            digest.update(f"{path.name}:missing;".encode())
    digest.update(code_version().encode())
    return digest.hexdigest()[:20]


def code_version() -> str:
    """Fingerprint of the code that builds a store (its tables, columns and macros): a store built by other
    code may lack a table the queries read, so only a store with the same code_version is ever served."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for name in _CODE_FILES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:20]


@dataclass
class DataStore:
    """A loaded, validated data version and the read-only connection that serves it."""

    data_dir: Path
    version: str
    report: LoadReport
    published: dict
    as_of: date | None
    is_sample: bool
    db_path: Path
    connection: duckdb.DuckDBPyConnection
    # Why the newest data could not be built (the state folder read-only or full), when this store is the
    # last one built instead; None when it is the current version.
    problem: str | None = None
    # True while newer extracts in the folder are being built in the background and this store, the last
    # one built, is served meanwhile.
    preparing: bool = False

    def query(self, name: str, params: dict | None = None) -> pd.DataFrame:
        """Run the named query from queries/ with bound parameters, on a cursor of its own."""
        return queries.run(self.connection, name, params or {})

    def usable(self, table: str) -> bool:
        """True when the app has rows for this extract (its own file or the last good version)."""
        return self.report.files[table].usable

    def close(self) -> None:
        self.connection.close()


def _folder_key(data_dir: Path) -> str:
    return hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]


def _compute_as_of(conn: duckdb.DuckDBPyConnection, today: date) -> date | None:
    """The latest activity date in the requests, EP, plans and reviews extracts, never after today."""
    row = conn.execute(
        "select max(d) from (select greatest(received_date, coalesce(decision_date, received_date), "
        "coalesce(plan_issued_date, received_date)) as d from ehcp_requests "
        "union all select greatest(requested_date, coalesce(completed_date, requested_date)) from ep_assessments "
        "union all select greatest(start_date, coalesce(ceased_date, start_date)) from ehcp_plans "
        "union all select greatest(review_meeting_date, coalesce(decision_date, review_meeting_date), "
        "coalesce(amended_plan_issued_date, review_meeting_date)) from annual_reviews) "
        "where d <= $today",
        {"today": today},
    ).fetchone()
    return row[0]


def build(
    data_dir: Path,
    db_path: Path,
    today: date,
    last_good_dir: Path | None,
    accept_shrink: bool | frozenset[str] = False,
    on_step=None,
    as_dir: Path | None = None,
    published_dir: Path | None = None,
) -> tuple[LoadReport, dict]:
    """Validate `data_dir` into a new DuckDB file at `db_path`; return the report and metadata.

    `on_step(name)`, if given, is called once the extracts are validated ("building") and once the file is
    complete, just before it takes its place ("built"). `published_dir`: read DfE's releases from there (a
    refresh's staged copy of the releases folder) instead of the folder published_dir_for names."""
    tmp = db_path.with_name(f"{db_path.stem}.{uuid.uuid4().hex[:8]}.building")
    # The load's own work files (a UTF-8 copy of a file in another encoding, a refused file's first rows) go
    # beside the file being built, so what a killed build leaves is removed with it (remove_leftovers).
    work = Path(f"{tmp}.load")
    conn = duckdb.connect(str(tmp), config={"memory_limit": BUILD_MEMORY})
    try:
        options = LoadOptions(
            today=today, last_good_dir=last_good_dir, accept_shrink=accept_shrink, work_dir=work
        )
        report = load_folder(conn, data_dir, options)
        report.data_dir = str(as_dir or data_dir)  # a refresh builds from a staged copy of the folder
        if on_step:
            on_step("building")
        published = load_published(conn, published_dir or published_dir_for(as_dir or data_dir))
        conn.execute(MACROS_SQL.read_text(encoding="utf-8"))
        aggregates.build(conn)
        as_of = _compute_as_of(conn, today)
        meta = {
            "code": code_version(),
            "as_of": as_of.isoformat() if as_of else None,
            "is_sample": (data_dir / SAMPLE_MARKER).is_file(),
            "data_dir": str(as_dir or data_dir),
            "report": report.to_dict(),
            "published": published.to_dict(),
        }
        conn.execute("checkpoint")
        conn.close()
        meta_tmp = tmp.with_suffix(".building.json")
        meta_tmp.write_text(json.dumps(meta, default=str))
        if on_step:
            on_step("built")
        os.replace(meta_tmp, db_path.with_suffix(".json"))
        os.replace(tmp, db_path)
    except BaseException:
        conn.close()
        for partial in (tmp, Path(f"{tmp}.wal"), tmp.with_suffix(".building.json")):
            partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report, meta


def state_problem(error: BaseException) -> str:
    """What is wrong with the state folder, in words for the page (no path)."""
    number = getattr(error, "errno", None)
    text = str(error).lower()
    if number == errno.EROFS or "read-only" in text:
        return "the server's state folder is read-only"
    if number == errno.ENOSPC or "no space" in text:
        return "the server's state folder is full (no space left on the disk)"
    if number in (errno.EACCES, errno.EPERM) or "permission denied" in text:
        return "the server may not write to its state folder"
    return "the server cannot write to its state folder"


@contextmanager
def build_lock(db_dir: Path):
    """Hold the folder's build lock: one build at a time, across processes. Anything a build was writing when
    its process died (`*.building`, `*.building.wal`) is removed once the lock is held, as no other build can
    be running then."""
    db_dir.mkdir(parents=True, exist_ok=True)
    with (db_dir / ".build.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            remove_leftovers(db_dir)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(db_dir: Path) -> None:
    """Remove the partial files of builds killed midway (call only while holding the build lock): the
    database and its write-ahead log, the folder DuckDB spills to (`*.building.tmp`) and the load's work
    folder (`*.building.load`)."""
    for leftover in [
        *db_dir.glob("*.staged.duckdb"),
        *db_dir.glob("*.staged.json"),
        *db_dir.glob("*.building"),
        *db_dir.glob("*.building.wal"),
        *db_dir.glob("*.building.json"),
        *db_dir.glob("*.building.tmp"),
        *db_dir.glob("*.building.load"),
    ]:
        log.warning("removing %s, left by a build that did not finish", leftover)
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _built(db_dir: Path) -> list[Path]:
    """The databases built for versions of the data (not those a refresh has staged but not yet swapped in)."""
    return [p for p in db_dir.glob("*.duckdb") if not p.name.endswith(".staged.duckdb")]


def _latest_built(db_dir: Path) -> Path | None:
    """The most recently built database in the folder with its metadata, if any, among those built by this
    code: after an upgrade that changes the tables, a store built before it would fail the new queries, so
    the first viewer waits for the new build (as when nothing was built) rather than see errors."""
    code = code_version()
    built = [p for p in _built(db_dir) if _complete(p) and _built_by(p.with_suffix(".json")) == code]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


def _built_by(meta: Path) -> str | None:
    """The code_version a store's metadata says built it (None for a store from before it was recorded)."""
    try:
        stat = meta.stat()
        return _read_built_by(meta, stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def _read_built_by(meta: Path, mtime_ns: int, size: int) -> str | None:
    # Keyed on the file's time and size: every request asks, and the metadata (with its report) can be large.
    return json.loads(meta.read_text(encoding="utf-8")).get("code")


def db_dir(data_dir: Path, state_dir: Path) -> Path:
    """Where the built databases for `data_dir` live."""
    return state_dir.resolve() / _folder_key(data_dir) / "db"


def last_good_dir(data_dir: Path, state_dir: Path) -> Path:
    """Where the last good copy of each extract of `data_dir` lives."""
    return state_dir.resolve() / _folder_key(data_dir) / "last_good"


def ensure_built(data_dir: Path, state_dir: Path, today: date | None = None) -> Path:
    """Build the store for the data version of `data_dir` unless it is built; return its database file."""
    data_dir, state_dir = data_dir.resolve(), state_dir.resolve()
    db_path = db_dir(data_dir, state_dir) / f"{data_version(data_dir)}.duckdb"
    if db_path.is_file() and db_path.with_suffix(".json").is_file():
        return db_path
    with build_lock(db_path.parent):
        if not (db_path.is_file() and db_path.with_suffix(".json").is_file()):  # another process may have
            build(data_dir, db_path, today or date.today(), last_good_dir(data_dir, state_dir))
            _prune_old_versions(db_path.parent, keep=db_path)
    return db_path


def open_store(
    data_dir: Path | None = None, state_dir: Path | None = None, today: date | None = None
) -> DataStore:
    """Open the store for the current data version, validating and building it first if it is new.

    When it cannot be built because the state folder is read-only or full, the last store built is served
    instead (read-only, as every store is), and `problem` says why.
    """
    data_dir = (data_dir or data_dir_from_env()).resolve()
    state_dir = (state_dir or state_dir_from_env()).resolve()
    problem = None
    try:
        if swap_in_progress(data_dir):
            # A refresh is moving files into place: the folder is neither version, so build nothing from it.
            latest = _latest_built(state_dir / _folder_key(data_dir) / "db")
            if latest is not None:
                return _open_built(data_dir, latest, None)
        db_path = ensure_built(data_dir, state_dir, today)
    except (OSError, duckdb.Error) as error:
        fallback = _latest_built(state_dir / _folder_key(data_dir) / "db")
        if fallback is None:
            raise
        log.exception(
            "cannot build the data store in %s; serving the last one built, %s", state_dir, fallback
        )
        db_path, problem = fallback, state_problem(error)
    return _open_built(data_dir, db_path, problem)


# ---------------------------------------------------------------------------------------------
# Serving the app: never a build in a viewer's request while there is a built version to show


# How long a background build that failed (a read-only or full state folder) is not tried again.
RETRY_FAILED_BUILD_S = 60.0


@dataclass
class BackgroundBuild:
    """A build of one data version on a thread of its own (see `live_version`)."""

    version: str
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    finished_at: float = 0.0


_builds: dict[tuple[str, str, str], BackgroundBuild] = {}
_builds_guard = threading.Lock()
_one_build_at_a_time = threading.Lock()  # in this process; the build lock keeps processes apart


def build_in_background(
    data_dir: Path, state_dir: Path, version: str, today: date | None = None
) -> BackgroundBuild:
    """Start building `version` of `data_dir` on a background thread, unless it is being built already (or
    its build failed less than RETRY_FAILED_BUILD_S ago); return that build."""
    key = (str(data_dir), str(state_dir), version)
    with _builds_guard:
        job = _builds.get(key)
        if job is not None and (
            not job.done.is_set()
            or (job.error is not None and time.monotonic() - job.finished_at < RETRY_FAILED_BUILD_S)
        ):
            return job
        for old in [k for k, j in _builds.items() if j.done.is_set() and j.error is None]:
            del _builds[old]
        job = _builds[key] = BackgroundBuild(version)
    thread = threading.Thread(
        target=_build_job, args=(job, data_dir, state_dir, today), name=f"build-{version}", daemon=True
    )
    thread.start()
    return job


def _build_job(job: BackgroundBuild, data_dir: Path, state_dir: Path, today: date | None) -> None:
    try:
        with _one_build_at_a_time:
            # ensure_built takes the build lock (shared with other processes and with dashboard.refresh) and
            # builds nothing when the version is built meanwhile, by a refresh or another process.
            ensure_built(data_dir, state_dir, today)
    except BaseException as error:  # noqa: BLE001 - kept for the page to report; the log has the traceback
        log.exception("cannot build the data store for %s in %s", data_dir, state_dir)
        job.error = error
    finally:
        job.finished_at = time.monotonic()
        job.done.set()


@dataclass(frozen=True)
class Live:
    """Which built database a viewer's request serves, and why (see `live_version`)."""

    db_path: Path | None  # None: nothing is built for the folder yet, so the request waits for `build`
    problem: str | None = None  # why the newest data could not be built
    preparing: bool = False  # the newest data is being built in the background
    build: BackgroundBuild | None = None


def live_version(data_dir: Path, state_dir: Path, today: date | None = None) -> Live:
    """The database a viewer's request serves now, without waiting for a build.

    Extracts copied straight into the folder (not through dashboard.refresh) make a new data version; it is
    built in the background (one build at a time, under the build lock) while the last store built is
    served, and served from the first request after the build succeeds. Held or refused files are served as
    every build serves them (the last good copy, with the page's notice); a build that fails leaves the last
    store built live, with `problem` saying why. Only when nothing was ever built does the request wait
    (`wait_for`), as there is nothing else to show.
    """
    data_dir, state_dir = data_dir.resolve(), state_dir.resolve()
    folder = db_dir(data_dir, state_dir)
    db_path = folder / f"{data_version(data_dir)}.duckdb"
    if _complete(db_path):
        return Live(db_path)
    latest = _latest_built(folder)
    if latest is not None and swap_in_progress(data_dir):
        return Live(latest)  # a refresh is moving files into place: it has built the new store already
    job = build_in_background(data_dir, state_dir, db_path.stem, today)
    if latest is None:
        return Live(None, build=job)
    if job.done.is_set() and job.error is not None:
        return Live(latest, problem=_build_problem(job.error), build=job)
    if job.done.is_set() and _complete(db_path):
        return Live(db_path)
    return Live(latest, preparing=True, build=job)


def wait_for(live: Live, data_dir: Path, state_dir: Path, today: date | None = None) -> Live:
    """Wait for the background build of a folder with nothing built yet; raise what it failed with."""
    for _ in range(3):  # the files may change again while it builds: wait for the next build too
        if live.db_path is not None:
            return live
        if live.build is not None:
            live.build.done.wait()
            if live.build.error is not None:
                raise live.build.error
        live = live_version(data_dir, state_dir, today)
    if live.db_path is None:
        raise OSError("the extracts kept changing while the dashboard was building them")
    return live


def _build_problem(error: BaseException) -> str:
    if isinstance(error, (OSError, duckdb.Error)):
        return state_problem(error)
    return "the server could not build it (its log says why)"


def _complete(db_path: Path) -> bool:
    return db_path.is_file() and db_path.with_suffix(".json").is_file()


def open_built(data_dir: Path, db_path: Path) -> DataStore:
    """Open a built database read-only (one `live_version` chose)."""
    return _open_built(data_dir.resolve(), db_path, None)


def swap_in_progress(data_dir: Path) -> bool:
    """True while a refresh is moving new files into `data_dir` (see dashboard.refresh)."""
    return (data_dir / ".refresh" / "swap.json").is_file()


def _open_built(data_dir: Path, db_path: Path, problem: str | None) -> DataStore:
    meta = json.loads(db_path.with_suffix(".json").read_text())
    connection = duckdb.connect(str(db_path), read_only=True, config=SERVING_CONFIG)
    return DataStore(
        data_dir=data_dir,
        version=db_path.stem,
        report=LoadReport.from_dict(meta["report"]),
        published=meta["published"],
        as_of=date.fromisoformat(meta["as_of"]) if meta["as_of"] else None,
        is_sample=bool(meta["is_sample"]),
        db_path=db_path,
        connection=connection,
        problem=problem,
    )


def _prune_old_versions(folder: Path, keep: Path) -> None:
    remove_leftovers(folder)
    databases = sorted(_built(folder), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in databases[_VERSIONS_KEPT:]:
        if old != keep:
            for path in (old, old.with_suffix(".json")):
                try:
                    path.unlink()
                except OSError:
                    pass  # another process may still have it open; the next build tries again
