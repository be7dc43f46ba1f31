"""Refresh DfE's published releases the same staged way as the extracts (called by dashboard.refresh).

    python -m dashboard.refresh timeliness_20_week.csv requests.csv ...   (files of one or more releases)
    python -m dashboard.refresh --restore VERSION                          (a release refresh, or initial-release)

A file not named as an extract is taken for a table of a DfE 'Education, health and care plans' release and
recognised by its columns, as the loader recognises a release file under the name it arrived with (the
tribunal table by its name, send_tribunal_appeal_rate_*.csv). Its release is the year of the folder it is
submitted from when that is named ehcp_YYYY, else the year the file's latest period is published in (a
calendar year's figures the June after it, a January census's that June). A file that is neither an extract
nor a recognised release table is refused with a plain message and archived.

The releases folder is the configured one: SEND_PUBLISHED_DIR, else <data dir>/published (made, from the
copy bundled with the code, on the first release refresh: nothing is ever written into the code checkout).
A staged copy of it is made beside it (hard links, so each unchanged file keeps its size and time), the new
tables put in place of the ones they replace, and the store built from it before anything goes live; only
when every submitted table loads is the folder swapped for its staged copy by renames under the refresh
journal, with the store already built, so no viewer waits for a build. Every file is archived with its
SHA-256, size, time and submitter; each release refresh records the whole folder it made live, so
--restore brings any of them back in one step (initial-release: the folder before the first one).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from dashboard import refresh as r
from dashboard.build.published import (
    PublishedDataError,
    recognise_release_file,
    release_folder,
    same_table_files,
)
from dashboard.serving import store

INITIAL = "initial-release"
MARKER = ".release-refresh"  # in the live releases folder: the refresh that put it there
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_YEAR_FOLDER = re.compile(r"^ehcp_(\d{4})$")


def releases_folder(data_dir: Path) -> Path:
    """Where the releases a refresh swaps live: SEND_PUBLISHED_DIR, else <data dir>/published."""
    configured = os.environ.get("SEND_PUBLISHED_DIR")
    return Path(configured).resolve() if configured else (data_dir / "published").resolve()


def _staged(target: Path, version: str) -> Path:
    return target.parent / f".{target.name}.staged-{version}"


def _old(target: Path, version: str) -> Path:
    return target.parent / f".{target.name}.old-{version}"


def clear_leftovers(target: Path) -> None:
    """Remove the staged and replaced copies of the releases folder a killed refresh left (refresh.recover
    calls it holding the refresh lock, once it has finished any swap a killed refresh had begun)."""
    if target.parent.is_dir():
        for leftover in [
            *target.parent.glob(f".{target.name}.staged-*"),
            *target.parent.glob(f".{target.name}.old-*"),
        ]:
            shutil.rmtree(leftover, ignore_errors=True)


def _files(folder: Path) -> dict[str, Path]:
    """Every file under the releases folder, by its place in it (less the refresh's own marker)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).as_posix() != MARKER
    }


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(number, os.strerror(number), str(a))


def swap_folder(target: str, staged: str, version: str) -> None:
    """Put the staged releases folder in the live one's place and remove the one it replaces; done at most
    once (the marker in the live folder names the refresh that put it there), so a killed refresh's journal
    can run it again. One atomic exchange where the system has it, so no reader ever finds the folder missing;
    else two renames."""
    live, new, old = Path(target), Path(staged), _old(Path(target), version)
    marker = live / MARKER
    if not (marker.is_file() and marker.read_text(encoding="utf-8") == version):
        if not live.exists():
            os.replace(new, live)
        elif not _exchange(new, live):
            os.replace(live, old)
            os.replace(new, live)
    shutil.rmtree(new, ignore_errors=True)  # after an exchange, the folder it replaced
    shutil.rmtree(old, ignore_errors=True)


def _stage(folders: r.Folders, name: str, path: Path, target: Path, year: int | None) -> dict:
    """Copy one submitted file into the staging area (hashed on the way), check its size and content, archive
    it, and recognise which release table it is."""
    size = path.stat().st_size
    record = {"name": name, "place": None, "sha256": None, "size": size, "problem": None}
    if size > r.max_upload_bytes():
        record["problem"] = r.upload_problem(name, b"", b"", size)
        return record
    record["sha256"], head, tail = r.copy_hashed(path, target)
    r._archive_file(folders, target, record["sha256"])
    as_csv = name if name.lower().endswith(".csv") else f"{name}.csv"
    if not name.lower().endswith(".csv"):
        record["problem"] = "not a file the dashboard reads: a DfE release table is a .csv file"
    elif problem := r.upload_problem(as_csv, head, tail, size):
        record["problem"] = problem
    else:
        try:
            table, release, read = recognise_release_file(target, name, year)
            record["place"], record["read"] = f"{release_folder(release)}/{table}", read
        except (PublishedDataError, OSError, UnicodeDecodeError) as error:
            why = str(error).removeprefix(f"{name}: ")
            record["problem"] = f"not a file the dashboard reads: {why}"
    return record


def refresh_releases(
    submitted: list[tuple[str, Path]],
    data_dir: Path,
    state_dir: Path,
    today: date | None,
    by: str,
    out: Callable[[str], None],
    note: str | None = None,
) -> int:
    """Stage, check, build and swap in the files of DfE releases; return the exit code as dashboard.refresh."""
    folders = r.Folders(data_dir, state_dir)
    target = releases_folder(folders.data_dir)
    if bundled := _bundled(target):
        out(bundled)
        return 2
    folders.work.mkdir(parents=True, exist_ok=True)
    with r._exclusive(folders.work / "lock"):
        r.recover(folders)  # which also clears what a killed release refresh left beside the releases folder
        version = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:4]
        stage = folders.staging / version
        entry = _entry(version, by, note)
        try:
            names = [name for name, _ in submitted]
            if len(set(names)) != len(names):
                out("Each file may be submitted once per refresh.")
                return 2
            for name, path in submitted:
                match = _YEAR_FOLDER.match(path.resolve().parent.name)
                year = int(match.group(1)) if match else None
                entry["files"].append(_stage(folders, name, path, stage / "in" / name, year))
            places = [f["place"] for f in entry["files"] if f["place"]]
            read = [f["place"] for f in entry["files"] if f.get("read")]
            if len(set(places)) != len(places):
                for f in entry["files"]:
                    if f["place"] and places.count(f["place"]) > 1:
                        f["problem"] = (
                            f"holds the same release table as another file submitted ({f['place']})"
                        )
            problems = [f for f in entry["files"] if f["problem"]]
            if problems:
                for f in problems:
                    out(f"{f['name']}: REFUSED before checking: {f['problem']}")
                reasons = [f"{f['name']}: {f['problem']}" for f in problems]
                r._record(folders, {**entry, "outcome": "refused", "reasons": reasons})
                out(
                    "\nNothing was changed: the live data is as it was. The files are archived as refresh "
                    + version
                )
                return 2
            staged = _staged(target, version)
            seed = store.published_dir_for(folders.data_dir)
            for place, path in _files(seed).items():
                # A folder of the configured one is linked (each file keeps its size and time); the copy
                # bundled with the code is copied, so nothing here ever shares a file with the checkout.
                (r._link_or_copy if seed == target else _copy)(path, staged / place)
            for f in entry["files"]:
                release = staged / Path(f["place"]).parent
                for other in same_table_files(release, Path(f["place"]).name) if release.is_dir() else []:
                    other.unlink()
                (release / Path(f["place"]).name).unlink(missing_ok=True)
                r._link_or_copy(stage / "in" / f["name"], staged / f["place"])
            for f in entry["files"]:
                if not f.get("read"):
                    out(f"{f['place']}: KEPT with its release (the dashboard does not read this table)")
            return _build_and_swap(folders, target, staged, version, entry, today, out, check=read)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(folders.state_staging / version, ignore_errors=True)
            shutil.rmtree(_staged(target, version), ignore_errors=True)
            if folders.staging.is_dir() and not any(folders.staging.iterdir()):
                folders.staging.rmdir()


def restore_release(
    version: str,
    entry: dict,
    data_dir: Path,
    state_dir: Path,
    today: date | None,
    by: str,
    out: Callable[[str], None],
) -> int:
    """Make the releases folder exactly as release refresh `version` left it, from the archive, as a refresh."""
    folders = r.Folders(data_dir, state_dir)
    target = releases_folder(folders.data_dir)
    if bundled := _bundled(target):
        out(bundled)
        return 2
    with r._exclusive(folders.work / "lock"):
        r.recover(folders)  # which also clears what a killed release refresh left beside the releases folder
        new = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:4]
        record = _entry(new, by, f"restore of {version}")
        staged = _staged(target, new)
        try:
            for place, info in entry["published_files"].items():
                _copy(folders.archived(info["sha256"]), staged / place)
                record["files"].append({"name": place, "place": place, **info, "problem": None})
            staged.mkdir(parents=True, exist_ok=True)
            return _build_and_swap(folders, target, staged, new, record, today, out, check=[])
        finally:
            shutil.rmtree(folders.state_staging / new, ignore_errors=True)
            shutil.rmtree(staged, ignore_errors=True)


def _bundled(target: Path) -> str | None:
    """Why releases may not be refreshed into `target` (the copy bundled with the code), or None."""
    if target == store.PUBLISHED_DIR.resolve():
        return (
            "The releases folder would be the copy bundled with the code (data/published): set SEND_PUBLISHED_DIR, "
            "or SEND_DATA_DIR to a data folder of your own, so that a new release is kept with the data. Nothing "
            "was changed."
        )
    return None


def _entry(version: str, by: str, note: str | None) -> dict:
    return {
        "version": version,
        "time": datetime.now().isoformat(timespec="seconds"),
        "by": by,
        "kind": "release",
        "files": [],
        "note": note,
    }


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _build_and_swap(
    folders: r.Folders,
    target: Path,
    staged: Path,
    version: str,
    entry: dict,
    today: date | None,
    out: Callable[[str], None],
    check: list[str],
) -> int:
    """Build the store for the extracts with the staged releases folder, refuse if a table in `check` did not
    load, else swap the folder and the store in under the journal."""
    today = today or date.today()
    last_good = folders.state_staging / version
    if folders.last_good.is_dir():
        shutil.copytree(folders.last_good, last_good)
    r._pause_point("validating")
    data_version = store.data_version(folders.data_dir, published=(target, staged))
    staged_db = folders.db_dir / f"{data_version}.staged.duckdb"
    final_db = folders.db_dir / f"{data_version}.duckdb"
    with store.build_lock(folders.db_dir):
        report, meta = store.build(
            folders.data_dir,
            staged_db,
            today,
            last_good,
            on_step=r._pause_point,
            published_dir=staged,
        )
        loads = {f["path"]: f for f in meta["published"]["files"]}
        failed = [p for p in check if loads.get(p, {}).get("status") != "loaded"]
        for place in check:
            load = loads.get(place, {"status": "missing", "message": "not read", "rows": 0, "warnings": []})
            words = "; ".join(filter(None, [load.get("message"), *load.get("warnings", [])]))
            out(
                f"{place}: {load['status'].upper()}, {load.get('rows', 0):,} rows"
                + (f": {words}" if words else "")
            )
        entry["quality"] = r.quality_of(report)
        if failed:
            for path in (staged_db, staged_db.with_suffix(".json")):
                path.unlink(missing_ok=True)
            reasons = [f"{p}: {loads.get(p, {}).get('message') or 'not read'}" for p in failed]
            r._record(folders, {**entry, "outcome": "refused", "reasons": reasons})
            out(
                f"\nREFUSED: {', '.join(failed)}. Nothing was changed: the live data is as it was. The files are "
                f"archived as refresh {version}"
            )
            return 1
        r._pause_point("swapping")
        history = r.history(folders)
        if not any(e.get("outcome") == "live" for e in history):
            # The extracts as they were, so that --restore initial brings them back as it does after an
            # extract refresh.
            r._record(
                folders,
                {
                    "version": "initial",
                    "time": entry["time"],
                    "by": "-",
                    "files": [],
                    "outcome": "live",
                    "live_files": r._live_set(folders),
                    "note": "the data before the first refresh",
                },
            )
        if not any("published_files" in e for e in history):
            r._record(
                folders,
                {
                    "version": INITIAL,
                    "time": entry["time"],
                    "by": "-",
                    "kind": "release",
                    "files": [],
                    "outcome": "live",
                    "published_files": r.archived_set(
                        folders, _files(store.published_dir_for(folders.data_dir))
                    ),
                    "note": "the published releases before the first release refresh",
                },
            )
        moves = [(staged_db.with_suffix(".json"), final_db.with_suffix(".json")), (staged_db, final_db)]
        moves += [(path, folders.last_good / path.name) for path in sorted(last_good.glob("*"))]
        (staged / MARKER).write_text(version, encoding="utf-8")
        entry.update(
            outcome="live",
            data_version=data_version,
            published_dir=str(target),
            published_files=r.archived_set(folders, _files(staged)),
        )
        journal = {
            "moves": [(str(a), str(b)) for a, b in moves],
            "releases": {"target": str(target), "staged": str(staged), "version": version},
            "removes": [],
            "entry": entry,
        }
        folders.last_good.mkdir(parents=True, exist_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        r._fsync_write(folders.journal, json.dumps(journal))
        r._apply_swap(folders, journal)
        store._prune_old_versions(folders.db_dir, keep=final_db)
    out(f"\nLIVE: refresh {version} is in place (data version {data_version}).")
    return 0
