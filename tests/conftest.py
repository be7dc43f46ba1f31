from __future__ import annotations

import os

os.environ.setdefault("SEND_VALIDATE_CHARTS", "1")  # before dashboard.charts is imported: tests validate figures

from datetime import date  # noqa: E402
from pathlib import Path

import pytest  # noqa: E402

from dashboard.filters import Filters
from dashboard.serving.store import open_store  # noqa: E402

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "area"
FIXTURE_TODAY = date(2025, 3, 31)


@pytest.fixture(scope="session")
def area_store(tmp_path_factory):
    """The hand-made fixture extracts, validated and served read-only as the app serves them."""
    store = open_store(FIXTURE_DIR, tmp_path_factory.mktemp("state"), today=FIXTURE_TODAY)
    yield store
    store.close()


@pytest.fixture()
def run(area_store):
    return area_store.query


def everything(start: date = date(2014, 9, 1), end: date = date(2030, 12, 31), **scope) -> Filters:
    """Filters for the whole fixture unless narrowed."""
    return Filters(start, end, **scope)
