"""Refresh the extracts without ever losing good data: stage, validate, build, then swap in one step.

    python -m dashboard.refresh FILE... [--data-dir DIR] [--state-dir DIR] [--by NAME] [--accept-shrink [NAME...]]
    python -m dashboard.refresh --history [--data-dir DIR]
    python -m dashboard.refresh --restore VERSION [--data-dir DIR]

Each file is named as the extract it replaces (ehcp_requests.csv, spending.parquet, districts.csv...). It
is copied into a staging folder beside the extracts, checked against the upload limits and the data
contract (the report `python -m dashboard.build.check` prints), and the dashboard's store for the new data
is built before anything goes live. Only when every submitted file passes (and none has shrunk sharply or
gone back in time, unless --accept-shrink confirms it for that file) are the files moved into place by
atomic renames, and the store built for them is the one the app opens next: no viewer waits for a build or
sees a mix. `--accept-shrink NAME...` (after the files) confirms the files named; bare, every file submitted.

Every submitted file, accepted or refused, is archived with its SHA-256, size, time and submitter, and
every version that went live can be brought back with --restore. A refresh killed at any point leaves the
live data as it was; the next refresh clears what it left (and finishes a swap it had begun).

Files not named as an extract are taken for tables of a DfE release, recognised by their columns, and
refreshed the same staged way into the configured releases folder (dashboard/release_refresh.py); a file
that is neither is refused and archived.

Exit codes: 0 the new data is live; 1 refused or held (nothing changed); 2 a usage or upload problem.
"""

from __future__ import annotations

import argparse
import fcntl
import getpass
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from dashboard import contract
from dashboard.build.validation import LoadReport
from dashboard.serving import store

# The largest file a refresh accepts (SEND_MAX_UPLOAD_MB overrides): a year of national-scale requests is
# about 150 MB as CSV.
DEFAULT_MAX_UPLOAD_MB = 1024
PAUSE_AT = "SEND_REFRESH_PAUSE_AT"  # for tests: stop at a named point (staging, validating, building, built, swapping)
_CHUNK = 1 << 22


def _pause_point(name: str) -> None:
    """Where a test can stop a refresh, to kill it there: with SEND_REFRESH_PAUSE_AT=name the process says
    so on stdout and waits."""
    if os.environ.get(PAUSE_AT) == name:
        print(f"PAUSED AT {name}", flush=True)
        time.sleep(600)


def targets() -> dict[str, str]:
    """Each file name a refresh accepts, and where it goes in the extracts folder."""
    names = {}
    for extract in contract.EXTRACTS:
        names[extract.filename] = extract.filename
        names[extract.parquet_filename] = extract.parquet_filename
    for ref in contract.REFERENCE_FILES:
        names[ref.filename] = f"reference/{ref.filename}"
    return names


def _alternate(relative: str) -> str | None:
    """The same extract in its other format (a CSV file replaces a Parquet one, and the other way round)."""
    for extract in contract.EXTRACTS:
        if relative == extract.filename:
            return extract.parquet_filename
        if relative == extract.parquet_filename:
            return extract.filename
    return None


def max_upload_bytes() -> int:
    return int(float(os.environ.get("SEND_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB) * (1 << 20))


_BINARY_MAGIC = {
    b"PK\x03\x04": "a zip archive or an Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls) or other Office file",
    b"%PDF": "a PDF document",
    b"PAR1": "a Parquet file",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3": "an SQLite database",
}


def upload_problem(relative: str, head: bytes, tail: bytes, size: int) -> str | None:
    """Why a file may not be submitted as `relative`, judged by its size and content (not its name); None if
    it may. `head` and `tail` are its first and last bytes (up to 64 KB each)."""
    limit = max_upload_bytes()
    if size > limit:
        return f"the file is {size / (1 << 20):,.0f} MB, more than the {limit / (1 << 20):,.0f} MB a refresh accepts"
    if size == 0:
        return "the file is empty"
    if relative.endswith(".parquet"):
        if not (head.startswith(b"PAR1") and tail.endswith(b"PAR1")):
            return "the file is named .parquet but its content is not a Parquet file"
        return None
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"the file is named .csv but its content is {what}: export it as CSV"
    if b"\x00" in head:
        return "the file is named .csv but its content is binary, not text: export it as CSV"
    return None


# ---------------------------------------------------------------------------------------------
# Where a refresh keeps things


class Folders:
    """The extracts folder's refresh work area (beside it, so renames are atomic) and archive (in the state
    folder)."""

    def __init__(self, data_dir: Path, state_dir: Path) -> None:
        self.data_dir, self.state_dir = data_dir.resolve(), state_dir.resolve()
        self.work = self.data_dir / ".refresh"
        self.staging = self.work / "staging"
        self.journal = self.work / "swap.json"
        self.archive = self.state_dir / store._folder_key(self.data_dir) / "archive"
        self.history = self.archive / "history.jsonl"
        self.db_dir = store.db_dir(self.data_dir, self.state_dir)
        self.last_good = store.last_good_dir(self.data_dir, self.state_dir)
        # The new last good copies, beside the live ones (so they move into place by renames).
        self.state_staging = self.db_dir.parent / "refresh-staging"

    def archived(self, sha256: str) -> Path:
        return self.archive / "files" / sha256


@contextmanager
def _exclusive(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def history(folders: Folders) -> list[dict]:
    """Every refresh recorded, oldest first."""
    if not folders.history.is_file():
        return []
    entries = []
    for line in folders.history.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill: the entry it began is in the swap journal
    return entries


def _record(folders: Folders, entry: dict) -> None:
    folders.archive.mkdir(parents=True, exist_ok=True)
    with folders.history.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _archive_file(folders: Folders, path: Path, sha256: str) -> None:
    """Keep a copy of a file under its hash (once: the same content is kept once)."""
    target = folders.archived(sha256)
    if target.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{sha256}.{uuid.uuid4().hex[:8]}.tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _live_files(folders: Folders) -> dict[str, Path]:
    """The files in the extracts folder a refresh can replace, by their place in it."""
    found = {}
    for relative in targets().values():
        path = folders.data_dir / relative
        if path.is_file():
            found[relative] = path
    return found


def archived_set(folders: Folders, files: dict[str, Path]) -> dict[str, dict]:
    """Each file archived (once per content) so that this version can be restored, with its hash and size."""
    found = {}
    for place, path in files.items():
        sha = _sha256(path)
        _archive_file(folders, path, sha)
        found[place] = {"sha256": sha, "size": path.stat().st_size}
    return found


def _live_set(folders: Folders) -> dict[str, dict]:
    """The live files' hashes and sizes, each archived so that this version can be restored."""
    return archived_set(folders, _live_files(folders))


# ---------------------------------------------------------------------------------------------
# Recovering from a refresh that was killed


def recover(folders: Folders) -> None:
    """Finish a swap a killed refresh had begun (its journal lists every rename, each done at most once) and
    remove what any killed refresh left in the staging area and the database folder. Call holding the lock."""
    if folders.journal.is_file():
        journal = json.loads(folders.journal.read_text(encoding="utf-8"))
        _apply_swap(folders, journal)
    shutil.rmtree(folders.staging, ignore_errors=True)
    shutil.rmtree(folders.state_staging, ignore_errors=True)
    from dashboard import release_refresh  # and the staged or replaced copies of the releases folder

    release_refresh.clear_leftovers(release_refresh.releases_folder(folders.data_dir))
    if folders.db_dir.is_dir():
        with store.build_lock(folders.db_dir):
            pass  # taking the lock removes what killed builds and refreshes left


def _apply_swap(folders: Folders, journal: dict) -> None:
    for n, (source, target) in enumerate(journal["moves"]):
        if Path(source).exists():
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        if n == 2:
            _pause_point("mid-swap")  # the new store and the first file in place, the rest not yet
    if "releases" in journal:
        # A release refresh: the releases folder, swapped for its staged copy in one step.
        from dashboard import release_refresh

        release_refresh.swap_folder(**journal["releases"])
    for path in journal["removes"]:
        Path(path).unlink(missing_ok=True)
    if journal["entry"]["version"] not in {e["version"] for e in history(folders)}:
        _record(folders, journal["entry"])
    folders.journal.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# A refresh


def refresh(
    files: Iterable[Path | tuple[str, Path]],
    data_dir: Path,
    state_dir: Path,
    today: date | None = None,
    accept_shrink: bool | Iterable[str] = False,
    by: str | None = None,
    out: Callable[[str], None] = print,
    note: str | None = None,
) -> int:
    """Submit `files` (paths named as their extract, or (name, path) pairs) and return the exit code.

    `accept_shrink`: confirm a file that has far fewer rows than, or an earlier latest date than, its last
    good version; True for every file submitted, or the names of those it confirms (each one submitted)."""
    folders = Folders(data_dir, state_dir)
    today = today or date.today()
    by = by or getpass.getuser()
    submitted = [(f, f) if isinstance(f, Path) else f for f in files]
    submitted = [(Path(name).name, Path(path)) for name, path in submitted]
    if submitted and not any(name in targets() for name, _ in submitted):
        # No extract among them: files of DfE releases, told apart by their columns (or refused as neither).
        from dashboard import release_refresh

        return release_refresh.refresh_releases(submitted, data_dir, state_dir, today, by, out, note)
    folders.work.mkdir(parents=True, exist_ok=True)
    with _exclusive(folders.work / "lock"):
        recover(folders)
        version = datetime.now().strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:4]
        stage = folders.staging / version
        try:
            return _refresh(folders, submitted, stage, version, today, accept_shrink, by, out, note)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(folders.state_staging / version, ignore_errors=True)
            if folders.staging.is_dir() and not any(folders.staging.iterdir()):
                folders.staging.rmdir()


def copy_hashed(path: Path, target: Path) -> tuple[str, bytes, bytes]:
    """Copy a submitted file into the staging area durably, hashing it on the way: its SHA-256, and its first
    and last 64 KiB for the content checks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, head, tail = hashlib.sha256(), b"", b""
    with path.open("rb") as read, target.open("wb") as write:
        while chunk := read.read(_CHUNK):
            digest.update(chunk)
            write.write(chunk)
            head = head or chunk[: 1 << 16]
            tail = (tail + chunk)[-(1 << 16) :]
            _pause_point("staging")
        write.flush()
        os.fsync(write.fileno())
    return digest.hexdigest(), head, tail


def _stage(folders: Folders, name: str, path: Path, target: Path) -> dict:
    """Copy one submitted file into the staging area, hashing it on the way, check it against the upload
    limits and archive it (a file over the size limit is neither copied nor kept)."""
    size = path.stat().st_size
    relative = targets().get(name)
    record = {"name": name, "place": relative, "sha256": None, "size": size, "problem": None}
    if not relative:
        record["problem"] = (
            "not a file the dashboard reads as an extract (the tables of a DfE release are submitted in a "
            "refresh of their own)"
        )
    if size > max_upload_bytes():
        record["problem"] = upload_problem(relative or name, b"", b"", size)
        return record
    record["sha256"], head, tail = copy_hashed(path, target)
    record["problem"] = record["problem"] or upload_problem(relative, head, tail, size)
    _archive_file(folders, target, record["sha256"])
    return record


def _refresh(
    folders: Folders,
    submitted: list[tuple[str, Path]],
    stage: Path,
    version: str,
    today: date,
    accept_shrink: bool | Iterable[str],
    by: str,
    out: Callable[[str], None],
    note: str | None,
) -> int:
    entry = {
        "version": version,
        "time": datetime.now().isoformat(timespec="seconds"),
        "by": by,
        "files": [],
        "note": note,
    }
    names = [name for name, _ in submitted]
    if len(set(names)) != len(names) or not names:
        out("Each extract may be submitted once per refresh." if names else "No files were submitted.")
        return 2
    # The bare flag confirms every file submitted; named, only those (never a live file not submitted).
    accepted = set(names) if accept_shrink is True else {Path(n).name for n in accept_shrink or ()}
    if accepted - set(names):
        out(
            f"--accept-shrink names {', '.join(sorted(accepted - set(names)))}, not submitted in this refresh "
            f"(submitted: {', '.join(names)}). Nothing was changed."
        )
        return 2
    entry["accepted_shrink"] = sorted(accepted)
    incoming = stage / "in"
    for name, path in submitted:
        entry["files"].append(_stage(folders, name, path, incoming / name))
    problems = [f for f in entry["files"] if f["problem"]]
    if problems:
        for f in problems:
            hint = f" (the files a refresh reads: {', '.join(targets())})" if not f["place"] else ""
            out(f"{f['name']}: REFUSED before checking: {f['problem']}{hint}")
        _record(
            folders,
            {**entry, "outcome": "refused", "reasons": [f"{f['name']}: {f['problem']}" for f in problems]},
        )
        out("\nNothing was changed: the live data is as it was. The files are archived as refresh " + version)
        return 2

    # The folder as it will be: the live files (hard links, so each keeps its size and time) with the new
    # ones in their places; fingerprinted as the live folder, so the store built from it is the one the app
    # opens once the files are in place.
    mirror = stage / "folder"
    replaced = {f["place"] for f in entry["files"]}
    removes = [
        folders.data_dir / alt
        for place in replaced
        if (alt := _alternate(place)) and alt not in replaced and (folders.data_dir / alt).is_file()
    ]
    for path in [*_live_files(folders).values(), folders.data_dir / store.SAMPLE_MARKER]:
        relative = path.relative_to(folders.data_dir).as_posix()
        if relative in replaced or path in removes or not path.is_file():
            continue
        _link_or_copy(path, mirror / relative)
    for f in entry["files"]:
        _link_or_copy(incoming / f["name"], mirror / f["place"])
    last_good = folders.state_staging / version
    if folders.last_good.is_dir():
        shutil.copytree(folders.last_good, last_good)
    _pause_point("validating")

    data_version = store.data_version(folders.data_dir, files_dir=mirror)
    staged_db = folders.db_dir / f"{data_version}.staged.duckdb"
    final_db = folders.db_dir / f"{data_version}.duckdb"
    with store.build_lock(folders.db_dir):
        report, _ = store.build(
            mirror,
            staged_db,
            today,
            last_good,
            frozenset(accepted),
            on_step=_pause_point,
            as_dir=folders.data_dir,
        )
        out(_report_text(report))
        for place in sorted(replaced):
            why = report_for(report, place).accepted_shrink
            if why:
                out(f"\nACCEPTED with --accept-shrink: {Path(place).name}, although {why}.")
        entry["quality"] = quality_of(report)
        failed = _failures(report, replaced)
        if failed:
            for path in (staged_db, staged_db.with_suffix(".json")):
                path.unlink(missing_ok=True)
            held = all(report_for(report, place).held for place in failed)
            _record(
                folders,
                {**entry, "outcome": "held" if held else "refused", "reasons": _reasons(report, failed)},
            )
            held_names = " ".join(sorted(Path(p).name for p in failed if report_for(report, p).held))
            out(
                f"\n{'HELD' if held else 'REFUSED'}: {', '.join(sorted(failed))}. Nothing was changed: the live data "
                f"is as it was. The files are archived as refresh {version}"
                + (
                    f" (if the change is right, submit them again with --accept-shrink {held_names})"
                    if held
                    else ""
                )
            )
            return 1
        _pause_point("swapping")
        if not any(e.get("outcome") == "live" for e in history(folders)):
            _record(
                folders,
                {
                    "version": "initial",
                    "time": entry["time"],
                    "by": "-",
                    "files": [],
                    "outcome": "live",
                    "live_files": _live_set(folders),
                    "note": "the data before the first refresh",
                },
            )
        moves = [(staged_db.with_suffix(".json"), final_db.with_suffix(".json")), (staged_db, final_db)]
        moves += [(incoming / f["name"], folders.data_dir / f["place"]) for f in entry["files"]]
        moves += [(path, folders.last_good / path.name) for path in sorted(last_good.glob("*"))]
        live = {
            k: v
            for k, v in _live_set(folders).items()
            if k not in replaced and folders.data_dir / k not in removes
        }
        live.update({f["place"]: {"sha256": f["sha256"], "size": f["size"]} for f in entry["files"]})
        entry.update(outcome="live", data_version=data_version, live_files=live)
        journal = {
            "moves": [(str(a), str(b)) for a, b in moves],
            "removes": [str(p) for p in removes],
            "entry": entry,
        }
        folders.last_good.mkdir(parents=True, exist_ok=True)
        _fsync_write(folders.journal, json.dumps(journal))
        _apply_swap(folders, journal)
        store._prune_old_versions(folders.db_dir, keep=final_db)
    out(f"\nLIVE: refresh {version} is in place (data version {data_version}).")
    return 0


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def report_for(report: LoadReport, place: str):
    """The file report for a place in the extracts folder."""
    for r in [*report.files.values(), *report.references.values()]:
        if r.filename in (place, place.removeprefix("reference/"), f"reference/{Path(place).name}"):
            return r
    raise KeyError(place)


def quality_of(report: LoadReport) -> dict[str, dict]:
    """Each extract's rows, rejections and latest date in one check, kept in the history for trends."""
    return {
        r.filename: {
            "status": "held" if r.held else r.status,
            "sha256": r.sha256,
            "rows_read": r.rows_read,
            "rows_loaded": r.rows_loaded,
            "rows_rejected": r.rows_rejected,
            "latest_date": r.latest_date,
            "orphans": r.orphans,
        }
        for r in report.files.values()
    }


def _failures(report: LoadReport, replaced: set[str]) -> list[str]:
    return [p for p in replaced if report_for(report, p).failed]


def _reasons(report: LoadReport, failed: list[str]) -> list[str]:
    return [f"{p}: {' '.join(report_for(report, p).errors)}" for p in sorted(failed)]


def _report_text(report: LoadReport) -> str:
    """The report as `python -m dashboard.build.check` prints it."""
    refused = [r.filename for r in [*report.files.values(), *report.references.values()] if r.failed]
    tail = f"REFUSED OR MISSING: {', '.join(refused)}" if refused else "All files loaded."
    return f"{report.text()}\n\n{tail}"


def restore(
    version: str, data_dir: Path, state_dir: Path, today: date | None, by: str | None, out=print
) -> int:
    """Bring back the files that were live after refresh `version`, as a refresh of its own."""
    folders = Folders(data_dir, state_dir)
    entries = {e["version"]: e for e in history(folders) if e.get("outcome") == "live"}
    if version not in entries:
        out(f"No version {version!r} went live; --history lists those that did.")
        return 2
    if "published_files" in entries[version]:
        from dashboard import release_refresh  # a release refresh: its whole releases folder comes back

        by = by or getpass.getuser()
        return release_refresh.restore_release(version, entries[version], data_dir, state_dir, today, by, out)
    files = [
        (Path(place).name, folders.archived(info["sha256"]))
        for place, info in entries[version]["live_files"].items()
    ]
    return refresh(
        files, data_dir, state_dir, today, accept_shrink=True, by=by, out=out, note=f"restore of {version}"
    )


def history_lines(folders: Folders) -> list[str]:
    lines = []
    for e in history(folders):
        lines.append(
            f"{e['version']}  {e['time']}  {e['outcome'].upper():<8} by {e['by']}"
            + (f"  ({e['note']})" if e.get("note") else "")
        )
        for f in e.get("files", []):
            lines.append(f"    {f['name']}  {f['size']:,} bytes  sha256 {f['sha256']}")
            if e.get("kind") == "release" and f.get("place") and f["place"] != f["name"]:
                lines[-1] += f"  as {f['place']}"  # where in the releases folder it went
        for reason in e.get("reasons", []):
            lines.append(f"    why: {reason}")
        if e.get("data_version"):
            lines.append(f"    data version {e['data_version']}")
    return lines or ["No refresh has been recorded yet."]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.refresh", description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="the new extracts, each named as the file it replaces"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="the extracts folder (default: SEND_DATA_DIR, else data/)"
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="the state folder (default: SEND_STATE_DIR, else .state/)",
    )
    parser.add_argument(
        "--accept-shrink",
        nargs="*",
        metavar="NAME",
        default=None,
        help="confirm the named files (e.g. ehcp_requests.csv) although they have over 10%% fewer rows, or an "
        "earlier latest date, than their last good version; with no NAME, every file submitted in this run. "
        "Put it after the files (or end its names with --)",
    )
    parser.add_argument("--by", default=None, help="who is submitting (default: the login name)")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="the extract date (default: today)"
    )
    parser.add_argument("--history", action="store_true", help="list every refresh and what became of it")
    parser.add_argument(
        "--restore", metavar="VERSION", help="bring back the files live after refresh VERSION"
    )
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or store.data_dir_from_env()).resolve()
    state_dir = (args.state_dir or store.state_dir_from_env()).resolve()
    if not data_dir.is_dir():
        print(f"{data_dir} is not a folder", file=sys.stderr)
        return 2
    if args.history:
        print("\n".join(history_lines(Folders(data_dir, state_dir))))
        return 0
    if args.restore:
        return restore(args.restore, data_dir, state_dir, args.today, args.by)
    if not args.files:
        parser.error(
            "name the files to submit (before --accept-shrink NAME..., or after --), or use --history or --restore"
        )
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        print(f"not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    accept = True if args.accept_shrink == [] else (args.accept_shrink or False)
    return refresh(args.files, data_dir, state_dir, args.today, accept, args.by)


if __name__ == "__main__":
    sys.exit(main())
