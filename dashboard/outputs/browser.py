"""The browser that prints board packs (and that the browser tests and benchmarks drive): Debian's Chromium,
headless, with nothing that reaches out to the network."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

T = TypeVar("T")


def available() -> bool:
    """Whether the browser is installed here (scripts/ensure-chromium installs it)."""
    return os.access(CHROMIUM_PATH, os.X_OK)


def in_own_thread(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` run on a fresh thread and its result (or error) returned here. Playwright's sync API will
    not start on a thread whose event loop is running, as it is under a notebook or a test session that
    already drives a browser; a new thread has no loop."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium") as pool:
        return pool.submit(work, *args).result()
