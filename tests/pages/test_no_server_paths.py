"""No server folder reaches a viewer, and a rejected row shows its offending cell alone.

The app runs (AppTest) on a data folder under a distinctive path, with a missing extract, a refused one, a
missing reference file and a rejected row holding a name in another cell. Every element of every page
(text, tables, charts, alerts, expander labels, widget labels and help) and the methodology page's download
are searched for the folder's name and for the name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import app_test

from dashboard.app import navigation
from dashboard.views import sections
from tests.helpers import AREA_DIR, app

MARKER = "Zq7SecretServerFolder"
NAME = "Jemima Puddleduck-Smythe"
PAGES = [page.file for page in navigation.PAGES]
# Every page, and every section of a page drawn in sections (a section not open is not drawn).
SCREENS = [
    (page, label) for page in PAGES for label in (sections.of(page) if page in sections.PAGES else [None])
]


def hostile_folder(root: Path) -> Path:
    """The area fixture with spending.csv missing, ep_assessments.csv refused (a semicolon file), targets.csv
    missing (the bundled copy is used) and one rejected request row whose other cell holds a name."""
    folder = root / MARKER / "extracts"
    shutil.copytree(AREA_DIR, folder)
    (folder / "spending.csv").unlink()
    (folder / "reference" / "targets.csv").unlink()
    (folder / "ep_assessments.csv").write_text("ep_request_id;request_id\nEP01;R01\n", encoding="utf-8")
    requests = folder / "ehcp_requests.csv"
    last = requests.read_text(encoding="utf-8").rstrip("\n").splitlines()[-1].split(",")
    # Twenty more good rows, so one bad row stays under the 5% that would refuse the file and pages draw.
    more = [",".join([f"X{n:02}", f"CX{n:02}", *last[2:]]) for n in range(20)]
    bad = ",".join(["=HYPERLINK(1)", NAME, *last[2:]])
    with requests.open("a", encoding="utf-8") as handle:
        handle.write("\n".join([*more, bad]) + "\n")
    return folder


@pytest.fixture(scope="module")
def hostile_env(tmp_path_factory):
    root = tmp_path_factory.mktemp("paths")
    folder = hostile_folder(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEND_DATA_DIR", str(folder))
        patch.setenv("SEND_STATE_DIR", str(root / MARKER / "state"))
        yield folder


@pytest.fixture()
def media(monkeypatch):
    """Every file the app put in Streamlit's media store during a run (the downloads made up front)."""
    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)

    def files() -> list[bytes]:
        return [f.content for store in stores for f in store._files_by_id.values()]

    return files


def shown(at) -> str:
    """Everything the run sent to the browser, as text: each element's and block's message, and tables."""
    parts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        if getattr(node, "type", None) in ("dataframe", "table"):
            parts.append(node.value.to_csv())
    return "\n".join(parts)


@pytest.mark.parametrize(("page", "section"), SCREENS)
def test_no_page_names_a_server_folder(hostile_env, media, page, section):
    query = {"present": "1"} if page == navigation.PRESENTATION.file else {}
    at = app(page, **query, **({sections.SECTION: section} if section else {}))
    text = shown(at)
    assert at.title, "the page drew nothing"
    assert MARKER not in text
    assert str(hostile_env.parent) not in text
    assert NAME not in text
    for content in media():
        assert MARKER.encode() not in content
        assert NAME.encode() not in content


def test_methodology_lists_each_problem_by_file_and_the_offending_cell_alone(hostile_env, media):
    at = app(navigation.METHODOLOGY.file)
    # The sources table, then the rejected rows (AppTest does not keep a dataframe's key).
    sources, problems = at.dataframe[0].value, at.dataframe[1].value
    rejected = problems[problems["File"] == "ehcp_requests.csv"]
    assert rejected[["Column", "Value"]].values.tolist() == [["request_id", "=HYPERLINK(1)"]]
    assert sources.set_index("File").loc["ehcp_requests.csv", "Status"] == "⚠️ Loaded, some rows rejected"
    sources = sources.set_index("File")["Messages"]
    assert sources["spending.csv"] == "spending.csv was not found in the extracts folder"
    assert "semicolon-delimited" in sources["ep_assessments.csv"]
    assert (
        sources["reference/targets.csv"]
        == "reference/targets.csv is not in the extracts folder; using the bundled copy"
    )
    (download,) = [c for c in media() if b"HYPERLINK" in c]
    assert b"'=HYPERLINK(1)" in download  # formula-safe in the CSV too
    assert NAME.encode() not in download
    (version_line,) = [m.value for m in at.markdown if m.value.startswith("Data version")]
    assert "folder" not in version_line.lower()


def test_a_store_that_cannot_be_opened_says_so_without_a_path(tmp_path, monkeypatch):
    blocked = tmp_path / MARKER
    blocked.write_text("a file where the state folder should be")
    monkeypatch.setenv("SEND_DATA_DIR", str(AREA_DIR))
    monkeypatch.setenv("SEND_STATE_DIR", str(blocked / "state"))
    at = app()
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("**The dashboard cannot open its data just now.**")
    assert MARKER not in shown(at)
