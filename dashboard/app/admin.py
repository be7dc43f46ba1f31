"""Who may refresh the data from the app: an admin page behind Streamlit's own OpenID Connect sign-in.

The page is on only when both are configured in `.streamlit/secrets.toml` (never in the repository):

    [auth]                       # Streamlit's st.login settings for your identity provider
    redirect_uri = "https://send-dashboard.example.org/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.example.org/.well-known/openid-configuration"

    [admin]
    accounts = ["analyst@example.org", "lead@example.org"]   # who may refresh (matched on email)

Without both, the page is left out of the navigation and, opened by its address, says how to turn it on.
Viewers never need to sign in: the rest of the app is as open as it was.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
ACCOUNTS_ENV = "SEND_ADMIN_ACCOUNTS"  # a comma-separated list, where secrets cannot be used


def _secrets() -> Mapping:
    import streamlit as st

    try:
        return {key: st.secrets[key] for key in ("auth", "admin") if key in st.secrets}
    except (FileNotFoundError, OSError, KeyError, ValueError):
        return {}  # no secrets file at all
    except Exception:  # noqa: BLE001 - Streamlit raises its own error for an unreadable secrets file
        return {}


def login_configured(secrets: Mapping | None = None) -> bool:
    """True when st.login has what it needs: an [auth] section with every setting (or a named provider's)."""
    auth = (secrets if secrets is not None else _secrets()).get("auth") or {}
    if all(auth.get(key) for key in AUTH_KEYS):
        return True
    providers = [v for v in auth.values() if isinstance(v, Mapping)]
    shared = {k: auth.get(k) for k in ("redirect_uri", "cookie_secret")}
    return (
        bool(providers)
        and all(shared.values())
        and all(
            all(p.get(k) for k in ("client_id", "client_secret", "server_metadata_url")) for p in providers
        )
    )


def admin_accounts(secrets: Mapping | None = None) -> set[str]:
    """The accounts allowed to refresh, lower-cased: [admin] accounts in secrets, else SEND_ADMIN_ACCOUNTS."""
    admin = (secrets if secrets is not None else _secrets()).get("admin") or {}
    listed = admin.get("accounts") or os.environ.get(ACCOUNTS_ENV, "").split(",")
    return {str(a).strip().lower() for a in listed if str(a).strip()}


def enabled(secrets: Mapping | None = None) -> bool:
    """The admin page is on: sign-in is configured and at least one admin account is listed."""
    secrets = secrets if secrets is not None else _secrets()
    return login_configured(secrets) and bool(admin_accounts(secrets))


def is_admin(user: Mapping, secrets: Mapping | None = None) -> bool:
    """A signed-in user whose email (as the identity provider vouches for it) is on the allow-list."""
    email = str(user.get("email") or "").strip().lower()
    verified = user.get("email_verified", True) is not False
    return bool(email) and verified and email in admin_accounts(secrets)


TURN_ON = (
    "The admin page is **off**: refreshing the data from the app needs a sign-in, and none is configured. "
    "To turn it on, add Streamlit's OpenID Connect settings (`[auth]`: `redirect_uri`, `cookie_secret`, "
    "`client_id`, `client_secret`, `server_metadata_url`) and the admin accounts (`[admin] accounts = "
    '["name@example.org"]`) to `.streamlit/secrets.toml` on the server, and restart it. Until then, refresh '
    "from the command line: `python -m dashboard.refresh FILE...` (see the README)."
)


def submit(
    uploads: list[tuple[str, bytes]],
    by: str,
    accept_shrink: bool = False,
    data_dir=None,
    state_dir=None,
) -> tuple[int, str]:
    """Refresh the data with uploaded files ((name, content) pairs, as the browser sent them) exactly as the
    command line does; returns the exit code and the report. Only a file's own name is kept (never a path
    the browser sent), and the refresh checks its size and content, whatever it is called."""
    import tempfile
    from pathlib import Path

    from dashboard import refresh
    from dashboard.serving.store import data_dir_from_env, state_dir_from_env

    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="send-upload-") as folder:
        files = []
        for n, (name, content) in enumerate(uploads):
            own = Path(name.replace("\\", "/")).name or f"upload-{n}"
            path = Path(folder) / str(n) / own
            path.parent.mkdir()
            path.write_bytes(content)
            files.append((own, path))
        code = refresh.refresh(
            files,
            data_dir or data_dir_from_env(),
            state_dir or state_dir_from_env(),
            accept_shrink=accept_shrink,
            by=by,
            out=lines.append,
        )
    return code, "\n".join(lines)
