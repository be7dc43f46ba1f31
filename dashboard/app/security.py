"""What the server adds to every HTTP answer, and what it refuses, when the app is served through serve.py.

Streamlit 1.67 has no setting for response headers and none to turn off its metrics endpoint, but its
``st.App`` takes ASGI middleware, and ``streamlit run serve.py`` serves app.py through it. This middleware:

- answers 404 to ``/_stcore/metrics`` (Streamlit's OpenMetrics endpoint, public and unauthenticated, and
  always on) under any base path;
- answers 403 to a request whose Host is not in ``server.allowedHosts`` (Streamlit checks that list only
  for its WebSocket; this holds the pages, downloads and health check to it too);
- sends a content security policy with ``frame-ancestors 'none'``, ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` on every answer.

The policy allows only the app's own origin. Streamlit's page carries one inline script, allowed by its
hash (worked out from the installed Streamlit's index.html, so an upgrade cannot break it silently);
Streamlit's scripts compile WebAssembly, allowed by 'wasm-unsafe-eval' (which does not allow JavaScript's
eval); styles may be inline because Streamlit, Plotly and the app's own CSS set them that way.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BLOCKED_SUFFIXES = ("/_stcore/metrics",)
INDEX_HTML = Path(streamlit.__file__).parent / "static" / "index.html"


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for each inline <script> in Streamlit's page."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index_html, flags=re.S)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
        for body in scripts
    ]


def content_security_policy(index_html: str | None = None) -> str:
    """The policy every answer carries: the app's own origin only, nothing may frame it."""
    page = index_html if index_html is not None else INDEX_HTML.read_text(encoding="utf-8")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(page)],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "media-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers(index_html: str | None = None) -> dict[str, str]:
    """The headers added to every HTTP answer."""
    return {
        "Content-Security-Policy": content_security_policy(index_html),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def _host_allowed(host: str | None) -> bool:
    """Streamlit's own test of a Host header against server.allowedHosts (any host when the list is empty)."""
    try:
        from streamlit.web.server.starlette.starlette_websocket import is_host_allowed
    except ImportError:  # a Streamlit without it has no allow-list to apply
        return True
    return is_host_allowed(host)


class SecurityHeaders:
    """ASGI middleware: refuse the metrics endpoint and unknown hosts, and add the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in security_headers().items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "").rstrip("/")
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), None)
        if path.endswith(BLOCKED_SUFFIXES):
            await self._plain(send, 404, "Not found")
            return
        if not _host_allowed(host):
            await self._plain(send, 403, "This host is not served here")
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in self.headers}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _plain(self, send: Send, status: int, text: str) -> None:
        body = text.encode("utf-8")
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers + self.headers})
        await send({"type": "http.response.body", "body": body})
