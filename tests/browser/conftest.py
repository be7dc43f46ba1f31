"""The browser tests' fixtures, one server and one browser for the whole session (see machinery.py)."""

import pytest

pytest.register_assert_rewrite("tests.browser.machinery")

from tests.browser.machinery import app_page, app_server, browser_context, chromium  # noqa: E402, F401
