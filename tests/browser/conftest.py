"""The browser tests' fixtures, one server and one browser for the whole session (see machinery.py)."""

import pytest

pytest.register_assert_rewrite("tests.browser.machinery")

from playwright.sync_api import expect  # noqa: E402

from tests.browser.machinery import (  # noqa: E402, F401
    RERUN_TIMEOUT_MS,
    app_page,
    app_server,
    browser_context,
    chromium,
    served,
)

# A busy machine can take many seconds to rerun a page: every expect() waits as long as a rerun may take.
expect.set_options(timeout=RERUN_TIMEOUT_MS)
