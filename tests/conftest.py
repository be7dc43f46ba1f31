"""Session-wide stores over each fixture folder and the bundled sample, each pinned to its own date."""

from __future__ import annotations

import os

os.environ.setdefault(
    "SEND_VALIDATE_CHARTS", "1"
)  # before dashboard.charts is imported: tests validate figures

import pytest  # noqa: E402

from dashboard.serving.store import open_store  # noqa: E402
from tests.helpers import (  # noqa: E402
    AREA_DIR,
    AREA_TODAY,
    CAPACITY_DIR,
    CAPACITY_TODAY,
    FINANCE_DIR,
    FINANCE_TODAY,
    HEALTH_DIR,
    HEALTH_TODAY,
    SAMPLE_DIR,
    SAMPLE_TODAY,
)


def _store(tmp_path_factory, folder, today):
    store = open_store(folder, tmp_path_factory.mktemp(f"{folder.name}_state"), today=today)
    yield store
    store.close()


@pytest.fixture(scope="session")
def area_store(tmp_path_factory):
    """The hand-made area fixture, validated and served read-only as the app serves it."""
    yield from _store(tmp_path_factory, AREA_DIR, AREA_TODAY)


@pytest.fixture(scope="session")
def capacity_store(tmp_path_factory):
    """The hand-made EP advice and specialist places fixture."""
    yield from _store(tmp_path_factory, CAPACITY_DIR, CAPACITY_TODAY)


@pytest.fixture(scope="session")
def finance_store(tmp_path_factory):
    """The hand-made spending fixture."""
    yield from _store(tmp_path_factory, FINANCE_DIR, FINANCE_TODAY)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """The bundled synthetic sample, as of its own data date."""
    yield from _store(tmp_path_factory, SAMPLE_DIR, SAMPLE_TODAY)


@pytest.fixture(scope="session")
def health_store(tmp_path_factory):
    """The hand-made health fixture (tests/fixtures/health): advice requests and neurodevelopmental waits."""
    yield from _store(tmp_path_factory, HEALTH_DIR, HEALTH_TODAY)


@pytest.fixture()
def run(area_store):
    return area_store.query


@pytest.fixture()
def app_data(monkeypatch, tmp_path_factory):
    """Point the app at a data folder (the area fixture unless a test calls the returned function again)."""

    def use(folder=AREA_DIR):
        monkeypatch.setenv("SEND_DATA_DIR", str(folder))
        monkeypatch.setenv("SEND_STATE_DIR", str(tmp_path_factory.getbasetemp() / f"app_state_{folder.name}"))

    use()
    return use
