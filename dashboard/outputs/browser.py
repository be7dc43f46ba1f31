"""The browser that prints board packs (and that the browser tests and benchmarks drive): Debian's Chromium,
headless, with nothing that reaches out to the network."""

from __future__ import annotations

import os

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def available() -> bool:
    """Whether the browser is installed here (scripts/ensure-chromium installs it)."""
    return os.access(CHROMIUM_PATH, os.X_OK)
