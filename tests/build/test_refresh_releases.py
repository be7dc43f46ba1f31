"""A DfE release refreshed the same staged way as the extracts: recognised by its columns, staged, built before
the swap, archived, and restorable; a file that is neither an extract nor a release table is refused.

On the hand-made area fixture with a tiny releases folder: one 2025-release timeliness table (England, the
North West and Lancashire for 2024) and the LA code lookup, so each build reads a few rows of releases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import refresh, release_refresh
from dashboard.serving import store
from tests.helpers import AREA_DIR, AREA_TODAY, ROOT

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,plans_issued_den,plans_issued_den_ex,"
    "plans_issued_within_20_weeks,plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,{pc_ex}{extra}\n"
)
AREAS = (
    "National,E92000001,England,,,,,",
    "Regional,E92000001,England,E12000002,North West,,,",
    "Local authority,E92000001,England,E12000002,North West,E10000017,888,Lancashire",
)
# The 2025 release (calendar 2024): England 500 of 1,000 plans within 20 weeks (50.0%), Lancashire 20 of 100.
RELEASE_2025 = HEADER.format(pc_ex="PC_plans_issued_20_weeks_ex", extra="") + "".join(
    f"2024,Calendar year,{area},All EHC plans issued,Total,{den},{den},{n},{n},{pc},{pc}\n"
    for area, den, n, pc in zip(AREAS, (1000, 200, 100), (500, 90, 20), ("50.0", "45.0", "20.0"), strict=True)
)
# A 2026-style table for calendar 2025 (lower-case column, new label, the mean weeks to issue a plan added).
RELEASE_2026 = HEADER.format(
    pc_ex="pc_plans_issued_20_weeks_ex", extra=",avg_weeks_issue_plan,avg_weeks_issue_plan_exc"
) + "".join(
    f"2025,Calendar year,{area},All EHC plans,Total,{den},{den},{n},{n},{pc},{pc},{weeks}\n"
    for area, den, n, pc, weeks in zip(
        AREAS,
        (1000, 200, 100),
        (600, 100, 30),
        ("60.0", "50.0", "30.0"),
        ("25.3,24.1", "22.0,21.5", "30.2,29.0"),
        strict=True,
    )
)


@pytest.fixture()
def live(tmp_path, monkeypatch):
    """A live extracts folder and a configured releases folder holding the 2025 release, with the store built."""
    folder, state, releases = tmp_path / "data", tmp_path / "state", tmp_path / "releases"
    shutil.copytree(AREA_DIR, folder)
    (releases / "ehcp_2025").mkdir(parents=True)
    (releases / "ehcp_2025" / "timeliness_20_week.csv").write_text(RELEASE_2025, encoding="utf-8")
    (releases / "reference").mkdir()
    shutil.copy(ROOT / "data" / "published" / "reference" / "la_code_lookup.csv", releases / "reference")
    monkeypatch.setenv("SEND_PUBLISHED_DIR", str(releases))
    store.open_store(folder, state, today=AREA_TODAY).close()
    return folder, state, releases


def submit(live, *files) -> tuple[int, str]:
    lines: list[str] = []
    code = refresh.refresh(list(files), *live[:2], today=AREA_TODAY, by="analyst", out=lines.append)
    return code, "\n".join(lines)


def upload(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "upload" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Each file in a folder and its bytes (less the marker a release refresh leaves in the releases folder)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != release_refresh.MARKER
    }


def served(live) -> tuple[str, dict]:
    """The version the app opens now and Lancashire's published figures in it, by (measure, period)."""
    current = store.open_store(*live[:2], today=AREA_TODAY)
    try:
        rows = current.connection.execute(
            "select measure, period, value, release_id from published_measures "
            "where area_code = 'E10000017' and preferred"
        ).fetchall()
        return current.version, {(m, p): (v, rel) for m, p, v, rel in rows}
    finally:
        current.close()


def test_a_release_table_is_recognised_checked_built_before_the_swap_and_restorable_and_junk_is_refused(
    live, tmp_path, monkeypatch
):
    folder, state, releases = live
    folders = refresh.Folders(folder, state)
    before_version, before = served(live)
    assert before[("twenty_week_rate_excl", "2024")] == (20.0, "ehcp_2025")
    before_files = snapshot(releases)
    extracts = {k: v for k, v in snapshot(folder).items() if not k.startswith(".refresh/")}

    # A file that is neither an extract nor a release table: refused with a plain message, and archived.
    junk = "sheet,description\nTable 1,Requests\n"
    code, report = submit(live, upload(tmp_path, "contents.csv", junk))
    assert code == 2
    assert report.startswith(
        "contents.csv: REFUSED before checking: not a file the dashboard reads: its columns match none of the DfE "
        "release tables the dashboard reads (requests.csv, timeliness_20_week.csv"
    )
    assert "Nothing was changed" in report
    entry = refresh.history(folders)[-1]
    assert entry["outcome"] == "refused" and "columns match none" in entry["reasons"][0]
    assert folders.archived(entry["files"][0]["sha256"]).read_text() == junk

    # A release table the loader cannot use (no headline rows) is refused after the build; nothing is swapped.
    relabelled = RELEASE_2026.replace("All EHC plans", "Some EHC plans")
    code, report = submit(live, upload(tmp_path, "timeliness_20_week.csv", relabelled))
    assert (
        code == 1 and "ehcp_2026/timeliness_20_week.csv: REFUSED" in report and "no headline rows" in report
    )
    assert refresh.history(folders)[-1]["outcome"] == "refused"
    assert snapshot(releases) == before_files and served(live)[0] == before_version
    assert not [p for p in store.db_dir(folder, state).iterdir() if "staged" in p.name]
    assert not list(releases.parent.glob(".releases.*"))

    # A good one, under the name it was downloaded with: recognised by its columns as the timeliness table of
    # the 2026 release (its latest year is 2025), built before the swap, then swapped in.
    code, report = submit(live, upload(tmp_path, "ehcp_timeliness_2026_v2.csv", RELEASE_2026))
    assert code == 0, report
    assert "ehcp_2026/timeliness_20_week.csv: LOADED, 12 rows" in report and "LIVE: refresh" in report
    assert (releases / "ehcp_2026" / "timeliness_20_week.csv").read_text(encoding="utf-8") == RELEASE_2026
    assert {k: v for k, v in snapshot(releases).items() if not k.startswith("ehcp_2026/")} == before_files
    assert {k: v for k, v in snapshot(folder).items() if not k.startswith(".refresh/")} == extracts
    assert not list(releases.parent.glob(".releases.*"))  # no staged or replaced copy left beside it
    assert (releases / release_refresh.MARKER).read_text() == refresh.history(folders)[-1]["version"]

    def no_build(*args, **kwargs):
        raise AssertionError("a viewer waited for a build")

    with monkeypatch.context() as patched:
        patched.setattr(store, "build", no_build)
        version, figures = served(live)
    assert version != before_version and version == store.data_version(folder)
    assert figures[("twenty_week_rate_excl", "2025")] == (30.0, "ehcp_2026")
    assert figures[("mean_weeks_to_plan_incl", "2025")] == (30.2, "ehcp_2026")
    assert figures[("twenty_week_rate_excl", "2024")] == (20.0, "ehcp_2025")  # the earlier release stays

    *_, initial, entry = refresh.history(folders)
    assert initial["version"] == release_refresh.INITIAL and set(initial["published_files"]) == set(
        before_files
    )
    (sent,) = entry["files"]
    assert (entry["outcome"], entry["by"], entry["data_version"]) == ("live", "analyst", version)
    assert (sent["name"], sent["place"], sent["size"]) == (
        "ehcp_timeliness_2026_v2.csv",
        "ehcp_2026/timeliness_20_week.csv",
        len(RELEASE_2026.encode()),
    )
    assert folders.archived(sent["sha256"]).read_text(encoding="utf-8") == RELEASE_2026
    listed = "\n".join(refresh.history_lines(folders))
    where = "as ehcp_2026/timeliness_20_week.csv"
    assert f"ehcp_timeliness_2026_v2.csv  {sent['size']:,} bytes  sha256 {sent['sha256']}  {where}" in listed

    # Restore brings the earlier releases folder back in one step, as a refresh of its own.
    lines: list[str] = []
    assert refresh.restore(release_refresh.INITIAL, folder, state, AREA_TODAY, "lead", out=lines.append) == 0
    assert snapshot(releases) == before_files
    _, figures = served(live)
    assert ("twenty_week_rate_excl", "2025") not in figures and (
        "mean_weeks_to_plan_incl",
        "2025",
    ) not in figures
    assert figures[("twenty_week_rate_excl", "2024")] == (20.0, "ehcp_2025")
    assert refresh.history(folders)[-1]["note"] == f"restore of {release_refresh.INITIAL}"


def test_the_releases_folder_is_the_configured_one_never_the_copy_bundled_with_the_code(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SEND_PUBLISHED_DIR", raising=False)
    assert release_refresh.releases_folder(tmp_path) == (tmp_path / "published").resolve()
    lines: list[str] = []
    code = release_refresh.refresh_releases(
        [("t.csv", tmp_path / "t.csv")], ROOT / "data", tmp_path / "state", AREA_TODAY, "a", lines.append
    )
    assert code == 2 and lines[0].startswith("The releases folder would be the copy bundled with the code")


def test_the_release_year_comes_from_the_latest_period_or_the_folder_it_is_submitted_from(tmp_path):
    from dashboard.build.published import recognise_release_file

    path = upload(tmp_path, "t.csv", RELEASE_2026)
    assert recognise_release_file(path, "t.csv") == ("timeliness_20_week.csv", 2026, True)
    assert recognise_release_file(path, "t.csv", 2027) == ("timeliness_20_week.csv", 2027, True)
    # A table of the release the dashboard does not read is kept with it; a census year '202526' is January 2026.
    kept = upload(
        tmp_path, "assessments.csv", "time_period,geographic_level\n202425,National\n202526,National\n"
    )
    assert recognise_release_file(kept, "assessments.csv") == ("assessments.csv", 2026, False)
