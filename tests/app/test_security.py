"""Serving it safely: the settings in .streamlit/config.toml, and what serve.py's middleware adds and refuses.

The same statements are checked against a running server in tests/browser/test_serving.py.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1.util import patch_config_options
from streamlit.web.server.app_discovery import discover_asgi_app

from dashboard.app import security

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    return host == "localhost" or ipaddress.ip_address(host).is_loopback


def test_the_server_listens_on_this_machine_only():
    assert is_loopback(CONFIG["server"]["address"])


def test_only_loopback_host_names_are_answered():
    hosts = CONFIG["server"]["allowedHosts"]
    assert hosts, "an empty list lets any Host header through"
    assert set(hosts) <= LOOPBACK_NAMES
    assert "localhost" in hosts  # the README's http://localhost:8501


def test_cross_site_protections_stay_on():
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True
    assert CONFIG["client"]["showErrorDetails"] == "none"


def test_make_run_serves_the_app_through_serve_py():
    run = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), flags=re.M).group(1)
    assert "streamlit run serve.py" in run
    found = discover_asgi_app(ROOT / "serve.py")
    assert (found.is_asgi_app, found.app_name) == (True, "app")
    text = (ROOT / "serve.py").read_text()
    assert 'st.App("app.py", middleware=[Middleware(SecurityHeaders)])' in text


# --- The policy ---------------------------------------------------------------------------------------


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_the_policy_allows_the_apps_own_origin_only_and_no_framing():
    policy = directives(security.content_security_policy())
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    for sources in policy.values():
        assert not [s for s in sources if s.startswith(("http:", "https:", "*")) or s == "*"]


def test_streamlits_inline_script_is_allowed_by_its_hash():
    page = security.INDEX_HTML.read_text(encoding="utf-8")
    hashes = security.inline_script_hashes(page)
    assert len(hashes) == len(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)) >= 1
    assert set(hashes) <= set(directives(security.content_security_policy())["script-src"])
    # Worked out apart: printf '\n  x = 1\n' | openssl dgst -sha256 -binary | base64
    assert security.inline_script_hashes("<script>\n  x = 1\n</script>") == [
        "'sha256-BbJ+FSK+ErAV471Y8ZXwwfLNZHNs207gkT7PGBH0XE0='"
    ]


# --- The middleware -----------------------------------------------------------------------------------


def call(
    path: str, host: str = "localhost:8501", kind: str = "http"
) -> tuple[int | None, dict[str, str], bool]:
    """Send one request through the middleware: (status, headers, whether the app behind it was reached)."""
    reached = []

    async def inner(scope, receive, send):
        reached.append(scope["path"])
        if scope["type"] == "http":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/html"), (b"x-frame-options", b"SAMEORIGIN")],
                }
            )
            await send({"type": "http.response.body", "body": b"ok"})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": kind, "path": path, "headers": [(b"host", host.encode())]}
    # On a thread of its own: in a run that has started the browser tests, Playwright's loop runs on this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, security.SecurityHeaders(inner)(scope, receive, send)).result()
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    headers = {k.decode(): v.decode() for k, v in (start or {}).get("headers", [])}
    return (start or {}).get("status"), headers, bool(reached)


def test_every_answer_carries_the_security_headers_once():
    status, headers, reached = call("/")
    assert (status, reached) == (200, True)
    assert headers["content-security-policy"] == security.content_security_policy()
    assert headers["x-frame-options"] == "DENY"  # replaces what the app sent
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "/send/_stcore/metrics"])
def test_the_metrics_endpoint_is_not_served(path):
    status, headers, reached = call(path)
    assert (status, reached) == (404, False)
    assert headers["x-frame-options"] == "DENY"


def test_a_host_outside_the_allow_list_is_refused():
    with patch_config_options({"server.allowedHosts": ["localhost", "127.0.0.1"]}):
        assert call("/", host="evil.example")[:3:2] == (403, False)
        assert call("/media/x.csv", host="attacker.test:8501")[:3:2] == (403, False)
        assert call("/", host="127.0.0.1:8501")[:3:2] == (200, True)
    with patch_config_options({"server.allowedHosts": []}):
        assert call("/", host="evil.example")[:3:2] == (200, True)


def test_websockets_pass_through_to_streamlits_own_checks():
    assert call("/_stcore/stream", kind="websocket") == (None, {}, True)
