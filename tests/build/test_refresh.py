"""python -m dashboard.refresh: staged, validated, built before the swap, archived, restorable, and safe to
kill at any point. On copies of the hand-made area fixture (16 requests, as of 31 Mar 2025)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import refresh
from dashboard.serving import store
from tests.helpers import AREA_DIR, AREA_TODAY, ROOT


@pytest.fixture(autouse=True)
def no_published_releases(tmp_path, monkeypatch):
    """These tests are about the extracts: DfE's releases (2 s of every build) are left out."""
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(tmp_path / "no_releases"))


@pytest.fixture()
def live(tmp_path):
    """A live extracts folder (a copy of the area fixture) with its store built, as a running app has it."""
    folder, state = tmp_path / "data", tmp_path / "state"
    shutil.copytree(AREA_DIR, folder)
    store.open_store(folder, state, today=AREA_TODAY).close()
    return folder, state


def submit(live, *files, **options) -> tuple[int, str]:
    lines: list[str] = []
    code = refresh.refresh(list(files), *live, today=AREA_TODAY, by="analyst", out=lines.append, **options)
    return code, "\n".join(lines)


def upload(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / "upload" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def served(live) -> tuple[str, int]:
    """The version the app opens now and how many requests it serves."""
    current = store.open_store(*live, today=AREA_TODAY)
    try:
        return current.version, current.report.files["ehcp_requests"].rows_loaded
    finally:
        current.close()


def files_in(folder: Path) -> dict[str, bytes]:
    """The extracts folder's files and their bytes, less the refresh's own work area."""
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    return {name: p.read_bytes() for name, p in found.items() if not name.startswith(".refresh/")}


def requests_text(rows: int | None = None, extra: str = "") -> str:
    lines = (AREA_DIR / "ehcp_requests.csv").read_text().splitlines(keepends=True)
    return "".join(lines[: None if rows is None else rows + 1]) + extra


NEW_REQUEST = "R0099,C0099,2025-03-01,parent,9,Burnley,ASD,pending,,,,false,,false\n"


def test_a_good_refresh_swaps_with_the_store_already_built_and_is_archived(live, tmp_path, monkeypatch):
    before, rows = served(live)
    assert rows == 16
    code, report = submit(live, upload(tmp_path, "ehcp_requests.csv", requests_text(extra=NEW_REQUEST)))
    assert code == 0 and "All files loaded." in report and "LIVE: refresh" in report
    assert (live[0] / "ehcp_requests.csv").read_text().endswith(NEW_REQUEST)

    def no_build(*args, **kwargs):
        raise AssertionError("a viewer waited for a build")

    monkeypatch.setattr(store, "build", no_build)
    version, rows = served(live)
    assert rows == 17 and version != before and version == store.data_version(live[0])
    (initial, entry) = refresh.history(refresh.Folders(*live))
    assert initial["version"] == "initial" and initial["live_files"]["ehcp_requests.csv"]["size"] > 0
    (submitted,) = entry["files"]
    assert entry["outcome"] == "live" and entry["by"] == "analyst" and entry["data_version"] == version
    content = requests_text(extra=NEW_REQUEST).encode()
    assert submitted["size"] == len(content)
    assert refresh.Folders(*live).archived(submitted["sha256"]).read_bytes() == content
    assert not list((live[0] / ".refresh").glob("staging/*"))


def test_a_refused_refresh_changes_nothing_keeps_the_upload_and_says_why(live, tmp_path):
    before = files_in(live[0])
    version = served(live)[0]
    bad = requests_text(extra="B1,C9,2025-02-30,parent,7,Burnley,ASD,pending,,,,false,,false\n")
    code, report = submit(live, upload(tmp_path, "ehcp_requests.csv", bad))
    assert code == 1
    assert (
        "ehcp_requests.csv, line 18, column received_date: value '2025-02-30': not a real calendar date"
        in report
    )
    assert "REFUSED: ehcp_requests.csv. Nothing was changed" in report
    assert files_in(live[0]) == before and served(live) == (version, 16)
    entry = refresh.history(refresh.Folders(*live))[-1]
    assert entry["outcome"] == "refused" and "1 of 17 rows" in entry["reasons"][0]
    assert refresh.Folders(*live).archived(entry["files"][0]["sha256"]).read_text() == bad
    assert not [p for p in store.db_dir(*live).iterdir() if "staged" in p.name or "building" in p.name]


def test_a_shrunken_file_is_held_until_accepted_and_any_version_restores_in_one_step(live, tmp_path):
    version = served(live)[0]
    code, report = submit(live, upload(tmp_path, "ehcp_requests.csv", requests_text(rows=8)))
    assert code == 1 and "HELD: ehcp_requests.csv" in report and "--accept-shrink" in report
    assert "it has 8 rows where the last good version" in report and served(live) == (version, 16)
    assert refresh.history(refresh.Folders(*live))[-1]["outcome"] == "held"

    # --accept-shrink NAME confirms that file alone: a second shrunken file submitted with it is still held.
    ep_lines = (AREA_DIR / "ep_assessments.csv").read_text().splitlines(keepends=True)
    shrunk = [
        upload(tmp_path, "ehcp_requests.csv", requests_text(rows=8)),
        upload(tmp_path, "ep_assessments.csv", "".join(ep_lines[:3])),  # 2 of its 3 rows: 33% fewer
    ]
    code, report = submit(live, *shrunk, accept_shrink=["ehcp_requests.csv"])
    assert code == 1 and served(live) == (version, 16)
    assert (
        "ACCEPTED with --accept-shrink: ehcp_requests.csv, although it has 8 rows where the last good"
        in report
    )
    assert (
        "HELD: ep_assessments.csv" in report
        and "submit them again with --accept-shrink ep_assessments.csv" in report
    )
    assert refresh.history(refresh.Folders(*live))[-1]["accepted_shrink"] == ["ehcp_requests.csv"]
    code, report = submit(live, shrunk[0], accept_shrink=["spending.csv"])  # a name not submitted
    assert code == 2 and "--accept-shrink names spending.csv, not submitted in this refresh" in report
    code, report = submit(live, shrunk[0], accept_shrink=["ehcp_requests.csv"])
    assert code == 0 and served(live)[1] == 8 and "ACCEPTED with --accept-shrink: ehcp_requests.csv" in report

    lines: list[str] = []
    assert refresh.restore("initial", *live, AREA_TODAY, "lead", out=lines.append) == 0
    assert (live[0] / "ehcp_requests.csv").read_bytes() == (AREA_DIR / "ehcp_requests.csv").read_bytes()
    assert served(live)[1] == 16
    assert refresh.history(refresh.Folders(*live))[-1]["note"] == "restore of initial"
    assert refresh.restore("no-such-version", *live, AREA_TODAY, "lead", out=lines.append) == 2


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "ehcp_requests.csv",
            b"PK\x03\x04" + b"\x00" * 200,
            "its content is a zip archive or an Excel workbook",
        ),
        ("ehcp_requests.csv", b"request_id\x00,child_id\n", "its content is binary, not text"),
        ("spending.parquet", b"month,budget_line\n", "not a Parquet file"),
        ("ehcp_requests.csv", "x" * 3_000_000, "the file is 3 MB, more than the 2 MB a refresh accepts"),
        ("requests_march.csv", "request_id\n", "not a file the dashboard reads"),
    ],
)
def test_uploads_are_limited_by_size_and_by_content_not_name(
    live, tmp_path, monkeypatch, name, content, words
):
    monkeypatch.setenv("SEND_MAX_UPLOAD_MB", "2")
    before = files_in(live[0])
    code, report = submit(live, upload(tmp_path, name, content))
    assert code == 2 and words in report and "Nothing was changed" in report
    assert files_in(live[0]) == before
    assert refresh.history(refresh.Folders(*live))[-1]["outcome"] == "refused"


KILL_POINTS = ["staging", "validating", "building", "built", "swapping"]


def _refresh_paused_at(point: str, live, upload_path: Path) -> subprocess.Popen:
    env = {**os.environ, refresh.PAUSE_AT: point, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard.refresh",
            str(upload_path),
            "--data-dir",
            str(live[0]),
            "--state-dir",
            str(live[1]),
            "--today",
            AREA_TODAY.isoformat(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in child.stdout:
        if line.startswith("PAUSED AT"):
            assert line.strip() == f"PAUSED AT {point}"
            break
    else:
        raise AssertionError(f"the refresh never reached {point}")
    return child


def test_a_refresh_killed_at_any_point_leaves_the_previous_version_live_and_the_next_one_clears_up(
    live, tmp_path
):
    before, version = files_in(live[0]), served(live)[0]
    new = upload(tmp_path, "ehcp_requests.csv", requests_text(extra=NEW_REQUEST))
    for point in KILL_POINTS:
        child = _refresh_paused_at(point, live, new)
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert files_in(live[0]) == before, point
        assert served(live) == (version, 16), point
        assert not store.swap_in_progress(live[0])
    code, _ = submit(live, new)  # the next refresh clears what the killed ones left, then goes live
    assert code == 0 and served(live)[1] == 17
    leftovers = [p.name for p in live[1].rglob("*") if ".building" in p.name or ".staged" in p.name]
    assert not leftovers and not list((live[0] / ".refresh").glob("staging/*"))
    assert not (store.db_dir(*live).parent / "refresh-staging").exists() or not any(
        (store.db_dir(*live).parent / "refresh-staging").iterdir()
    )
    outcomes = [e["outcome"] for e in refresh.history(refresh.Folders(*live))]
    assert outcomes == ["initial", "live"] or outcomes[-1] == "live"


def test_a_refresh_killed_midway_through_the_swap_is_finished_by_the_next(live, tmp_path):
    new = upload(tmp_path, "ehcp_requests.csv", requests_text(extra=NEW_REQUEST))
    child = _refresh_paused_at("mid-swap", live, new)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert store.swap_in_progress(live[0])
    journal = json.loads((live[0] / ".refresh" / "swap.json").read_text())
    # Meanwhile the app serves a whole version (the new store is in place first), never a mix or a build.
    assert served(live)[0] == json.loads(json.dumps(journal["entry"]))["data_version"]
    code, _ = submit(live, upload(tmp_path, "spending.csv", (AREA_DIR / "spending.csv").read_text()))
    assert code == 0 and not store.swap_in_progress(live[0])
    assert (live[0] / "ehcp_requests.csv").read_text().endswith(NEW_REQUEST) and served(live)[1] == 17
    assert [e["outcome"] for e in refresh.history(refresh.Folders(*live))][-2:] == ["live", "live"]


def test_accept_shrink_on_the_command_line_names_files_or_with_no_name_accepts_every_file_submitted(
    tmp_path, capsys, monkeypatch
):
    with pytest.raises(SystemExit):
        refresh.main(["--help"])
    assert "with no NAME, every file submitted in this run" in " ".join(capsys.readouterr().out.split())
    new = upload(tmp_path, "ehcp_requests.csv", requests_text(rows=8))
    common = ["--data-dir", str(tmp_path), "--state-dir", str(tmp_path / "state")]
    calls = []
    monkeypatch.setattr(refresh, "refresh", lambda *args: calls.append(args[4]) or 0)
    refresh.main([str(new), *common, "--accept-shrink"])
    refresh.main([str(new), *common, "--accept-shrink", "ehcp_requests.csv", "ep_assessments.csv"])
    refresh.main([str(new), *common])
    assert calls == [True, ["ehcp_requests.csv", "ep_assessments.csv"], False]


def test_the_command_line_prints_the_check_report_and_lists_history(live, tmp_path):
    bad = upload(
        tmp_path,
        "ehcp_requests.csv",
        requests_text(extra="B1,C9,abc,parent,7,Burnley,ASD,pending,,,,false,,false\n"),
    )
    common = ["--data-dir", str(live[0]), "--state-dir", str(live[1]), "--today", AREA_TODAY.isoformat()]
    run = subprocess.run(
        [sys.executable, "-m", "dashboard.refresh", str(bad), *common, "--by", "A. Analyst"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (
        run.returncode == 1 and "Validation report for" in run.stdout and "REFUSED OR MISSING" in run.stdout
    )
    listed = subprocess.run(
        [sys.executable, "-m", "dashboard.refresh", "--history", *common],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert "REFUSED  by A. Analyst" in listed and "sha256 " in listed


def test_releases_are_read_from_the_extracts_folder_or_a_configured_one_before_the_bundled_copy(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SEND_PUBLISHED_DIR")
    folder = tmp_path / "data"
    shutil.copytree(AREA_DIR, folder)
    assert store.published_dir_for(folder) == store.PUBLISHED_DIR
    before = store.data_version(folder)
    release = folder / "published" / "ehcp_2026"
    release.mkdir(parents=True)
    assert store.published_dir_for(folder) == (folder / "published").resolve()
    (release / "requests.csv").write_text("time_period\n2025\n")
    assert store.data_version(folder) != before  # a release dropped in is a new version of the data
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(tmp_path / "releases"))
    assert store.published_dir_for(folder) == (tmp_path / "releases").resolve()


def test_files_copied_into_the_live_folder_are_built_in_the_background_and_the_last_version_served_meanwhile(
    live, monkeypatch
):
    from tests.build.test_keeping_good_data import held_builds

    before = served(live)[0]
    (live[0] / "ehcp_requests.csv").write_text(requests_text(extra=NEW_REQUEST))  # not through a refresh
    new = store.data_version(live[0])
    with held_builds(monkeypatch) as builds:
        first = store.live_version(*live, today=AREA_TODAY)
        # The request is answered at once with the last version while the new one's build is still held.
        assert first.db_path.stem == before and first.preparing and not first.problem
        assert builds.started.wait(120) and not first.build.done.is_set()
        second = store.live_version(*live, today=AREA_TODAY)  # another viewer: the same build, not a second
        assert second.db_path.stem == before and second.build is first.build
    assert builds.finished() == 1 and first.build.error is None
    after = store.live_version(*live, today=AREA_TODAY)
    assert after == store.Live(store.db_dir(*live) / f"{new}.duckdb")
    opened = store.open_built(live[0], after.db_path)
    try:
        assert opened.version == new and opened.report.files["ehcp_requests"].rows_loaded == 17
    finally:
        opened.close()

    # A background build that fails (a read-only state folder) leaves the last version live and says why.
    os.utime(live[0] / "ehcp_requests.csv", ns=(1, 1))  # a new version of the folder, same bytes

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(store, "build", read_only)
    building = store.live_version(*live, today=AREA_TODAY).build
    assert building.done.wait(120)
    failed = store.live_version(*live, today=AREA_TODAY)
    assert failed.db_path.stem == new and "read-only" in failed.problem and failed.build is building


def test_a_store_built_by_other_code_is_never_served_the_first_viewer_waits_for_the_new_build(
    live, monkeypatch
):
    """After an upgrade that changes the store's tables, the store built before it lacks tables the new queries
    read: serving it while the new one builds showed every viewer an error. Now nothing older is served."""
    from tests.build.test_keeping_good_data import held_builds

    before = served(live)[0]
    same_code = store.live_version(*live, today=AREA_TODAY)
    assert same_code.db_path.stem == before and not same_code.preparing
    monkeypatch.setattr(store, "code_version", lambda: "an-upgrade")
    new = store.data_version(live[0])
    assert new != before  # the code is part of the data version, so the upgrade builds the store anew
    with held_builds(monkeypatch) as builds:
        upgraded = store.live_version(*live, today=AREA_TODAY)
        assert upgraded.db_path is None and upgraded.build is not None  # nothing to serve: wait (state.store)
        assert builds.started.wait(120)
    assert store.wait_for(upgraded, *live, today=AREA_TODAY).db_path.stem == new
    # A later change of the extracts alone serves the store this code built while the next one builds.
    (live[0] / "ehcp_requests.csv").write_text(requests_text(extra=NEW_REQUEST))
    with held_builds(monkeypatch) as builds:
        meanwhile = store.live_version(*live, today=AREA_TODAY)
        assert meanwhile.db_path.stem == new and meanwhile.preparing
    assert builds.finished() == 1
