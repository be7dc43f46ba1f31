"""Serving it safely, on a running server: what the README's "Serving it safely" section says is checked here.

- Streamlit itself (`streamlit run app.py`) serves /_stcore/metrics to anyone and sends no content security
  policy or X-Frame-Options: there is no setting for either.
- Served as `make run` serves it (`streamlit run serve.py`), every answer carries the policy and
  X-Frame-Options, /_stcore/metrics answers 404, and a Host outside server.allowedHosts answers 403.
- Every page draws in Chromium under that policy without one violation.
"""

from __future__ import annotations

import http.client
import urllib.request

import pytest

from dashboard.app import navigation, security
from tests.browser.machinery import (
    ERROR_ALERT,
    EXCEPTION,
    METRIC_VALUE,
    PLOTLY_DRAWN,
    AppServer,
    start_app,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# Every page, at its address, and what shows it has drawn.
PAGES = [
    ("", PLOTLY_DRAWN),
    *[
        (p.url_path, PLOTLY_DRAWN)
        for p in (
            navigation.EHCP,
            navigation.EP,
            navigation.PLACES,
            navigation.SPENDING,
            navigation.BENCHMARKS,
        )
    ],
    # The area fixture is too short for a forecast, and has no plans or health extracts (optional): these pages
    # say so under their heading.
    (navigation.OUTLOOK.url_path, '[data-testid="stHeading"]'),
    (navigation.PLANS.url_path, '[data-testid="stHeading"]'),
    (navigation.HEALTH.url_path, '[data-testid="stHeading"]'),
    (navigation.SNAPSHOTS.url_path, '[data-testid="stHeading"]'),
    (navigation.METHODOLOGY.url_path, '[data-testid="stHeading"]'),
    ("?present=1", METRIC_VALUE),
]


def get(server: AppServer, path: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
    """One GET, with an optional Host header: (status, headers with lower-case names, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{server.port}"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    """The app served the plain way, `streamlit run app.py`, to show what Streamlit does on its own."""
    server = start_app(tmp_path_factory.mktemp("bare_state"), script="app.py")
    try:
        yield server
    finally:
        server.stop()


def test_streamlit_alone_serves_metrics_publicly_and_sends_no_policy(bare_server):
    status, headers, body = get(bare_server, "/_stcore/metrics")
    assert status == 200 and "session" in body.lower()
    status, headers, _ = get(bare_server, "/")
    assert status == 200
    assert "content-security-policy" not in headers and "x-frame-options" not in headers


def test_served_through_serve_py_every_answer_carries_the_policy(app_server):
    for path in ("/", "/_stcore/health", "/_stcore/host-config", f"/{navigation.EHCP.url_path}"):
        status, headers, _ = get(app_server, path)
        assert status == 200, path
        assert headers["content-security-policy"] == security.content_security_policy(), path
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path


def test_served_through_serve_py_metrics_are_not_public(app_server):
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?families=session_events"):
        status, _, body = get(app_server, path)
        assert status == 404, path
        assert "session" not in body


def test_served_through_serve_py_an_unknown_host_is_refused(app_server):
    assert get(app_server, "/", host="evil.example")[0] == 403
    assert get(app_server, "/_stcore/health", host="rebound.attacker.test:8501")[0] == 403
    assert get(app_server, "/", host=f"localhost:{app_server.port}")[0] == 200


def test_the_health_check_still_answers(app_server):
    with urllib.request.urlopen(app_server.url("/_stcore/health"), timeout=10) as response:
        assert response.read() == b"ok"


@pytest.mark.parametrize(("path", "drawn"), PAGES)
def test_every_page_draws_under_the_policy_without_a_violation(browser_context, app_server, path, drawn):
    page = browser_context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "CSP-VIOLATION" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    try:
        page.goto(app_server.url("/" + path))
        page.wait_for_selector(drawn)
        wait_until_idle(page)
        assert page.locator(EXCEPTION).count() == 0
        assert page.locator(ERROR_ALERT).count() == 0
        assert violations == []
    finally:
        page.close()
